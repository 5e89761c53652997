"""The results store verifies what it reuses, keeps one experiment per folder, and is locked while
written; no verdict without data."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from sim import experiment, store
from sim.experiment import ExperimentError
from sim.scenario import load
from sim.store import StoreError

TINY = """name: {name}
params:
  system: {{trusts_by_type: {{acute: 3, specialist: 0, mental_health: 0, community: 0, ambulance: 0}}}}
  workforce: {{middle_managers: 300, senior_managers: 150}}
  entry: {{graduate_intake_multiplier: 0.02, clinicians_per_year: {{doctor: 2, nurse: 4, allied_health: 1}}}}
{extra}run: {{seed: 3, start_year: 2000, report_from: 2004, end_year: 2010}}
"""


@pytest.fixture
def pair(tmp_path):
    (tmp_path / "a.yaml").write_text(TINY.format(name="a", extra=""))
    (tmp_path / "b.yaml").write_text(TINY.format(name="b", extra="interventions: [{type: new_deal, start: 2002}]\n"))
    return load(tmp_path / "a.yaml"), load(tmp_path / "b.yaml")


def compare(pair, out, reps=3, **kw):
    return experiment.compare(pair[0], [pair[1]], reps=reps, out=out, jobs=1, progress=False, **kw)


def kpis(out: Path) -> pd.DataFrame:
    df = pd.read_parquet(out / "kpis.parquet")
    return df.sort_values(["scenario", "replication", "kpi", "group", "year"]).reset_index(drop=True)


def run_file(out: Path, scenario: str, replication: int) -> Path:
    return next((out / "runs").glob(f"{scenario}.*/r{replication:06d}.parquet"))


def truncate(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def garbage(path):
    path.write_bytes(b"PAR1 this is not a parquet file PAR1")


def scramble_rows(path):
    """Damage the data pages and keep the footer: the metadata check passes, reading the rows fails."""
    data = bytearray(path.read_bytes())
    footer = int.from_bytes(data[-8:-4], "little") + 8
    data[4:-footer] = bytes(len(data) - footer - 4)
    path.write_bytes(bytes(data))


def delete(path):
    path.unlink()


def empty(path):
    path.write_bytes(b"")


@pytest.mark.parametrize("damage", [truncate, garbage, delete, empty, scramble_rows])
def test_a_damaged_run_file_is_moved_aside_and_made_again(pair, tmp_path, damage, caplog):
    reference = compare(pair, tmp_path / "ref")
    out = tmp_path / "damaged"
    compare(pair, out)
    damage(run_file(out, "b", 1))
    again = compare(pair, out)
    assert again.execution.ran == 1 and again.execution.skipped == 5
    assert kpis(out).equals(kpis(reference.out))
    pd.testing.assert_frame_equal(again.table, reference.table)
    moved = list((out / "damaged").rglob("r000001.parquet.*"))
    assert len(moved) == (0 if damage is delete else 1)
    if damage is not delete:
        assert "did not check out and were made again" in caplog.text


def test_swapped_run_files_are_both_detected_and_made_again(pair, tmp_path):
    reference = compare(pair, tmp_path / "ref")
    out = tmp_path / "swapped"
    compare(pair, out)
    one, two = run_file(out, "a", 0), run_file(out, "a", 2)
    saved = one.read_bytes()
    shutil.copyfile(two, one)
    two.write_bytes(saved)
    # and a copy of another scenario's run over one of b's
    shutil.copyfile(run_file(out, "a", 1), run_file(out, "b", 1))
    again = compare(pair, out)
    assert again.execution.ran == 3
    assert kpis(out).equals(kpis(reference.out))
    assert not kpis(out).duplicated(["scenario", "replication", "kpi", "group", "year"]).any()


def test_report_reading_skips_damaged_files(pair, tmp_path, caplog):
    out = tmp_path / "r"
    compare(pair, out)
    garbage(run_file(out, "a", 0))
    scramble_rows(run_file(out, "b", 2))
    manifest, rows = store.read(out)
    assert set(rows[rows.scenario == "a"].replication) == {1, 2}
    assert set(rows[rows.scenario == "b"].replication) == {0, 1}
    assert "2 run file(s) left out" in caplog.text and "rows unreadable" in caplog.text


def test_the_replication_count_printed_is_the_one_used(pair, tmp_path):
    out = tmp_path / "reps"
    compare(pair, out, reps=3)
    fewer = compare(pair, out, reps=2)
    assert fewer.replications == 2 and set(fewer.values.replication) == {0, 1}
    assert fewer.table.n.max() == 2  # (some KPIs of a 3-trust system are undefined in some runs)
    assert set(pd.read_parquet(out / "kpis.parquet").replication) == {0, 1}


def test_one_replication_gives_no_verdict(pair, tmp_path):
    r = compare(pair, tmp_path / "one", reps=1)
    diffs = r.table[r.table.scenario == "b"]
    assert (diffs.verdict == "no data").all()


def test_a_different_experiment_is_refused_unless_fresh(pair, tmp_path):
    out = tmp_path / "shared"
    compare(pair, out)
    with pytest.raises(StoreError, match="holds a different experiment .*seed 3 → 4"):
        compare(pair, out, seed=4)
    with pytest.raises(StoreError, match="different experiment"):
        experiment.compare(pair[1], [pair[0]], reps=3, out=out, jobs=1, progress=False)
    r = compare(pair, out, seed=4, fresh=True)
    assert r.execution.ran == 6 and r.seed == 4


def test_a_folder_of_other_files_is_refused_even_with_fresh(pair, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("precious")
    with pytest.raises(StoreError, match="not empty and holds no leadsim experiment"):
        compare(pair, out, fresh=True)
    assert (out / "thesis.tex").read_text() == "precious"


def test_a_folder_in_use_is_refused(pair, tmp_path):
    out = tmp_path / "busy"
    holder = store.Store(out, list(pair), seed=3, baseline="a")
    try:
        with pytest.raises(StoreError, match=r"in use by another leadsim compare or sweep \(pid \d+\)"):
            compare(pair, out)
    finally:
        holder.close()
    assert compare(pair, out).execution.ran == 6  # released


def test_two_compares_into_one_folder_never_mix(pair, tmp_path):
    """Two processes started together into one folder: one runs, the other is refused (exit 2, one
    line) or — if it starts after the first finished — reuses every run; results equal a lone run."""
    reference = compare(pair, tmp_path / "ref")
    out = tmp_path / "together"
    cmd = [sys.executable, "-m", "sim.cli", "compare", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml"),
           "--reps", "3", "--jobs", "1", "--quiet", "--out", str(out)]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(120), p.communicate()[1]) for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes in ([0, 0], [0, 2]), results
    for code, err in results:
        assert "Traceback" not in err
        if code == 2:
            assert err.startswith("error: ") and "in use by another leadsim" in err
    assert "6 runs made" in "".join(err for _, err in results)
    assert kpis(out).equals(kpis(reference.out))


@pytest.mark.parametrize("period,message", [
    (1800, "reporting window of a"), ((2004, 2030), "2004–2030"), ((2008, 2005), "FROM ≤ TO")])
def test_a_period_outside_the_reporting_window_is_an_error(pair, tmp_path, period, message):
    with pytest.raises(ExperimentError, match=message):
        compare(pair, tmp_path / "p", period=period)
    assert not (tmp_path / "p").exists()  # refused before anything is written


def test_bad_counts_are_refused_before_any_run(pair, tmp_path):
    for kw, message in [({"reps": 0}, "--reps"), ({"seed": 2**70}, "--seed"), ({"seed": -1}, "--seed"),
                        ({"precision": {("exec_turnover", "all"): 0.1}, "max_reps": 2}, "--max-reps")]:
        with pytest.raises(ExperimentError, match=message):
            compare(pair, tmp_path / "c", **kw)
    assert not (tmp_path / "c").exists()


def test_precision_starting_from_one_replication_grows(pair, tmp_path):
    """One replication has no interval (the old code overflowed computing the next count)."""
    (tmp_path / "c.yaml").write_text(TINY.format(name="c", extra="").replace(
        "params:\n", "params:\n  turnover: {hazard: {leave_nhs: 0.08}}\n"))
    pair = (pair[0], load(tmp_path / "c.yaml"))
    r = compare(pair, tmp_path / "prec", reps=1, precision={("exec_turnover", "all"): 1e-9}, max_reps=4)
    assert r.replications == 4 and "cap of 4" in r.stop_reason


def test_the_precision_loop_reads_each_run_once_and_counts_reused_runs_once(pair, tmp_path, monkeypatch):
    """Rounds at 1, 3 and 4 replications over a folder already holding 2: each run file's rows are
    read once, the 4 stored runs count as reused once, and the values are those of the whole store."""
    (tmp_path / "c.yaml").write_text(TINY.format(name="c", extra="").replace(
        "params:\n", "params:\n  turnover: {hazard: {leave_nhs: 0.08}}\n"))
    pair = (pair[0], load(tmp_path / "c.yaml"))
    out = tmp_path / "prec"
    compare(pair, out, reps=2)
    real, read = store._read, []

    def spy(paths, years, damaged):
        read.extend(paths)
        return real(paths, years, damaged)
    monkeypatch.setattr(store, "_read", spy)
    r = compare(pair, out, reps=1, precision={("exec_vacant_or_interim", "all"): 1e-9}, max_reps=4)
    assert r.replications == 4 and (r.execution.ran, r.execution.skipped) == (4, 4)
    assert len(read) == len(set(read)) == 8
    monkeypatch.undo()
    _, rows = store.read(out)
    keys = ["scenario", "replication", "kpi", "group"]
    expected = experiment.run_values(rows, r.period).sort_values(keys).reset_index(drop=True)
    pd.testing.assert_frame_equal(r.values.sort_values(keys).reset_index(drop=True), expected)


def test_half_written_files_of_a_killed_run_are_removed_on_resume(pair, tmp_path):
    out = tmp_path / "killed"
    compare(pair, out, reps=1)
    folder = run_file(out, "a", 0).parent
    (folder / ".r000001.parquet.x1y2z3.tmp").write_bytes(b"PAR1 half")
    (out / ".kpis.parquet.a1b2c3.tmp").write_bytes(b"PAR1 half")
    compare(pair, out, reps=2)
    assert not list(out.glob("**/.*.tmp"))


def test_run_files_carry_their_identity(pair, tmp_path):
    out = tmp_path / "meta"
    compare(pair, out, reps=1)
    meta = pq.read_schema(run_file(out, "b", 0)).metadata
    key = json.loads((out / "experiment.json").read_text())["scenarios"]["b"]["key"]
    assert meta[b"leadsim.scenario"] == b"b" and meta[b"leadsim.key"] == key.encode()
    assert meta[b"leadsim.replication"] == b"0" and meta[b"leadsim.seed"] == b"3"


@pytest.mark.parametrize("stop_at", [0, 1])
def test_ctrl_c_before_the_baseline_has_a_run_is_clean(pair, tmp_path, monkeypatch, capsys, stop_at):
    """Stopped when no run (0) or only the other scenario's first run (1) is saved: exit 130, the
    table says "no data", and no traceback."""
    from sim import tasks
    from sim.cli import main
    real, calls = tasks.run_one, []

    def interrupted(scenario, replication=0, seed=None):
        calls.append(scenario.name)
        if len(calls) > stop_at:
            raise KeyboardInterrupt
        return real(scenario, replication=replication, seed=seed)
    monkeypatch.setattr(tasks, "run_one", interrupted)
    # the other scenario first, so with stop_at=1 only it has a run
    code = main(["compare", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml"), "--reps", "2", "--jobs", "1",
                 "--quiet", "--out", str(tmp_path / "out")] if stop_at == 0 else
                ["compare", str(tmp_path / "b.yaml"), str(tmp_path / "a.yaml"), "--reps", "2", "--jobs", "1",
                 "--quiet", "--out", str(tmp_path / "out")])
    assert code == 130
    err = capsys.readouterr().err
    assert "run the same command again to resume" in err and "Traceback" not in err
    table = pd.read_csv(tmp_path / "out" / "comparison.csv") if stop_at else None
    if table is not None:
        assert (table.loc[table.scenario != "b", "verdict"].fillna("no data") == "no data").all()
