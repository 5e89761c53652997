"""The fixed cohort of challenged trusts, and the one cohort year every scenario of a comparison shares.

The currently-challenged group (rated inadequate or in special measures at each 31 December) is
about ten trusts that change from year to year, so a difference there is partly a change in who
is challenged. The fixed cohort is the trusts challenged at 31 December of the *cohort year*,
followed as one group whatever happens to their ratings afterwards (the ``challenged_cohort``
groups of ``sim/measures_groups.py``).

A comparison's cohort year is the baseline's ``run.cohort_year`` if it sets one, otherwise the
year before the earliest start of an option's own intervention (one the baseline does not have),
otherwise the year before the reporting window. It is written into every scenario's resolved ``run`` (so it is
recorded in ``experiment.json`` and is part of every run's key).

Each run finds the cohort in its own 31 December snapshot of that year. That is the baseline's
cohort: replication r of every scenario uses the same random streams (common random numbers),
and no option acts before it starts — the snapshot of year Y is taken at the 1 January tick of
Y + 1, before anything else happens at that instant — so up to the earliest start every scenario's
trusts, inspections and ratings are the baseline's. ``mismatches`` checks it on the results: the
cohort's size must be the same in every scenario of a replication.
"""

from __future__ import annotations

import dataclasses
import math

import pandas as pd

from . import measures

GROUP = measures.COHORT
SIZE = ("challenged_cohort_trusts", GROUP)  # the KPI holding the cohort's size


def year(scenarios, baseline: bool = True) -> int:
    """The cohort year for ``scenarios``: the first is the baseline (``baseline``), or the only
    scenario of a run. Interventions the baseline has too are business as usual, the same in every
    scenario: only the options' own interventions count."""
    first = scenarios[0]
    if first.run.cohort_year is not None:
        return first.run.cohort_year
    usual = first.interventions if baseline and len(scenarios) > 1 else ()
    starts = [iv.start for s in scenarios for iv in s.interventions if iv not in usual]
    if starts:  # the 31 December snapshot of year Y is taken at Y + 1, so Y + 1 <= the earliest start
        return math.floor(min(starts) + 1e-9) - 1
    return first.run.report_from - 1


def align(scenarios: list, baseline: bool = True) -> tuple[list, int]:
    """Every scenario with the comparison's cohort year in its run settings, and that year."""
    y = year(scenarios, baseline)
    return [dataclasses.replace(s, run=s.run.model_copy(update={"cohort_year": y})) for s in scenarios], y


def kpi_settings(cohort_year: int) -> dict[str, dict]:
    """Settings for ``sim.metrics.kpis``: the cohort year, for every measure that follows the cohort."""
    return {m.name: {"cohort_year": cohort_year} for m in measures.REGISTRY.values() if "cohort_year" in m.settings}


def mismatches(values: pd.DataFrame) -> list[int]:
    """Replications in which the fixed cohort's size differs between scenarios (should be none)."""
    size = values[(values.kpi == SIZE[0]) & (values.group == SIZE[1])]
    spread = size.groupby("replication").value.agg(lambda v: v.nunique(dropna=False))
    return sorted(int(r) for r in spread.index[spread > 1])
