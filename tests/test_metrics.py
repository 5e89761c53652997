"""KPIs and survival estimates on small hand-built tables whose answers are worked out by hand."""

import numpy as np
import pandas as pd
import pytest

from sim import metrics, survival


def test_kaplan_meier_median_by_hand():
    # S(1)=4/5=0.8, S(2)=0.8·3/4=0.6, S(3)=0.6·1/2=0.3 ≤ ½ → median 3
    assert survival.kaplan_meier_median([1, 2, 2, 3, 4], [1, 1, 0, 1, 0]) == 3.0
    # without censoring it is the ordinary lower median
    assert survival.kaplan_meier_median([5, 1, 3, 2], [1, 1, 1, 1]) == 2.0
    # censoring everything past 1 leaves survival above ½: no median
    assert np.isnan(survival.kaplan_meier_median([1, 2, 2, 2], [1, 0, 0, 0]))
    assert np.isnan(survival.kaplan_meier_median([], []))


def _events(rows):
    return pd.DataFrame(rows, columns=["time", "kind", "person", "org", "post", "role", "cause", "value"])


def test_spells_join_departures_and_censor_the_rest():
    ev = _events([
        (2010.0, "appointment", 1, 0, 10, "finance", "", 0.0),
        (2011.0, "appointment", 2, 0, 11, "chief_executive", "", 0.0),
        (2012.5, "departure", 1, 0, 10, "finance", "retire", 2.5),
        (2015.0, "appointment", 1, 0, 10, "finance", "", 0.0),
        (2016.0, "departure", 1, 0, 10, "finance", "leave_nhs", 1.0),
    ])
    sp = survival.spells(ev, end=2020.0).sort_values(["start"]).reset_index(drop=True)
    assert sp.duration.tolist() == [2.5, 9.0, 1.0]
    assert sp.observed.tolist() == [True, False, True]


def _system():
    posts, orgs = [], []
    for org, rating, states in ((0, "inadequate", ["vacant", "interim", "substantive", "substantive", "substantive"]),
                                (1, "outstanding", ["substantive"] * 5)):
        orgs.append((2010, org, "acute", "london", rating, org == 0, 0.0))
        for i, state in enumerate(states):
            role = "chief_executive" if i == 0 else f"r{i}"
            holder = 100 + 10 * org + i if state == "substantive" else -1
            posts.append((2010, 10 * org + i, org, role, holder, state, 2008.0 if holder >= 0 else np.nan))
    posts = pd.DataFrame(posts, columns=["year", "post", "org", "role", "holder", "state", "appointed"])
    orgs = pd.DataFrame(orgs, columns=["year", "org", "type", "region", "rating", "special_measures", "quality"])
    pipeline = pd.DataFrame({"year": [2010] * 4, "grade": ["senior_manager"] * 2 + ["chief_executive"] * 2,
                             "origin": ["external"] * 4, "profession": ["nurse"] * 4,
                             "female": [True, False, True, False], "ethnic_minority": [False, True, False, False],
                             "ready": [True, False, False, False], "count": [6, 4, 1, 1]})
    ev = _events([(2010.2, "departure", 5, 0, 0, "chief_executive", "removed", 1.0),
                  (2010.6, "appointment", 7, 1, 12, "r2", "external", 0.5),
                  (2010.7, "appointment", 8, 1, 13, "r3", "external", 0.0)])
    return metrics.compute(ev, posts, orgs, pipeline, 2010, 2011)


def _kpi(kpis, name, group="all", year=2010):
    return kpis[(kpis.kpi == name) & (kpis.group == group) & (kpis.year == year)].value.item()


def test_cross_sectional_kpis_by_hand():
    k = _system()
    assert _kpi(k, "exec_vacant_or_interim") == pytest.approx(2 / 10)
    assert _kpi(k, "exec_vacant_or_interim", "inadequate") == pytest.approx(2 / 5)
    assert _kpi(k, "exec_vacant_or_interim", "outstanding") == 0.0
    assert np.isnan(_kpi(k, "exec_vacant_or_interim", "good"))
    assert _kpi(k, "trusts_without_substantive_ceo") == pytest.approx(1 / 2)
    assert _kpi(k, "trusts_without_substantive_ceo", "special_measures") == 1.0
    assert _kpi(k, "exec_turnover") == pytest.approx(1 / 10)
    assert _kpi(k, "mean_time_to_fill") == pytest.approx(0.5)
    assert _kpi(k, "handover_without_gap") == pytest.approx(0.5)
    assert _kpi(k, "trusts_in_special_measures") == 1
    assert _kpi(k, "ceo_median_time_in_post") == pytest.approx(3.0)  # appointed 2008.0, snapshot 31 Dec 2010
    assert _kpi(k, "pipeline", "senior_manager") == 10
    assert _kpi(k, "ready_successors_per_post") == pytest.approx(6 / 10)
    assert _kpi(k, "women_share", "senior_manager") == pytest.approx(0.6)
    assert _kpi(k, "ethnic_minority_share", "senior_manager") == pytest.approx(0.4)
    assert _kpi(k, "women_share", "chief_executive") == pytest.approx(0.5)


def test_summary_table_keeps_every_kpi_and_its_unit():
    k = _system()
    table = metrics.summary(k, (2010,))
    assert set(table.kpi) == set(k.kpi)
    assert (table.unit != "").all()
    row = table[(table.kpi == "exec_vacant_or_interim") & (table.group == "all")].iloc[0]
    assert row["2010"] == pytest.approx(0.2) and row["window"] == pytest.approx(0.2)
