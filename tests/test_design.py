"""Design files: options against uncertainties, compared within each world — baseline against
baseline is exactly zero in every world; default uncertainties with their ranges and reasons;
one-line errors."""

import numpy as np
import pandas as pd
import pytest

from sim import ensemble, worlds
from sim.cli import main
from sim.design import load_design
from sim.scenario import ScenarioError
from sim.sweep import load_sweep
from sim.uncertainties import setting_range
from test_experiment import ROOT

TINY = f"""name: tiny
description: a tiny England for uncertainty analyses
base: {ROOT}/scenarios/baseline.yaml
params:
  system: {{trusts_by_type: {{acute: 5, specialist: 0, mental_health: 2, community: 0, ambulance: 1}}}}
  workforce: {{middle_managers: 500, senior_managers: 250}}
  entry: {{clinicians_per_year: {{doctor: 4, nurse: 8, allied_health: 2}}}}
run: {{start_year: 2010, report_from: 2013, end_year: 2018}}
"""

# a lighter reporting burden changes executives' leave hazard in every trust, so even a tiny
# England shows its effect; the new deal would need challenged trusts
DESIGN = """name: tiny_design
baseline: tiny.yaml
options: [tiny_rb.yaml]
uncertainties:
  params.performance.leadership_feedback: {range: [0.0, 0.3], reason: a test range}
  interventions.reduced_burden.executive_leave_multiplier: {range: [0.3, 1.5], reason: another}
sample: {points: 3}
sensitivity: {trajectories: 2, sobol_samples: 2, sobol_factors: 1}
replications: 2
seed: 3
"""


@pytest.fixture
def library(tmp_path):
    (tmp_path / "tiny.yaml").write_text(TINY)
    (tmp_path / "tiny_nd.yaml").write_text("name: tiny_nd\ndescription: plus the new deal\nbase: tiny.yaml\n"
                                           "interventions: [{type: new_deal, start: 2013, source: test}]\n")
    (tmp_path / "tiny_rb.yaml").write_text("name: tiny_rb\ndescription: a lighter burden\nbase: tiny.yaml\n"
                                           "interventions: [{type: reduced_burden, start: 2011, source: test}]\n")
    (tmp_path / "twin_nd.yaml").write_text("name: twin_nd\ndescription: the same as tiny_nd\nbase: tiny_nd.yaml\n")
    (tmp_path / "design.yaml").write_text(DESIGN)
    return tmp_path


def test_parameters_apply_to_every_scenario_and_effect_sizes_to_those_that_have_them(library):
    (library / "nd.yaml").write_text(DESIGN.replace("tiny_rb", "tiny_nd").replace(
        "reduced_burden.executive_leave_multiplier: {range: [0.3, 1.5]", "new_deal.removal_multiplier: {range: [0.3, 1.0]"))
    design = load_design(library / "nd.yaml")
    assert [r.name for r in design.roles] == ["tiny", "tiny_nd"]
    feedback, removal = design.uncertainties
    assert (feedback.reason, feedback.nominal, removal.nominal) == ("a test range", 0.05, 0.5)
    a = design.scenarios_at({feedback.factor: 0.1, removal.factor: 0.4})
    b = design.scenarios_at({feedback.factor: 0.1, removal.factor: 0.9})
    assert a["tiny"][0].params.performance.leadership_feedback == 0.1 == a["tiny_nd"][0].params.performance.leadership_feedback
    assert a["tiny"][1] == {feedback.factor: 0.1}              # the baseline has no new deal
    assert a["tiny_nd"][0].interventions[0].removal_multiplier == 0.4
    assert a["tiny"][0].name == b["tiny"][0].name              # the same world for the baseline: run once
    assert a["tiny_nd"][0].name != b["tiny_nd"][0].name


def test_baseline_against_baseline_is_exactly_zero_in_every_world(library, tmp_path):
    (library / "same.yaml").write_text(
        "name: same\nbaseline: tiny_nd.yaml\noptions: [twin_nd.yaml]\nuncertainties:\n"
        "  params.performance.leadership_feedback: {range: [0.0, 0.3], reason: test}\n"
        "  interventions.new_deal.removal_multiplier: {range: [0.2, 1.0], reason: test}\n"
        "sample: {points: 3}\nreplications: 2\n")
    design = load_design(library / "same.yaml")
    points, _, _ = worlds.sample(design)
    result = worlds.run(design, points, tmp_path / "out", worlds.Runner(jobs=1, progress=False))
    d = result.diffs[result.diffs.against == "tiny_nd"]
    assert len(d) == 3 * 2 * len(design.measures) and d["diff"].notna().any()
    assert (d["diff"].dropna() == 0).all()
    # …while the worlds themselves differ: the uncertain values reached both scenarios
    values = pd.read_parquet(tmp_path / "out" / "kpis.parquet")
    vac = values[(values.kpi == "exec_vacant_or_interim") & (values.group == "all") & values.scenario.str.startswith("tiny_nd")]
    assert vac.groupby("scenario").value.sum().nunique() >= 2   # two worlds may happen to agree on a tiny system


