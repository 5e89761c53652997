"""Implementation curves: every intervention builds up from its start; none acts at once."""

from pathlib import Path

import numpy as np
import pytest
import simpy

from sim.interventions import REGISTRY
from sim.interventions.base import phase
from sim.model import Model
from sim.params.system import Programme
from sim.processes import turnover
from sim.processes.recruitment import Field
from sim.scenario import load
from conftest import events_df, small_params

ROOT = Path(__file__).resolve().parents[1]
# a small England for running the dated packages: 2014 to 2024
SMALL = {"run": {"start_year": 2012, "report_from": 2014, "end_year": 2024},
         "params": {"system": {"trusts_by_type": {"acute": 8, "specialist": 1, "mental_health": 2, "community": 1,
                                                  "ambulance": 1}},
                    "workforce": {"middle_managers": 1000, "senior_managers": 500},
                    "entry": {"graduate_intake_multiplier": 0.05,
                              "clinicians_per_year": {"doctor": 6, "nurse": 18, "allied_health": 4}}}}


def make(kind, **settings):
    return REGISTRY[kind](type=kind, **settings)


@pytest.mark.parametrize("shape, expected", [("linear", [0, 0.25, 0.5, 1, 1]), ("step", [0, 0, 0, 1, 1]),
                                             ("s_curve", [0, 0.15625, 0.5, 1, 1])])
def test_strength_rises_from_nothing_to_everything_along_its_shape(shape, expected):
    iv = make("reduced_burden", start=2020, ramp_years=4, ramp_shape=shape)
    assert [iv.strength(t) for t in (2020, 2021, 2022, 2024, 2030)] == pytest.approx(expected)
    assert make("reduced_burden", start=2020, ramp_years=0).strength(2020) == 1.0


def test_every_intervention_has_an_implementation_curve_with_a_source():
    for kind, cls in REGISTRY.items():
        fields = cls.model_fields
        assert {"ramp_years", "ramp_shape"} <= set(fields), kind
        assert "unit" in (fields["ramp_years"].json_schema_extra or {}), kind


def test_phase_moves_each_kind_of_decision_part_way():
    assert phase(1.0, 0.6, 0.5) == pytest.approx(0.8)                         # a multiplier's effect
    assert phase(0.0, 0.1, 0.25) == pytest.approx(0.025)                      # an added quantity
    assert phase((0.1, 0.2, 0.3, 0.4), (0.1, 0.1, 0.3, 0.2), 0.5) == pytest.approx((0.1, 0.15, 0.3, 0.3))
    assert phase(np.array([1.0, 1.0]), np.array([0.5, 1.0]), 0.5) == pytest.approx([0.75, 1.0])
    prog = Programme(name="p", eligible_grade="middle_manager", capacity=100, duration=1, cost_per_place=1,
                     capability_gain=0.1, selection="pull", apply_rate=0.1, grants_readiness=False, source="s")
    grown = phase((prog,), (prog.model_copy(update={"capacity": 300, "selection": "push"}),), 0.5)[0]
    assert grown.capacity == 200 and grown.selection == "push"
    new = phase((), (prog,), 0.25)[0]
    assert new.capacity == 25
    kept = Field("internal_promotion", np.arange(3), 2, 0.1)
    added = Field("talent_pool", np.arange(3), 2, 0.4, 0.2)
    assert phase([kept], [kept, added], 0.5) == [kept, added._replace(w=0.2, w_free=0.1)]
    ready = np.array([True, False])
    assert phase(ready, ~ready, 0.0) is ready and (phase(ready, ~ready, 0.5) == ~ready).all()


def test_a_decision_takes_effect_in_proportion_to_the_strength():
    iv = make("reduced_burden", start=2000, ramp_years=2)
    m = Model(small_params(), seed=1, interventions=[iv])
    post = next(p for p in m.posts if p.holder >= 0)
    off = iv_off(m, lambda: turnover.hazards(m, post))
    assert turnover.hazards(m, post) == off                       # at the start: nothing yet
    m.env = simpy.Environment(initial_time=2001.0)
    off = iv_off(m, lambda: turnover.hazards(m, post))
    assert turnover.hazards(m, post)[1] == pytest.approx(off[1] * (1 + 0.5 * (0.85 - 1)))


def iv_off(model, fn):
    saved, model._deciders = model._deciders, {}
    try:
        return fn()
    finally:
        model._deciders = saved


# -- dated packages build up ---------------------------------------------------------------------------
def package(name):
    return load(ROOT / "scenarios" / f"{name}.yaml", overrides=SMALL)


def events(scenario):
    return events_df(Model(scenario.params, seed=scenario.run.seed, interventions=scenario.interventions).run())


@pytest.fixture(scope="module")
def baseline_events():
    return events(package("baseline"))


@pytest.mark.parametrize("name", ["kerr_2018", "rose_2015"])
def test_a_package_changes_nothing_before_its_start(name, baseline_events):
    scenario = package(name)
    first = min(iv.start for iv in scenario.interventions)
    assert first > SMALL["run"]["report_from"]
    on, off = events(scenario), baseline_events
    before = lambda ev: ev[ev.time < first].reset_index(drop=True)  # noqa: E731
    assert len(before(on)) > 1000 and before(on).equals(before(off))
    assert not on[on.time >= first].reset_index(drop=True).equals(off[off.time >= first].reset_index(drop=True))


def test_the_graduate_scheme_of_the_rose_package_grows_over_four_intakes():
    ev = events(package("rose_2015"))
    starts = ev[(ev.kind == "entry") & (ev.cause == "graduate_scheme")].groupby("time").size()
    intake = [int(starts.get(float(y), 0)) for y in range(2017, 2023)]
    assert intake[0] == 8                                          # 2017: before the start (2017.54)
    assert all(a < b for a, b in zip(intake, intake[1:5])), intake  # 2018-2021: one step a year
    assert intake[1] < 0.3 * 75 and intake[5] == 75, intake       # not at once; then 1,500 × 0.05


def test_the_kerr_package_lowers_exits_step_by_step_not_at_once():
    scenario = package("kerr_2018")
    first = min(iv.start for iv in scenario.interventions)
    m = Model(scenario.params, seed=1, interventions=scenario.interventions)
    held = [p for p in m.posts if p.holder >= 0]

    def ratio(t):
        m.env = simpy.Environment(initial_time=t)
        on = sum(turnover.hazards(m, p)[1] for p in held)
        return on / iv_off(m, lambda: sum(turnover.hazards(m, p)[1] for p in held))
    effect = [1 - ratio(first + years) for years in (0, 0.5, 1, 2, 4)]
    assert effect[0] == pytest.approx(0)
    assert all(a < b for a, b in zip(effect, effect[1:4])), effect
    assert effect[1] < 0.5 * effect[3]
