"""Invariants that must hold for any system: checked on hypothesis-generated small systems."""

import numpy as np
from hypothesis import HealthCheck, given, settings, strategies as st

from sim.interventions import parse
from sim.model import Model
from sim.params.overrides import with_overrides
from sim.params.vocabulary import ROLES
from conftest import events_df, run_model, small_params

systems = st.fixed_dictionaries({
    "trusts": st.integers(1, 8),
    "scale": st.sampled_from([0.01, 0.03, 0.06]),
    "seed": st.integers(0, 2**32 - 1),
    "hazard": st.floats(0.0, 1.5),
    "removed": st.floats(0.0, 0.5),
    "abrupt": st.floats(0.0, 1.0),
    "interim": st.floats(0.0, 1.0),
    "notice": st.floats(0.0, 1.0),
    "search": st.floats(0.01, 1.5),
    "appointable": st.floats(-1.0, 3.0),
    "feedback": st.floats(0.0, 1.0),
    "women_apply": st.floats(0.0, 3.0),        # who gets on: application, leaving, interview, finance track
    "minority_leave": st.floats(0.0, 3.0),
    "interview_bias": st.floats(-2.0, 0.5),
    "finance_required": st.booleans(),
})


def build(s):
    return small_params(
        trusts=s["trusts"], scale=s["scale"], start=2000, report=2003, end=2009,
        turnover={"hazard": {"leave_nhs": s["hazard"], "removed": s["removed"]},
                  "abrupt_share": {"leave_nhs": s["abrupt"]}},
        recruitment={"interim_probability": {"chief_executive": s["interim"], "director": s["interim"]},
                     "notice_years": {"chief_executive": s["notice"], "director": s["notice"]},
                     "search_years": {"chief_executive": s["search"], "director": s["search"]},
                     "appointable_score": s["appointable"],
                     "application_rate": {"women": {r: s["women_apply"] for r in ROLES}},
                     "ethnic_minority_interview_bias": s["interview_bias"],
                     "finance_profession_required": s["finance_required"]},
        workforce={"leave_rate_ratio": {"ethnic_minority": s["minority_leave"]}},
        performance={"leadership_feedback": s["feedback"]},
    )


def replay_posts(ev, model):
    """Replay appointments and departures in time order; return the violations found."""
    problems = []
    holder = {}       # post → person, None when known to be empty; missing = initial holder unknown
    holds = {}        # person → post
    offered = set()
    for kind, person, post in zip(ev.kind, ev.person, ev.post):
        if kind == "offer":
            offered.add((person, post))
        elif kind == "departure":
            if post in holder and holder[post] != person:
                problems.append(f"departure of {person} from post {post} held by {holder[post]}")
            holder[post] = None
            holds.pop(person, None)
        elif kind == "appointment":
            if holder.get(post, "initial") is not None:
                problems.append(f"appointment to post {post} that had no vacancy")
            if person in holds:
                problems.append(f"person {person} appointed to {post} while holding {holds[person]}")
            if (person, post) not in offered:
                problems.append(f"appointment of {person} to {post} without an offer")
            holder[post] = person
            holds[person] = post
    return problems


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(systems)
def test_invariants_hold_on_random_small_systems(s):
    check_invariants(run_model(build(s), seed=s["seed"]))


PLACEMENT = [{"type": "regional_talent_boards", "start": 2001, "approaches_per_region": 50},
             {"type": "national_talent_board", "start": 2001, "approaches_per_year": 50},
             {"type": "central_cadre", "start": 2001, "size": 6, "term_years": 1.0, "stop": 2007}]


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(systems, st.floats(0.0, 1.0), st.floats(0.0, 0.3))
def test_invariants_hold_with_placement_and_a_cadre(s, acceptance, inadequate):
    """Boards, a cadre that stops mid-run, and many challenged trusts."""
    mix = {"outstanding": 0.03, "good": 0.3, "requires_improvement": 0.67 - inadequate, "inadequate": inadequate}
    params = with_overrides(build(s), {"system": {"initial_rating_mix": mix}, "placement": {"acceptance": acceptance}})
    check_invariants(Model(params, seed=s["seed"], interventions=parse(PLACEMENT)).run())


def check_invariants(model):
    ev = events_df(model)
    # event times never decrease
    assert np.all(np.diff(ev.time.to_numpy()) >= 0)
    # appointments follow vacancies; no post has two holders; no person holds two posts
    assert replay_posts(ev, model) == []
    holders = [p.holder for p in model.posts if p.holder >= 0]
    assert len(holders) == len(set(holders))
    for p in model.posts:
        if p.holder >= 0:
            assert model.people.post[p.holder] == p.id and model.people.alive[p.holder]
    posts = model.recorder.posts_table().to_pandas()
    held = posts[posts.state == "substantive"]
    assert not held.duplicated(["year", "holder"]).any()
    assert (posts[posts.state != "substantive"].holder == -1).all()
    # headcount is conserved: start + entries − exits = end
    entries = int((ev.kind == "entry").sum())
    exits = int((ev.kind == "exit").sum())
    alive_end = int(model.people.alive[: model.people.n].sum())
    assert model.initial_headcount + entries - exits == alive_end
    # tenures are never negative
    assert (ev.loc[ev.kind == "departure", "value"] >= 0).all()
    assert (held.appointed <= held.year + 1).all()
    # the state at the end agrees with the post objects
    assert sum(p.state == "substantive" for p in model.posts) == sum(p.holder >= 0 for p in model.posts)
