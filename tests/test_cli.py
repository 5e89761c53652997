"""The leadsim command: run writes every documented file; bad input is one line, no traceback."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import pyarrow.parquet as pq

from sim.cli import main

ROOT = Path(__file__).resolve().parents[1]

SMALL = """name: tiny
description: three trusts for a quick run
params:
  system: {trusts_by_type: {acute: 3, specialist: 0, mental_health: 0, community: 0, ambulance: 0}}
  workforce: {middle_managers: 300, senior_managers: 150}
  entry: {graduate_intake_multiplier: 0.02, clinicians_per_year: {doctor: 2, nurse: 4, allied_health: 1}}
run: {seed: 3, start_year: 2000, report_from: 2005, end_year: 2010}
"""


def test_run_writes_results_and_manifest(tmp_path, capsys):
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(SMALL)
    out = tmp_path / "out"
    assert main(["run", str(scenario), "--seed", "5", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "exec_vacant_or_interim" in printed and "ceo_median_tenure" in printed
    for name in ("events", "posts", "organisations", "pipeline", "kpis"):
        assert pq.read_table(out / f"{name}.parquet").num_rows > 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 5 and manifest["scenario"]["name"] == "tiny"
    assert manifest["scenario"]["params"]["workforce"]["middle_managers"] == 300
    assert manifest["leadsim_version"] and "git_commit" in manifest
    table = pd.read_csv(out / "kpi_summary.csv")
    assert {"kpi", "group", "unit", "window"} <= set(table.columns)
    assert not list(out.glob(".*.tmp"))  # no half-written files left behind


def test_bad_scenario_is_one_clear_line_without_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nparams: {turnover: {hazard: {leave_nhs: fast}}}\n")
    proc = subprocess.run([sys.executable, "-m", "sim.cli", "run", str(bad)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert f"{bad}: params.turnover.hazard.leave_nhs: expected a number, found 'fast'" in proc.stderr


def test_validate_reports_good_and_bad(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nrun: {replications: 0}\n")
    assert main(["validate", str(ROOT / "scenarios" / "baseline.yaml"), str(bad)]) == 2
    captured = capsys.readouterr()
    assert "ok   " in captured.out
    assert captured.err == f"error: {bad}: run.replications: expected greater than or equal to 1, found 0\n"


def leadsim(*args, cwd=None):
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"}  # an unreachable scheduler: fail fast
    return subprocess.run([sys.executable, "-m", "sim.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=300, env=env)


def assert_one_error_line(proc, *fragments):
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.mark.parametrize("args,fragment", [
    (["compare", "A", "B", "--reps", "0"], "argument --reps: expected a whole number from 1 to 100000, found '0'"),
    (["compare", "A", "B", "--jobs", "-3"], "argument --jobs"),
    (["compare", "A", "B", "--seed", "-1"], "argument --seed"),
    (["compare", "A", "B", "--seed", str(2**70)], "2**63 − 1"),
    (["compare", "A", "B", "--max-reps", "x"], "argument --max-reps"),
    (["run", "A", "--replication", "-1"], "argument --replication"),
    (["report", "A", "--year", "1800"], "argument --year"),
    (["calibrate", "--minutes", "nan"], "argument --minutes"),
    (["compare", "A", "B", "--period", "soon"], "--period: expected YEAR or FROM:TO"),
    (["compare", "A", "B", "--period", "1800"], "reporting window of tiny (2005–2009), found 1800–1800"),
    (["compare", "A", "B", "--precision", "exec_turnover=inf"], "must be a number > 0"),
    (["compare", "A", "B", "--scheduler", "http://x"], "--scheduler: expected 'local', tcp://HOST:PORT"),
    (["compare", "A", "B", "--scheduler", "tcp://127.0.0.1:9"], "cannot reach the Dask scheduler"),
])
def test_bad_arguments_are_one_line_before_any_run(tmp_path, args, fragment):
    files = {"A": tmp_path / "tiny.yaml", "B": tmp_path / "twin.yaml"}
    files["A"].write_text(SMALL)
    files["B"].write_text(SMALL.replace("name: tiny", "name: twin"))
    proc = leadsim(*[files.get(a, a) for a in args], cwd=tmp_path)
    assert_one_error_line(proc, fragment)
    assert not (tmp_path / "results").exists()


def test_screen_is_refused_for_a_design_file(tmp_path):
    proc = leadsim("sweep", str(ROOT / "scenarios" / "sweeps" / "new_deal_strength.yaml"), "--screen", cwd=tmp_path)
    assert_one_error_line(proc, "--screen: expected a compare or a sweep file")
    assert not (tmp_path / "results").exists()


def test_unwritable_out_is_one_line(tmp_path):
    scenario, twin = tmp_path / "tiny.yaml", tmp_path / "twin.yaml"
    scenario.write_text(SMALL)
    twin.write_text(SMALL.replace("name: tiny", "name: twin"))
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert_one_error_line(leadsim("compare", scenario, twin, "--out", blocker, "--reps", "1"),
                          f"cannot write {blocker}: not a directory")
    assert_one_error_line(leadsim("compare", scenario, twin, "--out", blocker / "sub", "--reps", "1"),
                          f"cannot write {blocker / 'sub'}")
    assert_one_error_line(leadsim("run", scenario, "--out", blocker / "sub"), "cannot write")


def test_hostile_files_are_one_line(tmp_path, capsys):
    cases = {"latin1.yaml": b"name: \xff\n", "tag.yaml": b"name: !!int abc\n",
             "deep.yaml": b"name: x\nparams: " + b"[" * 5000 + b"]" * 5000 + b"\n",
             "dup.yaml": b"name: x\nname: y\n", "passwd.yaml": b"name: x\nbase: /etc/passwd\n",
             "escape.yaml": b"name: ../../outside\n"}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        code = main(["validate", str(tmp_path / name)])
        proc = subprocess.CompletedProcess([], code, "", capsys.readouterr().err)
        assert_one_error_line(proc, str(tmp_path / name))
        assert len(proc.stderr) < 400 and "root:" not in proc.stderr
    assert_one_error_line(leadsim("validate", "/dev/zero"), "found a device")  # and once as a real command


def test_report_year_outside_the_window_is_one_line(tmp_path):
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(SMALL)
    out = tmp_path / "out"
    assert_one_error_line(leadsim("compare", scenario, scenario, "--out", out), "names must differ")
    (tmp_path / "twin.yaml").write_text(SMALL.replace("name: tiny", "name: twin"))
    done = leadsim("compare", scenario, tmp_path / "twin.yaml", "--reps", "2", "--out", out, "--jobs", "1", "--quiet")
    assert done.returncode == 0, done.stderr
    assert_one_error_line(leadsim("report", out, "--year", "1990"), "reporting window of tiny (2005–2009)")


def test_a_full_disk_is_one_line(tmp_path, capsys, monkeypatch):
    import errno
    from sim import store
    scenario, twin = tmp_path / "tiny.yaml", tmp_path / "twin.yaml"
    scenario.write_text(SMALL)
    twin.write_text(SMALL.replace("name: tiny", "name: twin"))
    out = tmp_path / "out"

    def full(path, table):
        raise OSError(errno.ENOSPC, "No space left on device", str(path.parent / f".{path.name}.x.tmp"))
    monkeypatch.setattr(store.files, "write_parquet", full)
    code = main(["compare", str(scenario), str(twin), "--reps", "1", "--jobs", "1", "--quiet", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith(f"error: cannot write {out}/runs/tiny.")
    assert err.strip().endswith(": No space left on device")
