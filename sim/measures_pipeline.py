"""Measures of the pipeline below the board: people in each grade, ready successors per executive
post, women and ethnic-minority staff in each grade, and graduate-scheme entrants retained.

Declared like every other measure (``sim/measures.py`` explains how, and imports this module in
its place in the registry's order).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .measures_groups import EPS
from .params import GRADES
from .registry import (HIGHER, NEITHER, RATIO, ByGroup, Setting, counts_by_year, group_totals, measure, per_year,
                       ratio)
from .tables import Period, Tables


@measure(unit="people", better=NEITHER, label="People in each grade", groups=GRADES, reduce=RATIO)
def pipeline(run: Tables, period: Period) -> pd.DataFrame:
    """People in each grade at 31 Dec."""
    pl = run.snapshots(run.pipeline, period)
    grade = pd.Categorical(pl.grade, categories=GRADES).codes   # −1: not a grade
    people = counts_by_year(grade, len(GRADES), pl.year.to_numpy(), period.years, pl["count"].to_numpy())
    seen = np.bincount(grade[grade >= 0], minlength=len(GRADES)) > 0   # grades with a row in the period
    return group_totals(np.asarray(GRADES)[seen], people[seen], period.years)


@measure(unit="people per executive post", better=HIGHER, label="Ready successors per executive post",
         groups=("all",), reduce=RATIO, headline={"all": (12, "Ready successors per executive post")})
def ready_successors_per_post(run: Tables, period: Period) -> pd.DataFrame:
    """Senior managers and directors judged ready for the next grade at 31 Dec, per executive post."""
    pl = run.snapshots(run.pipeline, period)
    ready = pl[pl.ready & pl.grade.isin(["senior_manager", "executive_director"])]
    posts = run.snapshots(run.posts, period).groupby("year").size()
    return per_year(ready.groupby("year")["count"].sum(), period.years, den=posts)


def _share_of_grade(run: Tables, period: Period, flag: str) -> pd.DataFrame:
    pl = run.snapshots(run.pipeline, period)
    return ratio(pl.year, pl["count"] * pl[flag], pl["count"], groups={g: pl.grade == g for g in GRADES})


@measure(unit="share of grade", better=NEITHER, label="Women", groups=GRADES, reduce=RATIO)
def women_share(run: Tables, period: Period) -> pd.DataFrame:
    """Women in each grade at 31 Dec."""
    return _share_of_grade(run, period, "female")


@measure(unit="share of grade", label="Ethnic-minority staff", groups=GRADES, reduce=RATIO,
         # Messenger 2022 / WRES: boards under-represent ethnic-minority staff
         better=ByGroup({"executive_director": HIGHER, "chief_executive": HIGHER}, otherwise=NEITHER),
         headline={"executive_director": (14, "Ethnic-minority share of directors")})
def ethnic_minority_share(run: Tables, period: Period) -> pd.DataFrame:
    """Ethnic-minority staff in each grade at 31 Dec."""
    return _share_of_grade(run, period, "ethnic_minority")


@measure(unit="share of entrants", better=HIGHER, label="Graduate-scheme entrants retained", groups=("all",),
         reduce=RATIO, settings={"within_years": Setting(number=float)})
def graduate_retention(run: Tables, period: Period, within_years: float = 1.0) -> pd.DataFrame:
    """Graduate-scheme entrants of the year with no exit within ``within_years`` (default 1) of
    entering; an exit at exactly the anniversary counts as leaving, because feeder leavers are
    drawn at each 1 January tick. Entrants whose anniversary tick falls after the end of the run
    are left out (their follow-up is incomplete)."""
    entries = run.events_of("entry", period)
    entries = entries[entries.cause == "graduate_scheme"]
    entries = entries[entries.time + within_years + EPS < run.end]
    exits = run.events_of("exit")
    first_exit = exits[np.isin(exits.person.to_numpy(), entries.person.to_numpy())].groupby("person").time.min()
    gone = first_exit.reindex(entries.person).to_numpy() - entries.time.to_numpy() <= within_years + EPS
    return ratio(entries.year, ~gone)  # NaN (no exit) compares False: retained
