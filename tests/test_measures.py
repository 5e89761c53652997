"""The registry of measures: every measure fully declared, declarations checked, consumers read it,
and "challenged" means one thing everywhere."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim import measures, registry, stats, textout
from sim.definitions import INADEQUATE_INDEX, challenged
from sim.params.vocabulary import RATINGS
from sim.tables import Period, Tables

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", list(measures.REGISTRY))
def test_every_measure_has_unit_direction_label_and_definition(name):
    m = measures.REGISTRY[name]
    assert m.unit.strip() and m.label.strip() and len(m.definition) > 20
    groups = m.fixed_groups or ("any group",)
    assert all(m.direction(g) in (measures.LOWER, measures.HIGHER, measures.NEITHER) for g in groups)
    assert m.problems() == []


def test_a_declaration_missing_anything_is_refused():
    def nameless(run, period):
        return None

    with pytest.raises(TypeError, match="better"):  # no default: a direction must be said, even NEITHER
        registry.measure(unit="trusts", label="x", groups=("all",), reduce=registry.RATIO)(nameless)

    def undocumented(run, period):
        return None

    with pytest.raises(ValueError, match="a definition"):
        registry.measure(unit="trusts", better=None, label="x", groups=("all",), reduce=registry.RATIO)(undocumented)

    def no_unit(run, period):
        """Something."""

    with pytest.raises(ValueError, match="a unit"):
        registry.measure(unit=" ", better="up", label="x", groups=("all",), reduce=registry.RATIO)(no_unit)

    def undeclared_setting(run, period, role=None):
        """Something with a role."""

    with pytest.raises(ValueError, match="settings declared"):
        registry.measure(unit="trusts", better=None, label="x", groups=("all",), reduce=registry.RATIO)(
            undeclared_setting)
    with pytest.raises(ValueError, match="a name no other measure has"):
        registry.measure(unit="trusts", better=None, label="x", groups=("all",), reduce=registry.RATIO)(
            measures.exec_posts)
    assert "nameless" not in measures.REGISTRY and "no_unit" not in measures.REGISTRY


def test_directions_by_group():
    assert measures.direction("exec_vacant_or_interim", "challenged") == "lower"
    assert measures.direction("trusts_by_rating", "good") == "higher"
    assert measures.direction("trusts_by_rating", "requires_improvement") == "lower"
    assert measures.direction("ethnic_minority_share", "chief_executive") == "higher"
    assert measures.direction("ethnic_minority_share", "middle_manager") is None
    assert measures.direction("intervention_cost", "total") is None
    assert measures.direction("no_such_measure", "all") is None  # e.g. a KPI stored by older code


def test_headlines_are_ranked_once_and_read_by_terminal_and_report():
    heads = measures.headlines()
    assert [h.rank for h in heads] == sorted({h.rank for h in heads})
    assert (heads[0].measure, heads[0].group) == ("exec_vacant_or_interim", "all")
    assert all(h.label and h.label[0].isupper() for h in heads)
    # the terminal prints the headlines by default, with their plain-English labels
    table = pd.DataFrame([{"kpi": h.measure, "group": h.group, "scenario": "b", "unit": measures.unit(h.measure),
                           "mean": 1.0, "ci": 0.1, "diff": np.nan, "diff_ci": np.nan, "verdict": ""} for h in heads])
    import io
    out = io.StringIO()
    textout.print_comparison(table, "t", stream=out)
    text = out.getvalue()
    assert all(h.label in text for h in heads)
    assert ("Executive posts vacant or interim, trusts challenged at the time — share of executive posts; lower is "
            "better  [exec_vacant_or_interim:challenged]") in text


def test_verdicts_follow_the_registry():
    values = pd.DataFrame([{"scenario": s, "replication": r, "kpi": k, "group": g, "value": v + (0.1 if s == "b" else 0)}
                           for s in ("a", "b") for r in range(5) for k, g, v in
                           (("exec_vacant_or_interim", "all", 0.1 + r / 1000), ("trusts_by_rating", "good", 50 + r),
                            ("pipeline", "senior_manager", 9000 + r))])
    table = stats.compare(values, "a").set_index(["kpi", "group", "scenario"])
    assert table.loc[("exec_vacant_or_interim", "all", "b"), "verdict"] == "worse"
    assert table.loc[("trusts_by_rating", "good", "b"), "verdict"] == "better"
    assert table.loc[("pipeline", "senior_manager", "b"), "verdict"] == "higher"
    # only the (kpi, group) pairs that occur: no rows crossing every KPI with every group
    assert len(table) == 3 * 2 and not (table.n == 0).any()


def test_readme_kpi_table_lists_every_measure():
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("| kpi | groups | unit | better | definition |"):readme.index("**Adding a measure.**")]
    listed = set(re.findall(r"`([a-z0-9_]+)`", section))
    assert set(measures.REGISTRY) <= listed, set(measures.REGISTRY) - listed


def test_challenged_on_model_values_names_and_series():
    assert INADEQUATE_INDEX == RATINGS.index("inadequate")
    assert challenged(INADEQUATE_INDEX, False) and challenged(0, True) and not challenged(2, False)
    assert challenged("inadequate", False) and challenged("good", True) and not challenged("good", False)
    ratings = pd.Series(["good", "inadequate", "outstanding", None])
    sm = pd.Series([True, False, False, True])
    assert challenged(ratings, sm).tolist() == [True, True, False, True]
    assert challenged(pd.Series([3, 1, 0]), np.array([False, False, True])).tolist() == [True, False, True]
    merged = pd.Series([False, None, True], dtype=object)  # after a left merge: missing flags are not flags
    assert challenged(pd.Series(["good", "good", "good"]), merged).tolist() == [False, False, True]


def test_window_years_changes_the_window_not_the_definition():
    # spells of 3 years (from 2010), 4 years (from 2011) and 1 year (from 2016), all observed
    ev = pd.DataFrame([(2010.0, "appointment", 1, 0, 1, "finance", "external", 0.0),
                       (2011.0, "appointment", 3, 0, 2, "nursing", "external", 0.0),
                       (2013.0, "departure", 1, 0, 1, "finance", "retire", 3.0),
                       (2015.0, "departure", 3, 0, 2, "nursing", "retire", 4.0),
                       (2016.0, "appointment", 2, 0, 1, "finance", "external", 3.0),
                       (2017.0, "departure", 2, 0, 1, "finance", "leave_nhs", 1.0)],
                      columns=["time", "kind", "person", "org", "post", "role", "cause", "value"])
    orgs = pd.DataFrame({"year": range(2010, 2018), "org": 0, "rating": "good", "special_measures": False})
    run = Tables(ev, pd.DataFrame(columns=["year", "post", "org", "role", "state"]), orgs)
    whole = measures.exec_median_tenure(run, Period(2010, 2017)).set_index("group").value
    recent = measures.exec_median_tenure(run, Period(2010, 2017), window_years=3).set_index("group").value
    assert whole["all"] == 3.0 and whole["good"] == 3.0  # S(1) = ⅔, S(3) = ⅓
    assert recent["all"] == 1.0 and np.isnan(recent["inadequate"])  # from 2015: the 1-year spell only


def test_a_ratio_measure_with_many_groups_over_many_years():
    # group codes are small integers: group × years must not overflow them (ten interventions,
    # 25 years is the cost of all_reviews)
    years = np.arange(2010, 2035)
    obs = pd.concat([pd.DataFrame({"year": years, "num": float(g), "den": 1.0, "group": f"g{g}"})
                     for g in range(12)], ignore_index=True)
    m = measures.REGISTRY["intervention_cost"]
    rows = registry.yearly(m, obs, years)
    assert {(g, y): v for _, g, y, v in rows}[("g11", 2034)] == 11.0
