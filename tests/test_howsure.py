"""How sure are we? The report and the terminal say plainly when no uncertainty analysis exists,
and otherwise show the shares of plausible worlds, break-even assumptions and verdicts from saved
summaries only."""

import json

import pandas as pd

from sim import howsure, report
from sim.cli import main
from test_design import library  # noqa: F401  (fixture)


def test_without_an_analysis_the_section_says_intervals_are_noise_only():
    section = howsure.section([], "baseline", ["a"])
    assert not section.analysed and section.intro == [howsure.NOISE_ONLY]
    assert "simulation noise over replications only" in howsure.text(section)


def summary(kind, **extra):
    return {"kind": kind, "id": f"{kind}-x", "design": "x", "baseline": "base", "options": ["opt"], "notes": [],
            "measures": [["exec_vacant_or_interim", "all", "", "", "lower"]], "replications": 2, **extra}


ROW = {"option": "opt", "against": "base", "kpi": "exec_vacant_or_interim", "group": "all"}


def test_verdicts_combine_robustness_sensitivity_and_break_even():
    robust = summary("robustness", worlds=20, sample="a test sample", boxes=[],
                     shares=[{**ROW, "worlds": 20, "share_better": 0.75, "share_clearly_better": 0.5,
                              "share_clearly_worse": 0.1, "median": -0.01, "low": -0.03, "high": 0.01,
                              "spread": "all worlds"}])
    screen = summary("sensitivity", worlds=12, trajectories=2, uncertainties=[{}, {}], sobol_samples=0, leading=[],
                     top=[{**ROW, "noise_floor": 0.002, "sobol": [],
                           "factors": [{"factor": "params.performance.leadership_feedback", "mu_star": 0.02},
                                       {"factor": "interventions.new_deal.removal_multiplier", "mu_star": 0.001}]}])
    limit = summary("threshold", factor="interventions.new_deal.removal_multiplier", range=[0.0, 1.0], **ROW,
                    condition="new_deal.removal_multiplier < 0.62", interval=[0.55, float("inf")])
    section = howsure.section([robust, screen, limit], "base", ["opt", "other"])
    (row,) = section.rows
    assert row["verdict"] == "better only if new_deal.removal_multiplier < 0.62 (better in 75% of 20 worlds)"
    assert row["worlds"] == "better in 15 of 20 (clearly in 10)"
    assert row["across"] == "median -1.0 pp; all worlds -3.0 pp to +1.0 pp"
    assert row["depends"] == ("performance.leadership_feedback (μ* 2.0 pp), new_deal.removal_multiplier "
                              "(μ* 0.1 pp, within simulation noise)")
    assert row["break_even"] == ("better only if new_deal.removal_multiplier < 0.62 (95% interval 0.55 to above the "
                                 "range tested)")
    assert "other: no uncertainty analysis attached; its intervals describe simulation noise only." in section.notes
    # another baseline's analyses do not describe this experiment
    assert not howsure.section([robust], "another", ["opt"]).analysed


def test_report_and_terminal_show_an_attached_robustness_analysis(library, capsys):  # noqa: F811
    results = library / "cmp"
    assert main(["compare", str(library / "tiny.yaml"), str(library / "tiny_rb.yaml"), "--reps", "2", "--out",
                 str(results), "--jobs", "1", "--quiet"]) == 0
    assert howsure.NOISE_ONLY in capsys.readouterr().out
    page = report.build(results).html.read_text()
    assert "How sure are we?" in page and "No uncertainty analysis is attached to these results" in page

    assert main(["robustness", str(library / "design.yaml"), "--out", str(library / "rob"), "--jobs", "1",
                 "--quiet", "--attach", str(results)]) == 0
    attached = json.loads((results / "uncertainty" / "robustness-tiny_design.json").read_text())
    shares = pd.DataFrame(attached["shares"])
    turnover = shares[(shares.option == "tiny_rb") & (shares.against == "tiny") & (shares.kpi == "exec_turnover")]
    assert turnover.worlds.iloc[0] == 3 and 0 <= turnover.share_better.iloc[0] <= 1
    capsys.readouterr()
    assert main(["howsure", str(results)]) == 0
    printed = capsys.readouterr().out
    assert "Robustness (tiny_design): 3 plausible worlds" in printed and "Executive turnover: better" in printed
    page = report.build(results).html.read_text()
    assert "No uncertainty analysis is attached" not in page
    assert "effect across plausible worlds" in page and "Executive turnover" in page
