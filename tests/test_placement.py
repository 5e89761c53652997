"""Placement into challenged trusts, the central cadre and career reward: each moves outcomes the stated
way, changes nothing at its neutral value, and keeps common random numbers."""

from typing import ClassVar, Literal

import numpy as np
import pandas as pd
import pytest

from sim.decisions import Decisions, Offer
from sim.definitions import challenged
from sim.entities import GRADE, PROFESSION, ROLE
from sim.interventions import REGISTRY, Intervention
from sim.model import Model
from sim.processes import appraisal, placement
from sim.processes.placement import Board
from sim.tables import Tables
from conftest import events_df, small_params
from test_invariants import check_invariants

MOSTLY_CHALLENGED = {"outstanding": 0.03, "good": 0.3, "requires_improvement": 0.37, "inadequate": 0.3}
END = 2012


def params(end=END, **overrides):
    """A small system in which about a third of trusts are rated inadequate: many challenged searches."""
    return small_params(trusts=20, end=end, system={"initial_rating_mix": MOSTLY_CHALLENGED}, **overrides)


def boards(approaches=100, **settings):
    return [REGISTRY["regional_talent_boards"](type="regional_talent_boards", start=2002,
                                               approaches_per_region=approaches, **settings),
            REGISTRY["national_talent_board"](type="national_talent_board", start=2002, approaches_per_year=approaches)]


def cadre(**settings):
    return REGISTRY["central_cadre"](type="central_cadre", start=2002, **settings)


def run(interventions=(), seed=1, end=END, **overrides):
    return Model(params(end, **overrides), seed=seed, interventions=list(interventions)).run()


def without(ev, *kinds):
    return ev[~ev.kind.isin(kinds)].reset_index(drop=True)


def tables(model) -> Tables:
    r = model.recorder
    return Tables(r.events_table().to_pandas(), r.posts_table().to_pandas(), r.orgs_table().to_pandas(),
                  end=float(END))


@pytest.fixture(scope="module")
def baseline():
    return {seed: events_df(run(seed=seed)) for seed in (1, 2, 3)}


# -- neutral values ------------------------------------------------------------------------------------
def test_boards_without_approaches_and_an_empty_cadre_change_nothing(baseline):
    ev = events_df(run(boards(approaches=0) + [cadre(size=0)]))
    assert not (ev.kind.isin(["nomination", "approach"])).any()
    assert without(ev, "cost").equals(baseline[1])


def test_when_nobody_accepts_the_open_search_runs_exactly_as_without_boards(baseline):
    ev = events_df(run(boards(), placement={"acceptance": 0.0}))
    assert (ev.kind == "approach").sum() > 20 and (ev[ev.kind == "approach"].value == 0).all()
    assert without(ev, "cost", "nomination", "approach").equals(baseline[1])


def test_credit_without_reward_changes_nothing_but_the_credits(baseline):
    ev = events_df(run(placement={"credit_years": 0.5, "improvement_credit_years": 0.0}))
    assert (ev.kind == "career_credit").sum() > (baseline[1].kind == "career_credit").sum()
    assert without(ev, "career_credit").equals(without(baseline[1], "career_credit"))


def test_a_run_with_boards_and_a_cadre_repeats_itself():
    ivs = boards() + [cadre()]
    assert events_df(run(ivs, seed=4)).equals(events_df(run(ivs, seed=4)))


# -- placement moves outcomes ------------------------------------------------------------------------
def _challenged_appointments(model):
    t = tables(model)
    app = t.events[(t.events.kind == "appointment") & (t.events.time >= 2003)]
    return app[t.challenged_at(app.org, app.time)]


def _challenged_vacant_share(model):
    posts = tables(model).posts_at_trusts
    posts = posts[(posts.year >= 2003) & challenged(posts.rating, posts.special_measures)]
    return (posts.state != "substantive").mean()


