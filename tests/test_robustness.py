"""Robustness: shares of plausible worlds in constructed extreme cases, PRIM finds the region
where an option loses, and the verdicts say which kind of finding it is."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import qmc

from sim import robustness

LOWER = ("exec_vacant_or_interim", "all")      # lower is better
HIGHER = ("ready_successors_per_post", "all")  # higher is better


def worlds(diffs, key=LOWER, verdicts=None, option="opt", against="base"):
    n = len(diffs)
    return pd.DataFrame({"world": range(n), "option": option, "against": against, "kpi": key[0], "group": key[1],
                         "n": 4, "diff": diffs, "diff_ci": 0.01, "verdict": verdicts or ["no clear difference"] * n})


def test_an_option_better_in_every_world_has_share_one():
    row = robustness.shares(worlds([-0.05, -0.02, -0.04], verdicts=["better"] * 3)).iloc[0]
    assert (row.worlds, row.share_better, row.share_clearly_better, row.share_clearly_worse) == (3, 1.0, 1.0, 0.0)
    assert robustness.verdict(row.to_dict()) == "better in every plausible world tested (3)"


def test_an_option_worse_in_every_world_has_share_zero():
    row = robustness.shares(worlds([0.5, 0.1, 0.2, 0.3],
                                   verdicts=["worse"] * 4)).iloc[0]
    assert (row.share_better, row.share_clearly_worse) == (0.0, 1.0)
    assert robustness.verdict(row.to_dict()) == ("better in none of the 4 plausible worlds tested (clearly worse in "
                                                 "every one)")


def test_the_better_direction_decides_which_sign_wins():
    row = robustness.shares(worlds([0.5, 0.1], key=HIGHER)).iloc[0]
    assert row.share_better == 1.0 and row.share_clearly_better == 0.0
    assert "beyond simulation noise in 0 of them" in robustness.verdict(row.to_dict())


def test_identical_options_are_called_the_same_not_worse():
    row = robustness.shares(worlds([0.0, 0.0, 0.0])).iloc[0]
    assert row.share_better == 0.0
    assert robustness.verdict(row.to_dict()) == "no difference in any of the 3 plausible worlds tested"


def sample(n=80, seed=4):
    return pd.DataFrame(qmc.LatinHypercube(d=3, seed=seed).random(n),
                        columns=["params.a", "interventions.x.b", "params.c"])


def test_prim_finds_the_region_where_an_option_loses():
    x = sample()
    loses = (x["params.a"] < 0.3).to_numpy().astype(int)
    box = robustness.discover(x, loses)
    assert list(box.limits) == ["params.a"] and box.limits["params.a"][2] == "below"
    assert box.limits["params.a"][1] == pytest.approx(0.3, abs=0.02)
    assert box.coverage > 0.9 and box.density == 1.0
    edge = box.limits["params.a"][1]
    assert box.describe() == f"a < {edge:.3g}" and box.complement() == f"a > {edge:.3g}"


def test_prim_names_two_uncertainties_when_losses_need_both():
    x = sample(120)
    loses = ((x["params.a"] > 0.6) & (x["interventions.x.b"] < 0.5)).to_numpy().astype(int)
    box = robustness.discover(x, loses)
    assert set(box.limits) == {"params.a", "interventions.x.b"} and box.density > 0.8
    a, b = box.limits["params.a"], box.limits["interventions.x.b"]
    assert (a[2], b[2]) == ("above", "below") and a[0] == pytest.approx(0.6, abs=0.03) \
        and b[1] == pytest.approx(0.5, abs=0.03)
    assert box.describe() == f"a > {a[0]:.3g} and x.b < {b[1]:.3g}" and box.complement() is None


def test_no_box_when_losses_are_spread_everywhere():
    x = sample(100)
    loses = np.random.default_rng(0).random(100) < 0.5
    assert not robustness.discover(x, loses).found


def test_verdict_uses_the_break_even_or_the_box_when_it_depends():
    x = sample()
    diffs = np.where(x["params.a"] < 0.3, 0.02, -0.03)        # lower is better: loses where a < 0.3
    per_world = worlds(list(diffs))
    row = robustness.shares(per_world).iloc[0].to_dict()
    assert row["share_better"] == pytest.approx(np.mean(x["params.a"] >= 0.3))
    box = robustness.boxes(per_world, x.rename_axis("world").reset_index(), "base")[("opt", "base", *LOWER)]
    assert robustness.verdict(row, box).startswith(f"better only if a > {box.limits['params.a'][1]:.3g}")
    assert robustness.verdict(row, box, {"condition": "a > 0.3"}).startswith("better only if a > 0.3 (better in")
