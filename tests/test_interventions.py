"""Each intervention acts only inside its window, and moves its mechanism the stated way."""

import re
from pathlib import Path

import numpy as np
import pytest
import simpy

from sim.entities import GRADE, ORIGIN, PROFESSION
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
# Each test of an intervention that represents a recommendation checks what the recommendation
# says (file:line in the intervention's docstring) — including what it does *not* cover.

def at(model, t):
    """The model's clock moved to ``t`` (for asking decisions; no process runs)."""
    model.env = simpy.Environment(initial_time=t)
    return model


def test_new_deal_is_made_with_an_incoming_chief_executive_of_a_challenged_trust_only():
    m = model_with(make("new_deal", ramp_years=0))
    post = ceo_post(m, INADEQUATE)
    org = m.orgs[post.org]
    hazards = lambda: (turnover.hazards(m, post), without(m, lambda: turnover.hazards(m, post)))  # noqa: E731
    on, off = hazards()
    assert on == off, "an incumbent has no deal (Kerr: an *incoming* chief executive)"
    assert m.decide(Decisions.quality_support, 0.0, org=org) == 0.0, "no deal, no support"
    assert recruitment.attractiveness(m, post) > without(m, lambda: recruitment.attractiveness(m, post))
    director = next(p for p in m.posts if p.org == org.id and not p.is_ceo)
    assert recruitment.attractiveness(m, director) == without(m, lambda: recruitment.attractiveness(m, director))
    m.after_appointment(post, post.holder)           # a new chief executive starts: the deal is made
    on, off = hazards()
    assert on[3] < off[3] and on[1] < off[1] and on[0] == off[0]
    sm = m.params.performance.special_measures_support
    support = m.decide(Decisions.quality_support, 0.0, org=org)
    assert support == pytest.approx(0.5 * sm) and 0 < support <= sm
    org.rating = GOOD                                # the deal runs its agreed period whatever the rating
    on, off = hazards()
    assert on[3] < off[3] and m.decide(Decisions.quality_support, 0.0, org=org) > 0
    at(m, 2003.01)                                   # … and then ends
    on, off = hazards()
    assert on == off and m.decide(Decisions.quality_support, 0.0, org=org) == 0.0


def test_new_deal_makes_only_a_few_deals_and_books_their_capital():
    m = model_with(make("new_deal", ramp_years=0, max_deals=2))
    ceos = [p for p in m.posts if p.is_ceo][:4]
    for post in ceos:
        m.orgs[post.org].rating = INADEQUATE
        m.after_appointment(post, post.holder)
    deals = m.intervention_state["new_deal"]
    assert sorted(deals) == sorted(p.org for p in ceos[:2])
    assert not recruitment.attractiveness(m, ceos[3]) > without(m, lambda: recruitment.attractiveness(m, ceos[3]))
    ev = events_df(m)
    assert (ev.kind == "deal").sum() == 2
    assert ev[ev.kind == "cost"].value.sum() == pytest.approx(2 * (5_000_000 + 500_000))


def test_new_deal_support_cannot_exceed_the_special_measures_regime():
    with pytest.raises(ValueError):
        make("new_deal", support_share=1.5)


def test_challenged_roles_offer_covers_every_executive_of_a_challenged_trust():
    m = model_with(make("challenged_roles_offer", ramp_years=0))
    post = ceo_post(m, INADEQUATE)
    org = m.orgs[post.org]
    director = next(p for p in m.posts if p.org == org.id and not p.is_ceo)
    on, off = turnover.hazards(m, director), without(m, lambda: turnover.hazards(m, director))
    assert on[3] < off[3] and on[1] < off[1]
    assert recruitment.attractiveness(m, director) > without(m, lambda: recruitment.attractiveness(m, director))
    sm = m.params.performance.special_measures_support
    assert m.decide(Decisions.quality_support, 0.0, org=org) == pytest.approx(0.5 * sm)
    org.special_measures = True                      # the special-measures regime already supports it
    assert m.decide(Decisions.quality_support, 0.0, org=org) == 0.0
    org.rating, org.special_measures = GOOD, False
    assert turnover.hazards(m, director) == without(m, lambda: turnover.hazards(m, director))
    # upward career progression (004:349): credited challenged postings count at any later interview
    assert m.decide(Decisions.career_reward, 0.0, post=director) == pytest.approx(0.2)


