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
                  "name: child\nbase: parent.yaml\nparams: {workforce: {women_share: {nurse: 0.6}}}\n")
    s = load(child)
    assert s.name == "child" and s.run.seed == 9
    assert s.params.turnover.hazard["removed"] == 0.05
    assert s.params.turnover.hazard["leave_nhs"] == 0.05  # untouched entries keep defaults
    assert s.params.workforce.women_share["nurse"] == 0.6
    assert s.params.workforce.women_share["finance"] == 0.62  # untouched entries keep defaults


@pytest.mark.parametrize("text,path,expected,found", [
    ("name: x\nparamz: {}\n", "paramz", "one of name, title, description, base, params, interventions, run", "paramz"),
    ("name: x\nparams: {turnover: {hazzard: 1}}\n", "params.turnover.hazzard", "one of", "hazzard"),
    ("name: x\nparams: {turnover: {hazard: {leave_nhs: lots}}}\n", "params.turnover.hazard.leave_nhs", "a number", "lots"),
    ("name: x\nparams: {workforce: {women_share: {nurse: 1.5}}}\n", "params.workforce.women_share.nurse", "≤ 1", "1.5"),
    ("name: x\nrun: {seed: -1}\n", "run.seed", "greater than or equal to 0", "-1"),
    ("name: x\nrun: {report_from: 1990}\n", "run", "start_year < report_from < end_year", ""),
    ("description: no name\n", "name", "a value", "nothing"),
    ("name: x\nparams: [1, 2]\n", "params", "valid dictionary", "[1, 2]"),
    ("name: [unclosed\n", "line 2", "valid YAML", "expected"),
    ("- just a list\n", "(document)", "a mapping", "found a list"),
    ("name: x\ninterventions: [{type: new_deal, name: d}, {type: mentoring, name: d}]\n", "interventions[1].name",
     "a name no other intervention here uses (interventions[0] is already named 'd')", "'d'"),
    ("name: x\ninterventions: [{type: mentoring}, {type: mentoring}]\n", "interventions[1].name",
     "already named 'mentoring'", "'mentoring'"),
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


@pytest.mark.parametrize("text,path,expected,found", [
    ("name: x\ninterventions: [{type: new_dael}]\n", "interventions[0].type", "one of new_deal", "new_dael"),
    ("name: x\ninterventions: [{type: new_deal, start: 2020, stop: 2019}]\n", "interventions[0].stop",
     "a year after start (2020)", "2019"),
    ("name: x\ninterventions: [{type: new_deal, removal_multiplier: -1}]\n", "interventions[0].removal_multiplier",
     "greater than or equal to 0", "-1"),
    ("name: x\ninterventions: [{type: new_deal, colour: red}]\n", "interventions[0].colour",
     "one of type, name, published, lag_years", "colour"),
    ("name: x\ninterventions: {type: new_deal}\n", "interventions", "valid list", "new_deal"),
    ("name: x\nbase: nowhere.yaml\n", "base", "an existing scenario file", "nowhere.yaml"),
])
def test_intervention_and_base_mistakes(tmp_path, text, path, expected, found):
    f = write(tmp_path, "bad.yaml", text)
    with pytest.raises(ScenarioError) as err:
        load(f)
    msg = str(err.value)
    assert msg.startswith(f"{f}: {path}") and expected in msg and found in msg


def test_error_in_an_inherited_file_names_that_file(tmp_path):
    write(tmp_path, "parent.yaml", "name: p\ninterventions: [{type: mentoring, hazard_multiplier: lots}]\n")
    child = write(tmp_path, "child.yaml", "name: c\nbase: parent.yaml\n")
    with pytest.raises(ScenarioError, match=r"parent.yaml: interventions\[0\].hazard_multiplier"):
        load(child)


def test_several_bases_merge_and_later_interventions_replace_earlier(tmp_path):
    write(tmp_path, "a.yaml", "name: a\ninterventions: [{type: new_deal, start: 2020, removal_multiplier: 0.4},"
                              " {type: mentoring, start: 2021}]\nparams: {workforce: {women_share: {doctor: 0.4}}}\n")
    write(tmp_path, "b.yaml", "name: b\ninterventions: [{type: new_deal, start: 2022}]\n"
                              "params: {workforce: {ethnic_minority_share: 0.3}}\n")
    s = load(write(tmp_path, "c.yaml", "name: c\nbase: [a.yaml, b.yaml]\n"))
    by_type = {iv.type: iv for iv in s.interventions}
    assert set(by_type) == {"new_deal", "mentoring"}
    assert by_type["new_deal"].start == 2022 and by_type["new_deal"].removal_multiplier == 0.5
    assert s.params.workforce.women_share["doctor"] == 0.4 and s.params.workforce.ethnic_minority_share == 0.3


def test_json_schema_accepts_the_library_and_rejects_typos():
    import jsonschema
    import yaml
    from sim.schema import scenario_schema
    schema = scenario_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text())
        assert not list(validator.iter_errors(doc)), path.name
    assert list(validator.iter_errors({"name": "x", "params": {"turnover": {"hazzard": 1}}}))
    assert list(validator.iter_errors({"name": "x", "interventions": [{"type": "new_deal", "colour": 1}]}))


def test_a_diamond_of_bases_reads_each_file_once(tmp_path, monkeypatch):
    """l16a inherits l15a and l15b, each inheriting both files below…: 2**16 paths, 33 files, 33 reads."""
    from sim import scenario
    for level in range(17):
        for side in "ab":
            base = f"base: [l{level - 1}a.yaml, l{level - 1}b.yaml]\n" if level else ""
            write(tmp_path, f"l{level}{side}.yaml", f"name: l{level}{side}\n{base}params: {{workforce: "
                  f"{{women_share: {{nurse: 0.{level % 9 + 1}}}}}}}\n")
    reads = []
    real = scenario.read_yaml
    monkeypatch.setattr(scenario, "read_yaml", lambda path, what: reads.append(path) or real(path, what))
    s = load(tmp_path / "l16a.yaml")
    assert len(reads) == 33 and s.params.workforce.women_share["nurse"] == 0.8


@pytest.mark.parametrize("text,path,expected,found", [
    ("name: x\nbase: /etc/passwd\n", "base", "an existing scenario file (.yaml)", "/etc/passwd"),
    ("name: x\nbase: [baseline.yaml, /etc/hostname]\n", "base[1]", "(.yaml)", "/etc/hostname"),
    ("name: ../../escape\n", "name", "a name of at most 80", "../../escape"),
    ("name: /tmp/abs\n", "name", "a name of at most 80", "/tmp/abs"),
    ("name: x\nparams: {}\nparams: {}\n", "line 3, column 1", "each key once", "params"),
    ("name: !!int abc\n", "(document)", "valid YAML values", "cannot build"),
    ("!!int : x\n", "(document)", "valid YAML values", "cannot build"),   # found by test_input_fuzz
    ("name: x\nparams: " + "[" * 5000 + "]" * 5000 + "\n", "(document)", "valid YAML", "nesting deeper than 40"),
    ("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
     "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
     "(document)", "at most 200,000 values", "more"),
    ("name: &n [*n]\n", "(document)", "nested at most 40 deep", "more"),
    ("name: x\ninterventions: [{type: new_deal, start: 2100}]\n", "interventions[0] (new_deal)",
     "a window that overlaps the run", "from 2100, but the run covers 1998–2035"),
])
def test_hostile_documents_are_one_short_line(tmp_path, text, path, expected, found):
    (tmp_path / "baseline.yaml").write_text((ROOT / "scenarios" / "baseline.yaml").read_text().replace(
        "../calibration/calibrated.yaml", str(ROOT / "calibration" / "calibrated.yaml")))
    f = write(tmp_path, "bad.yaml", text)
    with pytest.raises(ScenarioError) as err:
        load(f)
    msg = str(err.value)
    assert msg.startswith(f"{f}: {path}: expected ") and expected in msg and found in msg, msg
    assert "\n" not in msg and len(msg) < 300 and "root:" not in msg


def test_non_utf8_and_non_files_are_one_line(tmp_path):
    f = tmp_path / "latin1.yaml"
    f.write_bytes(b"name: caf\xe9\n")
    with pytest.raises(ScenarioError, match=r"latin1.yaml: byte 9: expected UTF-8 text, found 'byte 0xe9'"):
        load(f)
    with pytest.raises(ScenarioError, match=r": \(file\): expected a readable scenario file, found a directory"):
        load(tmp_path)


def test_a_title_is_for_people_defaults_to_the_name_and_is_not_inherited(tmp_path):
    parent = load(write(tmp_path, "p.yaml", "name: p\ntitle: The parent option\n"))
    child = load(write(tmp_path, "c.yaml", "name: c\nbase: p.yaml\n"))
    assert parent.title == "The parent option" and child.title == "c"
    assert parent.digest == load(write(tmp_path, "q.yaml", "name: p\n")).digest   # changes no result
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        assert load(path).title != load(path).name, f"{path.name}: give it a title a steering group reads"


def test_a_title_is_recorded_with_the_results_and_reruns_nothing(tmp_path):
    from sim.store import run_key
    a = load(write(tmp_path, "a.yaml", "name: a\ntitle: The first option\n"))
    assert a.resolved()["title"] == "The first option"      # in experiment.json, for the report
    retitled = load(write(tmp_path, "a2.yaml", "name: a\ntitle: Another title\n"))
    assert run_key(retitled, "v") == run_key(a, "v")