def test_default_uncertainties_cover_assumed_settings_and_calibrated_parameters(library, tmp_path):
    folder = tmp_path / "calibration"                   # the search ranges, without an ensemble
    folder.mkdir()
    (folder / "parameters.yaml").write_text((ROOT / "calibration" / "parameters.yaml").read_text())
    (library / "defaults.yaml").write_text(f"name: d\nbaseline: tiny.yaml\noptions: [tiny_nd.yaml]\n"
                                           f"calibration: {folder}\n")
    design = load_design(library / "defaults.yaml")
    found = {u.factor: u for u in design.uncertainties}
    removal = found["interventions.new_deal.removal_multiplier"]   # ×0.5 assumed: from no effect to twice it
    assert (removal.low, removal.high, removal.nominal) == (0.0, 1.0, 0.5) and "twice" in removal.reason
    assert "interventions.new_deal.chief_executive_only" not in found   # a boolean: a lever
    assert "interventions.new_deal.cost_per_unit" not in found          # costs change no career
    leave = found["params.turnover.hazard.leave_nhs"]
    assert (leave.low, leave.high, leave.log) == (0.02, 0.12, True) and "search range" in leave.reason
    assert any("no calibration ensemble" in n for n in design.notes)


def test_an_ensemble_narrows_the_calibrated_ranges_to_its_span(library, tmp_path):
    folder = tmp_path / "calibration"
    folder.mkdir()
    (folder / "parameters.yaml").write_text((ROOT / "calibration" / "parameters.yaml").read_text())
    kept = pd.DataFrame({"trial": [1, 2, 3], "loss": [1.0, 1.1, 1.2], "worst_distance": [0.5, 0.7, 0.9],
                         "turnover.hazard.leave_nhs": [0.04, 0.05, 0.06]})
    ensemble.write(kept, {"parameters": ["turnover.hazard.leave_nhs"], "rule": "test"}, folder / "ensemble.parquet", {})
    (library / "ens.yaml").write_text(f"name: e\nbaseline: tiny.yaml\noptions: [tiny_nd.yaml]\ninclude: [calibration]\n"
                                      f"calibration: {folder}\nsample: {{points: 2, ensemble_draws: 3}}\n")
    design = load_design(library / "ens.yaml")
    leave = design.uncertainty("params.turnover.hazard.leave_nhs")
    assert (leave.low, leave.high) == (0.04, 0.06) and "ensemble" in leave.reason
    points, text, _ = worlds.sample(design)
    assert len(points) == 6 and "3 draws of the calibration ensemble" in text
    assert {p["params.turnover.hazard.leave_nhs"] for p in points} == {0.04, 0.05, 0.06}


def test_default_ranges_follow_the_stated_rule():
    assert setting_range(0.6, "× appraisal noise SD", "assumption; range 0.5-1.0", (0, 20))[:2] == (0.5, 1.0)
    assert setting_range(1.4, "× attractiveness", "assumption", (0, 20))[:2] == (1.0, 1.8)
    assert setting_range(0.08, "probability", "assumption", (0, 1))[:2] == (0.04, 0.12)
    assert setting_range(0.95, "probability", "assumption", (0, 1))[:2] == (0.475, 1.0)   # clipped to the bound


def test_options_that_set_an_assumption_differently_make_it_a_lever(library):
    (library / "strong.yaml").write_text("name: strong\ndescription: x\nbase: tiny.yaml\n"
                                         "interventions: [{type: new_deal, start: 2013, removal_multiplier: 0.2}]\n")
    (library / "levers.yaml").write_text("name: l\nbaseline: tiny.yaml\noptions: [tiny_nd.yaml, strong.yaml]\n"
                                         "include: [assumptions]\n")
    design = load_design(library / "levers.yaml")
    assert design.uncertainty("interventions.new_deal.removal_multiplier") is None
    assert design.uncertainty("interventions.new_deal.leave_multiplier") is not None
    assert any("removal_multiplier is set differently" in n for n in design.notes)


