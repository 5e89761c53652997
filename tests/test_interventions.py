"""Each intervention acts only inside its window, and moves its mechanism the stated way."""

from pathlib import Path

import numpy as np
import pytest

from sim.entities import GRADE, ORIGIN
from sim.decisions import Decisions, Offer, overrides
from sim.interventions import REGISTRY
from sim.model import Model
from sim.processes import appraisal, entry, recruitment, training, turnover
from sim.runner import run_one
from sim.scenario import load
from conftest import events_df, small_params

ROOT = Path(__file__).resolve().parents[1]
INADEQUATE, GOOD = 3, 1


def make(kind, start=2000, stop=None, **settings):
    return REGISTRY[kind](type=kind, start=start, stop=stop, **settings)


def model_with(*interventions, **overrides):
    return Model(small_params(**overrides), seed=1, interventions=interventions)


def without(model, fn):
    """``fn()`` evaluated with the model's interventions switched off, then restored."""
    saved, model._deciders = model._deciders, {}
    try:
        return fn()
    finally:
        model._deciders = saved


def ceo_post(model, rating):
    post = next(p for p in model.posts if p.is_ceo)
    model.orgs[post.org].rating = rating
    return post


# -- every intervention ------------------------------------------------------------------------
def test_every_intervention_changes_a_decision_and_says_what_it_models():
    for kind, cls in REGISTRY.items():
        assert overrides(make(kind)), kind
        assert cls.recommendation and cls.mechanism and cls.unit, kind


@pytest.fixture(scope="module")
def baseline_events():
    return events_df(Model(small_params(), seed=1).run())


@pytest.mark.parametrize("kind", list(REGISTRY))
def test_no_effect_before_start_and_no_cost_outside_window(kind, baseline_events):
    late = events_df(Model(small_params(), seed=1, interventions=[make(kind, start=2100)]).run())
    assert late.equals(baseline_events), "an intervention that never starts changed the run"
    windowed = events_df(Model(small_params(), seed=1, interventions=[make(kind, start=2006, stop=2008)]).run())
    before = windowed[windowed.time < 2006].reset_index(drop=True)
    assert before.equals(baseline_events[baseline_events.time < 2006].reset_index(drop=True))
    cost = windowed[windowed.kind == "cost"]
    assert sorted(cost.time.unique()) == [2006.0, 2007.0]


def test_window_is_half_open():
    iv = make("new_deal", start=2020, stop=2025)
    assert not iv.active(2019.99) and iv.active(2020.0) and iv.active(2024.99) and not iv.active(2025.0)


# -- mechanisms, one intervention at a time ----------------------------------------------------------
def test_new_deal_lowers_exit_hazard_and_raises_attractiveness_of_supported_ceos():
    m = model_with(make("new_deal"))
    post = ceo_post(m, INADEQUATE)
    org = m.orgs[post.org]
    on, off = turnover.hazards(m, post), without(m, lambda: turnover.hazards(m, post))
    assert on[3] < off[3] and on[1] < off[1] and on[0] == off[0]
    assert recruitment.attractiveness(m, post) > without(m, lambda: recruitment.attractiveness(m, post))
    assert m.decide(Decisions.quality_support, 0.0, org=org) > 0
    org.rating = GOOD  # not challenged: no support
    assert turnover.hazards(m, post) == without(m, lambda: turnover.hazards(m, post))
    assert m.decide(Decisions.quality_support, 0.0, org=org) == 0


def test_graduate_scheme_expansion_multiplies_intake_and_guarantees_posts():
    m = model_with(make("graduate_scheme_expansion"), entry={"graduate_intake_multiplier": 1.0})
    assert entry.intake(m, 2010) == 1500 and without(m, lambda: entry.intake(m, 2010)) == 150
    assert m.decide(Decisions.graduate_job_at_completion, 0.89) == 1.0
    assert m.decide(Decisions.graduate_early_leave_rate, 0.06) == pytest.approx(0.03)


def test_graduate_scheme_expansion_fills_the_pipeline():
    def trainees(ivs):
        pipeline = Model(small_params(), seed=2, interventions=ivs).run().recorder.pipeline_table().to_pandas()
        return pipeline[(pipeline.grade == "graduate_trainee") & (pipeline.year == 2011)]["count"].sum()
    assert trainees([make("graduate_scheme_expansion", start=2005)]) > 6 * trainees([])


