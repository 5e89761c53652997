"""The package works when installed from its wheel, away from any checkout: a comparison and its
report (templates shipped as package data, the calibration fit taken from the scenario's own
calibration file, nothing read from calibration/ in the repository)."""

import json
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

CALIBRATION = """name: fitted
description: fitted values, as leadsim calibrate writes them
params: {turnover: {hazard: {removed: 0.02}}}
provenance: {date: '2026-01-01', fit: fit.json}
"""
BASE = """name: tiny
description: four trusts for a quick comparison
base: fitted.yaml
params:
  system: {trusts_by_type: {acute: 4, specialist: 0, mental_health: 0, community: 0, ambulance: 0}}
  workforce: {middle_managers: 400, senior_managers: 200}
  entry: {graduate_intake_multiplier: 0.02, clinicians_per_year: {doctor: 2, nurse: 4, allied_health: 1}}
run: {seed: 3, start_year: 2004, report_from: 2008, end_year: 2014}
"""
OPTION = """name: tiny_nd
description: plus the new deal
base: tiny.yaml
interventions: [{type: new_deal, start: 2009, source: test}]
"""
FIT = {"targets": [{"id": "t", "description": "A published share", "unit": "share of trusts", "value": 0.1,
                    "low": 0.05, "high": 0.15, "sim_mean": 0.12, "sim_ci": 0.01}]}


def _run(*args, **kw):
    proc = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=600, **kw)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """Build the wheel from a copy of the sources (so the checkout gets no build/ or egg-info), with
    the build backend already installed here (no download)."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    shutil.copytree(ROOT / "sim", src / "sim", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(ROOT / name, src / name)
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
         "-w", tmp / "dist", src)
    return next((tmp / "dist").glob("leadsim-*.whl"))


def test_wheel_ships_the_report_template(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "sim/templates/report.html.j2" in names and "sim/measures.py" in names
    assert not any(n.startswith(("tests/", "calibration/", "scenarios/")) for n in names)


@pytest.mark.skipif(shutil.which("gcc") is None and shutil.which("cc") is None, reason="no C compiler here")
def test_wheel_carries_the_compiled_search_loop(wheel):
    assert any(n.startswith("sim/_kernels.") and n.endswith((".so", ".pyd")) for n in zipfile.ZipFile(wheel).namelist())


def test_installed_wheel_compares_and_reports_outside_the_checkout(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", env_dir)
    python = env_dir / "bin" / "python"
    _run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "-q", wheel)
    # the dependencies: reuse this environment's (installed after the wheel, so pip saw a clean venv)
    inner = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    outer = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (inner / "dependencies.pth").write_text("\n".join(sorted(outer)) + "\n")

    work = tmp_path / "elsewhere"
    work.mkdir()
    for name, text in (("fitted.yaml", CALIBRATION), ("tiny.yaml", BASE), ("tiny_nd.yaml", OPTION)):
        (work / name).write_text(text)
    (work / "fit.json").write_text(json.dumps(FIT))
    where = _run(python, "-c", "import sim; print(sim.__file__)", cwd=work).stdout
    assert where.startswith(str(env_dir)), where  # the installed package, not the checkout

    leadsim = env_dir / "bin" / "leadsim"
    _run(leadsim, "compare", "tiny.yaml", "tiny_nd.yaml", "--reps", "2", "--jobs", "1", "--out", "res",
         "--quiet", cwd=work)
    done = _run(leadsim, "report", "res", "--out", "report.html", cwd=work)
    assert "Report: report.html" in done.stderr
    page = (work / "report.html").read_text()
    assert "<h2>Summary</h2>" in page and "tiny_nd" in page
    assert (work / "res" / "charts" / "calibration_fit.png").exists()  # the fit of fitted.yaml, recorded
    assert json.loads((work / "res" / "calibration_fit.json").read_text()) == FIT
