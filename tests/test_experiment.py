"""Experiments: identical results on every executor, exact zero differences, resume after SIGKILL,
clean Ctrl-C, isolated failures and clear errors for bad sweep files."""

import inspect
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim import experiment, measures, store, tasks
from sim.cli import build_parser
from sim.scenario import ScenarioError, load
from sim.sweep import load_sweep

ROOT = Path(__file__).resolve().parents[1]

SMALL = f"""name: small
description: a small England for quick experiments
base: {ROOT}/scenarios/baseline.yaml
params:
  system: {{trusts_by_type: {{acute: 10, specialist: 1, mental_health: 3, community: 1, ambulance: 1}}}}
  workforce: {{middle_managers: 1200, senior_managers: 600}}
  entry: {{clinicians_per_year: {{doctor: 8, nurse: 20, allied_health: 5}}}}
run: {{start_year: 2008, report_from: 2012, end_year: 2024}}
"""


@pytest.fixture
def scenarios(tmp_path):
    (tmp_path / "small.yaml").write_text(SMALL)
    (tmp_path / "small_nd.yaml").write_text("name: small_nd\ndescription: plus the new deal\nbase: small.yaml\n"
                                            "interventions: [{type: new_deal, start: 2014, source: test}]\n")
    (tmp_path / "twin.yaml").write_text("name: twin\ndescription: the same as small\nbase: small.yaml\n")
    return tmp_path


def sorted_kpis(out: Path) -> pd.DataFrame:
    df = pd.read_parquet(out / "kpis.parquet")
    return df.sort_values(["scenario", "replication", "kpi", "group", "year"]).reset_index(drop=True)


def test_sequential_processes_and_dask_give_identical_results(scenarios, tmp_path):
    base, other = load(scenarios / "small.yaml"), load(scenarios / "small_nd.yaml")
    results = {}
    for name, kw in {"seq": {"jobs": 1}, "proc": {"jobs": 2}, "dask": {"jobs": 2, "scheduler": "local"}}.items():
        r = experiment.compare(base, [other], reps=3, out=tmp_path / name, progress=False, **kw)
        results[name] = (sorted_kpis(r.out), r.table)
    assert results["seq"][0].equals(results["proc"][0])
    assert results["seq"][0].equals(results["dask"][0])
    pd.testing.assert_frame_equal(results["seq"][1], results["dask"][1])


def test_identical_scenarios_differ_by_exactly_zero(scenarios, tmp_path):
    r = experiment.compare(load(scenarios / "small.yaml"), [load(scenarios / "twin.yaml")], reps=3,
                           out=tmp_path / "twins", jobs=1, progress=False)
    twin = r.table[r.table.scenario == "twin"]
    assert len(twin) > 50
    assert (twin["diff"].dropna() == 0).all() and (twin["diff_ci"].dropna() == 0).all()
    assert (twin.verdict[twin.n >= 2] == "no clear difference").all()
    assert (twin.verdict[twin.n < 2] == "no data").all()  # KPIs undefined in this small system: no verdict


def test_python_api_returns_dataframes_with_paired_differences(scenarios, tmp_path):
    r = experiment.compare(load(scenarios / "small.yaml"), [load(scenarios / "small_nd.yaml")], reps=4,
                           out=tmp_path / "api", jobs=1, progress=False)
    assert isinstance(r.table, pd.DataFrame) and isinstance(r.values, pd.DataFrame)
    row = r.table[(r.table.kpi == "intervention_cost") & (r.table.group == "total")
                  & (r.table.scenario == "small_nd")].iloc[0]
    # the new deal costs money in every replication with a challenged trust and never saves any;
    # the verdict follows the interval (a small England can go a replication without a challenged trust)
    costs = r.values[(r.values.kpi == "intervention_cost") & (r.values.group == "total")]
    assert (costs[costs.scenario == "small_nd"].value >= 0).all() and row["diff"] > 0
    assert row.verdict == ("higher" if row["diff"] > row.diff_ci else "no clear difference")
    # the paired difference is the mean of per-replication differences
    v = r.values[(r.values.kpi == "exec_vacant_or_interim") & (r.values.group == "all")]
    wide = v.pivot(index="replication", columns="scenario", values="value")
    row = r.table[(r.table.kpi == "exec_vacant_or_interim") & (r.table.group == "all")
                  & (r.table.scenario == "small_nd")].iloc[0]
    assert row["diff"] == pytest.approx((wide.small_nd - wide.small).mean())
    assert r.replications == 4 and set(v.replication) == {0, 1, 2, 3}


