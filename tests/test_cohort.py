"""The fixed cohort of challenged trusts: one cohort year per comparison, and the same trusts in
every scenario of it."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from sim import cohort
from sim.runner import run_one
from sim.scenario import load
from sim.tables import Tables
from test_experiment import SMALL


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cohort")
    (folder / "small.yaml").write_text(SMALL)
    for name, kind, start in (("nd", "new_deal", 2016), ("rtb", "regional_talent_boards", 2014.5),
                              ("gse", "graduate_scheme_expansion", 2015)):
        (folder / f"{name}.yaml").write_text(f"name: {name}\nbase: small.yaml\n"
                                             f"interventions: [{{type: {kind}, start: {start}}}]\n")
    return [load(folder / f"{n}.yaml") for n in ("small", "nd", "rtb", "gse")]


def test_the_cohort_year_is_the_year_before_the_earliest_start(small):
    base, nd, rtb, gse = small
    assert cohort.year([base, nd]) == 2015           # starts 1 Jan 2016: the snapshot of 31 Dec 2015
    assert cohort.year([base, nd, rtb, gse]) == 2013  # starts mid-2014: 31 Dec 2014 would be too late
    assert cohort.year([base]) == base.run.report_from - 1  # nothing starts: the year before reporting
    pinned = base.__class__(**{**base.__dict__, "run": base.run.model_copy(update={"cohort_year": 2012})})
    assert cohort.year([pinned, nd]) == 2012          # the baseline's own choice wins
    with_usual = [dataclasses.replace(s, interventions=(*gse.interventions, *s.interventions)) for s in (base, nd)]
    assert cohort.year(with_usual) == 2015          # the baseline's own interventions are business as usual
    assert cohort.year(with_usual, baseline=False) == 2014  # …unless the first scenario is not a baseline
    aligned, year = cohort.align([base, nd, rtb, gse])
    assert year == 2013 and {s.run.cohort_year for s in aligned} == {2013}
    assert {s.resolved()["run"]["cohort_year"] for s in aligned} == {2013}  # recorded, and part of the run key


def test_the_fixed_cohort_is_the_same_trusts_in_every_scenario_of_a_comparison(small):
    aligned, year = cohort.align(small)
    results = [run_one(s, replication=1) for s in aligned]
    members = [Tables.from_result(r).challenged_cohort(year) for r in results]
    assert len(members[0]) > 0
    for other in members[1:]:
        np.testing.assert_array_equal(other, members[0])
    sizes = {r.kpis[(r.kpis.kpi == "challenged_cohort_trusts")].value.item() for r in results}
    assert sizes == {len(members[0])}


def test_a_cohort_that_differs_between_scenarios_is_found():
    values = pd.DataFrame({"scenario": ["a", "b", "a", "b"], "replication": [0, 0, 1, 1],
                           "kpi": "challenged_cohort_trusts", "group": "challenged_cohort", "value": [3, 3, 4, 5]})
    assert cohort.mismatches(values) == [1]
    assert cohort.mismatches(values.assign(value=[3, 3, 4, 4])) == []