def test_placement_fills_posts_at_challenged_trusts_and_shortens_their_vacancies():
    placed, gaps_on, gaps_off, vacant_on, vacant_off = [], [], [], [], []
    for seed in (1, 2, 3):
        on, off = run(boards(), seed=seed), run(seed=seed)
        check_invariants(on)
        app_on, app_off = _challenged_appointments(on), _challenged_appointments(off)
        assert (app_off.cause == "placement").sum() == 0
        placed.append((app_on.cause == "placement").mean())
        gaps_on.append(app_on.value.mean())
        gaps_off.append(app_off.value.mean())
        vacant_on.append(_challenged_vacant_share(on))
        vacant_off.append(_challenged_vacant_share(off))
    assert min(placed) > 0.2
    assert np.mean(gaps_on) < 0.8 * np.mean(gaps_off)
    assert np.mean(vacant_on) < np.mean(vacant_off)


def test_nominations_are_eligible_in_order_of_suitability_within_capacity():
    m = run(boards(approaches=5))
    ev = events_df(m)
    nom = ev[ev.kind == "nomination"]
    assert len(nom) > 0
    for _, group in nom.groupby(["time", "post", "cause"], sort=False):
        assert (np.diff(group.value.to_numpy()) <= 0).all()  # most suitable first
        assert len(group) <= m.params.placement.nominees_per_post
    # an approach is made (and counted against the year's capacity) approach_years before its answer
    made = ev.time - m.params.placement.approach_years
    ap = ev[ev.kind == "approach"].assign(year=lambda f: np.floor(made[f.index] + 1e-9).astype(int))
    per_board_year = ap.groupby(["year", "cause"]).size()
    assert per_board_year.loc[(slice(None), "national_talent_board")].max() <= 5
    # every appointment by placement follows an accepted approach to the same person for the same post
    accepted = set(zip(ap.person[ap.value == 1], ap.post[ap.value == 1]))
    offers = ev[(ev.kind == "offer") & (ev.cause == "placement")]
    assert len(offers) > 0 and set(zip(offers.person, offers.post)) <= accepted


def test_eligibility_follows_grade_role_profession_and_availability():
    m = Model(params(), seed=1)
    appraisal.appraise(m, 2000)
    people = m.people
    medical = next(p for p in m.posts if p.role == "medical")
    rows = np.flatnonzero(people.view("alive") & (people.view("grade") >= GRADE["senior_manager"]))
    ok = placement.eligible(m, Board("b", "b", rows, 10), medical)
    step_up = people.grade[ok] == GRADE["senior_manager"]
    assert step_up.any() and (~step_up).any()
    assert (people.profession[ok] == PROFESSION["doctor"]).all()
    assert (people.last_role[ok[~step_up]] == ROLE["medical"]).all()
    assert (people.available[ok] >= 0).all()
    someone = ok[0]
    people.reserved[someone] = True
    people.refresh(someone)
    assert someone not in placement.eligible(m, Board("b", "b", rows, 10), medical)


def test_acceptance_rises_with_the_offer_and_for_a_step_up_and_falls_with_distance():
    m = Model(params(), seed=1)
    people = m.people
    ceo = next(p for p in m.posts if p.is_ceo)
    director = next(r for r in range(people.n) if people.grade[r] == GRADE["executive_director"])
    people.region[director] = m.orgs[ceo.org].region
    bare = placement.acceptance(m, director, ceo, Offer())
    richer = [Offer(support=True), Offer(pay_premium=0.2), Offer(guaranteed_return=True),
              Offer(support=True, pay_premium=0.2, guaranteed_return=True)]
    values = [placement.acceptance(m, director, ceo, o) for o in richer]
    assert all(bare < v for v in values[:3]) and values[3] > max(values[:3])
    people.region[director] = (m.orgs[ceo.org].region + 1) % 7
    assert placement.acceptance(m, director, ceo, Offer()) < bare
    people.grade[director] = GRADE["chief_executive"]   # the same post as a sideways move
    people.region[director] = m.orgs[ceo.org].region
    assert placement.acceptance(m, director, ceo, Offer()) == pytest.approx(m.params.placement.acceptance)
    assert placement.acceptance(m, director, ceo, Offer()) < bare


class RicherOffer(Intervention):
    """A test intervention: every nominee is offered a 20% premium and a guaranteed return."""
    type: Literal["richer_offer"] = "richer_offer"
    recommendation: ClassVar[str] = "test"

    def placement_offer(self, offer, *, model, post, person):
        return offer._replace(pay_premium=0.2, guaranteed_return=True)