def test_changed_scenario_never_reuses_stale_runs(scenarios, tmp_path):
    out = tmp_path / "stale"
    first = experiment.compare(load(scenarios / "small.yaml"), [], reps=2, out=out, jobs=1, progress=False)
    assert first.execution.ran == 2
    again = experiment.compare(load(scenarios / "small.yaml"), [], reps=2, out=out, jobs=1, progress=False)
    assert again.execution.ran == 0 and again.execution.skipped == 2
    changed = load(scenarios / "small.yaml", overrides={"params": {"turnover": {"hazard": {"removed": 0.05}}}})
    third = experiment.compare(changed, [], reps=2, out=out, jobs=1, progress=False)
    assert third.execution.ran == 2  # a different scenario: recomputed, not reused
    assert (third.values.scenario == "small").all()


def test_precision_adds_replications_until_narrow_enough_or_the_cap(scenarios, tmp_path):
    base, other = load(scenarios / "small.yaml"), load(scenarios / "small_nd.yaml")
    loose = experiment.compare(base, [other], reps=3, out=tmp_path / "p1", jobs=1, progress=False,
                               precision={("exec_turnover", "all"): 10.0})
    assert loose.replications == 3 and "reached" in loose.stop_reason
    tight = experiment.compare(base, [other], reps=3, out=tmp_path / "p2", jobs=1, progress=False,
                               precision={("exec_vacant_or_interim", "all"): 1e-6}, max_reps=6)
    assert tight.replications == 6 and "cap of 6" in tight.stop_reason
    assert set(tight.values.replication) == set(range(6))


def test_screening_stops_runs_a_year_after_the_period_and_keeps_its_yearly_values(scenarios, tmp_path):
    base, other = load(scenarios / "small.yaml"), load(scenarios / "small_nd.yaml")
    kw = dict(reps=2, jobs=1, progress=False, period=(2013, 2017))
    full = experiment.compare(base, [other], out=tmp_path / "full", **kw)
    screen = experiment.compare(base, [other], out=tmp_path / "screen", screen=True, **kw)
    manifest = store.read_manifest(screen.out)
    assert {s["resolved"]["run"]["end_year"] for s in manifest["scenarios"].values()} == {2021}
    assert store.read(screen.out)[1].year.max() == 2020          # the follow-up years are reported too
    keys = ["scenario", "replication", "kpi", "group"]
    window = {m.name for m in measures.REGISTRY.values() if m.reduce == measures.WINDOW}

    def yearly(values):
        return values[~values.kpi.isin(window)].set_index(keys).value
    a, b = yearly(screen.values), yearly(full.values)
    # a group first seen after the period (a flow's first clinician, say) is absent, not 0, in screening
    assert a.index.isin(b.index).all() and (b[~b.index.isin(a.index)] == 0).all()
    pd.testing.assert_series_equal(a.sort_index(), b[a.index].sort_index())
    assert set(screen.values.kpi) == set(full.values.kpi)      # window measures too, over 2012–2020
    assert build_parser().parse_args(["sweep", "s.yaml", "--screen"]).screen


def test_screening_follows_up_as_long_as_any_measure_looks_ahead():
    for m in measures.REGISTRY.values():
        ahead = inspect.signature(m.function).parameters.get("within_years")
        assert ahead is None or ahead.default <= experiment.FOLLOW_UP, m.name


def test_a_failing_run_is_reported_and_the_others_finish(scenarios, tmp_path, monkeypatch):
    real = tasks.run_one

    def flaky(scenario, replication=0, seed=None):
        if replication == 1:
            raise RuntimeError("boom")
        return real(scenario, replication=replication, seed=seed)
    monkeypatch.setattr(tasks, "run_one", flaky)
    r = experiment.compare(load(scenarios / "small.yaml"), [], reps=3, out=tmp_path / "f", jobs=1, progress=False)
    assert [f["replication"] for f in r.execution.failures] == [1]
    assert "boom" in r.execution.failures[0]["error"] and r.execution.failures[0]["seed"] == 1
    assert (tmp_path / "f" / "failures.json").exists()
    assert set(r.values.replication) == {0, 2}


def test_ctrl_c_keeps_finished_runs_and_the_same_call_resumes(scenarios, tmp_path, monkeypatch):
    real = tasks.run_one

    def interrupted(scenario, replication=0, seed=None):
        if replication == 2:
            raise KeyboardInterrupt
        return real(scenario, replication=replication, seed=seed)
    monkeypatch.setattr(tasks, "run_one", interrupted)
    out = tmp_path / "c"
    r = experiment.compare(load(scenarios / "small.yaml"), [], reps=4, out=out, jobs=1, progress=False)
    assert r.execution.interrupted and r.execution.ran == 2
    monkeypatch.setattr(tasks, "run_one", real)
    r = experiment.compare(load(scenarios / "small.yaml"), [], reps=4, out=out, jobs=1, progress=False)
    assert r.execution.ran == 2 and r.execution.skipped == 2 and not r.execution.interrupted


