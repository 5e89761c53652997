"""Measures of how long executives stay and how posts change hands: time in post at 31 December,
Kaplan–Meier tenure and survival of spells, executive posts, turnover, time to fill a vacancy and
handovers without a gap.

Declared like every other measure (``sim/measures.py`` explains how, and imports this module in
its place in the registry's order).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .measures_groups import COHORT, COHORT_YEAR, ROLE, _appointments, _cohort, _in_cohort, _of_role
from .params import RATINGS
from .registry import (HIGHER, LOWER, MEDIAN, NEITHER, RATIO, WINDOW, Setting, group_totals, measure, per_year, ratio,
                       samples)
from .survival import kaplan_meier_curve, kaplan_meier_median
from .tables import Period, Tables

WINDOW_YEARS = Setting(number=int, targets_must_set=True)  # a target's Kaplan–Meier window
SURVIVAL_TIMES = np.arange(0.5, 10.01, 0.5)


# -- time in post and tenure ------------------------------------------------------------------------
def _time_in_post(run: Tables, period: Period, role: str | None, by_rating: bool) -> pd.DataFrame:
    p = run.snapshots(run.posts_at_trusts, period)
    held = _of_role(p[p.state == "substantive"], role)
    groups = {"all": None, **({r: held.rating == r for r in RATINGS} if by_rating else {})}
    return samples(held.year, held.year + 1.0 - held.appointed, groups)


@measure(unit="years", better=HIGHER, label="Median time in post, chief executives",
         groups=("all", *RATINGS), reduce=MEDIAN,
         headline={"all": (9, "Median time in post, chief executives")})
def ceo_median_time_in_post(run: Tables, period: Period) -> pd.DataFrame:
    """Median time in post of current substantive chief executives at 31 Dec (a cross-section, as
    surveys report); all trusts and by the trust's rating then."""
    return _time_in_post(run, period, "chief_executive", by_rating=True)


@measure(unit="years", better=HIGHER, label="Median time in post, executives", groups=("all",), reduce=MEDIAN,
         settings={"role": ROLE})
def exec_median_time_in_post(run: Tables, period: Period, role: str | None = None) -> pd.DataFrame:
    """Median time in post of current substantive holders of every executive post (optionally
    one role) at 31 Dec."""
    return _time_in_post(run, period, role, by_rating=False)


def _km_medians(run: Tables, period: Period, window_years: int | None, role: str | None) -> pd.DataFrame:
    end = period.end
    start = end - window_years if window_years else period.start
    sp = run.spells(end)
    sp = _of_role(sp[sp.start >= start], role)
    sp = run.with_trust(sp.assign(year=np.minimum(np.floor(sp.stop.to_numpy()), period.last).astype(int)), ["rating"])
    duration, observed = sp.duration.to_numpy(), sp.observed.to_numpy()
    # compared as categoricals (codes), not as the strings of every spell
    subsets = {"all": np.ones(len(sp), dtype=bool), **{r: (sp.rating == r).to_numpy() for r in RATINGS}}
    return pd.DataFrame({"group": list(subsets),
                         "value": [kaplan_meier_median(duration[s], observed[s]) for s in subsets.values()]})


@measure(unit="years", better=HIGHER, label="Median tenure, chief executives", groups=("all", *RATINGS),
         reduce=WINDOW, settings={"window_years": WINDOW_YEARS})
def ceo_median_tenure(run: Tables, period: Period, window_years: int | None = None) -> pd.DataFrame:
    """Kaplan–Meier median of substantive chief-executive spells that started in the window (the
    period, or the ``window_years`` before its end), right-censored at its end; all spells, and
    by the trust's rating when the spell ended."""
    return _km_medians(run, period, window_years, "chief_executive")


@measure(unit="years", better=HIGHER, label="Median tenure, executives", groups=("all", *RATINGS),
         reduce=WINDOW, settings={"window_years": WINDOW_YEARS, "role": ROLE})
