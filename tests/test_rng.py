"""Random numbers: reproducible, independent, and keyed so that common random numbers hold."""

from typing import ClassVar, Literal

import numpy as np
import pytest
from scipy import stats

from sim.interventions import Intervention
from sim.model import Model
from sim.rng import Keyed, Streams, key_of, stable_hash
from conftest import events_df, small_params


def test_stable_hash_is_fixed_across_runs():
    # A value computed once and written down: Python's hash() would change between runs.
    assert stable_hash("turnover") == stable_hash("turnover")
    assert stable_hash("turnover") != stable_hash("turnover.feeder")
    assert stable_hash("a") == 0x2F42665B399EF840


def test_same_seed_same_draws_and_replications_differ():
    a, b = Streams(7, 0), Streams(7, 0)
    assert np.array_equal(a.get("x").random(5), b.get("x").random(5))
    assert not np.array_equal(Streams(7, 1).get("x").random(5), Streams(7, 0).get("x").random(5))
    assert not np.array_equal(Streams(8, 0).get("x").random(5), Streams(7, 0).get("x").random(5))
    keys = np.arange(5, dtype=np.uint64)
    assert np.array_equal(a.keyed("x").uniform(keys, 3), b.keyed("x").uniform(keys, 3))
    assert not np.array_equal(Streams(7, 1).keyed("x").uniform(keys), Streams(7, 0).keyed("x").uniform(keys))
    assert not np.array_equal(Streams(7, 0).keyed("y").uniform(keys), Streams(7, 0).keyed("x").uniform(keys))


def test_extra_draws_from_one_stream_leave_others_unchanged():
    plain, disturbed = Streams(3), Streams(3)
    disturbed.get("training").random(1000)
    disturbed.keyed("training").uniform(np.arange(1000, dtype=np.uint64))
    assert np.array_equal(plain.get("appraisal").normal(size=10), disturbed.get("appraisal").normal(size=10))
    keys = np.arange(10, dtype=np.uint64)
    assert np.array_equal(plain.keyed("appraisal").normal(keys), disturbed.keyed("appraisal").normal(keys))


def test_a_keyed_draw_depends_only_on_its_parts():
    draw = Streams(11, 2).keyed("apply")
    keys = key_of("graduate:2020", np.arange(1000, dtype=np.uint64))
    whole = draw.uniform(keys, 5, 7)
    # order, subsets and scalar calls give the same numbers
    assert np.array_equal(draw.uniform(keys[::-1], 5, 7), whole[::-1])
    assert np.array_equal(draw.uniform(keys[500:], 5, 7), whole[500:])
    assert all(draw.uniform(int(k), 5, 7) == w for k, w in zip(keys[:50], whole[:50]))
    assert all(abs(draw.normal(int(k), 1) - n) < 1e-12 for k, n in zip(keys[:50], draw.normal(keys[:50], 1)))
    assert not np.array_equal(draw.uniform(keys, 5, 8), whole)
    assert not np.array_equal(draw.uniform(keys, 6, 7), whole)


def test_keyed_draws_are_uniform_and_uncorrelated():
    draw = Keyed(stable_hash("test"))
    n = 200_000
    u = draw.uniform(np.arange(n, dtype=np.uint64), 1)
    assert 0.0 < u.min() and u.max() < 1.0
    assert stats.kstest(u, "uniform").pvalue > 1e-3
    # neighbouring keys, and the same key at neighbouring steps, are independent
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 0.01
    v = draw.uniform(np.arange(n, dtype=np.uint64), 2)
    assert abs(np.corrcoef(u, v)[0, 1]) < 0.01
    z = draw.normal(np.arange(n, dtype=np.uint64), 3)
    assert stats.kstest(z, "norm").pvalue > 1e-3
    g = np.array([draw.gamma(4.0, 0.1, k, 4) for k in range(4000)])
    assert g.mean() == pytest.approx(0.4, rel=0.03)
    p = np.array([draw.poisson(0.6, k, 5) for k in range(20000)])
    assert p.mean() == pytest.approx(0.6, rel=0.03) and p.var() == pytest.approx(0.6, rel=0.05)


class _DisturbedTraining(Streams):
    """Streams whose keyed 'training.apply' draws come from a different base."""

    def keyed(self, name):
        stream = super().keyed(name)
        return Keyed(stream.base ^ 0xFFFF) if name == "training.apply" else stream


def test_disturbing_one_decision_changes_only_what_depends_on_it():
    # With no leadership feedback, trust quality depends only on its own streams: disturbing
    # the training applications must change who is trained but leave every inspection unchanged.
    params = small_params(performance={"leadership_feedback": 0.0})
    plain = events_df(Model(params, seed=5).run())
    model = Model(params, seed=5)
    model.streams.__class__ = _DisturbedTraining
    disturbed = events_df(model.run())

    def inspections(ev):
        return ev[ev.kind == "inspection"][["time", "org", "value"]].reset_index(drop=True)
    assert inspections(plain).equals(inspections(disturbed))
    trained = lambda ev: ev[ev.kind == "programme_start"].person.tolist()  # noqa: E731
    assert trained(plain) != trained(disturbed)


class _TroubleAtTrustZero(Intervention):
    """Test-only: the executives of trust 0 are removed three times as often."""
    type: Literal["trouble"] = "trouble"
    unit: ClassVar[str] = "none"

    def exit_hazards(self, rates, *, model, post, org):
        return rates if org.id != 0 else (rates[0], rates[1], rates[2], rates[3] * 3.0)


def test_a_change_at_one_trust_leaves_other_trusts_aligned_until_a_chain_reaches_them():
    params = small_params(trusts=20, performance={"leadership_feedback": 0.0})
    plain = events_df(Model(params, seed=3).run())
    changed = events_df(Model(params, seed=3, interventions=[_TroubleAtTrustZero(type="trouble", start=2003)]).run())
    # the first offer that differs is the first moment another trust can be affected (the
    # appointee's own post falls vacant, or a candidate is no longer available elsewhere)
    offers = [ev[ev.kind == "offer"][["time", "person", "post"]].reset_index(drop=True) for ev in (plain, changed)]
    n = min(map(len, offers))
    differ = (offers[0].iloc[:n] != offers[1].iloc[:n]).any(axis=1).to_numpy()
    reach = float(offers[0].time.iloc[int(np.argmax(differ))]) if differ.any() else float("inf")
    assert 2003 <= reach
    others = lambda ev: ev[(ev.org > 0) & (ev.time < reach)].reset_index(drop=True)  # noqa: E731
    assert others(plain).equals(others(changed))
    assert (others(plain).time >= 2003).sum() > 0 or reach == 2003  # the window after the change is not empty
    # trust 0's own executives did leave differently
    assert not plain[plain.org == 0].reset_index(drop=True).equals(changed[changed.org == 0].reset_index(drop=True))
    # inspections never depend on the executives (no feedback): identical everywhere, all run long
    insp = lambda ev: ev[ev.kind == "inspection"][["time", "org", "value"]].reset_index(drop=True)  # noqa: E731
    assert insp(plain).equals(insp(changed))


def test_baseline_against_itself_differs_by_exactly_nothing():
    params = small_params()
    a, b = events_df(Model(params, seed=9).run()), events_df(Model(params, seed=9).run())
    assert a.equals(b)