def test_a_richer_offer_raises_the_share_of_nominees_who_accept():
    def rate(ivs):
        ev = pd.concat([events_df(run(ivs, seed=s)) for s in (1, 2)])
        return ev[ev.kind == "approach"].value.mean()
    assert rate(boards() + [RicherOffer(start=2002)]) > rate(boards()) + 0.1


# -- the central cadre -------------------------------------------------------------------------------
def test_the_cadre_deploys_members_and_takes_them_back_at_the_end_of_the_term():
    term = 1.5
    m = run([cadre(size=10, term_years=term)], seed=2, end=2014)
    check_invariants(m)
    ev = events_df(m)
    returns = ev[(ev.kind == "departure") & (ev.cause == "cadre_return")]
    assert len(returns) >= 2
    assert np.allclose(returns.value, term)                                 # tenure = the term
    exits = ev[ev.kind == "exit"]
    for person, time in zip(returns.person, returns.time):
        assert not ((exits.person == person) & (exits.time == time)).any()   # back to the cadre, not out
    approaches = ev[ev.kind == "approach"]
    assert approaches.value.mean() > 0.7                                     # employed to go
    redeployed = set(returns.person) & set(ev[(ev.kind == "appointment") & (ev.time > returns.time.min())].person)
    assert redeployed or m.people.cadre[returns.person.to_numpy()].any()


def test_cadre_members_are_in_no_open_market_and_leave_it_when_it_stops():
    iv = cadre(size=8, stop=2008)
    m = Model(params(), seed=1, interventions=[iv])
    m.env.run(until=2007.5)
    members = np.flatnonzero(m.people.view("cadre") != 0)
    assert len(members) > 0 and (m.people.available[members] == -1).all()
    m.env.run(until=2008.01)
    assert not (m.people.view("cadre") != 0).any()
    assert iv.label not in m.boards


# -- career reward -------------------------------------------------------------------------------------
def test_postings_are_credited_for_tenure_and_for_improvement():
    m = run(seed=2)
    t = tables(m)
    ev = t.events
    credits = ev[ev.kind == "career_credit"]
    assert set(credits.cause) == {"tenure", "improvement"}
    tenure = credits[credits.cause == "tenure"]
    assert np.allclose(tenure.value, m.params.placement.credit_years)
    improved = credits[credits.cause == "improvement"]
    assert (improved.value >= m.params.placement.improvement_credit_years - 1e-9).all()
    # an improvement credit comes when the trust stops being challenged, at that moment (once every
    # trust has been inspected: before its first inspection the log cannot tell)
    improved = improved[improved.time >= 2004]
    assert len(improved) > 0
    before = t.challenged_at(improved.org, improved.time - 1e-6)
    after = t.challenged_at(improved.org, improved.time)
    assert before.all() and not after.any()
    assert m.people.credited[credits.person.to_numpy()].all()


def test_the_reward_raises_later_appointments_of_credited_people():
    def appointments_of_credited(bonus):
        won = 0
        for seed in (2, 3, 4, 5):
            ev = events_df(run(seed=seed, end=2014, placement={"reward_bonus": bonus}))
            first_credit = ev[ev.kind == "career_credit"].groupby("person").time.min()
            app = ev[(ev.kind == "appointment") & ev.cause.isin(["lateral_move", "internal_promotion", "unattached"])]
            won += int((first_credit.reindex(app.person).to_numpy() < app.time.to_numpy()).sum())
        return won
    assert appointments_of_credited(2.0) > 1.1 * appointments_of_credited(0.0)


class Reward(Intervention):
    """A test intervention raising the career reward."""
    type: Literal["reward"] = "reward"
    recommendation: ClassVar[str] = "test"

    def career_reward(self, bonus, *, model, post):
        return bonus + 1.0


def test_an_intervention_can_raise_the_reward():
    m = Model(params(), seed=1, interventions=[Reward(start=2000)])
    post = m.posts[0]
    assert m.decide(Decisions.career_reward, m.params.placement.reward_bonus, post=post) == 1.0
