"""The steering-group report: builds from a results folder, self-contained, numbers match the files."""

import json
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sim import cohort, experiment, measures, report
from sim.scenario import load
from sim.textout import fmt
from test_experiment import ROOT, SMALL

CHARTS = {"vacancy_over_time", "forest", "ceo_tenure_survival", "pipeline", "ratings", "representation",
          "cost_effect", "calibration_fit"}  # SMALL inherits the calibrated baseline, so its fit is shown


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    (folder / "small.yaml").write_text(SMALL.replace("name: small\n", "name: small\ntitle: Small England as it is\n"))
    (folder / "small_nd.yaml").write_text("name: small_nd\ntitle: New deal <for> challenged trusts\ndescription: new deal\n"
                                          "base: small.yaml\n"
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
    for heading in ("Option appraisal", "Summary", "Charts", "Assumptions register", "Provenance", "Limitations"):
        assert f"<h2>{heading}</h2>" in page
    assert "<b>New deal &lt;for&gt; challenged trusts</b>, 2014–2023: executive posts vacant or interim" in page
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


def test_the_report_opens_with_the_option_appraisal(built):
    page = built.html.read_text()
    assert page.index("<h2>Option appraisal</h2>") < page.index("<h2>Summary</h2>") < page.index("<h2>Charts</h2>")
    assert page.index("<h2>Option appraisal</h2>") == page.index("<h2>")  # the first section
    appraisal = _section(page, "Option appraisal")
    option = built.appraisal.options[0]
    assert option.title == "New deal <for> challenged trusts" and option.per_unit_text in unescape(appraisal)
    assert "Main risks to the conclusion" in appraisal and "Rests on assumed effect sizes" in appraisal
    assert f"31 December {built.appraisal.cohort_year}" in appraisal


def test_every_scenario_of_the_experiment_was_measured_on_one_cohort(built, results):
    manifest = json.loads((results / "experiment.json").read_text())
    years = {info["resolved"]["run"]["cohort_year"] for info in manifest["scenarios"].values()}
    assert years == {2013}  # the option starts on 1 January 2014
    assert built.appraisal.cohort_year == 2013
    runs = pd.concat(pd.read_parquet(p) for p in sorted(results.glob("runs/*/r*.parquet")))
    assert cohort.mismatches(runs[runs.year < 0]) == []


def _section(page: str, heading: str) -> str:
    start = page.index(f"<h2>{heading}</h2>")
    return page[start:page.index("<h2>", start + 1)]


@pytest.fixture(scope="module")
def eight_options(results, tmp_path_factory):
    """The experiment made into a baseline and seven options with long titles: the small option's
    runs copied under six more names, perturbed so that every cell has its own numbers."""
    folder = tmp_path_factory.mktemp("eight") / "out"
    shutil.copytree(results, folder, ignore=shutil.ignore_patterns("charts", "report.html"))
    manifest = json.loads((folder / "experiment.json").read_text())
    option = manifest["scenarios"]["small_nd"]
    rng = np.random.default_rng(1)
    titles = ["Graduate scheme ten times larger (Rose R6)", "Regional talent boards (Kerr 1.1b)",
              "Kerr review (2018), every recommendation", "Rose review (2015), every recommendation",
              "Smith review (2015), every recommendation", "Messenger review (2022), every recommendation"]
    for i, title in enumerate(titles):
        name = f"option_{i}"
        for path in sorted((folder / "runs" / f"small_nd.{option['key']}").glob("r*.parquet")):
            stored = pq.read_table(path)
            runs = stored.to_pandas()
            runs["value"] = runs.value * (1 + 0.03 * rng.standard_normal(len(runs)))
            copy = pa.Table.from_pandas(runs.assign(scenario=name), preserve_index=False)
            (folder / "runs" / f"{name}.{option['key']}").mkdir(exist_ok=True)
            pq.write_table(copy.replace_schema_metadata({**stored.schema.metadata, b"leadsim.scenario": name.encode()}),
                           folder / "runs" / f"{name}.{option['key']}" / path.name)
        manifest["scenarios"][name] = {**option, "resolved": {**option["resolved"], "name": name, "title": title}}
        manifest["order"].append(name)
    (folder / "experiment.json").write_text(json.dumps(manifest))
    built = report.build(folder)
    assert len(built.appraisal.options) == 7 and built.summary.scenario.nunique() == 8
    return folder


def test_the_summary_speaks_in_labels_and_titles_not_code_names(eight_options):
    page = (eight_options / "report.html").read_text()
    for heading in ("Option appraisal", "Summary"):
        text = unescape(re.sub(r"<[^>]+>", " ", _section(page, heading)))
        assert not re.findall(r"\b[a-z0-9]+_[a-z0-9_]+\b", text), heading  # no KPI, group or scenario names
        assert "Regional talent boards (Kerr 1.1b)" in text
    summary = _section(page, "Summary")
    assert all(h.label in unescape(summary) for h in measures.headlines())


def _chromium(tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("headless Chromium is not installed (Debian package 'chromium'); browser check skipped")
    return [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=5000"]


def _probe(chromium, html: Path, tmp_path, script: str, width: int = 1280) -> str:
    """Open a copy of the page with ``script`` (which sets document.title) run on load; the title."""
    probe = tmp_path / "probe.html"
    probe.write_text(html.read_text().replace("</body>", f"<script>window.onload=()=>{{{script}}};</script></body>"))
    dom = subprocess.run([*chromium, f"--window-size={width},2000", "--dump-dom", probe.as_uri()],
                         capture_output=True, text=True, timeout=120).stdout
    return re.search(r"<title>(.*?)</title>", dom).group(1)


def test_browser_renders_report_without_broken_images(built, tmp_path):
    chromium = _chromium(tmp_path)
    assert _probe(chromium, built.html, tmp_path, "document.title='broken:'+[...document.images]"
                  ".filter(i=>!i.complete||i.naturalWidth===0).length") == "broken:0"
    shot = tmp_path / "report.png"
    subprocess.run([*chromium, "--window-size=1280,2400", f"--screenshot={shot}", built.html.as_uri()],
                   capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 20_000


def test_eight_options_fit_a_laptop_screen_without_horizontal_scrolling(eight_options, tmp_path):
    chromium = _chromium(tmp_path)
    measure = ("const d=document.documentElement;document.title=[d.scrollWidth,d.clientWidth,"
               "Math.max(...[...document.querySelectorAll('table')].map(t=>Math.ceil(t.getBoundingClientRect().right)))"
               "].join(' ')")
    scroll, client, table_right = map(int, _probe(chromium, eight_options / "report.html", tmp_path, measure).split())
    assert client > 1200 and scroll <= client and table_right <= client
