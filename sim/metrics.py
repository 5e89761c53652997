"""KPIs: every measure of ``sim/measures.py`` on one run, as a long table of numbers.

Every KPI row is (kpi, group, year, value); ``year`` is the snapshot year for yearly KPIs and −1
for KPIs computed over the whole reporting window (e.g. Kaplan–Meier medians). Snapshots
describe the state at the end of their year (31 December). ``value`` measures one quantity over
any period the same way, so calibration targets (``sim.targets``) use it too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import measures
from .registry import MEAN_OF_YEARS, POOLED, WINDOW, pooled, yearly
from .tables import Period, Tables

WHOLE_WINDOW = -1  # ``year`` of a KPI computed over the whole reporting window


def kpis(run: Tables, period: Period, settings: dict[str, dict] | None = None) -> pd.DataFrame:
    """Every measure for every year of ``period`` (and the window measures over all of it);
    ``settings`` optionally sets a measure's options by name (the KPIs use the defaults)."""
    rows: list[tuple] = []
    for m in measures.REGISTRY.values():
        obs = m.function(run, period, **(settings or {}).get(m.name, {}))
        if obs is not None:  # None: the run lacks a table the measure needs
            rows += yearly(m, obs, period.years)
    out = pd.DataFrame(rows, columns=["kpi", "group", "year", "value"])
    out["year"] = out["year"].astype("int16")
    return out


def compute(events: pd.DataFrame, posts: pd.DataFrame, orgs: pd.DataFrame, pipeline: pd.DataFrame,
            report_from: int, end_year: int, people: pd.DataFrame | None = None,
            settings: dict[str, dict] | None = None) -> pd.DataFrame:
    """All KPIs for the reporting window [report_from, end_year); flows need ``people``;
    ``settings`` as for ``kpis`` (a run passes its cohort year, ``sim/cohort.py``)."""
    run = Tables(events, posts, orgs, pipeline, people, end=float(end_year))
    return kpis(run, Period(report_from, end_year - 1), settings)


def value(run: Tables, name: str, group: str, period: Period, settings: dict | None = None,
          pool: str = POOLED) -> float:
    """One measure for one group over ``period``: every observation of the period pooled together
    (Σnum / Σden, or the median of every value; window measures as they are), or, with
    ``pool="mean_of_years"``, the mean of its yearly values."""
    m = measures.REGISTRY[name]
    obs = m.function(run, period, **(settings or {}))
    if obs is None:
        return float("nan")
    if pool == MEAN_OF_YEARS and m.reduce != WINDOW:
        values = [v for _, g, _, v in yearly(m, obs, period.years) if g == group]
        return float(np.nanmean(values)) if np.isfinite(values).any() else float("nan")
    return pooled(m, obs, group)


def summary(kpis: pd.DataFrame, years: tuple[int, ...]) -> pd.DataFrame:
    """KPI table for people: one row per KPI and group, the chosen years, and the window value
    (the mean over the reporting window, or the whole-window figure for tenure medians)."""
    keys = pd.MultiIndex.from_tuples(list(dict.fromkeys(zip(kpis.kpi, kpis.group))), names=["kpi", "group"])
    yearly_rows = kpis[kpis.year != WHOLE_WINDOW]
    table = yearly_rows[yearly_rows.year.isin(years)].pivot_table(index=["kpi", "group"], columns="year",
                                                                  values="value", aggfunc="first", dropna=False)
    table = table.reindex(keys)
    table.columns = [str(c) for c in table.columns]
    whole = kpis[kpis.year == WHOLE_WINDOW].set_index(["kpi", "group"]).value
    table["window"] = yearly_rows.groupby(["kpi", "group"]).value.mean().combine_first(whole).reindex(keys)
    table = table.reset_index()
    table.insert(2, "unit", table.kpi.map(measures.unit))
    return table