def exec_median_tenure(run: Tables, period: Period, window_years: int | None = None,
                       role: str | None = None) -> pd.DataFrame:
    """The same Kaplan–Meier median over spells in every executive post, chief executive included
    (optionally one role)."""
    return _km_medians(run, period, window_years, role)


@measure(unit="share of spells", better=NEITHER, label="Chief executives still in post",
         groups=tuple(f"{t:g}" for t in SURVIVAL_TIMES), reduce=WINDOW)
def ceo_survival(run: Tables, period: Period) -> pd.DataFrame:
    """Kaplan–Meier share of chief-executive spells starting in the period that last longer than
    the group's number of years, right-censored at the period's end."""
    sp = run.spells(period.end)
    sp = sp[(sp.start >= period.start) & (sp.role == "chief_executive")]
    curve = kaplan_meier_curve(sp.duration, sp.observed, SURVIVAL_TIMES) if len(sp) else []
    return pd.DataFrame({"group": [f"{t:g}" for t in SURVIVAL_TIMES][:len(curve)], "value": curve})


# -- flows of posts -------------------------------------------------------------------------------
@measure(unit="posts", better=NEITHER, label="Executive posts", groups=("all", COHORT), reduce=RATIO,
         settings={"cohort_year": COHORT_YEAR})
def exec_posts(run: Tables, period: Period, cohort_year: int | None = None) -> pd.DataFrame:
    """Executive posts at 31 Dec, in England and at the trusts of the fixed cohort."""
    p = run.snapshots(run.posts, period)
    year = p.year.to_numpy() - period.first
    posts = {"all": np.bincount(year, minlength=len(period.years))}
    if _cohort(run, period, cohort_year) is not None:
        posts[COHORT] = np.bincount(year[_in_cohort(run, period, p.org, cohort_year)], minlength=len(period.years))
    return group_totals(list(posts), np.array(list(posts.values())), period.years)


def _turnover(run: Tables, period: Period, role: str | None, exclude: tuple[str, ...] = ()) -> pd.DataFrame:
    dep = run.events_of("departure", period)
    dep = _of_role(dep[~dep.cause.isin(exclude)], role)
    posts = _of_role(run.snapshots(run.posts, period), role)
    return per_year(dep.groupby("year").size(), period.years, den=posts.groupby("year").size())


@measure(unit="departures per post per year", better=LOWER, label="Executive turnover", groups=("all",),
         reduce=RATIO, headline={"all": (10, "Executive turnover")})
def exec_turnover(run: Tables, period: Period) -> pd.DataFrame:
    """Substantive holders leaving their post during the year (any cause, moves included), per
    executive post at 31 Dec."""
    return _turnover(run, period, None)


@measure(unit="departures per post per year", better=LOWER, label="Executive turnover excluding retirement",
         groups=("all",), reduce=RATIO, settings={"role": ROLE})
def exec_turnover_excluding_retirement(run: Tables, period: Period, role: str | None = None) -> pd.DataFrame:
    """Substantive holders leaving their post during the year for any cause but retirement, per
    executive post at 31 Dec (the Incomes Data Services definition); optionally one role."""
    return _turnover(run, period, role, exclude=("retire",))


@measure(unit="years", better=LOWER, label="Time to fill a vacancy", groups=("all",), reduce=RATIO,
         settings={"role": ROLE}, headline={"all": (11, "Time to fill a vacancy")})
def mean_time_to_fill(run: Tables, period: Period, role: str | None = None) -> pd.DataFrame:
    """Mean time a post had no substantive holder (interim cover counts as vacant), over
    appointments in the year that followed a gap; optionally one role."""
    app = _of_role(_appointments(run, period), role)
    app = app[app.value > 0]
    return ratio(app.year, app.value)


@measure(unit="share of appointments", better=HIGHER, label="Handovers without a gap", groups=("all",),
         reduce=RATIO)
def handover_without_gap(run: Tables, period: Period) -> pd.DataFrame:
    """Appointments in the year whose holder started the moment the predecessor left."""
    app = _appointments(run, period)
    return ratio(app.year, app.value == 0)
