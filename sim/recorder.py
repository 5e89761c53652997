"""Append-only event log and annual snapshots, buffered as columns and turned into Arrow tables."""

from __future__ import annotations

from array import array
from operator import attrgetter

import numpy as np
import pyarrow as pa

from .entities import People
from .params import GRADES, ORIGINS, PROFESSIONS, RATINGS, REGIONS

# kind → what ``cause`` and ``value`` hold for it (the README's output table mirrors this)
EVENT_KINDS = {
    "entry": "someone joins the pipeline; cause: origin route; value: grade index",
    "exit": "someone leaves the pipeline for good; cause: why; value: grade index when they left",
    "promotion": "feeder-grade step (graduate completion, middle → senior); value: new grade index",
    "programme_start": "starts a programme; cause: programme; value: cost per place (£)",
    "programme_end": "completes a programme; cause: programme",
    "notice": "a post holder gives notice; cause: exit cause; value: notice (years)",
    "departure": "a post holder leaves the post; cause: exit cause; value: tenure (years)",
    "search_start": "a search round starts; value: round number",
    "search_failed": "a round ends with nobody appointable; value: round number",
    "shortlist": "applicants interviewed in a search round, one event per group; cause: white or ethnic_minority; "
                 "value: how many",
    "nomination": "a talent board nominates someone for a post at a challenged trust; cause: board (intervention "
                  "name); value: suitability (mean appraisal score)",
    "approach": "a nominee answers a board's approach; cause: board; value: 1 accepted, 0 declined",
    "offer": "a candidate accepts; cause: route; value: interview score (placement: suitability)",
    "appointment": "a substantive holder starts; cause: route; value: gap without a substantive holder (years)",
    "interim_start": "an interim starts covering a post",
    "interim_end": "an interim hands over to a substantive holder",
    "inspection": "CQC inspection; cause: previous rating; value: new rating index (0 outstanding … 3 inadequate)",
    "special_measures_entry": "a trust enters special measures",
    "special_measures_exit": "a trust leaves special measures; value: years in special measures",
    "career_credit": "a challenged posting is credited to its holder; cause: tenure or improvement; value: years "
                     "in the challenged posting",
    "cost": "an intervention books its yearly cost; cause: intervention name; value: £ (negative: a saving)",
    "deal": "a new deal starts with an incoming chief executive; cause: intervention name; value: years it runs",
}
EVENT_COLUMNS = ("time", "kind", "person", "org", "post", "role", "cause", "value")
NUMBERS = {"time": "d", "value": "d"}   # array typecodes ("i" for the others: integers and codes)
TEXTS = ("kind", "role", "cause")
POST_COLUMNS = ("year", "post", "org", "role", "holder", "state", "appointed")
POST_TYPES = (pa.int16(), pa.int32(), pa.int16(), pa.string(), pa.int32(), pa.string(), pa.float64())

ORG_COLUMNS = ("year", "org", "type", "region", "rating", "special_measures", "quality", "minority_population", "size")
ORG_TYPES = (pa.int16(), pa.int16(), pa.string(), pa.string(), pa.string(), pa.bool_(), pa.float64(), pa.float64(),
             pa.float64())


def _code(codes: dict[str, int], text: str) -> int:
    """The code of ``text`` in ``codes``, a new one if it is new."""
    code = codes.get(text)
    if code is None:
        code = codes[text] = len(codes)
    return code


def _codes(codes: dict[str, int], texts) -> np.ndarray:
    """The code of each of ``texts`` (an array of texts, or ``(names, index)`` standing for
    ``names[index]``: no array of strings to build and sort), new ones numbered in order of first
    appearance (as ``_code`` one by one would, without a dict lookup for each of thousands of
    yearly leavers)."""
    if isinstance(texts, tuple):
        names, index = texts
    else:
        names, index = np.unique(np.asarray(texts, dtype=str), return_inverse=True)
    present, first = np.unique(index, return_index=True)
    of_name = np.zeros(len(names), dtype=np.int64)
    for i in present[np.argsort(first)].tolist():
        of_name[i] = _code(codes, str(names[i]))
    return of_name[index]


