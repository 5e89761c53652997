"""Measures of placement into challenged trusts and of careers after a challenged posting.

Declared like every other measure (``sim/measures.py`` explains how, and imports this module so
that the registry holds them all). "Challenged" is read at the moment of each event from the
inspections and special-measures events of the log (``Tables.challenged_at``), not from a
year-end snapshot: a trust that improved in June was challenged for an appointment in May.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .registry import HIGHER, NEITHER, RATIO, Setting, measure, ratio
from .tables import Period, Tables, pair_keys

EPS = 1e-9


@measure(unit="share of appointments", better=NEITHER, label="Appointments at challenged trusts made by placement",
         groups=("all",), reduce=RATIO)
def placement_share(run: Tables, period: Period) -> pd.DataFrame:
    """Appointments in the year at trusts challenged at that moment (rated inadequate or in special
    measures) whose appointee a talent board or a central cadre placed (route ``placement``)."""
    app = run.events_of("appointment", period)
    app = app[run.challenged_at(app.org, app.time)]
    return ratio(app.year, app.cause == "placement")


@measure(unit="share of approaches", better=NEITHER, label="Nominees accepting a placement",
         groups="all, each board", reduce=RATIO)
def placement_acceptance(run: Tables, period: Period) -> pd.DataFrame:
    """Approaches to nominees in the year that were accepted, of all approaches made by talent boards
    and central cadres; all boards, and each board (the intervention's name)."""
    ap = run.events_of("approach", period)
    boards = sorted(str(b) for b in ap.cause.unique())
    return ratio(ap.year, ap.value, groups={"all": None, **{b: (ap.cause == b).to_numpy() for b in boards}})


@measure(unit="share of leavers", better=HIGHER, label="Leaders of challenged trusts who step up later",
         groups=("all", "credited", "not_credited"), reduce=RATIO, settings={"within_years": Setting(number=float)})
def challenged_leaders_stepping_up(run: Tables, period: Period, within_years: float = 3.0) -> pd.DataFrame:
    """Executives who left a challenged posting in the year — a post at a trust challenged when they
    started or when they left, or a posting credited to them (career reward) — and within
    ``within_years`` (default 3) of leaving were appointed to a chief-executive post after a
    director post, or to a post at a larger trust at the same level or higher; all such leavers,
    and split by whether the posting was credited. Leavers whose follow-up would end after the
    run are left out."""
    sp = run.spells(run.end)
    stop = sp.stop.to_numpy()
    left = sp[sp.observed.to_numpy() & (stop >= period.start) & (stop < period.end)
              & (stop + within_years <= run.end + EPS)].reset_index(drop=True)
    start, stop = left.start.to_numpy(), left.stop.to_numpy()
    credits = run.events_of("career_credit")
    row, credit = _matches(pair_keys(left.person, left.post), pair_keys(credits.person, credits.post))
    when = credits.time.to_numpy()[credit]
    credited = np.zeros(len(left), dtype=bool)
    credited[row[(when >= start[row] - EPS) & (when <= stop[row] + EPS)]] = True
    org = left.org.to_numpy()
    at_start, at_stop = np.split(run.challenged_at(np.concatenate([org, org]), np.concatenate([start, stop])), 2)
    was_challenged = at_start | at_stop | credited
    stepped = np.zeros(len(left), dtype=bool)
    stepped[_stepped_up(run, left, within_years)] = True
    year = np.floor(stop).astype(int)
    return ratio(year, stepped, groups={"all": was_challenged, "credited": was_challenged & credited,
                                        "not_credited": was_challenged & ~credited})


def _stepped_up(run: Tables, left: pd.DataFrame, within_years: float) -> np.ndarray:
    """Rows of ``left`` whose holder, within ``within_years`` of leaving, became a chief executive
    after a director post or took a post at a larger trust at the same level or higher."""
    app = run.events_of("appointment")
    row, later = _matches(left.person.to_numpy(), app.person.to_numpy())
    stop, when = left.stop.to_numpy()[row], app.time.to_numpy()[later]
    kept = (when >= stop - EPS) & (when <= stop + within_years + EPS)
    row, later = row[kept], later[kept]
    size = (run.organisations.groupby("org")["size"].first() if "size" in run.organisations
            else pd.Series(dtype=float))

    def size_of(org):   # NaN for a trust without a size: never larger
        at = size.index.get_indexer(org)
        return np.where(at >= 0, size.to_numpy()[at], np.nan)
    larger = size_of(app.org.to_numpy()[later]) > size_of(left.org.to_numpy()[row])
    to_ceo = (app.role == "chief_executive").to_numpy()[later]
    was_ceo = (left.role == "chief_executive").to_numpy()[row]
    return row[(to_ceo & ~was_ceo) | (larger & (to_ceo | ~was_ceo))]


def _matches(left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of positions (i, j) with left[i] == right[j] (an inner join on one key, as two arrays)."""
    order = np.argsort(right, kind="stable")
    ordered = right[order]
    first = np.searchsorted(ordered, left, side="left")
    count = np.searchsorted(ordered, left, side="right") - first
    i = np.repeat(np.arange(len(left)), count)
    nth = np.arange(len(i)) - np.repeat(np.cumsum(count) - count, count)   # 0, 1, … within each i
    return i, order[np.repeat(first, count) + nth]
