"""Measures of trusts: CQC ratings, special measures (how many, how long, how soon left), recent
appointments by rating (the "inverse leadership law"), rating changes at re-inspection and chief
executives replaced after special measures.

Declared like every other measure (``sim/measures.py`` explains how, and imports this module in
its place in the registry's order).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .measures_groups import EPS, RATING_GROUPS, _by_trust
from .params import RATINGS
from .registry import (HIGHER, LOWER, NEITHER, RATIO, ByGroup, Setting, counts_by_year, group_totals, measure,
                       per_year, ratio, shares)
from .tables import Period, Tables


# -- trusts ----------------------------------------------------------------------------------------
RATING_BETTER = ByGroup({"outstanding": HIGHER, "good": HIGHER}, otherwise=LOWER)


@measure(unit="trusts", better=RATING_BETTER, label="Trusts by CQC rating", groups=RATINGS, reduce=RATIO,
         headline={"inadequate": (13, "Trusts rated inadequate")})
def trusts_by_rating(run: Tables, period: Period) -> pd.DataFrame:
    """Trusts with each CQC rating at 31 Dec."""
    orgs = run.snapshots(run.organisations, period)
    year, rated = orgs.year.to_numpy(), orgs.rating.notna().to_numpy()
    trusts = counts_by_year(pd.Categorical(orgs.rating, categories=RATINGS).codes, len(RATINGS), year, period.years)
    snapshot = np.bincount(year[rated] - period.first, minlength=len(period.years)) > 0   # years with a rated trust
    return group_totals(RATINGS, np.where(snapshot, trusts, np.nan), period.years)


@measure(unit="share of trusts", better=RATING_BETTER, label="Share of trusts by CQC rating", groups=RATINGS,
         reduce=RATIO)
def trust_rating_share(run: Tables, period: Period) -> pd.DataFrame:
    """Share of all trusts with each CQC rating at 31 Dec (the model rates every trust)."""
    orgs = run.snapshots(run.organisations, period)
    return shares(orgs.year, {r: orgs.rating == r for r in RATINGS})


@measure(unit="trusts", better=LOWER, label="Trusts in special measures", groups=("all",), reduce=RATIO)
def trusts_in_special_measures(run: Tables, period: Period) -> pd.DataFrame:
    """Trusts in special measures at 31 Dec (over several years: the mean number)."""
    orgs = run.snapshots(run.organisations, period)
    return per_year(orgs.groupby("year").special_measures.sum(), period.years, fill=None)


@measure(unit="years", better=LOWER, label="Time in special measures", groups=("all",), reduce=RATIO,
         settings={"entered_from": Setting(number=float)})
def special_measures_years(run: Tables, period: Period, entered_from: float | None = None) -> pd.DataFrame:
    """Mean length of the special-measures spells that ended in the year; optionally only spells
    that began at or after ``entered_from`` (a decimal year), as when a regime began mid-period
    and no earlier spell could be counted."""
    exits = run.events_of("special_measures_exit", period)
    if entered_from is not None:
        exits = exits[exits.time - exits.value >= entered_from - EPS]
    return ratio(exits.year, exits.value)


@measure(unit="share of executives", better=NEITHER, label="Executives appointed recently",
         groups=RATING_GROUPS, reduce=RATIO, settings={"within_years": Setting(number=float)})
def recently_appointed(run: Tables, period: Period, within_years: float = 1.0) -> pd.DataFrame:
    """Substantive executives at 31 Dec who had been appointed to their post within the last
    ``within_years`` (default 1: in that calendar year), by the trust's rating then — KF/NHSP 2018's
    "inverse leadership law" measure of churn."""
    p = run.snapshots(run.posts_at_trusts, period)
    held = p[p.state == "substantive"]
    return ratio(held.year, held.appointed > held.year + 1.0 - within_years - EPS, groups=_by_trust(held))


# -- trusts: inspections and special measures -----------------------------------------------------------
@measure(unit="share of re-inspections", better=ByGroup({"improved": HIGHER, "worsened": LOWER}, otherwise=NEITHER),
         label="Re-inspections that changed the rating", groups=("improved", "worsened"), reduce=RATIO)
def rating_change_at_inspection(run: Tables, period: Period) -> pd.DataFrame:
    """Inspections in the year of a trust already rated that improved or worsened its overall rating
    (CQC State of Care: 13 of 37 acute trusts re-inspected to end-2016 improved, 4 worsened)."""
    insp = run.events_of("inspection", period)
    before = insp.cause.map({r: i for i, r in enumerate(RATINGS)}).to_numpy(dtype=float)   # categories mapped, not rows
    after = insp.value.to_numpy(dtype=float)
    return shares(insp.year, {"improved": after < before, "worsened": after > before})


@measure(unit="share of spells", better=HIGHER, label="Special-measures spells ended within a year",
         groups=("all",), reduce=RATIO)
def special_measures_left_within_a_year(run: Tables, period: Period) -> pd.DataFrame:
    """Special-measures spells that began in the year and ended within twelve months (spells whose
    first year is not over by the end of the run are left out) — HSJ 2017: 5 of 27 trusts."""
    entries = run.events_of("special_measures_entry", period)
    entries = entries[entries.time + 1.0 <= run.end]
    exits = run.events_of("special_measures_exit")
    exit_org, exit_time = exits.org.to_numpy(), exits.time.to_numpy()
    left = []
    for org, time in zip(entries.org.tolist(), entries.time.tolist()):   # numpy, not pandas, for each entry
        later = exit_time[(exit_org == org) & (exit_time > time)]
        left.append(bool(len(later)) and float(later.min()) - time <= 1.0 + EPS)
    return ratio(entries.year, np.asarray(left, dtype=float))


@measure(unit="share of entries", better=NEITHER, label="Chief executives replaced after special measures",
         groups=("all",), reduce=RATIO, settings={"within_years": Setting(number=float)})
def ceo_left_after_special_measures(run: Tables, period: Period, within_years: float = 7 / 12) -> pd.DataFrame:
    """Entries into special measures in the year after which the trust's chief executive left their
    post (for any reason) within ``within_years`` (default seven months; HSJ 2014: 5 of the 14
    trusts in special measures replaced their chief executive within seven months)."""
    entries = run.events_of("special_measures_entry", period)
    entries = entries[entries.time + within_years <= run.end]
    gone = run.events_of("departure")
    gone = gone[gone.role == "chief_executive"]
    gone_org, gone_time = gone.org.to_numpy(), gone.time.to_numpy()
    left = [bool(((gone_org == org) & (gone_time >= time) & (gone_time <= time + within_years)).any())
            for org, time in zip(entries.org.tolist(), entries.time.tolist())]   # numpy, not pandas, for each entry
    return ratio(entries.year, np.asarray(left, dtype=float))