def _default_sigint():
    # A shell starts background jobs (`cmd &`, CI runners, nohup) with SIGINT ignored and children
    # inherit that, so a test of Ctrl-C must give leadsim the disposition a terminal user's has.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _leadsim(*args, **kw):
    return subprocess.Popen([sys.executable, "-m", "sim.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True,
                            preexec_fn=_default_sigint, **kw)


def _wait_for_runs(out: Path, count: int, proc, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if len(list(out.glob("runs/*/r*.parquet"))) >= count:
            return
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    raise AssertionError("runs did not appear in time")


SWEEP = """name: tiny
description: removal multiplier of the new deal
scenario: small_nd.yaml
baseline: small.yaml
design: grid
replications: 3
seed: 5
factors:
  interventions.new_deal.removal_multiplier: {levels: [0.3, 0.9]}
"""


def test_sweep_killed_with_sigkill_resumes_to_identical_results(scenarios, tmp_path):
    (scenarios / "tiny.yaml").write_text(SWEEP)
    reference = tmp_path / "reference"
    done = _leadsim("sweep", str(scenarios / "tiny.yaml"), "--out", str(reference), "--jobs", "1", "--quiet")
    assert done.wait(300) == 0, done.communicate()
    out = tmp_path / "killed"
    proc = _leadsim("sweep", str(scenarios / "tiny.yaml"), "--out", str(out), "--jobs", "2", "--quiet")
    _wait_for_runs(out, 3, proc)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = len(list(out.glob("runs/*/r*.parquet")))
    assert 3 <= partial < 9
    resumed = _leadsim("sweep", str(scenarios / "tiny.yaml"), "--out", str(out), "--jobs", "2", "--quiet")
    _, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    assert f"{9 - partial} runs made, {partial} reused" in err
    assert not list(out.glob("**/.*.tmp"))  # no half-written file survived the kill
    a, b = sorted_kpis(reference), sorted_kpis(out)
    assert a.equals(b)
    assert not b.duplicated(["scenario", "replication", "kpi", "group", "year"]).any()
    sweep_table = pd.read_csv(out / "sweep.csv")
    assert set(sweep_table["interventions.new_deal.removal_multiplier"].dropna()) == {0.3, 0.9}


def test_sigint_stops_cleanly_and_keeps_runs(scenarios, tmp_path):
    out = tmp_path / "int"
    proc = _leadsim("compare", str(scenarios / "small.yaml"), str(scenarios / "small_nd.yaml"), "--reps", "20",
                    "--out", str(out), "--jobs", "2", "--quiet")
    _wait_for_runs(out, 2, proc)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "run the same command again to resume" in err
    assert len(list(out.glob("runs/*/r*.parquet"))) >= 2


@pytest.mark.parametrize("text,path,expected", [
    ("name: s\nscenario: small.yaml\n", "factors", "a value"),
    ("name: s\nscenario: small.yaml\nfactors: {params.x: {levels: [1]}}\ncolour: red\n", "colour", "one of name"),
    ("name: s\nscenario: nope.yaml\nfactors: {params.x: {levels: [1]}}\n", "scenario", "an existing scenario file"),
    ("name: s\nscenario: small.yaml\ndesign: random\nfactors: {params.x: {levels: [1]}}\n", "design", "'grid'"),
    ("name: s\nscenario: small.yaml\nfactors: {params.turnover.hazard.leave_nhs: {range: [2, 1]}}\n",
     "factors.params.turnover.hazard.leave_nhs", "low ≤ high"),
    ("name: s\nscenario: small.yaml\nfactors: {params.turnover.hazzard: {levels: [1]}}\n",
     "factors (params.turnover.hazzard)", "one of"),
    ("name: s\nscenario: small.yaml\nfactors: {params.turnover.hazard.leave_nhs: {levels: [-1]}}\n",
     "factors (params.turnover.hazard.leave_nhs)", "≥ 0"),
    ("name: s\nscenario: small.yaml\nfactors: {interventions.new_deal.removal_multiplier: {levels: [1]}}\n",
     "factors.interventions.new_deal.removal_multiplier", "an intervention of the scenario"),
    ("name: s\nscenario: small.yaml\nfactors: {run.seed: {levels: [1]}}\n", "factors.run.seed", "params.<"),
    ("name: [s\n", "line 2, column 1", "valid YAML"),
    ("name: s\nscenario: small.yaml\nfactors: {params.x: {range: [0, 1], levels: -5}}\n", "factors.params.x",
     "from 2 to 1000"),
    ("name: s\nscenario: small.yaml\ndesign: sobol\nsamples: 100000\nfactors: {params.x: {range: [0, 1]}}\n",
     "samples", "less than or equal to 10000"),
    ("name: s\nscenario: small.yaml\nfactors:\n" + "".join(f"  params.f{i}: {{range: [0, 1], levels: 10}}\n"
                                                               for i in range(5)), "(document)", "10,000 points"),
    ("name: s\nscenario: small.yaml\nfactors: {params.x: {range: [0, .inf]}}\n", "factors.params.x.range",
     "finite"),
    ("name: ../s\nscenario: small.yaml\nfactors: {params.x: {levels: [1]}}\n", "name", "a name of at most 80"),
    ("name: s\nscenario: /etc/passwd\nfactors: {params.x: {levels: [1]}}\n", "scenario", "(.yaml)"),
    ("name: s\nname: t\nscenario: small.yaml\nfactors: {params.x: {levels: [1]}}\n", "line 2, column 1",
     "each key once"),
])
def test_bad_sweep_files_get_clear_errors(scenarios, text, path, expected):
    f = scenarios / "bad_sweep.yaml"
    f.write_text(text)
    with pytest.raises(ScenarioError) as err:
        load_sweep(f)
    assert str(err.value).startswith(f"{f}: {path}") and expected in str(err.value)


def test_sampled_designs_cover_the_ranges(scenarios):
    for design in ("latin_hypercube", "sobol"):
        f = scenarios / f"{design}.yaml"
        f.write_text(f"name: {design}\nscenario: small.yaml\ndesign: {design}\nsamples: 8\nseed: 3\nfactors:\n"
                     "  params.performance.leadership_feedback: {range: [0.0, 0.4]}\n"
                     "  params.recruitment.interim_probability.director: {levels: [0.2, 0.8]}\n")
        sweep = load_sweep(f)
        values = pd.DataFrame.from_dict(sweep.factors, orient="index")
        assert len(sweep.points) == 8
        lf = values["params.performance.leadership_feedback"]
        assert lf.between(0, 0.4).all() and lf.nunique() == 8
        if design == "latin_hypercube":  # one point in each eighth of the range
            assert sorted(np.floor(lf / 0.05).astype(int)) == list(range(8))
        assert set(values["params.recruitment.interim_probability.director"]) == {0.2, 0.8}
        assert sweep.points[0].params.performance.leadership_feedback == lf.iloc[0]


def _children(pid: int) -> set[int]:
    """Processes whose parent is ``pid`` (Linux /proc)."""
    out = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out.add(int(entry.name))
            except (OSError, IndexError, ValueError):
                pass
    return out


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_their_parent(scenarios, tmp_path, sig):
    """Kill only the parent (not its group): its worker processes and multiprocessing's resource
    tracker must not live on (each worker holds ~370 MB on the full model)."""
    out = tmp_path / "orphans"
    proc = _leadsim("compare", str(scenarios / "small.yaml"), str(scenarios / "small_nd.yaml"), "--reps", "20",
                    "--out", str(out), "--jobs", "2", "--quiet")
    _wait_for_runs(out, 1, proc)
    children = _children(proc.pid)
    assert len(children) >= 2, children  # two workers (and the resource tracker)
    os.kill(proc.pid, sig)
    _, err = proc.communicate(timeout=60)
    if sig == signal.SIGTERM:  # like Ctrl-C: a clean stop, runs kept
        assert proc.returncode == 130 and "Traceback" not in err and "resume" in err, err
    deadline = time.time() + 15
    while time.time() < deadline and any(_alive(pid) for pid in children):
        time.sleep(0.2)
    assert not [pid for pid in children if _alive(pid)], "orphaned processes"
    resumed = _leadsim("compare", str(scenarios / "small.yaml"), str(scenarios / "small_nd.yaml"), "--reps", "3",
                       "--out", str(out), "--jobs", "1", "--quiet")
    _, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err  # the folder is not left locked


def test_a_sweep_point_whose_intervention_misses_the_run_is_a_loud_warning(scenarios, tmp_path):
    (scenarios / "late.yaml").write_text("name: late\nscenario: small_nd.yaml\nreplications: 1\nfactors:\n"
                                         "  interventions.new_deal.start: {levels: [2014, 2030]}\n")
    sweep = load_sweep(scenarios / "late.yaml")
    assert len(sweep.idle) == 1 and "late-001" in sweep.idle[0] and "from 2030" in sweep.idle[0]
    with pytest.raises(ScenarioError, match="a window that overlaps the run, found from 2030"):
        load(scenarios / "small_nd.yaml", overrides={"interventions": [{"type": "new_deal", "start": 2030}]})