def test_graduate_scheme_expansion_aims_at_ten_times_the_intake_rose_saw():
    m = model_with(make("graduate_scheme_expansion", ramp_years=0), entry={"graduate_intake_multiplier": 1.0})
    # an absolute target: 1,500 a year, not ten times the later (larger) published intakes
    assert entry.intake(m, 2010) == 1500 and without(m, lambda: entry.intake(m, 2010)) == 150
    assert entry.intake(m, 2019) == 1500 and without(m, lambda: entry.intake(m, 2019)) == 200
    assert m.decide(Decisions.graduate_scheme_years, 2.0, stream="general") == 3.0
    assert m.decide(Decisions.graduate_scheme_years, 2.5, stream="finance") == 3.5
    assert m.decide(Decisions.graduate_job_at_completion, 0.89) == 0.95   # "quality and assessment permitting"
    assert m.decide(Decisions.graduate_early_leave_rate, 0.06) == pytest.approx(0.03)
    ramped = model_with(make("graduate_scheme_expansion", ramp_years=4), entry={"graduate_intake_multiplier": 1.0})
    assert entry.intake(at(ramped, 2001), 2001) == pytest.approx(170 + 0.25 * (1500 - 170), abs=1)  # 170 published
    assert ramped.decide(Decisions.graduate_scheme_years, 2.0, stream="general") == 3.0  # all or nothing


def trainee_years(ev, years) -> float:
    """Trainee-years run in ``years``, from the event log: entry into the scheme to completion or exit."""
    start = ev[(ev.kind == "entry") & (ev.cause == "graduate_scheme")].set_index("person").time
    ends = ev[((ev.kind == "promotion") & (ev.cause == "graduate_completion")) | ((ev.kind == "exit") & (ev.value == 0))]
    end = ends.groupby("person").time.min().reindex(start.index).fillna(np.inf)
    return float(sum(np.clip(np.minimum(end, y + 1) - np.maximum(start, y), 0, None).sum() for y in years))


def test_graduate_scheme_books_the_trainee_years_it_runs():
    iv = make("graduate_scheme_expansion", start=2004, ramp_years=2)
    base = events_df(Model(small_params(), seed=3).run())
    ev = events_df(Model(small_params(), seed=3, interventions=[iv]).run())
    years = range(2004, 2012)
    extra = trainee_years(ev, years) - trainee_years(base, years)
    booked = ev[(ev.kind == "cost") & (ev.cause == "graduate_scheme_expansion")].value.sum()
    assert extra > 100
    assert booked == pytest.approx(extra * iv.cost_per_unit, rel=0.01)


def test_graduate_scheme_expansion_fills_the_pipeline():
    def trainees(ivs):
        pipeline = Model(small_params(), seed=2, interventions=ivs).run().recorder.pipeline_table().to_pandas()
        return pipeline[(pipeline.grade == "graduate_trainee") & (pipeline.year == 2011)]["count"].sum()
    assert trainees([make("graduate_scheme_expansion", start=2005)]) > 6 * trainees([])


def test_leadership_programmes_add_modules_not_places():
    m = model_with(make("leadership_programmes"))
    progs = {p.name: p for p in training.programmes(m)}
    base = {p.name: p for p in m.params.training.programmes}
    assert {n: p.capacity for n, p in progs.items()} == {n: p.capacity for n, p in base.items()}
    assert progs["aspiring_chief_executive"].capability_gain > base["aspiring_chief_executive"].capability_gain
    post = ceo_post(m, INADEQUATE)
    idx = training.index(m, progs["aspiring_chief_executive"])
    m.people.programmes[post.holder] |= np.int16(1 << idx)
    m.people.programme_end[post.holder] = 1999.0     # completed before the modules existed
    assert turnover.hazards(m, post) == without(m, lambda: turnover.hazards(m, post))
    m.people.programme_end[post.holder] = 2000.0     # completed with the module
    on, off = turnover.hazards(m, post), without(m, lambda: turnover.hazards(m, post))
    assert on[3] < off[3] and on[1] < off[1]
    m.orgs[post.org].rating = GOOD
    assert turnover.hazards(m, post) == without(m, lambda: turnover.hazards(m, post))


def test_external_recruitment_brings_applicants_but_leaves_exits_as_in_the_baseline():
    iv = make("external_recruitment")
    assert "exit_hazards" not in overrides(iv)       # the baseline has no early-exit risk to reduce
    m = at(model_with(iv), 2000 + iv.ramp_years)
    post = ceo_post(m, GOOD)
    assert m.decide(Decisions.external_applicants, 1.0, post=post) == pytest.approx(2.5)
    assert at(m, 2000 + iv.ramp_years / 2).decide(Decisions.external_applicants, 1.0, post=post) \
        == pytest.approx(1.75)


