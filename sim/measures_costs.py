"""Measures of money: what the interventions and the training places cost each year.

Declared like every other measure (``sim/measures.py`` explains how, and imports this module in
its place in the registry's order).
"""

from __future__ import annotations

import pandas as pd

from .registry import NEITHER, RATIO, measure, per_year, totals
from .tables import Period, Tables


@measure(unit="£ per year", better=NEITHER, label="Cost of interventions", groups="each intervention, total",
         reduce=RATIO, headline={"total": (15, "Cost of interventions")})
def intervention_cost(run: Tables, period: Period) -> pd.DataFrame:
    """Cost booked by each intervention for the year (units × cost per unit), in the years it
    booked any; group total = all interventions, every year."""
    cost = run.events_of("cost", period)
    total = per_year(cost.groupby("year").value.sum(), period.years, "total")
    if cost.empty:   # no intervention books a cost (the baseline): the zero total alone, no table by intervention
        return total
    by_cause = cost.groupby(["year", "cause"], observed=True).value.sum().unstack()
    return pd.concat([totals(by_cause, period.years, fill=None), total], ignore_index=True)


@measure(unit="£ per year", better=NEITHER, label="Cost of training places", groups=("all",), reduce=RATIO)
def programme_cost(run: Tables, period: Period) -> pd.DataFrame:
    """Places started on every training programme in the year × cost per place."""
    return per_year(run.events_of("programme_start", period).groupby("year").value.sum(), period.years)
