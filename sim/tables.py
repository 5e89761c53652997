"""A run's tables as pandas DataFrames, with the few derived views several measures share.

Measures (``sim/measures.py``) read a run only through ``Tables``: the event log, the yearly
snapshots of posts, organisations and the pipeline, and the people table. Columns that Arrow
stores dictionary-encoded arrive as pandas categoricals and are left so (converting the event
log to plain strings would double the cost of computing KPIs); measures compare them with
strings and group them with ``observed=True``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from .definitions import challenged
from .survival import spells


@dataclass(frozen=True)
class Period:
    """Calendar years ``first`` to ``last`` inclusive: the snapshots of their 31 Decembers and the
    events from 1 January of ``first`` to 1 January after ``last``."""
    first: int
    last: int

    @property
    def start(self) -> float:
        return float(self.first)

    @property
    def end(self) -> float:
        return float(self.last + 1)

    @property
    def years(self) -> np.ndarray:
        return np.arange(self.first, self.last + 1)


@dataclass(eq=False)
class Tables:
    """One run's tables; ``end`` is when its event log stops (the run's ``end_year``), so measures
    that follow people forward in time know which follow-ups are complete."""
    events: pd.DataFrame
    posts: pd.DataFrame
    organisations: pd.DataFrame
    pipeline: pd.DataFrame | None = None
    people: pd.DataFrame | None = None
    end: float = math.inf
    _cache: dict = field(default_factory=dict, repr=False)  # views shared by several measures

    def __post_init__(self):
        # Snapshot texts (role, state, rating, grade…) as categoricals, like the event log's: measures
        # filter these tables dozens of times, and Arrow-backed strings are copied string by string
        # at every filter (a tenth of the KPIs' time); categories sort as the strings do.
        for name in ("posts", "organisations", "pipeline"):
            frame = getattr(self, name)
            texts = [] if frame is None else [c for c in frame.columns if isinstance(frame[c].dtype, pd.StringDtype)]
            if texts:
                # column by column: astype of a dict rebuilds the whole frame
                setattr(self, name, frame.assign(**{c: frame[c].astype("category") for c in texts}))

    @classmethod
    def from_result(cls, result) -> "Tables":
        """The tables of a ``sim.runner.RunResult`` (pyarrow Tables), converted once."""
        return cls(result.events.to_pandas(), result.posts.to_pandas(), result.organisations.to_pandas(),
                   result.pipeline.to_pandas(), result.people.to_pandas(),
                   end=float(result.scenario.params.calendar.end_year))

    def _cached(self, key, make):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def shared(self, key: tuple, make):
        """What several measures compute alike from this run (e.g. the same rows in the same groups),
        made by ``make()`` once and kept under ``key``."""
        return self._cached(("shared", *key), make)

    def snapshots(self, frame: pd.DataFrame, period: Period) -> pd.DataFrame:
        """Rows of a yearly snapshot table (posts, organisations, pipeline, posts_at_trusts) in
        ``period``."""
        # the cache keeps ``frame`` alive with its view, so no other frame can take over its id
        return self._cached(("snapshots", id(frame), period), lambda: (
            frame, _between(frame, "year", period.first, period.last + 1)))[1]

    def events_in(self, period: Period) -> pd.DataFrame:
        """Events from 1 January of ``period.first`` to 1 January after ``period.last``, with their
        calendar ``year``."""
        return self._cached(("events", period), lambda: _with_year(self.events, period))

    def events_of(self, kind: str, period: Period | None = None) -> pd.DataFrame:
        """Events of one ``kind``, in log order: the whole log, or those in ``period`` (with their
        calendar ``year``, as ``events_in``). Several measures read each kind: it is picked out once."""
        if period is not None:
            return self._cached(("kind", kind, period), lambda: _with_year(self.events_of(kind), period))
        return self._cached(("kind", kind), lambda: self.events.take(self._rows_of_kind.get(kind, np.zeros(0, int))))

    @cached_property
    def _rows_of_kind(self) -> dict[str, np.ndarray]:
        """The rows of each kind, in log order (one stable sort of the kind codes): a kind is taken
        when a measure first reads it, not filtered from the whole log; kinds no measure reads are
        never copied (a seventh of the log)."""
        kind = self.events["kind"]
        codes, names = ((kind.cat.codes.to_numpy(), kind.cat.categories) if isinstance(kind.dtype, pd.CategoricalDtype)
                        else pd.factorize(kind))
        order = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(len(names) + 1))
        return {str(n): order[bounds[i]:bounds[i + 1]] for i, n in enumerate(names)}

    @cached_property
    def posts_at_trusts(self) -> pd.DataFrame:
        """Post snapshots with the trust's rating and special-measures flag in the same snapshot."""
        return self.with_trust(self.posts, ["rating", "special_measures"])

    def with_trust(self, frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
        """``frame`` (rows with a year and an org) with ``columns`` of each row's trust in the snapshot
        of that year: what ``frame.merge(organisations, on=["year", "org"], how="left")`` gives."""
        rows = self._trust_rows(frame["year"].to_numpy(), frame["org"].to_numpy())
        if rows is None or (rows < 0).any():   # a trust twice in a snapshot, or missing: the merge decides
            return frame.merge(self.organisations[["year", "org", *columns]], on=["year", "org"], how="left")
        # each trust once in each snapshot: taking its row is the merge, without joining two frames
        return frame.reset_index(drop=True).assign(**{c: self.organisations[c].array.take(rows) for c in columns})

    def _trust_rows(self, year: np.ndarray, org: np.ndarray) -> np.ndarray | None:
        """The row of the organisations table of each (year, org), −1 where there is none; None if a
        (year, org) has several rows."""
        def make():
            orgs = self.organisations
            keys = pair_keys(orgs["year"].to_numpy(), orgs["org"].to_numpy())
            order = np.argsort(keys, kind="stable")
            return keys[order], order, bool(np.any(np.diff(keys[order]) == 0))
        keys, order, repeated = self._cached("trust_keys", make)
        if repeated:
            return None
        at = _find(keys, pair_keys(year, org))
        rows = np.full(len(at), -1)
        rows[at >= 0] = order[at[at >= 0]]
        return rows

    def challenged_cohort(self, year: int) -> np.ndarray | None:
        """The trusts challenged (rated inadequate or in special measures) at 31 Dec of ``year``: the
        fixed cohort (``sim/cohort.py``). None if the run has no snapshot of that year."""
        def make():
            orgs = self.organisations[self.organisations.year == year]
            if orgs.empty:
                return None
            return np.sort(orgs.org[challenged(orgs.rating, orgs.special_measures)].to_numpy())
        return self._cached(("cohort", year), make)

    def without_holder(self) -> pd.DataFrame:
        """Every spell a post spent without a substantive holder (vacant or interim): org, post, start
        and stop. A spell ends at an appointment (whose value is the spell's length); one still open
        when the log ends runs from the post's last departure to ``end``."""
        def make():
            app, dep = self.events_of("appointment"), self.events_of("departure")
            closed = app[app.value > 0]
            appointed, last_app, _ = _latest(app.post.to_numpy(), app.time.to_numpy())
            departed, last_dep, first = _latest(dep.post.to_numpy(), dep.time.to_numpy())
            at = _find(appointed, departed)
            appointed_last = np.full(len(departed), -np.inf)   # never appointed: every departure is later
            appointed_last[at >= 0] = last_app[at[at >= 0]]
            # a handover departs and appoints at one instant: strictly later departures are still open
            still_open = last_dep > appointed_last
            return pd.DataFrame({
                "org": np.concatenate([closed.org.to_numpy(), dep.org.to_numpy()[first[still_open]]]),
                "post": np.concatenate([closed.post.to_numpy(), departed[still_open]]),
                "start": np.concatenate([(closed.time - closed.value).to_numpy(), last_dep[still_open]]),
                "stop": np.concatenate([closed.time.to_numpy(), np.full(still_open.sum(), self.end)])})
        return self._cached("without_holder", make)

    def spells(self, end: float) -> pd.DataFrame:
        """Substantive spells in posts, from the events before ``end``, right-censored at ``end``."""
        def make():
            # only appointments and departures make spells (each kind in log order, as spells reads them)
            ev = pd.concat([self.events_of("appointment"), self.events_of("departure")])
            return spells(ev if end >= self.end else ev[ev.time < end], end)
        return self._cached(("spells", end), make)

    def person_column(self, persons: pd.Series, column: str) -> np.ndarray | pd.Categorical:
        """Each person's ``column`` from the people table (NaN for anyone missing from it); a
        categorical column (origin, profession) as a Categorical of the persons."""
        # the column relabelled by person, not the whole table copied by set_index for each column
        by_person = self._cached(("person", column), lambda: self.people[column].set_axis(self.people["person"]))
        ids = persons.to_numpy()
        if not (self._people_by_row and (not len(ids) or (ids.min() >= 0 and ids.max() < len(by_person)))):
            return by_person.reindex(ids).to_numpy()
        # person i is row i: taken by position, no lookup
        if isinstance(by_person.dtype, pd.CategoricalDtype):   # the codes: no string object for each person
            return pd.Categorical.from_codes(by_person.cat.codes.to_numpy()[ids], dtype=by_person.dtype)
        return by_person.to_numpy()[ids]

    @cached_property
    def _people_by_row(self) -> bool:
        """Whether person i is row i of the people table (as the recorder writes it)."""
        return bool(np.array_equal(self.people["person"].to_numpy(), np.arange(len(self.people))))

    def challenged_at(self, org, time) -> np.ndarray:
        """Whether trust ``org`` was challenged (rated inadequate or in special measures) at ``time``,
        element by element, after every inspection and special-measures event up to and including
        that moment; before its first inspection in the log a trust counts as not challenged."""
        trust, when, after = self._cached("challenge_changes", self._challenge_changes)
        org, time = np.asarray(org, dtype=np.int64), np.asarray(time, dtype=float)
        # the changes and the queries in one order (trust, then time, a change before a query at the
        # same moment); the changes are in that order already, so the latest change so far is a running max
        is_query = np.repeat([False, True], [len(trust), len(org)])
        order = np.lexsort((is_query, np.concatenate([when, time]), np.concatenate([trust, org])))
        latest = np.maximum.accumulate(np.where(is_query[order], -1, order))[is_query[order]]
        query = order[is_query[order]] - len(trust)
        found = latest >= 0
        found[found] = trust[latest[found]] == org[query[found]]   # a change of the same trust
        out = np.zeros(len(org), dtype=bool)
        out[query[found]] = after[latest[found]]
        return out

    def _challenge_changes(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each inspection and special-measures event as trust, time and whether the trust is challenged
        after it (its latest rating and special-measures flag in log order), sorted by trust and
        time, events at one moment in log order."""
        ev = self.events
        inspection, entry, leaving = ((ev.kind == k).to_numpy()
                                      for k in ("inspection", "special_measures_entry", "special_measures_exit"))
        rows = np.flatnonzero(inspection | entry | leaving)
        trust = ev.org.to_numpy(dtype=np.int64)[rows]
        rating = _forward_filled(np.where(inspection[rows], ev.value.to_numpy(dtype=float)[rows], np.nan), trust)
        sm = _forward_filled(np.where(entry[rows], 1.0, np.where(leaving[rows], 0.0, np.nan)), trust)
        when = ev.time.to_numpy(dtype=float)[rows]
        order = np.lexsort((when, trust))
        return trust[order], when[order], challenged(rating, sm == 1.0)[order]

    def origin(self, persons: pd.Series) -> np.ndarray:
        """Each person's origin route, from the people table."""
        return self.person_column(persons, "origin")

    def holders(self, period: Period) -> pd.DataFrame:
        """Substantive post holders at each 31 Dec of ``period``: post snapshots with the holder's
        sex and ethnicity (``female``, ``ethnic_minority``: 1, 0, or NaN if unknown) and the trust's
        region and census population share (``minority_population``, where recorded)."""
        def make():
            posts = self.snapshots(self.posts, period)
            posts = posts[posts.state == "substantive"]
            trust = [c for c in ("region", "minority_population") if c in self.organisations.columns]
            if trust:
                posts = self.with_trust(posts, trust)
            flags = [c for c in ("female", "ethnic_minority") if self.people is not None and c in self.people]
            return posts.assign(**{c: self.person_column(posts.holder, c).astype(float) for c in flags})
        return self._cached(("holders", period), make)


def _forward_filled(values: np.ndarray, group: np.ndarray) -> np.ndarray:
    """``values`` with each NaN replaced by the latest known value before it in the same group (NaN
    if none), rows in their order, as pandas' ``groupby(group).ffill()``."""
    order = np.argsort(group, kind="stable")
    v = values[order]
    position = np.arange(len(v))
    known = np.maximum.accumulate(np.where(np.isnan(v), -1, position))   # the latest known value's row
    first = np.maximum.accumulate(np.where(_starts(group[order]), position, 0))   # the row its group starts at
    out = np.empty_like(values)
    out[order] = np.where(known >= first, v[np.maximum(known, 0)], np.nan)
    return out


def pair_keys(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """One integer for each pair of integers (year and trust, person and post: ids are below 2^32)."""
    return np.asarray(first).astype(np.int64) * 2 ** 32 + np.asarray(second).astype(np.int64)


def _find(sorted_keys: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """The position of each of ``wanted`` in ``sorted_keys``, −1 where it is not there."""
    at = np.searchsorted(sorted_keys, wanted)
    found = at < len(sorted_keys)
    found[found] = sorted_keys[at[found]] == wanted[found]
    return np.where(found, at, -1)


def _starts(sorted_keys: np.ndarray) -> np.ndarray:
    """Whether each row of sorted keys is the first of its key."""
    return np.diff(sorted_keys, prepend=sorted_keys[:1] - 1) != 0


def _between(frame: pd.DataFrame, column: str, start: float, stop: float) -> pd.DataFrame:
    """Rows with ``start`` ≤ ``column`` < ``stop``, in their order."""
    values = frame[column]
    if values.is_monotonic_increasing:   # a run logs in time order and snapshots year by year: one slice
        lo, hi = np.searchsorted(values.to_numpy(), [start, stop], side="left")
        return frame.iloc[lo:hi]
    return frame[(values >= start) & (values < stop)]


def _with_year(events: pd.DataFrame, period: Period) -> pd.DataFrame:
    """The ``events`` in ``period``, with their calendar ``year``."""
    ev = _between(events, "time", period.start, period.end)
    return ev.assign(year=_year(ev.time))


def _latest(key: np.ndarray, time: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each distinct ``key`` (sorted), its latest ``time``, and the position of its first row."""
    order = np.argsort(key, kind="stable")
    key = key[order]
    first = np.flatnonzero(_starts(key))
    latest = np.maximum.reduceat(time[order], first) if len(key) else np.zeros(0)   # reduceat needs a row
    return key[first], latest, order[first]


def _year(time: pd.Series) -> np.ndarray:
    """The calendar year of each time (in numpy: a Series' astype(int) checks every value for NaN)."""
    return np.floor(time.to_numpy()).astype(int)
