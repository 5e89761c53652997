"""Break-even assumptions: bisection matches the analytic threshold of a linear toy; the interval
comes from the replications; an end-to-end search on a tiny design."""

import json
import math

import numpy as np
import pytest

from sim import threshold
from sim.cli import main
from test_design import library  # noqa: F401  (fixture)


def linear(a: float, b: float, noise: np.ndarray):
    """A toy option whose paired difference is a + b·x, plus noise that is the same at every x
    (common random numbers: replication r has the same noise wherever it is evaluated)."""
    return lambda x: a + b * x + noise


def test_bisection_finds_the_analytic_threshold_of_a_linear_toy():
    noise = np.random.default_rng(5).normal(0.0, 0.4, 25)
    a, b = 1.0, -0.8
    probes = threshold.bisect(linear(a, b, noise), 0.0, 4.0, steps=10)
    estimate = threshold.break_even(probes)
    assert estimate == pytest.approx(-(a + noise.mean()) / b, abs=1e-9)   # exact for a line
    assert len(probes) == 12 and max(p.value for p in probes) == 4.0
    low, high = threshold.interval(probes, estimate, seed=1)
    se = noise.std(ddof=1) / np.sqrt(len(noise)) / abs(b)              # standard error of the root
    assert low < estimate < high and high - low == pytest.approx(2 * 1.96 * se, rel=0.35)
    assert low < -a / b < high                                           # the noise-free root is inside


def test_a_sign_flip_within_noise_is_not_a_break_even():
    """A toy with a real effect is clearly better at its favourable end; one with no effect (its
    mean difference crosses zero by noise alone) is not, so no verdict may depend on the factor."""
    rng = np.random.default_rng(2)
    real = threshold.bisect(linear(1.0, -0.8, rng.normal(0.0, 0.4, 25)), 0.0, 4.0, steps=6)
    side, end = threshold.better_side(real, sign=1.0)
    assert side == "below" and end.value == 0.0 and end.mean - end.half_width > 0
    flat = threshold.bisect(linear(0.02, -0.01, rng.normal(0.0, 1.0, 4)), 0.0, 4.0, steps=6)
    side, end = threshold.better_side(flat, sign=1.0)
    assert end.mean - end.half_width < 0 < end.mean + end.half_width     # "no clear difference" there


def test_without_noise_the_interval_collapses_on_the_root():
    probes = threshold.bisect(linear(2.0, 1.0, np.zeros(10)), -5.0, 3.0, steps=4)
    assert threshold.break_even(probes) == pytest.approx(-2.0)
    assert threshold.interval(probes, -2.0) == pytest.approx((-2.0, -2.0))


def test_no_break_even_inside_the_range():
    probes = threshold.bisect(linear(1.0, 0.1, np.zeros(4)), 0.0, 1.0, steps=6)
    assert len(probes) == 2 and threshold.break_even(probes) is None
    # the line would cross below the range
    assert threshold.interval(probes, 0.5) == (-math.inf, -math.inf)


def test_leadsim_threshold_end_to_end_on_a_tiny_design(library, capsys):  # noqa: F811
    # a lighter reporting burden multiplies executives' leave hazard: below ×1 it cuts turnover,
    # above ×1 it raises it, so the verdict on turnover flips near ×1 (8 replications: clearly better at ×0.1)
    (library / "rb.yaml").write_text("name: rb\nbaseline: tiny.yaml\noptions: [tiny_rb.yaml]\nuncertainties:\n"
                                     "  interventions.reduced_burden.executive_leave_multiplier: "
                                     "{range: [0.1, 3.0], reason: test}\nreplications: 8\n")
    out = library / "thr"
    code = main(["threshold", str(library / "rb.yaml"), "--factor",
                 "interventions.reduced_burden.executive_leave_multiplier", "--measure", "exec_turnover",
                 "--steps", "3", "--out", str(out), "--jobs", "1", "--quiet"])
    assert code == 0
    summary = json.loads((out / "uncertainty.json").read_text())
    assert summary["kind"] == "threshold" and (summary["option"], summary["against"]) == ("tiny_rb", "tiny")
    assert len(summary["probes"]) == 5 and summary["better_side"] == "below"
    assert 0.6 < summary["break_even"] < 1.5 and summary["interval"][0] <= summary["break_even"] <= summary["interval"][1]
    assert summary["condition"] == f"reduced_burden.executive_leave_multiplier < {summary['break_even']:.3g}"
    # the baseline is not touched by the setting: it runs once, in the first probe's folder
    folders = sorted(out.glob("probe-*"))
    assert [len(list(f.glob("runs/tiny.*"))) for f in folders].count(1) == 1
    assert "Break-even: interventions.reduced_burden.executive_leave_multiplier" in capsys.readouterr().out


def test_a_factor_outside_the_design_needs_a_range(library, capsys):  # noqa: F811
    code = main(["threshold", str(library / "design.yaml"), "--factor", "interventions.new_deal.leave_multiplier",
                 "--out", str(library / "x")])
    assert code == 2 and "give --range LOW HIGH" in capsys.readouterr().err
