"""Scenario files: valid ones load; every kind of mistake gets one clear message."""

from pathlib import Path

import pytest

from sim.scenario import ScenarioError, load

ROOT = Path(__file__).resolve().parents[1]


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_baseline_loads_with_defaults():
    s = load(ROOT / "scenarios" / "baseline.yaml")
    assert s.name == "baseline"
    assert s.params.calendar.report_from == 2010
    assert s.params.calendar.report_from - s.params.calendar.start_year >= 10  # warm-up of ≥ 10 years


def test_overrides_apply_and_base_inherits(tmp_path):
    write(tmp_path, "parent.yaml", "name: parent\nparams: {turnover: {hazard: {removed: 0.05}}}\nrun: {seed: 9}\n")
    child = write(tmp_path, "child.yaml",
                  "name: child\nbase: parent.yaml\nparams: {workforce: {women_share: 0.6}}\n")
    s = load(child)
    assert s.name == "child" and s.run.seed == 9
    assert s.params.turnover.hazard["removed"] == 0.05
    assert s.params.turnover.hazard["retire"] == 0.035  # untouched entries keep defaults
    assert s.params.workforce.women_share == 0.6


@pytest.mark.parametrize("text,path,expected,found", [
    ("name: x\nparamz: {}\n", "paramz", "one of name, description, base, params, interventions, run", "paramz"),
    ("name: x\nparams: {turnover: {hazzard: 1}}\n", "params.turnover.hazzard", "one of", "hazzard"),
    ("name: x\nparams: {turnover: {hazard: {retire: lots}}}\n", "params.turnover.hazard.retire", "a number", "lots"),
    ("name: x\nparams: {workforce: {women_share: 1.5}}\n", "params.workforce.women_share", "≤ 1", "1.5"),
    ("name: x\nrun: {seed: -1}\n", "run.seed", "greater than or equal to 0", "-1"),
    ("name: x\nrun: {report_from: 1990}\n", "run", "start_year < report_from < end_year", ""),
    ("description: no name\n", "name", "a value", "nothing"),
    ("name: x\nparams: [1, 2]\n", "params", "valid dictionary", "[1, 2]"),
    ("name: [unclosed\n", "line 2", "valid YAML", "expected"),
    ("- just a list\n", "(document)", "a mapping", "just a list"),
])
def test_mistakes_name_file_path_expected_and_found(tmp_path, text, path, expected, found):
    f = write(tmp_path, "bad.yaml", text)
    with pytest.raises(ScenarioError) as err:
        load(f)
    msg = str(err.value)
    assert msg.startswith(f"{f}: {path}")
    assert expected in msg and found in msg


def test_circular_base_chain_is_rejected(tmp_path):
    write(tmp_path, "a.yaml", "name: a\nbase: b.yaml\n")
    write(tmp_path, "b.yaml", "name: b\nbase: a.yaml\n")
    with pytest.raises(ScenarioError, match=r"a.yaml → b.yaml → a.yaml"):
        load(tmp_path / "a.yaml")


def test_missing_file(tmp_path):
    with pytest.raises(ScenarioError, match="readable scenario file"):
        load(tmp_path / "nope.yaml")
