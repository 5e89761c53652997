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

static PyObject *applicants(PyObject *self, PyObject *args) {
    PyObject *o_rows, *o_keymix, *o_available, *o_profession, *o_post, *o_female, *o_minority, *o_region;
    PyObject *o_out, *o_score;
    Py_ssize_t at;   /* where in out and score the applicants go (several fields share them) */
    unsigned long long h, h_score;
    int grade, need, is_free, by_group, home;
    double w, w_free, women_rate, minority_rate, other_region;
    if (!PyArg_ParseTuple(args, "OOKOiOiOddpOOddpOidKOOn", &o_rows, &o_keymix, &h, &o_available, &grade,
                          &o_profession, &need, &o_post, &w, &w_free, &is_free, &o_female, &o_minority,
                          &women_rate, &minority_rate, &by_group, &o_region, &home, &other_region, &h_score,
                          &o_out, &o_score, &at))
        return NULL;
    Column c[10];
    PyObject *objs[10] = {o_rows, o_keymix, o_available, o_profession, o_post, o_female, o_minority, o_region,
                          o_out, o_score};
    const char *names[10] = {"rows", "keymix", "available", "profession", "post", "female", "minority", "region",
                             "out", "score"};
    const char kinds[10] = {'q', 'Q', 'b', 'b', 'i', '?', '?', 'b', 'q', 'd'};
    const Py_ssize_t sizes[10] = {8, 8, 1, 1, 4, 1, 1, 1, 8, 8};
    int got = 0;
    for (; got < 10; got++)
        if (column(objs[got], &c[got], names[got], kinds[got], sizes[got], got >= 8) < 0)
            break;
    Py_ssize_t n = -1;
    if (got == 10) {
        const int64_t *rows = c[0].view.buf;
        const uint64_t *keymix = c[1].view.buf;
        const int8_t *available = c[2].view.buf, *profession = c[3].view.buf, *region = c[7].view.buf;
        const int32_t *post = c[4].view.buf;
        const unsigned char *female = c[5].view.buf, *minority = c[6].view.buf;
        int64_t *out = c[8].view.buf;
        double *score = c[9].view.buf;
        Py_ssize_t count = length(&c[0]), people = length(&c[1]);
        for (int k = 2; k < 8; k++)
            if (length(&c[k]) < people) people = length(&c[k]);
        if (at < 0 || length(&c[8]) < at + count || length(&c[9]) < at + count) {
            PyErr_SetString(PyExc_ValueError, "out and score must hold at + len(rows) items");
        } else {
            n = at;
            for (Py_ssize_t j = 0; j < count; j++) {
                int64_t r = rows[j];
                if (r < 0 || r >= people) {
                    PyErr_Format(PyExc_IndexError, "rows[%zd] = %lld is outside the people's columns", j, (long long)r);
                    n = -1;
                    break;
                }
                if (available[r] != grade || (need >= 0 && profession[r] != need))
                    continue;
                double p = (is_free && post[r] < 0) ? w_free : w;
                if (by_group)
                    p = p * ((female[r] ? women_rate : 1.0) * (minority[r] ? minority_rate : 1.0));
                if (home >= 0 && region[r] != home)
                    p = p * other_region;
                if (keyed_uniform(keymix[r], h) < p) {
                    out[n] = r;
                    score[n] = keyed_uniform(keymix[r], h_score);
                    n++;
                }
            }
        }
    }
    for (int k = 0; k < got; k++)
        PyBuffer_Release(&c[k].view);
    if (n < 0)
        return NULL;
    return PyLong_FromSsize_t(n);
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

static PyMethodDef methods[] = {
    {"keyed_uniform_ints", keyed_uniform_ints, METH_VARARGS, "see sim.rng.Keyed.uniform"},
    {"keyed_uniforms_ints", keyed_uniforms_ints, METH_VARARGS, "see sim.rng.Keyed.uniforms"},
    {"keyed_folded", keyed_folded, METH_VARARGS, "see sim.rng.Keyed.folded"},
    {"applicants", applicants, METH_VARARGS,
     "applicants(rows, keymix, h, available, grade, profession, need, post, w, w_free, free, female, minority, "
     "women_rate, minority_rate, by_group, region, home, other_region, h_score, out, score, at) -> the index "
     "after the last applicant written from out[at] on: see "
     "sim.kernels.applicants"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_kernels",
                                    "Compiled loops for sim.kernels (see there).", -1, methods};

PyMODINIT_FUNC PyInit__kernels(void) { return PyModule_Create(&module); }
