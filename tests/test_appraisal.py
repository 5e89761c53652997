"""The option appraisal: cost per post-year avoided with Fieller's interval (and "not estimable"
when the effect's interval includes zero), the risks, and the terminal's plain text."""

import io
import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from sim import appraisal, measures, stats, textout
from sim.interventions import REGISTRY, Intervention


def test_fieller_interval_of_a_fixed_cost_over_an_uncertain_effect_by_hand():
    # cost £1m in every replication; post-years avoided 8, 10, 12, 10: mean 10, standard error
    # sqrt(8/3)/2 = 0.8165, t(3) = 3.1824, so the effect's interval is 10 ± 2.5985 and the
    # ratio's is £1m / 12.5985 to £1m / 7.4015
    r = stats.ratio_of_means(np.full(4, 1e6), np.array([8.0, 10.0, 12.0, 10.0]))
    assert r.estimable and r.estimate == pytest.approx(1e5)
    assert r.low == pytest.approx(79_374.8, abs=0.1) and r.high == pytest.approx(135_107.0, abs=0.1)


def test_fieller_limits_solve_fiellers_equation_with_correlated_pairs():
    rng = np.random.default_rng(3)
    effect = rng.normal(5.0, 1.5, 12)
    cost = 2e5 * effect + rng.normal(1e6, 2e5, 12)  # cost rises with the effect: correlated pairs
    r = stats.ratio_of_means(cost, effect)
    a, b = cost.mean(), effect.mean()
    v = np.cov(cost, effect) / 12
    t = sps.t.ppf(0.975, 11)
    for limit in (r.low, r.high):
        assert abs(a - limit * b) == pytest.approx(t * np.sqrt(v[0, 0] - 2 * limit * v[0, 1] + limit ** 2 * v[1, 1]))
    assert r.low < a / b < r.high


def test_a_ratio_whose_effect_interval_includes_zero_is_not_estimable():
    r = stats.ratio_of_means(np.full(4, 1e6), np.array([1.0, -1.0, 2.0, -1.5]))
    assert not r.estimable and np.isnan(r.estimate) and np.isnan(r.low)
    assert not stats.ratio_of_means(np.array([1.0]), np.array([2.0])).estimable  # one replication


def _comparison():
    """A baseline and two options over 6 replications: 'clear' avoids ≈10 post-years a year for
    £2m; 'unclear' costs £1m and its effect's interval includes zero."""
    rng = np.random.default_rng(0)
    rows = []
    for r in range(6):
        base_py, base_vac = 100 + rng.normal(0, 3), 0.08 + rng.normal(0, 0.002)
        for scenario, cost, avoided, vac in (("base", 0.0, 0.0, 0.0), ("clear", 2e6, 10 + (-1) ** r, -0.005),
                                             ("unclear", 1e6, (-1) ** r * 2.0, (-1) ** r * 0.004)):
            rows += [(scenario, r, "intervention_cost", "total", cost),
                     (scenario, r, "exec_post_years_without_holder", "all", base_py - avoided),
                     (scenario, r, "exec_vacant_or_interim", "all", base_vac + vac),
                     (scenario, r, "exec_vacant_or_interim", "challenged_cohort", 2 * base_vac + vac),
                     (scenario, r, "challenged_cohort_trusts", "challenged_cohort", 10.0),
                     (scenario, r, "exec_posts", "challenged_cohort", 58.0)]
    values = pd.DataFrame(rows, columns=["scenario", "replication", "kpi", "group", "value"])
    table = stats.compare(values, "base")
    table.insert(2, "unit", table.kpi.map(measures.unit))
    new_deal = REGISTRY["new_deal"](start=2020).model_dump()
    resolved = {"base": {"title": "Business as usual", "interventions": []},
                "clear": {"title": "A clear option", "interventions": [new_deal]},
                "unclear": {"title": "An unclear option", "interventions": [new_deal]}}
    return appraisal.appraise(table, values, "base", resolved, "2025–2034", cohort_year=2019), values


def test_the_appraisal_prices_a_clear_effect_and_declines_an_unclear_one():
    a, values = _comparison()
    clear, unclear = a.options
    assert (clear.title, unclear.title) == ("A clear option", "An unclear option")
    assert clear.cost == pytest.approx(2e6) and clear.avoided == pytest.approx(10.0)
    assert clear.per_unit.estimate == pytest.approx(2e5)
    assert clear.per_unit_text.startswith("£200k (") and "not estimable" not in clear.per_unit_text
    assert unclear.per_unit_text == "not estimable: the effect's 95% interval includes zero"
    assert [e.label for e in clear.effects] == [h.label for h in measures.appraised()]
    assert a.baseline_title == "Business as usual" and a.baseline_levels[0].text.startswith("8.")


def test_risks_name_an_unclear_effect_assumed_settings_and_few_challenged_trusts():
    a, _ = _comparison()
    clear, unclear = a.options
    fields = REGISTRY["new_deal"].model_fields  # its own settings: not the window, labels or cost
    effect_settings = [k for k in fields if k not in set(Intervention.model_fields) | {"cost_per_unit"}]
    assumed = sum((fields[k].json_schema_extra or {})["source"].startswith("assumption") for k in effect_settings)
    assert 0 < assumed <= len(effect_settings)
    assert unclear.risks[0].startswith("Effect may be nil: the 95% interval includes zero for executive post")
    assert not any(r.startswith("Effect may be nil") for r in clear.risks)
    assert f"Rests on assumed effect sizes: {assumed} of its {len(effect_settings)} effect settings" in clear.risks[0]
    assert clear.risks[-1] == ("Few challenged trusts: 10 in the fixed cohort of 2019 (≈58 executive posts), so 1 pp "
                               "there is ≈0.6 posts.")
    # a rule added to the list is applied: how a later issue adds sensitivity results
    extra = [*appraisal.RISKS, lambda option, facts: "Sensitive to something." if option.name == "clear" else None]
    assert extra[-1](clear, clear.facts) == "Sensitive to something." and extra[-1](unclear, unclear.facts) is None


def test_the_terminal_prints_the_appraisal_by_title_and_label():
    a, _ = _comparison()
    out = io.StringIO()
    textout.print_appraisal(a, stream=out)
    text = out.getvalue()
    assert "Option appraisal against Business as usual, 2025–2034, 6 replications" in text
    assert "1. A clear option" in text and "2. An unclear option" in text
    assert "cost per post-year avoided  £200k (" in text
    assert all(h.label in text for h in measures.appraised())
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), "snake_case in the appraisal"
