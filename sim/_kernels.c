/* Compiled loops for sim/kernels.py: see that module for what each does and why.
 *
 * Each function does exactly the 64-bit integer and double operations of the numpy rule it
 * replaces, in the same order (built with -ffp-contract=off, so no fused multiply-add either), and
 * tests/test_kernels.py checks the two against each other bit for bit. Arrays arrive through the
 * buffer protocol; their element types are checked once per call and every row index against
 * every column's length, so a wrong call raises instead of reading out of bounds.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>

static const uint64_t M1 = 0xBF58476D1CE4E5B9ULL, M2 = 0x94D049BB133111EBULL;  /* SplitMix64 (sim.rng) */

static double keyed_uniform(uint64_t mixed_key, uint64_t h) {
    /* Keyed.uniform(*parts, first=premix(key)) for one person; h is the folded parts */
    uint64_t x = mixed_key + h;
    x = (x ^ (x >> 30)) * M1;
    x = (x ^ (x >> 27)) * M2;
    x = x ^ (x >> 31);
    return ((double)(x >> 11) + 0.5) * 0x1p-53;
}

typedef struct { Py_buffer view; const char *name; char kind; Py_ssize_t size; } Column;

static int column(PyObject *obj, Column *c, const char *name, char kind, Py_ssize_t size, int writable) {
    /* kind: the struct-module format letter expected (q int64, Q uint64, b int8, i int32, ? bool, d double) */
    c->name = name;
    c->kind = kind;
    c->size = size;
    if (PyObject_GetBuffer(obj, &c->view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0)) < 0)
        return -1;
    const char *f = c->view.format ? c->view.format : "B";
    if (*f == '<' || *f == '=' || *f == '@') f++;
    int ok = c->view.itemsize == size && (f[0] == kind || (kind == 'q' && f[0] == 'l' && size == sizeof(long))
                                          || (kind == 'Q' && f[0] == 'L' && size == sizeof(long))) && f[1] == 0;
    if (!ok) {
        PyErr_Format(PyExc_TypeError, "%s: expected items of type '%c' and %zd bytes, found '%s' and %zd",
                     name, kind, size, c->view.format ? c->view.format : "B", c->view.itemsize);
        PyBuffer_Release(&c->view);
        return -1;
    }
    return 0;
}

static Py_ssize_t length(Column *c) { return c->view.len / c->view.itemsize; }

/* -- a search round's interviews: who applies from each field, and who scores best ------------------ */
typedef double (*ndtri_fn)(double, int);
static ndtri_fn ndtri = NULL;   /* scipy's normal quantile (scipy.special.cython_special), given by use_ndtri */
static const char NDTRI_SIGNATURE[] = "double (double, int __pyx_skip_dispatch)";

static PyObject *use_ndtri(PyObject *self, PyObject *capsule) {
    /* the same function scipy.special.ndtri computes, so interview scores keep their bits */
    if (!PyCapsule_IsValid(capsule, NDTRI_SIGNATURE)) {
        PyErr_Format(PyExc_TypeError, "expected a capsule of \"%s\"", NDTRI_SIGNATURE);
        return NULL;
    }
    ndtri = (ndtri_fn)PyCapsule_GetPointer(capsule, NDTRI_SIGNATURE);
    Py_RETURN_NONE;
}

enum { KEYMIX, AVAILABLE, PROFESSION, POST, FEMALE, MINORITY, REGION, CAPABILITY, CREDITED, N_COLUMNS };

typedef struct {   /* a search round: who may apply, and how they are scored */
    const uint64_t *keymix;
    const int8_t *available, *profession, *region;
    const int32_t *post;
    const unsigned char *female, *minority, *credited;
    const double *capability;
    Py_ssize_t people;
    uint64_t h, h_score;
    int need, by_group;
    double women_rate, minority_rate, other_region, sd, bias, reward;
} Round;

typedef struct {   /* what the round found */
    Py_ssize_t n, n_minority, best_field;
    int64_t best_row;
    double best;
    int64_t *seen;   /* the applicants so far (someone in two fields applies once), room for capacity */
    Py_ssize_t capacity;
} Found;

