"""The leadsim command: run writes every documented file; bad input is one line, no traceback."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
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
    bad.write_text("name: bad\nparams: {turnover: {hazard: {retire: fast}}}\n")
    proc = subprocess.run([sys.executable, "-m", "sim.cli", "run", str(bad)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert f"{bad}: params.turnover.hazard.retire: expected a number, found 'fast'" in proc.stderr


def test_validate_reports_good_and_bad(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nrun: {replications: 0}\n")
    assert main(["validate", str(ROOT / "scenarios" / "baseline.yaml"), str(bad)]) == 2
    captured = capsys.readouterr()
    assert "ok   " in captured.out
    assert captured.err == f"error: {bad}: run.replications: expected greater than or equal to 1, found 0\n"
