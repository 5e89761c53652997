"""A search round's compiled interviews give exactly what the numpy rule gives, draw for draw, and the
numpy rule is the one searches used before it (commit 56d6067: who applies field by field, then
scores, then the first best)."""

from contextlib import contextmanager
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import kernels
from sim.rng import Keyed, premix


class _People:
    def __init__(self, n: int, seed: int):
        g = np.random.default_rng(seed)
        self.keymix = premix(g.integers(0, 2**63, n, dtype=np.uint64))
        # most are available in grade 2 and of profession 1, so that most rows reach the draw
        self.available = np.where(g.random(n) < 0.7, 2, g.integers(-1, 4, n)).astype(np.int8)
        self.profession = np.where(g.random(n) < 0.6, 1, g.integers(0, 5, n)).astype(np.int8)
        self.post = np.where(g.random(n) < 0.2, -1, g.integers(0, 1000, n)).astype(np.int32)
        self.female, self.ethnic_minority = g.random(n) < 0.5, g.random(n) < 0.2
        self.region = g.integers(0, 7, n).astype(np.int8)
        self.capability = g.normal(0.0, 1.0, n)
        self.credited = g.random(n) < 0.1


def _rule_of_56d6067(p: _People, fields, apply: Keyed, interview: Keyed, search, need, group, other_region,
                     sd, bias, reward):
    """``recruitment._willing`` field by field, then ``select``'s scores, as at commit 56d6067."""
    found, noise, route = [], [], []
    for f, (rows, grade, w, w_free, free, home) in enumerate(fields):
        rows = rows[p.available[rows] == grade]
        if need is not None:
            rows = rows[p.profession[rows] == need]
        if free:
            w = np.where(p.post[rows] < 0, w_free, w)
        if group is not None:
            w = w * (np.where(p.female[rows], group[0], 1.0) * np.where(p.ethnic_minority[rows], group[1], 1.0))
        if home is not None:
            w = np.where(p.region[rows] == home, w, w * other_region)
        rows = rows[apply.uniform(*search, first=p.keymix[rows]) < w]
        found.append(rows)
        noise.append(interview.normal(*search, first=p.keymix[rows]))
        route += [f] * len(rows)
    if not found:
        return 0, -1, -1, -np.inf, 0
    rows, noise, route = np.concatenate(found), np.concatenate(noise), np.array(route, dtype=int)
    first = np.sort(np.unique(rows, return_index=True)[1])   # someone in two fields applies once
    rows, noise, route = rows[first], noise[first], route[first]
    minority = p.ethnic_minority[rows]
    scores = p.capability[rows] + sd * noise + bias * minority
    if reward:
        scores = scores + reward * p.credited[rows]
    if len(rows) == 0:
        return 0, -1, -1, -np.inf, 0
    best = int(np.argmax(scores))
    return len(rows), int(rows[best]), int(route[best]), float(scores[best]), int(np.count_nonzero(minority))


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


FIELD = st.tuples(st.integers(0, 1500), st.sampled_from([2, 2, 2, 1, -1]), st.floats(0.0, 1.0),
                  st.floats(0.0, 1.0), st.booleans(), st.sampled_from([None, 0, 5]))
CASES = dict(seed=st.integers(0, 2**31), spec=st.lists(FIELD, min_size=0, max_size=4),
             need=st.sampled_from([None, 1, 3]), group=st.sampled_from([None, (0.4, 1.0), (1.3, 0.8)]),
             other_region=st.floats(0.0, 2.0), sd=st.floats(0.0, 3.0), bias=st.floats(-1.0, 1.0),
             reward=st.sampled_from([0.0, 0.0, 0.3, -2.0]),
             search=st.tuples(st.integers(0, 5000), st.integers(0, 2**64 - 1), st.integers(1, 9)))


def _fields(seed: int, spec) -> list[tuple]:
    # fields drawn from the same 3,000 people overlap, as added talent pools may overlap the standard two
    g = np.random.default_rng(seed + 1)
    return [(g.choice(3000, size=n, replace=False).astype(np.int64), grade, w, w_free, free, home)
            for n, grade, w, w_free, free, home in spec]


def _call(kind, people, fields, search, need, group, other_region, sd, bias, reward, seed=0):
    apply, interview = Keyed(seed * 7 + 1), Keyed(seed * 7 + 2)
    with _rules(kind):
        return kernels.interview(people, fields, apply.folded(*search), need, group, other_region,
                                 interview.folded(*search), sd, bias, reward)