static int interview_field(const Round *r, PyObject *field, Py_ssize_t f, Found *out) {
    /* the applicants of one field (rows, grade, w, w_free, free, home); 0, or -1 with an error set */
    PyObject *o_rows;
    int grade, is_free, home;
    double w, w_free;
    Column rows_c;
    if (!PyTuple_Check(field)) {
        PyErr_SetString(PyExc_TypeError, "a field must be a tuple (rows, grade, w, w_free, free, home)");
        return -1;
    }
    if (!PyArg_ParseTuple(field, "Oiddpi", &o_rows, &grade, &w, &w_free, &is_free, &home)
        || column(o_rows, &rows_c, "rows", 'q', 8, 0) < 0)
        return -1;
    const int64_t *rows = rows_c.view.buf;
    int status = 0;
    for (Py_ssize_t j = 0; j < length(&rows_c); j++) {
        int64_t i = rows[j];
        if (i < 0 || i >= r->people) {
            PyErr_Format(PyExc_IndexError, "rows[%zd] = %lld is outside the people's columns", j, (long long)i);
            status = -1;
            break;
        }
        if (r->available[i] != grade || (r->need >= 0 && r->profession[i] != r->need))
            continue;
        double p = (is_free && r->post[i] < 0) ? w_free : w;
        if (r->by_group)
            p = p * ((r->female[i] ? r->women_rate : 1.0) * (r->minority[i] ? r->minority_rate : 1.0));
        if (home >= 0 && r->region[i] != home)
            p = p * r->other_region;
        if (!(keyed_uniform(r->keymix[i], r->h) < p))
            continue;
        int again = 0;
        for (Py_ssize_t k = 0; k < out->n && !again; k++)
            again = out->seen[k] == i;
        if (again)
            continue;
        if (out->n == out->capacity) {
            int64_t *more = PyMem_Realloc(out->seen, sizeof(int64_t) * 2 * out->capacity);
            if (more == NULL) {
                PyErr_NoMemory();
                status = -1;
                break;
            }
            out->seen = more;
            out->capacity *= 2;
        }
        out->seen[out->n++] = i;
        out->n_minority += r->minority[i] != 0;
        /* as numpy: capability + sd * noise + bias * minority (+ reward * credited) */
        double s = r->capability[i] + r->sd * ndtri(keyed_uniform(r->keymix[i], r->h_score), 0);
        s = s + r->bias * (r->minority[i] ? 1.0 : 0.0);
        if (r->reward != 0.0)
            s = s + r->reward * (r->credited[i] ? 1.0 : 0.0);
        if (out->best_field < 0 || s > out->best) {   /* the first of equal scores wins, as argmax */
            out->best = s;
            out->best_row = i;
            out->best_field = f;
        }
    }
    PyBuffer_Release(&rows_c.view);
    return status;
}

static PyObject *interview(PyObject *self, PyObject *args) {
    PyObject *o_columns, *o_fields;
    Round r;
    unsigned long long h, h_score;
    if (!PyArg_ParseTuple(args, "O!OKKipdddddd", &PyTuple_Type, &o_columns, &o_fields, &h, &h_score, &r.need,
                          &r.by_group, &r.women_rate, &r.minority_rate, &r.other_region, &r.sd, &r.bias, &r.reward))
        return NULL;
    r.h = h;
    r.h_score = h_score;
    if (ndtri == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "use_ndtri was not called");
        return NULL;
    }
    if (PyTuple_GET_SIZE(o_columns) != N_COLUMNS) {
        PyErr_Format(PyExc_ValueError, "expected %d columns, found %zd", N_COLUMNS, PyTuple_GET_SIZE(o_columns));
        return NULL;
    }
    PyObject *fields = PySequence_Fast(o_fields, "fields must be a sequence");
    if (fields == NULL)
        return NULL;
    const char *names[N_COLUMNS] = {"keymix", "available", "profession", "post", "female", "minority", "region",
                                    "capability", "credited"};
    const char kinds[N_COLUMNS] = {'Q', 'b', 'b', 'i', '?', '?', 'b', 'd', '?'};
    const Py_ssize_t sizes[N_COLUMNS] = {8, 1, 1, 4, 1, 1, 1, 8, 1};
    Column c[N_COLUMNS];
    Found out = {0, 0, -1, -1, -INFINITY, PyMem_Malloc(sizeof(int64_t) * 64), 64};
    int got = 0, status = -1;
    if (out.seen == NULL)
        PyErr_NoMemory();
    else
        for (; got < N_COLUMNS; got++)
            if (column(PyTuple_GET_ITEM(o_columns, got), &c[got], names[got], kinds[got], sizes[got], 0) < 0)
                break;
    if (got == N_COLUMNS) {
        r.keymix = c[KEYMIX].view.buf;
        r.available = c[AVAILABLE].view.buf;
        r.profession = c[PROFESSION].view.buf;
        r.region = c[REGION].view.buf;
        r.post = c[POST].view.buf;
        r.female = c[FEMALE].view.buf;
        r.minority = c[MINORITY].view.buf;
        r.credited = c[CREDITED].view.buf;
        r.capability = c[CAPABILITY].view.buf;
        r.people = length(&c[0]);
        for (int k = 1; k < N_COLUMNS; k++)
            if (length(&c[k]) < r.people) r.people = length(&c[k]);
        status = 0;
        for (Py_ssize_t f = 0; f < PySequence_Fast_GET_SIZE(fields) && status == 0; f++)
            status = interview_field(&r, PySequence_Fast_GET_ITEM(fields, f), f, &out);
    }
    PyMem_Free(out.seen);
    for (int k = 0; k < got; k++)
        PyBuffer_Release(&c[k].view);
    Py_DECREF(fields);
    if (status < 0)
        return NULL;
    return Py_BuildValue("nLndn", out.n, (long long)out.best_row, out.best_field, out.best, out.n_minority);
}

