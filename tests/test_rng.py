"""Named random streams: reproducible, and independent of each other."""

import numpy as np

from sim.model import Model
from sim.rng import Streams, stable_hash
from conftest import small_params


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


def test_extra_draws_from_one_stream_leave_others_unchanged():
    plain, disturbed = Streams(3), Streams(3)
    disturbed.get("training").random(1000)
    assert np.array_equal(plain.get("appraisal").normal(size=10), disturbed.get("appraisal").normal(size=10))


class _DisturbedStreams(Streams):
    """Streams whose 'training' generator has had 10,000 extra draws taken from it."""

    def get(self, name):
        fresh = name not in self._streams
        gen = super().get(name)
        if fresh and name == "training":
            gen.random(10_000)
        return gen


def test_extra_draws_in_model_change_only_what_depends_on_them():
    # With no leadership feedback, trust quality depends only on its own streams: disturbing
    # the training stream must change who is trained but leave every inspection unchanged.
    params = small_params(performance={"leadership_feedback": 0.0})
    plain = Model(params, seed=5).run()
    disturbed = Model(params, seed=5)
    disturbed.streams.__class__ = _DisturbedStreams
    disturbed.run()
    ev_a = plain.recorder.events_table().to_pandas()
    ev_b = disturbed.recorder.events_table().to_pandas()
    insp_a = ev_a[ev_a.kind == "inspection"][["time", "org", "value"]].reset_index(drop=True)
    insp_b = ev_b[ev_b.kind == "inspection"][["time", "org", "value"]].reset_index(drop=True)
    assert insp_a.equals(insp_b)
    train_a = ev_a[ev_a.kind == "programme_start"].person.tolist()
    train_b = ev_b[ev_b.kind == "programme_start"].person.tolist()
    assert train_a != train_b
