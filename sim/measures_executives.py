"""Measures of who the executives are and how they leave: chief executives' clinical
backgrounds, executives' ages, retirements, removals after an inspection, and the appointment of
executives removed before.

Declared like every other measure (``sim/measures.py`` explains how, and imports this module in
its place in the registry's order).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .registry import MEDIAN, NEITHER, RATIO, measure, ratio, samples, shares, totals
from .tables import Period, Tables


@measure(unit="share of chief executives", better=NEITHER, label="Chief executives with a clinical background",
         groups=("all", "nurse", "doctor"), reduce=RATIO)
def ceo_clinical_background(run: Tables, period: Period) -> pd.DataFrame | None:
    """Substantive chief executives at 31 Dec who are clinicians (doctors, nurses, allied health
    professionals); and nurses and doctors separately."""
    if run.people is None:
        return None
    p = run.snapshots(run.posts, period)
    ceo = p[(p.role == "chief_executive") & (p.state == "substantive")]
    prof = run.person_column(ceo.holder, "profession")   # strings (NaN for anyone missing)
    clinical = np.isin(prof, ["doctor", "nurse", "allied_health"])  # finance is a non-clinical profession
    return shares(ceo.year, {"all": clinical, "nurse": prof == "nurse", "doctor": prof == "doctor"})


def _holders(run: Tables, period: Period) -> pd.DataFrame | None:
    """Substantive holders at each 31 Dec with their age then."""
    if run.people is None or "born" not in run.people:
        return None
    def with_age():   # the same for the two age measures
        held = run.holders(period)
        return held.assign(age=held.year + 1.0 - run.person_column(held.holder, "born"))
    return run.shared(("holders' ages", period), with_age)


@measure(unit="years", better=NEITHER, label="Median age of executives", groups=("all", "chief_executive"),
         reduce=MEDIAN)
def executive_age(run: Tables, period: Period) -> pd.DataFrame | None:
    """Median age of substantive executives at 31 Dec; all executives and chief executives."""
    held = _holders(run, period)
    if held is None:
        return None
    return samples(held.year, held.age, {"all": None, "chief_executive": held.role == "chief_executive"})


@measure(unit="share of executives", better=NEITHER, label="Executives aged 55 or over",
         groups=("all", "chief_executive"), reduce=RATIO)
def executives_aged_55_plus(run: Tables, period: Period) -> pd.DataFrame | None:
    """Substantive executives aged 55 or over at 31 Dec: the retirements to come."""
    held = _holders(run, period)
    if held is None:
        return None
    return ratio(held.year, held.age >= 55, groups={"all": None, "chief_executive": held.role == "chief_executive"})


@measure(unit="share of departures", better=NEITHER, label="Executive departures that are retirements",
         groups=("all",), reduce=RATIO)
def retirement_share_of_departures(run: Tables, period: Period) -> pd.DataFrame:
    """Departures of substantive executives from their posts in the year that were retirements."""
    dep = run.events_of("departure", period)
    return ratio(dep.year, dep.cause == "retire")


@measure(unit="removals per year", better=NEITHER, label="Executives removed after an inspection",
         groups=("all", "chief_executive"), reduce=RATIO)
def removals_after_inspection(run: Tables, period: Period) -> pd.DataFrame:
    """Executives removed in the year because their trust entered special measures or was newly
    rated inadequate (over several years: the mean a year)."""
    dep = run.events_of("departure", period)
    dep = dep[dep.cause == "removed_after_inspection"]
    wide = pd.DataFrame({"all": dep.groupby("year").size(),
                         "chief_executive": dep[dep.role == "chief_executive"].groupby("year").size()})
    return totals(wide.fillna(0.0), period.years)   # a year with removals, none of a chief executive: 0


@measure(unit="share of appointments", better=NEITHER, label="Appointments of executives removed before",
         groups=("all",), reduce=RATIO)
def recycled_appointments(run: Tables, period: Period) -> pd.DataFrame:
    """Executive appointments in the year of someone removed from an executive post earlier in the
    run (Smith 2015: ineffective leaders moved between organisations)."""
    removed = run.events_of("departure")
    removed = removed[removed.cause.isin(["removed", "removed_after_inspection"])]
    first_removal = removed.groupby("person").time.min()
    app = run.events_of("appointment", period)
    before = first_removal.reindex(app.person).to_numpy() < app.time.to_numpy()  # NaN (never) is False
    return ratio(app.year, before)