class Recorder:
    """Collects what happened: one row per event, and one snapshot of the whole system per year."""

    def __init__(self):
        # typed buffers (a few bytes a value, not a Python object each: a run records ~400,000
        # events); kind, role and cause as codes of the strings in the order they first appear
        self._ev = {name: array(NUMBERS.get(name, "i")) for name in EVENT_COLUMNS}
        self._codes: dict[str, dict[str, int]] = {name: {} for name in TEXTS}
        self._appends = tuple(self._ev[name].append for name in EVENT_COLUMNS)   # ~100,000 calls a run
        # (kind, role, cause) → their three codes: one lookup an event instead of three (a run has
        # a few hundred distinct triples)
        self._text_codes: dict[tuple[str, str, str], tuple[int, int, int]] = {}
        self._posts: list[pa.Table] = []   # one table a year
        self._post_fixed: tuple | None = None   # (count, first post, last post, id, org, role): _post_snapshot
        self._orgs: dict[str, list] = {name: [] for name in ORG_COLUMNS}   # a list per column, every year's rows
        self._pipeline: list[pa.Table] = []

    def event(self, time, kind, person=-1, org=-1, post=-1, role="", cause="", value=float("nan")):
        add_time, add_kind, add_person, add_org, add_post, add_role, add_cause, add_value = self._appends
        texts = kind, role, cause
        kind_code, role_code, cause_code = self._text_codes.get(texts) or self._new_texts(*texts)
        add_time(time)
        add_kind(kind_code)
        add_person(person)
        add_org(org)
        add_post(post)
        add_role(role_code)
        add_cause(cause_code)
        add_value(value)

    def _new_texts(self, kind: str, role: str, cause: str) -> tuple[int, int, int]:
        """The codes of a (kind, role, cause) not met before in ``event`` (each text may be new)."""
        codes = self._codes
        triple = self._text_codes[kind, role, cause] = (_code(codes["kind"], kind), _code(codes["role"], role),
                                                        _code(codes["cause"], cause))
        return triple

    def events_bulk(self, time, kind, persons, org=None, cause="", value=None):
        """Record many events of one kind at once (e.g. a yearly cohort). ``cause`` is one text for all,
        a text for each, or ``(names, index)``: the i-th event's cause is ``names[index[i]]``."""
        n = len(persons)
        if n == 0:
            return
        ev, codes = self._ev, self._codes

        def numbers(column, values):   # one value for all, or one each
            values = np.asarray(values, dtype=ev[column].typecode)
            if values.ndim == 0:
                values = np.full(n, values)
            elif values.shape != (n,):
                raise ValueError(f"events_bulk: {column} has {values.shape} values for {n} events")
            ev[column].frombytes(values.tobytes())
        numbers("time", time)
        numbers("kind", _code(codes["kind"], kind))
        numbers("person", persons)
        numbers("org", org if org is not None else -1)
        numbers("post", -1)
        numbers("role", _code(codes["role"], ""))
        numbers("cause", _code(codes["cause"], cause) if isinstance(cause, str) else _codes(codes["cause"], cause))
        numbers("value", value if value is not None else np.nan)

    def snapshot(self, year: int, orgs, posts, people: People) -> None:
        """The state at the end of ``year``: every post, every trust, pipeline counts by group."""
        self._posts.append(self._post_snapshot(year, posts))
        # a list per column, not a tuple per trust: new tuples every year would wake the garbage collector
        c = self._orgs
        c["year"] += [year] * len(orgs)
        c["org"] += [o.id for o in orgs]
        c["type"] += [o.kind for o in orgs]
        c["region"] += [REGIONS[o.region] for o in orgs]
        c["rating"] += [RATINGS[o.rating] for o in orgs]
        c["special_measures"] += [o.special_measures for o in orgs]
        c["quality"] += [o.quality for o in orgs]
        c["minority_population"] += [o.minority_population for o in orgs]
        c["size"] += [o.size for o in orgs]
        rows = np.flatnonzero(people.view("alive"))
        # One integer key per group (mixed radix), counted with bincount: np.unique over rows
        # of a 2-D array would sort 30,000 rows every year.
        parts = [(people.grade[rows], len(GRADES)), (people.origin[rows], len(ORIGINS)),
                 (people.profession[rows], len(PROFESSIONS)), (people.female[rows], 2),
                 (people.ethnic_minority[rows], 2), (people.ready[rows], 2)]
        size = int(np.prod([radix for _, radix in parts]))
        # in place, in the narrowest integers that hold every key: no new array for each of the six parts
        key = np.zeros(len(rows), dtype=np.int16 if size <= np.iinfo(np.int16).max else np.int64)
        for values, radix in parts:
            key *= radix
            key += values
        counts = np.bincount(key, minlength=size)
        present = np.flatnonzero(counts)
        digits = []
        rest = present.copy()
        for _, radix in reversed(parts):
            digits.append(rest % radix)
            rest //= radix
        grade, origin, prof, female, em, ready = reversed(digits)
        self._pipeline.append(pa.table({
            "year": np.full(len(present), year, dtype=np.int16),
            "grade": _names(GRADES, grade), "origin": _names(ORIGINS, origin), "profession": _names(PROFESSIONS, prof),
            "female": female.astype(bool), "ethnic_minority": em.astype(bool), "ready": ready.astype(bool),
            "count": counts[present].astype(np.int32),
        }))

    def _post_snapshot(self, year: int, posts) -> pa.Table:
        """One year's post rows: who holds each post, how, and since when. A post's id, trust and role
        never change and posts are only ever added (trusts open, none close), so those columns are
        built once and again only when the list grows; only the holders are read every year."""
        n = len(posts)
        fixed = self._post_fixed
        if fixed is None or fixed[0] != n or (n and (fixed[1] is not posts[0] or fixed[2] is not posts[-1])):
            fixed = self._post_fixed = (n, posts[0] if n else None, posts[-1] if n else None,
                                        *_attributes(posts, ("id", "org", "role"), POST_TYPES[1:4]))
        columns = (pa.array(np.full(n, year, dtype=np.int16)), *fixed[3:],
                   *_attributes(posts, ("holder", "state", "appointed"), POST_TYPES[4:]))
        return pa.table(dict(zip(POST_COLUMNS, columns)))

    def events_table(self) -> pa.Table:
        ev = self._ev

        def numbers(name, dtype):   # a copy: the buffer stays free to grow
            return np.frombuffer(ev[name], dtype=np.dtype(ev[name].typecode)).astype(dtype)

        def text(name):   # what dictionary_encode would give: strings in order of first appearance
            # safe=False: the codes are the recorder's own, all in range; not checked row by row
            return pa.DictionaryArray.from_arrays(pa.array(numbers(name, np.int32)),
                                                  pa.array(list(self._codes[name]), pa.string()), safe=False)
        return pa.table({"time": pa.array(numbers("time", np.float64)), "kind": text("kind"),
                         "person": pa.array(numbers("person", np.int32)), "org": pa.array(numbers("org", np.int16)),
                         "post": pa.array(numbers("post", np.int32)), "role": text("role"), "cause": text("cause"),
                         "value": pa.array(numbers("value", np.float64))})

    def posts_table(self) -> pa.Table:
        return pa.concat_tables(self._posts) if self._posts else _rows_to_table([], POST_COLUMNS, POST_TYPES)

    def orgs_table(self) -> pa.Table:
        return pa.table({name: pa.array(self._orgs[name], t) for name, t in zip(ORG_COLUMNS, ORG_TYPES)})

    @staticmethod
    def people_table(people: People) -> pa.Table:
        """Who everyone in the run was: origin, profession, sex, ethnicity, when they entered and
        were born."""
        n = people.n
        return pa.table({
            "person": np.arange(n, dtype=np.int32),
            "origin": _dictionary(people.origin[:n], ORIGINS),
            "profession": _dictionary(people.profession[:n], PROFESSIONS),
            "female": people.female[:n], "ethnic_minority": people.ethnic_minority[:n],
            "entered": people.entered[:n], "born": people.born[:n],
        })

    def pipeline_table(self) -> pa.Table:
        return pa.concat_tables(self._pipeline) if self._pipeline else pa.table({})