@settings(max_examples=80, deadline=None)
@given(**CASES)
def test_the_numpy_rule_is_the_rule_searches_used(seed, spec, need, group, other_region, sd, bias, reward, search):
    people, fields = _People(3000, seed), _fields(seed, spec)
    want = _rule_of_56d6067(people, fields, Keyed(seed * 7 + 1), Keyed(seed * 7 + 2), search, need, group,
                            other_region, sd, bias, reward)
    assert _call("numpy", people, fields, search, need, group, other_region, sd, bias, reward, seed) == want


needs_compiled = pytest.mark.skipif(not kernels.COMPILED, reason="sim._kernels was not built (no C compiler)")


@needs_compiled
@settings(max_examples=150, deadline=None)
@given(**CASES)
def test_the_compiled_loop_matches_the_numpy_rule(seed, spec, need, group, other_region, sd, bias, reward, search):
    people, fields = _People(3000, seed), _fields(seed, spec)
    args = (people, fields, search, need, group, other_region, sd, bias, reward, seed)
    got, want = _call("compiled", *args), _call("numpy", *args)
    assert got == want   # the score bit for bit: == on floats, not approximately
    assert all(type(a) is type(b) for a, b in zip(got, want))


@needs_compiled
def test_the_compiled_loop_matches_the_numpy_rule_on_large_fields():
    # hypothesis favours edge cases (w = 0, tiny fields); these are fields like a search's: thousands of
    # rows, interior probabilities, every factor in play, fields overlapping
    g = np.random.default_rng(11)
    for seed in range(40):
        people = _People(3000, seed)
        spec = [(3000, 2, g.uniform(0.05, 0.9), g.uniform(0.05, 0.9), bool(seed % 3), [None, 0, 5][seed % 3]),
                (1200, [2, 3][seed % 2], g.uniform(0.05, 0.9), g.uniform(0.05, 0.9), True, None)]
        args = (people, _fields(seed, spec), (seed, int(g.integers(0, 2**63)), 1 + seed % 4), [None, 1][seed % 2],
                [None, (0.4, 1.0), (1.3, 0.8)][seed % 3], g.uniform(0.1, 1.9), 0.6, g.uniform(-0.5, 0.5),
                [0.0, 0.4][seed % 2], seed)
        got, want = _call("compiled", *args), _call("numpy", *args)
        assert got == want and got[0] > 100, (seed, got, want)


@needs_compiled
def test_the_compiled_loop_refuses_wrong_types_and_rows_out_of_range():
    people = _People(100, 1)

    def call(rows, columns=None, field=None):
        columns = columns or (people.keymix, people.available, people.profession, people.post, people.female,
                              people.ethnic_minority, people.region, people.capability, people.credited)
        return kernels._compiled.interview(columns, [field or (rows, 1, 0.5, 0.5, True, -1)], 5, 7, -1, False,
                                           1.0, 1.0, 0.3, 0.5, 0.0, 0.0)
    with pytest.raises(IndexError, match="outside"):
        call(np.array([3, 100], dtype=np.int64))
    with pytest.raises(TypeError, match="rows"):
        call(np.array([3, 4], dtype=np.int32))
    with pytest.raises(TypeError, match="available"):
        call(None, columns=(people.keymix, people.available.astype(np.int16), people.profession, people.post,
                            people.female, people.ethnic_minority, people.region, people.capability, people.credited))
    with pytest.raises(ValueError, match="9 columns"):
        call(None, columns=(people.keymix,))
    with pytest.raises(TypeError, match="field"):
        call(None, field=[np.arange(3)])
    # rows in two dimensions are read as all their items (a field's length is not what is read)
    grid = np.arange(100, dtype=np.int64).reshape(5, 20)
    assert call(grid) == call(grid.ravel()) and call(grid)[0] >= 2
    with pytest.raises(TypeError, match="capsule"):
        kernels._compiled.use_ndtri(object())


@pytest.mark.parametrize("kernel", ["numpy", pytest.param("compiled", marks=needs_compiled)])
def test_people_apply_at_the_stated_rate(kernel):
    # a check that does not lean on any other code: 20,000 eligible people at w = 0.1, and a field of
    # the same people when the post is in another region, at a factor of 0.5 → 0.1 and 0.05
    people = _People(20_000, 3)
    people.available[:] = 2
    everyone = np.arange(20_000)
    home = _call(kernel, people, [(everyone, 2, 0.1, 0.5, False, None)], (1, 2, 3), None, None, 0.5, 1.0, 0.0, 0.0)
    away = _call(kernel, people, [(everyone, 2, 0.1, 0.5, False, 99)], (1, 2, 3), None, None, 0.5, 1.0, 0.0, 0.0)
    assert home[0] / 20_000 == pytest.approx(0.1, abs=0.01)
    assert away[0] / 20_000 == pytest.approx(0.05, abs=0.006)
    assert home[4] / home[0] == pytest.approx(people.ethnic_minority.mean(), abs=0.02)


