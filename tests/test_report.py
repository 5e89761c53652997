"""The steering-group report: builds from a results folder, self-contained, numbers match the files."""

import re
import shutil
import subprocess

import pandas as pd
import pytest

from sim import experiment, report
from sim.scenario import load
from sim.textout import fmt
from test_experiment import ROOT, SMALL

CHARTS = {"vacancy_over_time", "forest", "ceo_tenure_survival", "pipeline", "ratings", "representation",
          "cost_effect", "calibration_fit"}  # SMALL inherits the calibrated baseline, so its fit is shown


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    (folder / "small.yaml").write_text(SMALL)
    (folder / "small_nd.yaml").write_text("name: small_nd\ndescription: new deal\nbase: small.yaml\n"
                                          "interventions: [{type: new_deal, start: 2014, source: 'test <i>&</i>'}]\n")
    experiment.compare(load(folder / "small.yaml"), [load(folder / "small_nd.yaml")], reps=3,
                       out=folder / "out", jobs=1, progress=False)
    return folder / "out"


@pytest.fixture(scope="module")
def built(results):
    return report.build(results)


def test_every_chart_is_written_as_png_and_svg(built, results):
    assert set(built.charts) == CHARTS
    for name in CHARTS:
        for ext in ("png", "svg"):
            path = results / "charts" / f"{name}.{ext}"
            assert path.exists() and path.stat().st_size > 5_000, path


def test_the_calibration_fit_travels_with_the_results(built, results, tmp_path):
    recorded = results / "calibration_fit.json"
    assert recorded.read_text() == (ROOT / "calibration" / "fit.json").read_text()
    with pytest.raises(FileNotFoundError, match="no such calibration fit"):
        report.build(results, out=tmp_path / "r.html", fit=tmp_path / "missing.json")


def test_text_from_the_results_is_escaped(built):
    page = built.html.read_text()
    assert "test &lt;i&gt;&amp;&lt;/i&gt;" in page and "<i>&</i>" not in page


def test_html_is_self_contained(built):
    page = built.html.read_text()
    assert page.count("data:image/png;base64,") == len(CHARTS)
    # no resource is fetched from anywhere: no external src/href, stylesheets or scripts
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page)
    assert "<script" not in page and "<link" not in page and "@import" not in page


def test_report_has_summary_findings_register_provenance_and_limitations(built):
    page = built.html.read_text()
    for heading in ("Summary", "Charts", "Assumptions register", "Provenance", "Limitations"):
        assert f"<h2>{heading}</h2>" in page
    assert "<b>small_nd</b>, 2014–2023: executive posts vacant or interim" in page
    assert "turnover.hazard" in page
    assert "leadership_feedback" in page and "Janke" in page
    assert "new_deal" in page and "removal_multiplier" in page


def test_summary_numbers_equal_those_computed_from_the_result_files(built, results):
    runs = pd.concat(pd.read_parquet(p) for p in sorted(results.glob("runs/*/r*.parquet")))
    period = (2014, 2023)  # the last ten reported years of SMALL's calendar
    vac = runs[(runs.kpi == "exec_vacant_or_interim") & (runs.group == "all") & runs.year.between(*period)]
    per_run = vac.groupby(["scenario", "replication"]).value.mean().unstack("scenario")
    table = built.summary.set_index(["kpi", "group", "scenario"])
    assert table.loc[("exec_vacant_or_interim", "all", "small"), "mean"] == pytest.approx(per_run["small"].mean())
    diff = (per_run["small_nd"] - per_run["small"]).mean()
    assert table.loc[("exec_vacant_or_interim", "all", "small_nd"), "diff"] == pytest.approx(diff)
    assert fmt(diff, "share of executive posts", diff=True) in built.html.read_text()


def test_browser_renders_report_without_broken_images(built, tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("headless Chromium is not installed (Debian package 'chromium'); browser check skipped")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=5000"]
    # count images that failed to decode, into the page title
    probe = tmp_path / "probe.html"
    probe.write_text(built.html.read_text().replace(
        "</body>", "<script>window.onload=()=>{document.title='broken:'+[...document.images]"
                   ".filter(i=>!i.complete||i.naturalWidth===0).length};</script></body>"))
    dom = subprocess.run([chromium, *flags, "--dump-dom", probe.as_uri()], capture_output=True, text=True,
                         timeout=120).stdout
    assert "<title>broken:0</title>" in dom
    shot = tmp_path / "report.png"
    subprocess.run([chromium, *flags, "--window-size=1200,2400", f"--screenshot={shot}", built.html.as_uri()],
                   capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 20_000