def test_mentoring_is_for_the_talent_cohorts_and_diverse_leaders():
    m = model_with(make("mentoring", ramp_years=0))
    post = ceo_post(m, GOOD)
    h = post.holder
    post.appointed = m.env.now
    m.people.origin[h], m.people.ethnic_minority[h] = ORIGIN["internal_manager"], False
    m.people.programmes[h] = 0
    assert turnover.hazards(m, post) == without(m, lambda: turnover.hazards(m, post)), "not in a talent cohort"
    for change in ({"ethnic_minority": True}, {"origin": ORIGIN["external"]}, {"programmes": 1 << 1}):
        for column, value in change.items():
            getattr(m.people, column)[h] = value
        assert turnover.hazards(m, post)[1] < without(m, lambda: turnover.hazards(m, post))[1], change
        m.people.origin[h], m.people.ethnic_minority[h], m.people.programmes[h] = ORIGIN["internal_manager"], False, 0
    m.people.ethnic_minority[h] = True
    post.appointed = m.env.now - 5                   # past the first years in post
    assert turnover.hazards(m, post) == without(m, lambda: turnover.hazards(m, post))


def test_clinical_leadership_acts_through_education_with_a_lag():
    iv = make("clinical_leadership")
    assert "attractiveness" not in overrides(iv)     # Kerr 1.7 is about clinical trainees, not director posts
    m = model_with(iv)
    assert m.decide(Decisions.clinician_capability, 0.2) == 0.2
    assert at(m, 2002.9).decide(Decisions.clinician_capability, 0.2) == 0.2   # still in education
    assert at(m, 2008).decide(Decisions.clinician_capability, 0.2) == pytest.approx(0.2 + 0.5 * 0.2)
    assert at(m, 2014).decide(Decisions.clinician_capability, 0.2) == pytest.approx(0.4)
    assert m.decide(Decisions.clinicians_per_year, 10, profession="doctor") == 10  # no more clinicians asked for


def test_management_standards_phase_the_gate():
    m = model_with(make("management_standards", ramp_years=0))
    people = m.people
    mid = np.flatnonzero(people.view("alive") & (people.view("grade") == GRADE["middle_manager"]))[:40]
    people.profession[mid] = PROFESSION["non_clinical"]
    people.origin[mid] = ORIGIN["internal_manager"]
    people.programmes[mid] = 0
    ready = np.ones(len(mid), dtype=bool)
    people.grade_since[mid] = 1995.0                 # in the grade before the start: not yet gated
    assert m.decide(Decisions.readiness, ready, rows=mid).all()
    people.grade_since[mid] = 2000.0                 # new to the grade: gated at once
    assert not m.decide(Decisions.readiness, ready, rows=mid).any()
    people.origin[mid] = ORIGIN["external"]          # a lateral entrant has a grace period
    assert m.decide(Decisions.readiness, ready, rows=mid).all()
    people.grade_since[mid], people.origin[mid] = 1995.0, ORIGIN["internal_manager"]
    assert not at(m, 2003).decide(Decisions.readiness, ready, rows=mid).any()   # after the transition
    people.profession[mid] = PROFESSION["nurse"]     # clinical managers come later
    assert at(m, 2004.9).decide(Decisions.readiness, ready, rows=mid).all()
    assert not at(m, 2005).decide(Decisions.readiness, ready, rows=mid).any()
    caps = {p.name: p for p in training.programmes(m)}
    assert caps["senior_manager"].capacity == round(m.params.workforce.middle_managers / 15)
    assert caps["executive_readiness"].selection == "push"


def test_standard_appraisal_reaches_non_clinical_managers_first():
    m = model_with(make("standard_appraisal"))
    people = m.people
    rows = np.flatnonzero(people.view("alive") & (people.view("grade") >= GRADE["middle_manager"]))[:20]
    people.profession[rows[:10]], people.profession[rows[10:]] = PROFESSION["non_clinical"], PROFESSION["nurse"]
    assert (m.decide(Decisions.appraisal_noise, 1.0, rows=rows) == 1.0).all()          # ramp: nothing yet
    sd = at(m, 2001.5).decide(Decisions.appraisal_noise, 1.0, rows=rows)
    assert sd[:10] == pytest.approx(0.8) and (sd[10:] == 1.0).all()
    assert at(m, 2003).decide(Decisions.appraisal_noise, 1.0, rows=rows) == pytest.approx(0.6)
    senior = model_with(make("standard_appraisal", ramp_years=0, first_group="senior"))
    sd = senior.decide(Decisions.appraisal_noise, 1.0, rows=rows)
    assert (sd[senior.people.grade[rows] == GRADE["middle_manager"]] == 1.0).all()
    assert (sd[senior.people.grade[rows] >= GRADE["senior_manager"]] == pytest.approx(0.6))


def test_mid_career_programme_sizes_its_places_from_the_grade():
    m = at(model_with(make("mid_career_programme")), 2003)
    prog = {p.name: p for p in training.programmes(m)}["mid_career"]
    assert prog.eligible_grade == "middle_manager" and prog.selection == "push"
    assert prog.capacity == round(m.params.workforce.middle_managers / 10)


