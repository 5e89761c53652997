"""Measures of executive posts without a substantive holder: vacant or interim at 31 December, by
the trust's rating, at challenged trusts and at the fixed cohort; post-years without a holder;
the cohort's size; trusts without a substantive chief executive.

Declared like every other measure (``sim/measures.py`` explains how, and imports this module in
its place in the registry's order).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .measures_groups import COHORT, COHORT_YEAR, ROLE, TRUST_GROUPS, _by_trust, _cohort, _in_cohort, _of_role
from .registry import APPRAISE, LOWER, NEITHER, RATIO, WINDOW, group_totals, measure, ratio
from .tables import Period, Tables


def _posts_in_state(run: Tables, period: Period, states: tuple[str, ...], role: str | None,
                    cohort_year: int | None) -> pd.DataFrame:
    """Executive posts in one of ``states`` at 31 Dec, over all posts, in each group of trusts."""
    def posts_by_trust():   # the same for the three vacancy measures
        p = _of_role(run.snapshots(run.posts_at_trusts, period), role)
        return p, _by_trust(p, _cohort(run, period, cohort_year))
    p, groups = run.shared(("posts by trust", period, role, cohort_year), posts_by_trust)
    return ratio(p.year, p.state.isin(states), groups=groups)


VACANCY = dict(unit="share of executive posts", better=LOWER, groups=TRUST_GROUPS, reduce=RATIO,
               settings={"role": ROLE, "cohort_year": COHORT_YEAR})


@measure(label="Executive posts vacant or interim", **VACANCY,
         headline={"all": (1, "Executive posts vacant or interim, all trusts", APPRAISE),
                   COHORT: (2, "Executive posts vacant or interim, trusts challenged when the options start",
                            APPRAISE),
                   "challenged": (3, "Executive posts vacant or interim, trusts challenged at the time")})
def exec_vacant_or_interim(run: Tables, period: Period, role: str | None = None,
                           cohort_year: int | None = None) -> pd.DataFrame:
    """Executive posts without a substantive holder (vacant or interim) at 31 Dec — the KF/NHSP
    2018 definition; by the trust's rating in the same snapshot, at challenged trusts (rated
    inadequate or in special measures) then, and at the fixed cohort (the trusts challenged at
    31 Dec of ``cohort_year``; default the year before the period); optionally one role."""
    return _posts_in_state(run, period, ("vacant", "interim"), role, cohort_year)


@measure(label="Executive posts vacant", **VACANCY,
         headline={"all": (4, "Executive posts vacant with no interim cover, all trusts")})
def exec_vacant(run: Tables, period: Period, role: str | None = None, cohort_year: int | None = None) -> pd.DataFrame:
    """Executive posts with no holder at all — neither substantive nor interim — at 31 Dec; the
    same groups as ``exec_vacant_or_interim``, which is this plus ``exec_interim``."""
    return _posts_in_state(run, period, ("vacant",), role, cohort_year)


@measure(label="Executive posts covered by an interim", **VACANCY,
         headline={"all": (5, "Executive posts covered by an interim, all trusts")})
def exec_interim(run: Tables, period: Period, role: str | None = None, cohort_year: int | None = None) -> pd.DataFrame:
    """Executive posts held by an interim (no substantive holder) at 31 Dec; the same groups as
    ``exec_vacant_or_interim``."""
    return _posts_in_state(run, period, ("interim",), role, cohort_year)


@measure(unit="post-years per year", better=LOWER, label="Executive post-years without a substantive holder",
         groups=("all", COHORT), reduce=RATIO, settings={"cohort_year": COHORT_YEAR},
         headline={"all": (6, "Executive post-years without a substantive holder, a year", APPRAISE),
                   COHORT: (7, "Executive post-years without a substantive holder, a year, trusts challenged "
                               "when the options start")})
def exec_post_years_without_holder(run: Tables, period: Period, cohort_year: int | None = None) -> pd.DataFrame:
    """Time executive posts spent without a substantive holder (vacant or interim) during the year,
    in post-years — a post empty all year counts 1, a three-month gap 0.25 — from the appointments
    and departures in the event log (not a 31 Dec count); all trusts and the fixed cohort (as in
    ``exec_vacant_or_interim``). Over several years: the mean a year."""
    gaps = run.without_holder()
    gaps = gaps[(gaps.stop > period.start) & (gaps.start < period.end)]
    edges = period.years.astype(float)
    # each gap's overlap with each year of the period: gaps × years
    overlap = np.clip(np.minimum(gaps.stop.to_numpy()[:, None], edges + 1.0)
                      - np.maximum(gaps.start.to_numpy()[:, None], edges), 0.0, None)
    post_years = {"all": overlap.sum(axis=0)}
    if _cohort(run, period, cohort_year) is not None:
        post_years[COHORT] = overlap[_in_cohort(run, period, gaps.org, cohort_year)].sum(axis=0)
    return group_totals(list(post_years), np.array(list(post_years.values())), period.years)


@measure(unit="trusts", better=NEITHER, label="Trusts in the fixed cohort of challenged trusts",
         groups=(COHORT,), reduce=WINDOW, settings={"cohort_year": COHORT_YEAR})
def challenged_cohort_trusts(run: Tables, period: Period, cohort_year: int | None = None) -> pd.DataFrame:
    """Trusts rated inadequate or in special measures at 31 Dec of ``cohort_year`` (default the year
    before the period): the fixed cohort the ``challenged_cohort`` groups follow. The same in every
    scenario of a comparison (``sim/cohort.py``)."""
    members = _cohort(run, period, cohort_year)
    return pd.DataFrame({"group": [COHORT], "value": [np.nan if members is None else float(len(members))]})


@measure(unit="share of trusts", better=LOWER, label="Trusts without a substantive chief executive",
         groups=("all", "special_measures"), reduce=RATIO,
         headline={"all": (8, "Trusts without a substantive chief executive")})
def trusts_without_substantive_ceo(run: Tables, period: Period) -> pd.DataFrame:
    """Trusts whose chief-executive post is vacant or interim at 31 Dec; all trusts, and trusts in
    special measures at that date."""
    p = run.snapshots(run.posts_at_trusts, period)
    ceo = p[p.role == "chief_executive"]
    return ratio(ceo.year, ceo.state != "substantive", groups={"all": None, "special_measures": ceo.special_measures})