@pytest.mark.parametrize("body, where, expected", [
    ("uncertainties: {params.turnover.hazzard: {range: [0, 1], reason: x}}", "uncertainties.params.turnover.hazzard",
     "a parameter path"),
    ("uncertainties: {interventions.mentoring.hazard_multiplier: {range: [0, 1], reason: x}}",
     "uncertainties.interventions.mentoring.hazard_multiplier", "an intervention of the baseline or an option"),
    ("uncertainties: {interventions.new_deal.colour: {range: [0, 1], reason: x}}",
     "uncertainties.interventions.new_deal.colour", "a setting of new_deal"),
    ("uncertainties: {params.performance.leadership_feedback: {range: [1, 0], reason: x}}",
     "uncertainties.params.performance.leadership_feedback", "low < high"),
    ("uncertainties: {params.performance.leadership_feedback: {range: [0, 1]}}",
     "uncertainties.params.performance.leadership_feedback.reason", "a value"),
    ("uncertainties: {params.performance.leadership_feedback: {range: [0, 1e9], reason: x}}",
     "tiny", "leadership_feedback"),
    ("include: [calibration]", "calibration", "a calibration folder"),
    ("uncertainties: {params.performance.leadership_feedback: {range: [0, 1], reason: x}}\nsample: {design: random}",
     "sample.design", "'latin_hypercube'"),
])
def test_bad_design_files_are_one_clear_line(library, body, where, expected):
    (library / "bad.yaml").write_text(f"name: bad\nbaseline: tiny.yaml\noptions: [tiny_nd.yaml]\n{body}\n")
    with pytest.raises(ScenarioError) as err:
        load_design(library / "bad.yaml")
    message = str(err.value)
    assert message.startswith(f"{library / 'bad.yaml'}: ") and where in message and expected in message
    assert "\n" not in message


def test_two_options_with_one_name_are_refused(library):
    (library / "dup.yaml").write_text("name: d\nbaseline: tiny.yaml\noptions: [tiny_nd.yaml, tiny_nd.yaml]\n"
                                      "include: [assumptions]\n")
    with pytest.raises(ScenarioError, match="options: expected options named differently"):
        load_design(library / "dup.yaml")


def test_a_sweep_that_varies_a_parameter_for_the_option_only_is_refused(library, capsys):
    (library / "old.yaml").write_text("name: old\nscenario: tiny_nd.yaml\nbaseline: tiny.yaml\nfactors:\n"
                                      "  params.performance.leadership_feedback: {levels: [0.0, 0.2]}\n")
    with pytest.raises(ScenarioError, match="factors.params.performance.leadership_feedback: expected only "
                                            "interventions"):
        load_sweep(library / "old.yaml")
    assert main(["sweep", str(library / "old.yaml")]) == 2
    assert "design file" in capsys.readouterr().err


def test_the_shipped_designs_load():
    for path in [ROOT / "scenarios" / "sweeps" / "new_deal_strength.yaml",
                 *sorted((ROOT / "scenarios" / "designs").glob("*.yaml"))]:
        design = load_design(path)
        assert design.uncertainties and all(u.reason and u.low < u.high for u in design.uncertainties), path
    feedback = load_design(ROOT / "scenarios" / "sweeps" / "new_deal_strength.yaml").uncertainty(
        "params.performance.leadership_feedback")
    assert (feedback.low, feedback.high) == (0.0, 0.3)


def test_sweep_of_a_design_file_compares_within_each_world(library, capsys):
    out = library / "sweep"
    assert main(["sweep", str(library / "design.yaml"), "--out", str(out), "--jobs", "1", "--quiet"]) == 0
    table = pd.read_csv(out / "worlds.csv")
    assert set(table.world) == {0, 1, 2} and {"params.performance.leadership_feedback", "diff", "verdict"} <= set(table)
    mine = table[(table.option == "tiny_rb") & (table.against == "tiny") & (table.kpi == "exec_turnover")]
    assert len(mine) == 3 and np.isfinite(mine["diff"]).all() and mine["diff"].nunique() == 3
    assert "How sure are we?" in capsys.readouterr().out


def test_the_cohort_check_compares_scenarios_within_a_world_only(caplog):
    from sim import cohort, worlds
    index = pd.DataFrame({"world": [0, 0, 1, 1], "role": ["b", "o", "b", "o"], "scenario": ["b0", "o0", "b1", "o1"]})
    kpi, group = cohort.SIZE
    sizes = {"b0": 10, "o0": 10, "b1": 12, "o1": 12}    # worlds differ: their parameters differ
    values = pd.DataFrame([{"scenario": s, "replication": 0, "kpi": kpi, "group": group, "value": v}
                           for s, v in sizes.items()])
    worlds._check_cohorts(values, index)
    assert "differs" not in caplog.text
    values.loc[values.scenario == "o1", "value"] = 13    # an option acting early within world 1
    worlds._check_cohorts(values, index)
    assert "world(s) [1]" in caplog.text