def test_reduced_burden_lowers_executives_leaving_only():
    iv = make("reduced_burden", ramp_years=0)
    assert "feeder_leave_rate" not in overrides(iv)  # Kerr 3.1 is about executive leaders
    m = model_with(iv)
    post = ceo_post(m, GOOD)
    assert turnover.hazards(m, post)[1] < without(m, lambda: turnover.hazards(m, post))[1]


def test_intensive_support_withdrawn_takes_away_interims_and_support_and_saves_money():
    m = model_with(make("intensive_support_withdrawn", ramp_years=0))
    post = ceo_post(m, INADEQUATE)
    org = m.orgs[post.org]
    assert m.decide(Decisions.interim_probability, 0.8, post=post) == pytest.approx(0.56)
    assert m.decide(Decisions.special_measures_support, 0.1, org=org) == pytest.approx(0.07)
    org.rating = GOOD
    assert m.decide(Decisions.interim_probability, 0.8, post=post) == 0.8
    ev = events_df(Model(small_params(), seed=1, interventions=[make("intensive_support_withdrawn")]).run())
    assert (ev[ev.kind == "cost"].value <= 0).all() and ev[ev.kind == "cost"].value.sum() < 0


def test_every_intervention_cites_its_recommendation_by_file_and_line():
    import importlib
    others = {"equality_action"}
    for kind, cls in REGISTRY.items():
        if kind in others:   # the module of the equality work
            continue
        doc = importlib.import_module(cls.__module__).__doc__
        assert re.search(r"\b00[0-4]:\d+", doc) and re.search(r"\b00[0-4]:\d+", cls.recommendation), kind


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
    assert m.decide(Decisions.selection_bias, -0.2, stage="interview") == pytest.approx(-0.1)


def test_boards_and_the_cadre_build_up_along_their_curve():
    board = make("regional_talent_boards", approaches_per_region=12, ramp_years=4)
    m = model_with(board)
    appraisal.appraise(m, 2000)
    board.yearly(at(m, 2001), 2001)
    assert {b.approaches_left for k, b in m.boards.items()} == {3}          # a quarter of the way
    board.yearly(at(m, 2004), 2004)
    assert {b.approaches_left for k, b in m.boards.items()} == {12}
    cadre = make("central_cadre", size=20, ramp_years=2)
    m = model_with(cadre)
    appraisal.appraise(m, 2000)
    cadre.yearly(m, 2000)
    assert (m.people.view("cadre") != 0).sum() == 0                        # nothing at the start
    cadre.yearly(at(m, 2001), 2001)
    assert (m.people.view("cadre") != 0).sum() == 10


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


def test_new_deal_offers_its_package_to_a_nominee_for_a_post_that_comes_with_a_deal():
    m = model_with(make("new_deal", ramp_years=0))
    post = ceo_post(m, INADEQUATE)
    assert m.decide(Decisions.placement_offer, Offer(), post=post, person=0).support
    director = next(p for p in m.posts if p.org == post.org and not p.is_ceo)
    assert m.decide(Decisions.placement_offer, Offer(), post=director, person=0) == Offer()   # CEOs only
    m.after_appointment(post, post.holder)           # the trust now has its deal: no second one
    assert m.decide(Decisions.placement_offer, Offer(), post=post, person=0) == Offer()
    m.orgs[post.org].rating = GOOD
    assert m.decide(Decisions.placement_offer, Offer(), post=post, person=0) == Offer()


def test_minimum_term_contracts_slow_early_exits_including_removal():
    m = model_with(make("minimum_term_contracts"))
    post = ceo_post(m, GOOD)
    post.appointed = m.env.now - 1
    on, off = turnover.hazards(m, post), without(m, lambda: turnover.hazards(m, post))
    assert on[1] < off[1] and on[2] < off[2] and on[3] < off[3]
    post.appointed = m.env.now - 4
    assert turnover.hazards(m, post) == without(m, lambda: turnover.hazards(m, post))


def test_equality_action_removes_the_bias():
    assert model_with(make("equality_action")).decide(Decisions.selection_bias, -0.15, stage="appraisal") == 0.0


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
SHORT = {"run": {"start_year": 2014, "report_from": 2017, "end_year": 2026},  # every package has started
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
    cost = result.kpis[result.kpis.kpi == "intervention_cost"]
    # costs are booked at the 1 January ticks: an intervention active at any tick of the run books
    ticks = range(scenario.run.start_year, scenario.run.end_year)
    started = {iv.label for iv in scenario.interventions if any(iv.active(t) for t in ticks)}
    assert started <= set(cost.group), "every intervention that starts books its cost"
    if not scenario.interventions:
        assert (cost.value == 0).all()


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
