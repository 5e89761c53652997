"""Compiled kernels give exactly what the numpy code they replaced gave, draw for draw."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import ndtri

from sim import kernels
from sim.rng import Keyed, premix


def _people(n: int, seed: int) -> dict:
    g = np.random.default_rng(seed)
    return {"keymix": premix(g.integers(0, 2**63, n, dtype=np.uint64)),
            "available": g.integers(-1, 4, n).astype(np.int8),
            "profession": g.integers(0, 5, n).astype(np.int8),
            "post": np.where(g.random(n) < 0.2, -1, g.integers(0, 1000, n)).astype(np.int32),
            "female": g.random(n) < 0.5, "minority": g.random(n) < 0.2,
            "region": g.integers(0, 7, n).astype(np.int8)}


def _numpy_rule(p: dict, rows, apply: Keyed, interview: Keyed, search, grade, need, w, w_free, free,
                group, home, other_region):
    """The vectorised rule ``recruitment._willing`` used before the kernel (commit 56d6067)."""
    rows = rows[p["available"][rows] == grade]
    if need is not None:
        rows = rows[p["profession"][rows] == need]
    if free:
        w = np.where(p["post"][rows] < 0, w_free, w)
    if group is not None:
        w = w * (np.where(p["female"][rows], group[0], 1.0) * np.where(p["minority"][rows], group[1], 1.0))
    if home is not None:
        w = np.where(p["region"][rows] == home, w, w * other_region)
    u = apply.uniform(*search, first=p["keymix"][rows])
    rows = rows[u < w]
    return rows, interview.normal(*search, first=p["keymix"][rows])


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**31), n=st.integers(0, 600), grade=st.integers(0, 3),
       need=st.sampled_from([None, 1, 3]), w=st.floats(0.0, 1.0), w_free=st.floats(0.0, 1.0),
       free=st.booleans(), group=st.sampled_from([None, (0.4, 1.0), (1.3, 0.8)]),
       home=st.sampled_from([None, 0, 5]), other_region=st.floats(0.0, 2.0),
       search=st.tuples(st.integers(0, 5000), st.integers(0, 2**62), st.integers(1, 9)))
def test_applicants_match_the_numpy_rule(seed, n, grade, need, w, w_free, free, group, home, other_region, search):
    p = _people(2000, seed)
    rows = np.random.default_rng(seed + 1).choice(2000, size=n, replace=False).astype(np.int64)
    apply, interview = Keyed(seed * 7 + 1), Keyed(seed * 7 + 2)
    want_rows, want_noise = _numpy_rule(p, rows, apply, interview, search, grade, need, w, w_free, free, group,
                                        home, other_region)
    women, minority = group or (1.0, 1.0)
    got_rows, got_u = kernels.applicants(
        rows, p["keymix"], np.uint64(apply.folded(*search)), p["available"], grade, p["profession"],
        -1 if need is None else need, p["post"], w, w_free, free, p["female"], p["minority"], women, minority,
        group is not None, p["region"], -1 if home is None else home, other_region,
        np.uint64(interview.folded(*search)))
    assert np.array_equal(got_rows, want_rows)
    assert np.array_equal(ndtri(got_u), want_noise)   # bit for bit, not approximately


def test_the_kernel_applies_at_the_stated_rate():
    # a check that does not lean on the old code: 20,000 eligible people at w = 0.1, half of them
    # outside the post's region at a factor of 0.5 → 0.1 and 0.05
    p = _people(20_000, 3)
    p["available"][:] = 2
    rows = np.arange(20_000)
    got, _ = kernels.applicants(rows, p["keymix"], np.uint64(99), p["available"], 2, p["profession"], -1,
                                p["post"], 0.1, 0.5, False, p["female"], p["minority"], 1.0, 1.0, False,
                                p["region"], 0, 0.5, np.uint64(7))
    home = p["region"][got] == 0
    n_home = np.count_nonzero(p["region"] == 0)
    assert home.sum() / n_home == pytest.approx(0.1, abs=0.025)
    assert (~home).sum() / (20_000 - n_home) == pytest.approx(0.05, abs=0.008)
