"""Extreme values: the model still runs and does the obvious thing."""

from sim.interventions import REGISTRY
from sim.model import Model
from sim.recorder import EVENT_KINDS
from conftest import events_df, run_model, small_params

NO_EXITS = {
    "turnover": {"hazard": {"leave_nhs": 0.0, "move_trust": 0.0, "removed": 0.0},
                 "retirement": {"under_50": 0.0, "50_to_54": 0.0, "55_to_59": 0.0, "60_to_64": 0.0, "65_and_over": 0.0},
                 "removal_after_inspection": {"chief_executive": 0.0, "director": 0.0}},
    "workforce": {"leave_rate": {"graduate_trainee": 0.0, "middle_manager": 0.0, "senior_manager": 0.0}},
    "entry": {"graduate_job_at_completion": 1.0, "graduate_early_leave_rate": 0.0},
    "recruitment": {"unattached_drop_rate": 0.0},
}


def test_no_graduate_intake():
    model = run_model(small_params(entry={"graduate_intake_multiplier": 0.0}))
    ev = events_df(model)
    assert not (ev[ev.kind == "entry"].cause == "graduate_scheme").any()
    pipeline = model.recorder.pipeline_table().to_pandas()
    assert not (pipeline.grade == "graduate_trainee").any()
    # posts are still filled from the other routes
    assert (ev.kind == "appointment").sum() > 20


def test_no_exits_means_no_departures_and_no_vacancies():
    model = run_model(small_params(**NO_EXITS))
    ev = events_df(model)
    assert (ev.kind == "departure").sum() == 0
    assert (ev.kind == "exit").sum() == 0
    posts = model.recorder.posts_table().to_pandas()
    assert (posts.state == "substantive").all()
    # every post keeps its first holder for the whole run
    assert (posts.groupby("post").holder.nunique() == 1).all()


def test_single_organisation():
    model = run_model(small_params(trusts=1, scale=0.01))
    assert len(model.orgs) == 1
    assert 5 <= len(model.posts) <= 7
    ev = events_df(model)
    assert (ev.kind == "appointment").sum() > 0
    assert set(ev.loc[ev.org >= 0, "org"]) == {0}


def test_every_post_vacant_when_nobody_is_appointable():
    params = small_params(recruitment={"appointable_score": 50.0, "interim_probability":
                                       {"chief_executive": 0.0, "director": 0.0}})
    model = run_model(params)
    ev = events_df(model)
    assert (ev.kind == "appointment").sum() == 0
    assert (ev.kind == "search_failed").sum() > 0
    # with nobody appointable every departure leaves a vacancy that is never filled
    assert sum(p.holder < 0 for p in model.posts) == len(set(ev.loc[ev.kind == "departure", "post"]))


def test_every_recorded_event_kind_is_documented():
    # EVENT_KINDS is the documentation of `cause` and `value` for each kind (mirrored in the README)
    ivs = [REGISTRY["new_deal"](type="new_deal", start=2001)]
    kinds = set(events_df(Model(small_params(), seed=2, interventions=ivs).run()).kind)
    assert {"appointment", "departure", "cost", "inspection"} <= kinds <= set(EVENT_KINDS)
