"""Executive turnover: the yearly redraw of every holder's exit, all at once, draws what one
holder at a time would."""

import numpy as np
import pytest

from conftest import small_params
from sim.model import Model
from sim.processes import turnover


def _model_in_2006():
    params = small_params(trusts=30, workforce={"leave_rate_ratio": {"women": 1.3, "ethnic_minority": 0.8}})
    model = Model(params, seed=3)
    model.env.run(until=2006.5)
    held = [p for p in model.posts if p.holder >= 0 and not p.leaving]
    for i, org in enumerate(model.orgs):   # every rating, some in special measures
        org.rating, org.special_measures = i % 4, i % 3 == 0
    model.people.appraisal[held[0].holder] = np.nan   # never appraised
    return model, held


def test_rates_of_many_holders_are_each_holders_hazards_to_the_last_bit():
    model, held = _model_in_2006()
    assert any(model.env.now - p.appointed < model.params.turnover.early_tenure_years for p in held)
    rates = turnover._base_rates(model, held, turnover._this_year(model), model.env.now)
    assert [tuple(r) for r in rates.tolist()] == [turnover.hazards(model, p) for p in held]


def test_the_yearly_redraw_schedules_the_exits_one_holder_at_a_time_would(monkeypatch):
    model, held = _model_in_2006()
    assert len(held) >= turnover.BATCH

    def scheduled(batch):
        calls = []
        monkeypatch.setattr(turnover, "BATCH", batch)
        monkeypatch.setattr(model, "after", lambda delay, action, post, *args: calls.append((delay, post.id, *args)))
        turnover.schedule_exits(model, model.posts, until=2007.0)
        return calls
    at_once, one_by_one = scheduled(turnover.BATCH), scheduled(10**9)
    assert len(at_once) > 5
    assert at_once == one_by_one


def test_age_bands_are_numbered_as_a_binary_search_numbers_them():
    edges = np.array(turnover.AGE_BANDS)
    ages = np.concatenate([np.random.default_rng(3).uniform(0.0, 100.0, 10_000), edges,
                           np.nextafter(edges, 0.0), [np.nan, np.inf, -np.inf]])
    band = turnover.age_band(ages)
    assert band.tolist() == np.searchsorted(turnover.AGE_BANDS, ages, side="right").tolist()
    assert band[-3:].tolist() == [4, 4, 0]   # NaN in the last band, as searchsorted sorts it
