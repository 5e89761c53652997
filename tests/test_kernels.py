"""The compiled search loop gives exactly what the numpy rule gives, draw for draw, and the numpy rule
is the one searches used before it (commit 56d6067)."""

from contextlib import contextmanager

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
            # most are available in grade 2 and of profession 1, so that most rows reach the draw
            "available": np.where(g.random(n) < 0.7, 2, g.integers(-1, 4, n)).astype(np.int8),
            "profession": np.where(g.random(n) < 0.6, 1, g.integers(0, 5, n)).astype(np.int8),
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


class _People:
    def __init__(self, n: int, seed: int):
        p = _people(n, seed)
        self.keymix, self.available, self.profession, self.post = p["keymix"], p["available"], p["profession"], p["post"]
        self.female, self.ethnic_minority, self.region = p["female"], p["minority"], p["region"]


CASES = dict(seed=st.integers(0, 2**31), n=st.integers(0, 2000), grade=st.sampled_from([2, 2, 2, 1, -1]),
             need=st.sampled_from([None, 1, 3]), w=st.floats(0.0, 1.0), w_free=st.floats(0.0, 1.0),
             free=st.booleans(), group=st.sampled_from([None, (0.4, 1.0), (1.3, 0.8)]),
             home=st.sampled_from([None, 0, 5]), other_region=st.floats(0.0, 2.0),
             search=st.tuples(st.integers(0, 5000), st.integers(0, 2**64 - 1), st.integers(1, 9)))


@contextmanager
def _rules(kind: str):
    """The compiled loop, or (``numpy``) the array rules it must equal."""
    saved = kernels._compiled
    if kind == "numpy":
        kernels._compiled = None
    try:
        yield
    finally:
        kernels._compiled = saved


def _call(kind, seed, n, grade, need, w, w_free, free, group, home, other_region, search):
    people = _People(3000, seed)
    rows = np.random.default_rng(seed + 1).choice(3000, size=n, replace=False).astype(np.int64)
    apply, interview = Keyed(seed * 7 + 1), Keyed(seed * 7 + 2)
    with _rules(kind):
        got, counts, noise = kernels.applicants(people, [(rows, grade, w, w_free, free, home)], apply.folded(*search),
                                                need, group, other_region, interview.folded(*search))
    assert counts == [len(got)]
    return got, noise


@settings(max_examples=80, deadline=None)
@given(**CASES)
def test_the_numpy_rule_is_the_rule_searches_used(seed, n, grade, need, w, w_free, free, group, home,
                                                  other_region, search):
    people = _People(3000, seed)
    p = {"keymix": people.keymix, "available": people.available, "profession": people.profession,
         "post": people.post, "female": people.female, "minority": people.ethnic_minority, "region": people.region}
    rows = np.random.default_rng(seed + 1).choice(3000, size=n, replace=False).astype(np.int64)
    apply, interview = Keyed(seed * 7 + 1), Keyed(seed * 7 + 2)
    want_rows, want_noise = _numpy_rule(p, rows, apply, interview, search, grade, need, w, w_free, free, group,
                                        home, other_region)
    got_rows, got_noise = _call("numpy", seed, n, grade, need, w, w_free, free, group, home,
                                other_region, search)
    assert np.array_equal(got_rows, want_rows)
    assert np.array_equal(got_noise, want_noise)   # bit for bit, not approximately


needs_compiled = pytest.mark.skipif(not kernels.COMPILED, reason="sim._kernels was not built (no C compiler)")


@needs_compiled
@settings(max_examples=150, deadline=None)
@given(**CASES)
def test_the_compiled_loop_matches_the_numpy_rule(seed, n, grade, need, w, w_free, free, group, home,
                                                  other_region, search):
    want = _call("numpy", seed, n, grade, need, w, w_free, free, group, home, other_region, search)
    got = _call("compiled", seed, n, grade, need, w, w_free, free, group, home, other_region, search)
    assert np.array_equal(got[0], want[0]) and got[0].dtype == np.int64
    assert np.array_equal(got[1], want[1])   # bit for bit


