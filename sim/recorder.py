"""Append-only event log and annual snapshots, buffered as columns and turned into Arrow tables."""

from __future__ import annotations

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


class Recorder:
    """Collects what happened: one row per event, and one snapshot of the whole system per year."""

    def __init__(self):
        self._ev = {name: [] for name in EVENT_COLUMNS}
        self._posts: list[dict] = []
        self._orgs: list[dict] = []
        self._pipeline: list[pa.Table] = []

    def event(self, time, kind, person=-1, org=-1, post=-1, role="", cause="", value=float("nan")):
        ev = self._ev
        ev["time"].append(time)
        ev["kind"].append(kind)
        ev["person"].append(person)
        ev["org"].append(org)
        ev["post"].append(post)
        ev["role"].append(role)
        ev["cause"].append(cause)
        ev["value"].append(value)

    def events_bulk(self, time, kind, persons, org=None, cause="", value=None):
        """Record many events of one kind at once (e.g. a yearly cohort)."""
        n = len(persons)
        if n == 0:
            return
        ev = self._ev
        ev["time"].extend(np.broadcast_to(np.asarray(time, dtype=float), n).tolist())
        ev["kind"].extend([kind] * n)
        ev["person"].extend(np.asarray(persons).tolist())
        ev["org"].extend((np.asarray(org).tolist() if org is not None else [-1] * n))
        ev["post"].extend([-1] * n)
        ev["role"].extend([""] * n)
        ev["cause"].extend(list(cause) if not isinstance(cause, str) else [cause] * n)
        ev["value"].extend(np.broadcast_to(np.asarray(value if value is not None else np.nan, dtype=float),
                                           n).tolist())

    def snapshot(self, year: int, orgs, posts, people: People) -> None:
        """The state at the end of ``year``: every post, every trust, pipeline counts by group."""
        for p in posts:
            self._posts.append((year, p.id, p.org, p.role, p.holder, p.state, p.appointed))
        for o in orgs:
            self._orgs.append((year, o.id, o.kind, REGIONS[o.region], RATINGS[o.rating],
                               o.special_measures, o.quality, o.minority_population, o.size))
        rows = np.flatnonzero(people.view("alive"))
        # One integer key per group (mixed radix), counted with bincount: np.unique over rows
        # of a 2-D array would sort 30,000 rows every year.
        parts = [(people.grade[rows], len(GRADES)), (people.origin[rows], len(ORIGINS)),
                 (people.profession[rows], len(PROFESSIONS)), (people.female[rows], 2),
                 (people.ethnic_minority[rows], 2), (people.ready[rows], 2)]
        key = np.zeros(len(rows), dtype=np.int64)
        size = 1
        for values, radix in parts:
            key = key * radix + values.astype(np.int64)
            size *= radix
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
            "grade": pa.array(np.array(GRADES)[grade]), "origin": pa.array(np.array(ORIGINS)[origin]),
            "profession": pa.array(np.array(PROFESSIONS)[prof]),
            "female": female.astype(bool), "ethnic_minority": em.astype(bool), "ready": ready.astype(bool),
            "count": counts[present].astype(np.int32),
        }))

    def events_table(self) -> pa.Table:
        ev = self._ev
        cols = {
            "time": pa.array(ev["time"], pa.float64()),
            "kind": pa.array(ev["kind"], pa.string()).dictionary_encode(),
            "person": pa.array(ev["person"], pa.int32()),
            "org": pa.array(ev["org"], pa.int16()),
            "post": pa.array(ev["post"], pa.int32()),
            "role": pa.array(ev["role"], pa.string()).dictionary_encode(),
            "cause": pa.array(ev["cause"], pa.string()).dictionary_encode(),
            "value": pa.array(ev["value"], pa.float64()),
        }
        return pa.table(cols)

    def posts_table(self) -> pa.Table:
        names = ("year", "post", "org", "role", "holder", "state", "appointed")
        types = (pa.int16(), pa.int32(), pa.int16(), pa.string(), pa.int32(), pa.string(), pa.float64())
        return _rows_to_table(self._posts, names, types)

    def orgs_table(self) -> pa.Table:
        names = ("year", "org", "type", "region", "rating", "special_measures", "quality", "minority_population",
                 "size")
        types = (pa.int16(), pa.int16(), pa.string(), pa.string(), pa.string(), pa.bool_(), pa.float64(),
                 pa.float64(), pa.float64())
        return _rows_to_table(self._orgs, names, types)

    @staticmethod
    def people_table(people: People) -> pa.Table:
        """Who everyone in the run was: origin, profession, sex, ethnicity, when they entered and
        were born."""
        n = people.n
        return pa.table({
            "person": np.arange(n, dtype=np.int32),
            "origin": pa.array(np.array(ORIGINS)[people.origin[:n]]).dictionary_encode(),
            "profession": pa.array(np.array(PROFESSIONS)[people.profession[:n]]).dictionary_encode(),
            "female": people.female[:n], "ethnic_minority": people.ethnic_minority[:n],
            "entered": people.entered[:n], "born": people.born[:n],
        })

    def pipeline_table(self) -> pa.Table:
        return pa.concat_tables(self._pipeline) if self._pipeline else pa.table({})


def _rows_to_table(rows, names, types) -> pa.Table:
    columns = list(zip(*rows)) if rows else [[] for _ in names]
    return pa.table({n: pa.array(c, t) for n, c, t in zip(names, columns, types)})