def test_regional_talent_boards_keep_regional_pools_and_cover_their_region():
    iv = make("regional_talent_boards", diversity_kitemark=True, approaches_per_region=7)
    m = model_with(iv)
    appraisal.appraise(m, 2000)  # readiness, as at the first tick
    iv.yearly(m, 2000)
    post = next(p for p in m.posts if p.role == "finance")
    region = m.orgs[post.org].region
    boards = m.decide(Decisions.placement_boards, [], post=post)
    assert len(boards) == 1 and boards[0].approaches_left == 7 and len(boards[0].pool) > 0
    assert (m.people.region[boards[0].pool] == region).all()
    assert np.isin(m.people.grade[boards[0].pool], (GRADE["senior_manager"], GRADE["executive_director"])).all()
    assert m.people.ready[boards[0].pool].all()
    assert m.decide(Decisions.search_time, 1.0, post=post) == 1.0   # no search-time cut for every exit
    assert m.decide(Decisions.selection_bias, -0.2) == pytest.approx(-0.1)


def test_national_talent_board_covers_chief_executive_posts_only():
    iv = make("national_talent_board", pool_size=5)
    m = model_with(iv)
    appraisal.appraise(m, 2000)
    iv.yearly(m, 2000)
    ceo = ceo_post(m, GOOD)
    boards = m.decide(Decisions.placement_boards, [], post=ceo)
    assert len(boards) == 1 and 0 < len(boards[0].pool) <= 5
    assert (m.people.grade[boards[0].pool] == GRADE["executive_director"]).all()
    finance = next(p for p in m.posts if p.role == "finance")
    assert m.decide(Decisions.placement_boards, [], post=finance) == []


def test_new_deal_offers_its_support_to_a_nominee():
    m = model_with(make("new_deal"))
    post = ceo_post(m, INADEQUATE)
    assert m.decide(Decisions.placement_offer, Offer(), post=post, person=0).support
    m.orgs[post.org].rating = GOOD
    assert m.decide(Decisions.placement_offer, Offer(), post=post, person=0) == Offer()


def test_leadership_programmes_expand_places_and_help_turnaround_leaders():
    m = model_with(make("leadership_programmes"))
    progs = {p.name: p for p in training.programmes(m)}
    assert progs["aspiring_chief_executive"].capacity == 40 and progs["turnaround"].capacity == 30
    post = ceo_post(m, INADEQUATE)
    before = turnover.hazards(m, post)
    idx = training.index(m, progs["turnaround"])
    m.people.programmes[post.holder] |= np.int16(1 << idx)
    after = turnover.hazards(m, post)
    assert after[3] < before[3] and after[1] < before[1]


def test_external_recruitment_brings_applicants_and_supports_them():
    m = model_with(make("external_recruitment"))
    post = ceo_post(m, GOOD)
    assert m.decide(Decisions.external_applicants, 1.0, post=post) == pytest.approx(2.5)
    post.appointed = m.env.now
    m.people.origin[post.holder] = ORIGIN["external"]
    assert turnover.hazards(m, post)[3] < without(m, lambda: turnover.hazards(m, post))[3]


def test_mentoring_lowers_early_tenure_exits_only():
    m = model_with(make("mentoring"))
    post = ceo_post(m, GOOD)
    post.appointed = m.env.now
    assert turnover.hazards(m, post)[1] < without(m, lambda: turnover.hazards(m, post))[1]
    post.appointed = m.env.now - 5
    assert turnover.hazards(m, post) == without(m, lambda: turnover.hazards(m, post))


def test_clinical_leadership_brings_more_and_better_prepared_clinicians():
    m = model_with(make("clinical_leadership"))
    assert m.decide(Decisions.clinicians_per_year, 10, profession="doctor") == pytest.approx(15)
    assert m.decide(Decisions.clinician_capability, 0.2) == pytest.approx(0.4)
    medical = next(p for p in m.posts if p.role == "medical")
    m.orgs[medical.org].rating = INADEQUATE
    assert recruitment.attractiveness(m, medical) > without(m, lambda: recruitment.attractiveness(m, medical))


def test_minimum_term_contracts_slow_early_exits_including_removal():
    m = model_with(make("minimum_term_contracts"))
    post = ceo_post(m, GOOD)
    post.appointed = m.env.now - 1
    on, off = turnover.hazards(m, post), without(m, lambda: turnover.hazards(m, post))
    assert on[1] < off[1] and on[2] < off[2] and on[3] < off[3]
    post.appointed = m.env.now - 4
    assert turnover.hazards(m, post) == without(m, lambda: turnover.hazards(m, post))