@needs_compiled
def test_the_compiled_loop_matches_the_numpy_rule_on_large_fields():
    # hypothesis favours edge cases (w = 0, tiny fields); these are fields like a search's: thousands of
    # rows, interior probabilities, every factor in play
    g = np.random.default_rng(11)
    for seed in range(40):
        case = dict(n=3000, grade=2, need=[None, 1][seed % 2], w=g.uniform(0.05, 0.9), w_free=g.uniform(0.05, 0.9),
                    free=bool(seed % 3), group=[None, (0.4, 1.0), (1.3, 0.8)][seed % 3], home=[None, 0, 5][seed % 3],
                    other_region=g.uniform(0.1, 1.9), search=(seed, int(g.integers(0, 2**63)), 1 + seed % 4))
        want = _call("numpy", seed, **case)
        got = _call("compiled", seed, **case)
        assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1]), case


@needs_compiled
def test_the_compiled_loop_refuses_wrong_types_and_rows_out_of_range():
    people = _People(100, 1)
    args = lambda rows: (rows, people.keymix, 5, people.available, 1, people.profession, -1, people.post,  # noqa: E731
                         0.5, 0.5, True, people.female, people.ethnic_minority, 1.0, 1.0, False, people.region,
                         -1, 0.3, 7, np.empty(len(rows), np.int64), np.empty(len(rows)), 0)
    with pytest.raises(IndexError, match="outside"):
        kernels._compiled.applicants(*args(np.array([3, 100], dtype=np.int64)))
    with pytest.raises(TypeError, match="rows"):
        kernels._compiled.applicants(*args(np.array([3, 4], dtype=np.int32)))
    bad = list(args(np.array([3], dtype=np.int64)))
    bad[-1] = 1   # no room left in out and score after position 1
    with pytest.raises(ValueError, match="at"):
        kernels._compiled.applicants(*bad)
    bad[-1] = 0
    bad[3] = people.available.astype(np.int16)
    with pytest.raises(TypeError, match="available"):
        kernels._compiled.applicants(*bad)


@pytest.mark.parametrize("kernel", ["numpy", pytest.param("compiled", marks=needs_compiled)])
def test_applicants_apply_at_the_stated_rate(kernel):
    # a check that does not lean on any other code: 20,000 eligible people at w = 0.1, those outside
    # the post's region at a factor of 0.5 → 0.1 and 0.05
    people = _People(20_000, 3)
    people.available[:] = 2
    with _rules(kernel):
        got, _, noise = kernels.applicants(people, [(np.arange(20_000), 2, 0.1, 0.5, False, 0)], 99, None, None, 0.5, 7)
    home = people.region[got] == 0
    n_home = np.count_nonzero(people.region == 0)
    assert home.sum() / n_home == pytest.approx(0.1, abs=0.025)
    assert (~home).sum() / (20_000 - n_home) == pytest.approx(0.05, abs=0.008)
    assert abs(noise.mean()) < 0.1 and noise.std() == pytest.approx(1.0, abs=0.1)


@pytest.mark.parametrize("kernel", ["numpy", pytest.param("compiled", marks=needs_compiled)])
def test_fields_follow_one_another_with_their_own_rules(kernel):
    # two fields of one search: a senior field (grade 2, w = 0.3) then an executive field (grade 3,
    # w = 0.05, w_free = 0.9 for those without a post, not regional): applicants come field after
    # field, each field's count is reported, and each field's rule is its own
    people = _People(3000, 5)
    people.available[:1500], people.available[1500:] = 2, 3
    people.post[1500:] = np.where(np.arange(1500) % 3 == 0, -1, 7)
    fields = [(np.arange(1500), 2, 0.3, 0.0, False, 0), (np.arange(1500, 3000), 3, 0.05, 0.9, True, None)]
    with _rules(kernel):
        got, counts, noise = kernels.applicants(people, fields, 11, None, None, 0.5, 13)
    seniors, executives = got[:counts[0]], got[counts[0]:]
    assert len(got) == sum(counts) == len(noise) and (seniors < 1500).all() and (executives >= 1500).all()
    free = people.post[executives] < 0
    assert free.mean() > 0.85   # 500 free at 0.9 ≈ 450 against 1,000 in post at 0.05 ≈ 50
    assert np.all(np.diff(seniors) > 0) and np.all(np.diff(executives) > 0)   # in the fields' order