/* -- keyed draws on integer parts (sim.rng.Keyed), one at a time ---------------------------------- */
static uint64_t mix(uint64_t x) {
    x = (x ^ (x >> 30)) * M1;
    x = (x ^ (x >> 27)) * M2;
    return x ^ (x >> 31);
}

static const uint64_t G = 0x9E3779B97F4A7C15ULL;   /* salts: part i is offset by (i + 1) * G, as sim.rng */

static int fold_parts(uint64_t base, PyObject *parts, int offset, uint64_t *h) {
    /* base + sum of mix(part_i + salt_{i + offset}); 0 if some part is not a Python int (the caller
     * then falls back to sim.rng's own code, which also takes arrays and numpy integers) */
    if (!PyTuple_Check(parts) || PyTuple_GET_SIZE(parts) + offset > 32)
        return 0;
    uint64_t acc = base;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(parts); i++) {
        PyObject *p = PyTuple_GET_ITEM(parts, i);
        if (!PyLong_Check(p))
            return 0;
        uint64_t v = PyLong_AsUnsignedLongLongMask(p);   /* = int(p) & MASK, negatives included */
        if (v == (uint64_t)-1 && PyErr_Occurred())
            return -1;
        acc += mix(v + (uint64_t)(i + 1 + offset) * G);
    }
    *h = acc;
    return 1;
}

static int fold_args(PyObject *args, int offset, uint64_t *h, PyObject **salts) {
    /* parse (base, parts[, salts]) and fold: -1 error, 0 not all ints (the caller returns None), 1 done */
    unsigned long long base;
    PyObject *parts;
    int parsed = salts ? PyArg_ParseTuple(args, "KOO!", &base, &parts, &PyTuple_Type, salts)
                       : PyArg_ParseTuple(args, "KO", &base, &parts);
    return parsed ? fold_parts(base, parts, offset, h) : -1;
}

#define RETURN_UNLESS_FOLDED(ok) if ((ok) <= 0) return (ok) < 0 ? NULL : Py_NewRef(Py_None)

static PyObject *keyed_uniform_ints(PyObject *self, PyObject *args) {
    /* Keyed.uniform(*parts) for integer parts: (base, parts) -> float, or None */
    uint64_t h;
    int ok = fold_args(args, 0, &h, NULL);
    RETURN_UNLESS_FOLDED(ok);
    return PyFloat_FromDouble(((double)(mix(h) >> 11) + 0.5) * 0x1p-53);
}

static PyObject *keyed_uniforms_ints(PyObject *self, PyObject *args) {
    /* Keyed.uniforms(count, *parts) for integer parts: (base, parts, count_salts) -> list, or None */
    uint64_t h;
    PyObject *salts;
    int ok = fold_args(args, 0, &h, &salts);
    RETURN_UNLESS_FOLDED(ok);
    h = mix(h);
    Py_ssize_t count = PyTuple_GET_SIZE(salts);
    PyObject *out = PyList_New(count);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t k = 0; k < count; k++) {
        uint64_t salt = PyLong_AsUnsignedLongLongMask(PyTuple_GET_ITEM(salts, k));
        PyObject *u = PyErr_Occurred() ? NULL : PyFloat_FromDouble(((double)(mix(h ^ salt) >> 11) + 0.5) * 0x1p-53);
        if (u == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        PyList_SET_ITEM(out, k, u);
    }
    return out;
}