@pytest.mark.parametrize("kernel", ["numpy", pytest.param("compiled", marks=needs_compiled)])
def test_the_best_scorer_wins_and_comes_by_their_first_field(kernel):
    people = _People(3000, 5)
    people.available[:], people.profession[:] = 2, 1
    people.capability[:] = 0.0
    people.capability[1234] = 10.0     # far above anyone's noise
    people.ethnic_minority[:] = False
    fields = [(np.arange(0, 1000), 2, 1.0, 1.0, False, None), (np.arange(1000, 3000), 2, 1.0, 1.0, False, None),
              (np.array([1234, 5]), 2, 1.0, 1.0, False, None)]    # 1234 and 5 in two fields: counted once
    n, row, field, score, n_minority = _call(kernel, people, fields, (4, 5, 6), None, None, 1.0, 1.0, 0.0, 0.0)
    assert (n, row, field, n_minority) == (3000, 1234, 1, 0) and 7.0 < score < 13.0
    # a reward for a challenged posting lifts a credited applicant above them
    people.credited[:] = False
    people.credited[17] = True
    assert _call(kernel, people, fields, (4, 5, 6), None, None, 1.0, 1.0, 0.0, 20.0)[1:3] == (17, 0)
    # with no noise, ties go to the first applicant, as argmax
    people.capability[1234] = 0.0
    assert _call(kernel, people, fields, (4, 5, 6), None, None, 1.0, 0.0, 0.0, 0.0)[1:4] == (0, 0, 0.0)
    # nobody of the profession needed: nobody applies
    assert _call(kernel, people, fields, (4, 5, 6), 3, None, 1.0, 1.0, 0.0, 0.0) == (0, -1, -1, -np.inf, 0)


@pytest.fixture(scope="module")
def small_model():
    from conftest import small_params
    from sim.model import Model
    return Model(small_params(trusts=12), seed=5)


def _outsiders_both_ways(model, women, minority, women_application, a, bias, post, succession, round_, is_ceo, need):
    """recruitment._external_applicants compiled and as recruitment's own loop (scored_traits,
    equality.applies, keyed normal draws), with group rates above and below 1 so that some are thinned."""
    from sim.params.overrides import with_overrides
    from sim.params.vocabulary import ROLES
    from sim.processes import recruitment
    base = model.params
    model.params = with_overrides(base, {"recruitment": {
        "application_rate": {"women": {r: women for r in ROLES}, "ethnic_minority": {r: minority for r in ROLES}},
        "women_application": women_application}})
    real = model.posts[post % len(model.posts)]
    post = SimpleNamespace(id=real.id, org=real.org, role="chief_executive" if is_ceo else real.role, is_ceo=is_ceo,
                           succession=succession)   # a post of the model's, in any search round
    args = (model, post, a, (real.id, succession, round_), bias,
            "chief_executive" if is_ceo else "executive_director", 3 if need is None else need,
            recruitment.role_rules(model, post.role))
    saved = kernels.outsiders
    try:
        got = recruitment._external_applicants(*args)
        kernels.outsiders = None
        want = recruitment._external_applicants(*args)
    finally:
        model.params, kernels.outsiders = base, saved
    return got, want


@needs_compiled
@settings(max_examples=60, deadline=None)
@given(women=st.floats(0.2, 3.0), minority=st.floats(0.2, 3.0), women_application=st.floats(0.5, 2.0),
       a=st.floats(0.0, 40.0), bias=st.floats(-1.0, 1.0), post=st.integers(0, 1000), succession=st.integers(0, 50),
       round_=st.integers(1, 5), is_ceo=st.booleans(), need=st.sampled_from([None, 0, 1, 2]))
def test_the_compiled_outsiders_match_the_python_loop(small_model, women, minority, women_application, a, bias,
                                                      post, succession, round_, is_ceo, need):
    got, want = _outsiders_both_ways(small_model, women, minority, women_application, a, bias, post, succession,
                                     round_, is_ceo, need)
    assert got == want   # counts, best index and the score bit for bit
    assert all(type(g) is type(w) for g, w in zip(got, want))


@needs_compiled
def test_the_compiled_outsiders_match_the_python_loop_in_busy_rounds(small_model):
    # hypothesis favours edge cases (a = 0: nobody); these rounds have several applicants each
    g = np.random.default_rng(2)
    found = []
    for case in range(40):
        got, want = _outsiders_both_ways(small_model, g.uniform(0.3, 2.5),
                                         g.uniform(0.3, 2.5), 1.0, g.uniform(5, 30), -0.5, case * 7, case, 1 + case % 3,
                                         bool(case % 2), [None, 1][case % 2])
        assert got == want, case
        found.append(got[1])
    assert np.mean(np.array(found) > 0) > 0.8 and max(found) >= 10, found