def _dictionary(codes: np.ndarray, names) -> pa.DictionaryArray:
    """``names[codes]`` dictionary-encoded as ``dictionary_encode`` would (the names that occur, in
    order of first appearance), without building the strings."""
    present, first = np.unique(codes, return_index=True)
    order = present[np.argsort(first)]
    remap = np.zeros(len(names), dtype=np.int32)
    remap[order] = np.arange(len(order), dtype=np.int32)
    return pa.DictionaryArray.from_arrays(pa.array(remap[codes]), pa.array([names[i] for i in order], pa.string()))


def _names(names, codes: np.ndarray) -> pa.Array:
    """``names[codes]`` as an Arrow string array, taken in Arrow (no numpy strings in between)."""
    return pa.array(names, pa.string()).take(pa.array(codes))


def _attributes(objects, names, types) -> list[pa.Array]:
    """Each attribute of ``names`` over ``objects``, as an Arrow array of its type. A list per
    attribute, not a tuple per object: a thousand new tuples a year would wake the garbage
    collector, which then walks the whole model's objects."""
    return [pa.array(list(map(attrgetter(name), objects)), t) for name, t in zip(names, types)]


def _rows_to_table(rows, names, types) -> pa.Table:
    columns = list(zip(*rows)) if rows else [[] for _ in names]
    return pa.table({n: pa.array(c, t) for n, c, t in zip(names, columns, types)})