static PyObject *keyed_folded(PyObject *self, PyObject *args) {
    /* Keyed.folded(*parts): the parts hashed as draws with a first part of identities hash them */
    uint64_t h;
    int ok = fold_args(args, 1, &h, NULL);
    RETURN_UNLESS_FOLDED(ok);
    return PyLong_FromUnsignedLongLong(h);
}

/* -- a search round's applicants from outside the NHS --------------------------------------------- */
static uint64_t fold(uint64_t base, const uint64_t *parts, int count) {
    /* sim.rng._fold on integer parts: mix(base + sum of mix(part_i + salt_i)) */
    uint64_t acc = base;
    for (int i = 0; i < count; i++)
        acc += mix(parts[i] + (uint64_t)(i + 1) * G);
    return mix(acc);
}

static double uniform_of(uint64_t h) { return ((double)(h >> 11) + 0.5) * 0x1p-53; }

static PyObject *outsiders(PyObject *self, PyObject *args) {
    /* see sim.processes.recruitment._external_applicants: the same draws in the same order */
    Py_ssize_t count;
    unsigned long long label, traits, apply, interview, post, succession, round_, d_capability, d_ethnicity, d_female;
    double capability_mean, capability_sd, minority_share, women_share, women_rate, minority_rate, scale, sd, bias;
    if (!PyArg_ParseTuple(args, "nKKKK(KKK)KKKddddddddd", &count, &label, &traits, &apply, &interview, &post,
                          &succession, &round_, &d_capability, &d_ethnicity, &d_female, &capability_mean,
                          &capability_sd, &minority_share, &women_share, &women_rate, &minority_rate, &scale, &sd,
                          &bias))
        return NULL;
    if (ndtri == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "use_ndtri was not called");
        return NULL;
    }
    Py_ssize_t n = 0, n_minority = 0, best_k = -1;
    double best = -INFINITY;
    for (Py_ssize_t k = 0; k < count; k++) {
        uint64_t index = (uint64_t)k, key = fold(label, &index, 1);
        uint64_t cap_parts[2] = {key, d_capability}, em_parts[2] = {key, d_ethnicity}, female_parts[2] = {key, d_female};
        uint64_t search[4] = {key, post, succession, round_};
        double capability = capability_mean + capability_sd * ndtri(uniform_of(fold(traits, cap_parts, 2)), 0);
        int em = uniform_of(fold(traits, em_parts, 2)) < minority_share;
        int female = uniform_of(fold(traits, female_parts, 2)) < women_share;
        double m = (female ? women_rate : 1.0) * (em ? minority_rate : 1.0);
        if (!(m >= scale || uniform_of(fold(apply, search, 4)) < m / scale))
            continue;
        double s = capability + sd * ndtri(uniform_of(fold(interview, search, 4)), 0);
        s = s + bias * (em ? 1.0 : 0.0);
        n++;
        n_minority += em;
        if (best_k < 0 || s > best) {
            best = s;
            best_k = k;
        }
    }
    return Py_BuildValue("nnnd", n, n_minority, best_k, best);
}

static PyMethodDef methods[] = {
    {"keyed_uniform_ints", keyed_uniform_ints, METH_VARARGS, "see sim.rng.Keyed.uniform"},
    {"keyed_uniforms_ints", keyed_uniforms_ints, METH_VARARGS, "see sim.rng.Keyed.uniforms"},
    {"keyed_folded", keyed_folded, METH_VARARGS, "see sim.rng.Keyed.folded"},
    {"use_ndtri", use_ndtri, METH_O, "use_ndtri(capsule): the normal quantile interview uses (scipy's)"},
    {"interview", interview, METH_VARARGS,
     "interview(columns, fields, h, h_score, need, by_group, women_rate, minority_rate, other_region, sd, bias, "
     "reward) -> (applicants, best row, its field, its score, ethnic-minority applicants): see "
     "sim.kernels.interview"},
    {"outsiders", outsiders, METH_VARARGS,
     "outsiders(count, label_hash, traits, apply, interview, search, capability_draw, ethnicity_draw, female_draw, "
     "capability_mean, capability_sd, minority_share, women_share, women_rate, minority_rate, scale, sd, bias) -> "
     "(applicants, ethnic-minority applicants, best index, best score): see "
     "sim.processes.recruitment._external_applicants"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_kernels",
                                    "Compiled loops for sim.kernels (see there).", -1, methods};

PyMODINIT_FUNC PyInit__kernels(void) { return PyModule_Create(&module); }