def test_management_standards_gate_readiness_on_accredited_training():
    m = model_with(make("management_standards"))
    people = m.people
    rows = np.flatnonzero(people.view("alive") & (people.view("grade") == GRADE["middle_manager"]))[:50]
    ready = np.ones(len(rows), dtype=bool)
    trained = training.completed(m, "senior_manager", rows)
    assert (m.decide(Decisions.readiness, ready, rows=rows) == trained).all()
    caps = {p.name: p for p in training.programmes(m)}
    base = {p.name: p.capacity for p in m.params.training.programmes}
    assert caps["senior_manager"].capacity == 3 * base["senior_manager"]
    assert caps["executive_readiness"].selection == "push"


def test_standard_appraisal_and_equality_action():
    assert model_with(make("standard_appraisal")).decide(Decisions.appraisal_noise, 1.0) == pytest.approx(0.6)
    assert model_with(make("equality_action")).decide(Decisions.selection_bias, -0.15) == 0.0


def test_mid_career_programme_sends_middle_managers():
    m = model_with(make("mid_career_programme"))
    prog = {p.name: p for p in training.programmes(m)}["mid_career"]
    assert prog.eligible_grade == "middle_manager" and prog.selection == "push"


def test_reduced_burden_lowers_leaving():
    m = model_with(make("reduced_burden"))
    post = ceo_post(m, GOOD)
    assert turnover.hazards(m, post)[1] < without(m, lambda: turnover.hazards(m, post))[1]
    assert m.decide(Decisions.feeder_leave_rate, 0.08, grade="middle_manager") < 0.08
    assert m.decide(Decisions.feeder_leave_rate, 0.025, grade="graduate_trainee") == 0.025


def test_intensive_support_covers_challenged_vacancies_with_interims():
    m = model_with(make("intensive_support"))
    post = ceo_post(m, INADEQUATE)
    assert m.decide(Decisions.interim_probability, 0.6, post=post) == 0.95
    m.orgs[post.org].rating = GOOD
    assert m.decide(Decisions.interim_probability, 0.6, post=post) == 0.6


# -- common random numbers -------------------------------------------------------------------------
def test_switching_an_intervention_on_leaves_untouched_decisions_alone():
    # With no leadership feedback, inspections depend only on their own streams. Equality action
    # changes who is appointed, but must not change a single inspection.
    params = small_params(performance={"leadership_feedback": 0.0})
    plain = events_df(Model(params, seed=4).run())
    acted = events_df(Model(params, seed=4, interventions=[make("equality_action", start=2001)]).run())
    def inspections(ev):
        return ev[ev.kind == "inspection"][["time", "org", "value"]].reset_index(drop=True)
    assert inspections(plain).equals(inspections(acted))
    appointed = lambda ev: ev[ev.kind == "appointment"].person.tolist()  # noqa: E731
    assert appointed(plain) != appointed(acted)


# -- the scenario library -------------------------------------------------------------------------------
SHORT = {"run": {"start_year": 2014, "report_from": 2017, "end_year": 2023},
         "params": {"system": {"trusts_by_type": {"acute": 8, "specialist": 1, "mental_health": 2, "community": 1,
                                                  "ambulance": 1}},
                    "workforce": {"middle_managers": 1000, "senior_managers": 500},
                    "entry": {"clinicians_per_year": {"doctor": 6, "nurse": 18, "allied_health": 4}}}}


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_scenario_file_validates_and_runs(path):
    scenario = load(path, overrides=SHORT)
    assert scenario.description.strip(), "a scenario needs a description a strategist understands"
    for iv in scenario.interventions:
        assert iv.source, f"{iv.type} in {path.name} cites no source"
    result = run_one(scenario)
    assert not result.kpis.empty
    cost = result.kpis[(result.kpis.kpi == "intervention_cost") & (result.kpis.group == "total")].value.sum()
    assert (cost > 0) == bool(scenario.interventions)


def test_packages_switch_on_each_intervention_once():
    combined = load(ROOT / "scenarios" / "all_reviews.yaml")
    kinds = [iv.type for iv in combined.interventions]
    assert len(kinds) == len(set(kinds))
    for package in ("kerr_2018", "rose_2015", "smith_2015", "messenger_2022"):
        assert {iv.type for iv in load(ROOT / "scenarios" / f"{package}.yaml").interventions} <= set(kinds)


def test_scenarios_readme_documents_every_intervention():
    text = (ROOT / "scenarios" / "README.md").read_text()
    for kind in REGISTRY:
        assert f"| `{kind}` |" in text, kind
        assert (ROOT / "scenarios" / f"{kind}.yaml").exists(), kind
