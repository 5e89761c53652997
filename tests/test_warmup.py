"""The baseline is stationary once the warm-up is over, and the check can tell when it is not.

The real baseline follows the calendar (the feeder grades' establishment shrank after 2010 and grew
after 2016; special measures began in July 2013), so the check runs it with every calendar schedule
held at its 2016 value and special measures in force throughout."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.params.overrides import with_overrides
from sim.runner import run_one
from sim.scenario import Scenario, load

ROOT = Path(__file__).resolve().parents[1]

# KPI, group, largest drift allowed across the reporting window (in the KPI's own units)
STEADY = [
    ("exec_vacant_or_interim", "all", 0.015),
    ("trusts_without_substantive_ceo", "all", 0.03),
    ("exec_turnover", "all", 0.03),
    ("exec_median_time_in_post", "all", 0.3),
    ("ready_successors_per_post", "all", 0.2),
    ("pipeline", "senior_manager", 150),
    ("pipeline", "executive_director", 30),
    ("trusts_by_rating", "inadequate", 4),
    ("trusts_in_special_measures", "all", 4),
]


def yearly_means(scenario: Scenario, reps: int = 3) -> pd.DataFrame:
    kpis = pd.concat([run_one(scenario, replication=r).kpis for r in range(reps)])
    kpis = kpis[kpis.year >= 0]
    return kpis.groupby(["kpi", "group", "year"]).value.mean()


def drift(series: pd.Series) -> float:
    """Change across the window implied by a least-squares trend line."""
    years = series.index.to_numpy(dtype=float)
    slope = np.polyfit(years, series.to_numpy(), 1)[0]
    return abs(slope) * (years[-1] - years[0])


def stationary(scenario: Scenario) -> Scenario:
    """The scenario with every parameter that follows the calendar held at its 2016 value, and the
    special-measures regime (which began in July 2013) in force from the start."""
    params = with_overrides(scenario.params.at(2016).model_copy(update={"schedules": {}}),
                            {"performance": {"special_measures_from": float(scenario.params.calendar.start_year)}})
    return Scenario(scenario.name, scenario.description, params, scenario.run, scenario.path, scenario.document)


@pytest.fixture(scope="module")
def baseline_means():
    return yearly_means(stationary(load(ROOT / "scenarios" / "baseline.yaml")))


@pytest.mark.parametrize("kpi,group,tolerance", STEADY)
def test_baseline_kpis_have_no_trend_after_warm_up(baseline_means, kpi, group, tolerance):
    series = baseline_means.loc[(kpi, group)]
    assert drift(series) <= tolerance
    half = len(series) // 2
    assert abs(series.iloc[:half].mean() - series.iloc[half:].mean()) <= tolerance


def test_without_warm_up_the_check_sees_the_start_up_transient():
    # Reporting from the first simulated year, the starting population is still settling: the
    # starting executives' time in post (drawn, not lived) works itself out over the first years,
    # which the same check must catch.
    s = stationary(load(ROOT / "scenarios" / "baseline.yaml"))
    params = with_overrides(s.params, {"calendar": {"start_year": 2009, "report_from": 2010, "end_year": 2020}})
    short = Scenario(s.name, s.description, params, s.run, s.path, s.document)
    series = yearly_means(short, reps=2).loc[("exec_median_time_in_post", "all")]
    assert drift(series) > 0.3
