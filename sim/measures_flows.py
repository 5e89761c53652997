"""Measures of flows of people: entering the management pipeline, becoming senior managers,
first director and chief-executive posts — each by origin route — and leaving the pipeline.

Declared like every other measure (``sim/measures.py`` explains how, and imports this module in
its place in the registry's order).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .measures_groups import _appointments
from .params import GRADES
from .registry import NEITHER, RATIO, counts_by_year, group_totals, measure
from .tables import Period, Tables


def _counts_by(frame: pd.DataFrame, key, period: Period) -> pd.DataFrame:
    """Yearly counts per value of ``key`` (0 in years without any), groups in sorted order."""
    codes, names = pd.factorize(key)  # code −1: no value (e.g. a person missing from the people table)
    names = [str(n) for n in names]
    counts = counts_by_year(codes, len(names), frame.year.to_numpy(), period.years)
    in_order = sorted(range(len(names)), key=names.__getitem__)
    return group_totals([names[i] for i in in_order], counts[in_order], period.years)


def _by_origin(run: Tables, period: Period, rows: pd.DataFrame) -> pd.DataFrame | None:
    """Yearly counts of events by the origin route of their person (None without a people table)."""
    return None if run.people is None else _counts_by(rows, run.origin(rows.person), period)


def _first_posts(run: Tables, period: Period, chief_executive: bool) -> pd.DataFrame:
    """First executive posts: appointments in the period by internal promotion or from outside the NHS."""
    app = _appointments(run, period)
    first = app[app.cause.isin(["internal_promotion", "external"])]
    return first[(first.role == "chief_executive") == chief_executive]


FLOW = dict(unit="people per year", better=NEITHER, groups="each origin route", reduce=RATIO)


@measure(label="Entering the management pipeline", **FLOW)
def flow_entry(run: Tables, period: Period) -> pd.DataFrame:
    """People entering the management pipeline in the year, by origin route."""
    entry = run.events_of("entry", period)
    return _counts_by(entry, entry.cause, period)


@measure(label="Becoming senior managers", **FLOW)
def flow_to_senior(run: Tables, period: Period) -> pd.DataFrame | None:
    """People becoming senior managers in the year (promotion or entry at that grade), by origin."""
    promoted, entered = run.events_of("promotion", period), run.events_of("entry", period)
    # promotions, then entries: counts do not depend on the order of the rows
    return _by_origin(run, period, pd.concat([promoted[promoted.cause == "middle_to_senior"],
                                              entered[entered.value == GRADES.index("senior_manager")]]))


@measure(label="First executive-director posts", **FLOW)
def flow_to_director(run: Tables, period: Period) -> pd.DataFrame | None:
    """First executive-director appointments in the year, by origin."""
    return _by_origin(run, period, _first_posts(run, period, chief_executive=False))


@measure(label="First chief-executive posts", **FLOW)
def flow_to_ceo(run: Tables, period: Period) -> pd.DataFrame | None:
    """First chief-executive appointments in the year, by origin."""
    return _by_origin(run, period, _first_posts(run, period, chief_executive=True))


@measure(unit="people per year", better=NEITHER, label="Leaving the pipeline", groups="each grade",
         reduce=RATIO)
def flow_exit(run: Tables, period: Period) -> pd.DataFrame:
    """People leaving the pipeline for good in the year, by the grade they left from."""
    exits = run.events_of("exit", period).dropna(subset=["value"])
    return _counts_by(exits, pd.Categorical.from_codes(exits.value.to_numpy().astype(int), GRADES), period)
