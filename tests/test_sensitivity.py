"""Global sensitivity: Morris and Sobol recover known rankings of synthetic models; an end-to-end
``leadsim sensitivity`` on a tiny design resumes from the results store."""

import json
import math

import numpy as np
import pandas as pd
import pytest

from sim import sensitivity
from sim.cli import main
from test_design import library  # noqa: F401  (fixture)

NAMES = ["x1", "x2", "x3", "x4"]


def test_morris_ranks_a_linear_model_by_its_coefficients():
    coefficients = np.array([4.0, -2.0, 0.5, 0.0])          # per unit of each factor's range
    x = sensitivity.morris_design(NAMES, trajectories=10, levels=4, seed=1)
    assert x.shape == (10 * 5, 4)
    table = sensitivity.morris_indices(x, x @ coefficients + 3.0, NAMES, levels=4, seed=1)
    assert table.mu_star.to_numpy() == pytest.approx(np.abs(coefficients))
    assert table.mu.to_numpy() == pytest.approx(coefficients)
    assert table.sigma.to_numpy() == pytest.approx(np.zeros(4), abs=1e-9)    # no interactions


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    z = -math.pi + 2 * math.pi * x
    return np.sin(z[:, 0]) + a * np.sin(z[:, 1]) ** 2 + b * z[:, 2] ** 4 * np.sin(z[:, 0])


def test_sobol_indices_of_the_ishigami_function_match_the_analytic_values():
    names = NAMES[:3]
    x = sensitivity.sobol_design(names, samples=1024, seed=2)
    table = sensitivity.sobol_indices(ishigami(x), names, seed=2).set_index("factor")
    # analytic values for a = 7, b = 0.1 (Ishigami & Homma 1990; Sobol' & Levitan 1999)
    assert table.S1.to_numpy() == pytest.approx([0.3139, 0.4424, 0.0], abs=0.06)
    assert table.ST.to_numpy() == pytest.approx([0.5576, 0.4424, 0.2437], abs=0.06)
    assert list(table.ST.sort_values(ascending=False).index) == ["x1", "x2", "x3"]
    assert list(table.S1.sort_values(ascending=False).index) == ["x2", "x1", "x3"]


def test_morris_screening_puts_the_ishigami_interaction_factor_above_an_inert_one():
    names = ["x1", "x2", "x3", "inert"]
    x = sensitivity.morris_design(names, trajectories=20, levels=4, seed=3)
    table = sensitivity.morris_indices(x, ishigami(x), names, levels=4, seed=3).set_index("factor")
    assert table.mu_star["inert"] == 0 and min(table.mu_star[["x1", "x2", "x3"]]) > 1.0
    assert table.sigma["x3"] > abs(table.mu["x3"])  # x3 acts only through its interaction with x1


def test_an_output_that_does_not_vary_has_zero_indices():
    table = sensitivity.sobol_indices(np.ones(40), ["a", "b"], seed=0)
    assert (table[["S1", "ST"]].to_numpy() == 0).all()


def test_leading_factors_are_ranked_by_their_largest_relative_effect():
    morris = pd.DataFrame({"factor": ["a", "b", "c", "a", "b", "c"], "against": "base",
                           "relative": [1.0, 0.2, 0.1, 0.3, 1.0, 0.9]})
    assert sensitivity.leading(morris, "base", 2) == ["a", "b"]


def test_leadsim_sensitivity_end_to_end_on_a_tiny_design(library, capsys):  # noqa: F811
    out = library / "sens"
    args = ["sensitivity", str(library / "design.yaml"), "--out", str(out), "--jobs", "1", "--quiet"]
    assert main(args) == 0
    morris = pd.read_csv(out / "morris.csv")
    vs_base = morris[(morris.option == "tiny_rb") & (morris.against == "tiny")]
    assert set(vs_base.factor) == {"params.performance.leadership_feedback",
                                   "interventions.reduced_burden.executive_leave_multiplier"}
    turnover = vs_base[vs_base.kpi == "exec_turnover"].set_index("factor")
    # the leave hazard's multiplier moves the option's effect on turnover; feedback hardly can
    assert turnover.mu_star["interventions.reduced_burden.executive_leave_multiplier"] > \
        turnover.mu_star["params.performance.leadership_feedback"]
    assert (vs_base.mu_star >= 0).all() and vs_base.noise_floor.notna().any()
    sobol = pd.read_csv(out / "sobol.csv")
    assert sobol.factor.nunique() == 1 and {"S1", "ST", "S1_conf", "ST_conf"} <= set(sobol)
    summary = json.loads((out / "uncertainty.json").read_text())
    assert summary["kind"] == "sensitivity" and summary["worlds"] == 2 * 3 and summary["baseline"] == "tiny"
    assert (out / "charts" / "morris_tiny_rb.png").stat().st_size > 5_000
    assert "tiny_rb · Executive turnover: μ* reduced_burden.executive_leave_multiplier" in capsys.readouterr().out
    # the same command again finds every run in the store
    assert main(args) == 0
    assert "0 runs made" in capsys.readouterr().err


def test_a_morris_heat_map_makes_room_for_a_long_measure_name_without_a_layout_warning(recwarn):
    from sim import uncertainty_charts
    name = "Executive post-years without a substantive holder, a year, trusts challenged when the options start"
    table = pd.DataFrame({"factor": ["params.a.x", "params.a.x", "params.b.y", "params.b.y"],
                          "kpi": ["long", "short", "long", "short"], "group": "all",
                          "relative": [1.0, 0.2, 0.3, 1.0], "mu_star": [2.0, 0.4, 0.6, 2.0], "noise_floor": 0.5})
    chart = uncertainty_charts.morris("opt", table, {("long", "all"): name, ("short", "all"): "Turnover"}, "")
    assert not [w for w in recwarn if issubclass(w.category, UserWarning)]
    fig = chart.figure
    renderer = fig.canvas.get_renderer()
    lowest = min(t.get_window_extent(renderer).y0 for t in fig.axes[0].get_xticklabels())
    assert lowest >= 0                                       # every name is inside the figure
    assert fig.get_figheight() > 2.6                         # which grew for it
    uncertainty_charts.plt.close(fig)
