"""The mechanisms the reviews act on: each moves outcomes the stated way, and at its neutral value
changes nothing. (Invariants and the renewal-theory check run separately on the same model.)"""

import numpy as np
import pandas as pd
import pytest

from sim.entities import GRADE, ORIGIN
from sim.model import Model
from sim.params.overrides import with_overrides
from sim.processes import turnover
from conftest import events_df, run_model, small_params

ZERO_RETIREMENT = {"under_50": 0.0, "50_to_54": 0.0, "55_to_59": 0.0, "60_to_64": 0.0, "65_and_over": 0.0}
NO_INSPECTION_REMOVAL = {"chief_executive": 0.0, "director": 0.0}


def ages_at(model, rows):
    return model.env.now - model.people.born[rows]


# -- supply that can grow ------------------------------------------------------------------------------
def lateral_entrants(ev: pd.DataFrame, years) -> float:
    e = ev[(ev.kind == "entry") & (ev.cause == "internal_manager") & ev.time.between(years[0], years[1])]
    return len(e) / (years[1] - years[0] + 1)


@pytest.mark.parametrize("displacement", [0.0, 1.0])
def test_graduates_displace_lateral_entrants_by_the_stated_share(displacement):
    # a ten-fold scheme from 2001; its graduates complete from 2003
    base = dict(trusts=12, start=2000, report=2003, end=2010, workforce={"graduate_displacement": displacement})
    plain = run_model(small_params(**base), seed=2)
    big = run_model(small_params(entry={"graduate_intake": {2001: 2500}}, **base), seed=2)
    placed = events_df(big)
    placed = placed[(placed.kind == "promotion") & (placed.cause == "graduate_completion")
                    & placed.time.between(2004, 2009)]
    extra_per_year = len(placed) / 6 - 0   # graduates placed a year in the big scheme
    fall = lateral_entrants(events_df(plain), (2004, 2009)) - lateral_entrants(events_df(big), (2004, 2009))
    if displacement == 0.0:
        # every graduate holds an additional post: lateral hiring barely moves, the grade grows
        assert abs(fall) < 0.25 * extra_per_year
        people = big.people
        middle = people.alive[: people.n] & (people.grade[: people.n] == GRADE["middle_manager"])
        assert people.additional_post[: people.n][middle].sum() > 0.5 * extra_per_year
    else:
        # each graduate takes a post a lateral entrant would have filled
        assert fall == pytest.approx(extra_per_year, rel=0.35)


def test_the_establishment_follows_the_calendar():
    params = small_params(trusts=10, start=2000, report=2002, end=2008)
    params = with_overrides(params, {"workforce": {"middle_managers": {"series": {2000: 1000, 2006: 1600},
                                                                        "interpolation": "linear"}}})
    model = Model(params, seed=4).run()
    pipe = model.recorder.pipeline_table().to_pandas()
    middle = pipe[(pipe.grade == "middle_manager")].groupby("year")["count"].sum()
    assert middle[2002] < middle[2004] < middle[2006]
    assert middle[2006] == pytest.approx(1600, rel=0.08)


def test_inspections_follow_a_scheduled_interval():
    # inspections read the parameters of the year they happen in: from 2004 every rating waits 20
    # years for its next inspection, so after the inspections already due nobody is inspected again
    every = {r: {"series": {2000: 1.0, 2004: 20.0}} for r in ("outstanding", "good", "requires_improvement",
                                                               "inadequate")}
    params = with_overrides(small_params(trusts=20, start=2000, report=2002, end=2010),
                            {"performance": {"inspection_interval": every, "inspection_jitter": 0.0}})
    ev = events_df(Model(params, seed=4).run())
    year = np.floor(ev[ev.kind == "inspection"].time)
    assert (year == 2002).sum() >= 15            # every trust about once a year before
    assert ((year >= 2006) & (year < 2010)).sum() == 0


def test_ready_successors_respond_to_supply():
    plain = run_model(small_params(trusts=12, start=2000, report=2004, end=2014), seed=5)
    big = run_model(small_params(trusts=12, start=2000, report=2004, end=2014,
                                 entry={"graduate_intake": {2000: 2500}}, workforce={"graduate_displacement": 0.0}),
                    seed=5)

    def ready(model):
        p = model.recorder.pipeline_table().to_pandas()
        p = p[(p.year >= 2010) & p.ready & (p.grade.isin(["senior_manager", "middle_manager"]))]
        return p["count"].sum()
    assert ready(big) > 1.1 * ready(plain)


# -- age and retirement ------------------------------------------------------------------------------------
def test_retirement_follows_age_and_can_be_switched_off():
    model = run_model(small_params(trusts=12), seed=6)
    ev = events_df(model)
    retired = ev[(ev.kind == "exit") & (ev.cause == "retire")]
    assert len(retired) > 20
    born = model.people.born
    ages = retired.time.to_numpy() - born[retired.person.to_numpy()]
    assert np.median(ages) > 57 and ages.min() >= 50
    none = events_df(run_model(small_params(trusts=12, turnover={"retirement": ZERO_RETIREMENT}), seed=6))
    assert not ((none.kind.isin(["exit", "departure"])) & (none.cause == "retire")).any()


def test_nobody_grows_very_old():
    model = run_model(small_params(trusts=8, start=2000, report=2005, end=2030), seed=7)
    alive = np.flatnonzero(model.people.alive[: model.people.n])
    assert ages_at(model, alive).max() < 80


# -- leadership change after inspection ------------------------------------------------------------------
def removals_after_inspection(p_ceo, p_director, seed=8):
    params = small_params(trusts=30, end=2016, turnover={"removal_after_inspection": {
        "chief_executive": p_ceo, "director": p_director}})
    return events_df(run_model(params, seed=seed))


def test_special_measures_can_change_the_leadership():
    ev = removals_after_inspection(1.0, 0.0)
    removed = ev[(ev.kind == "departure") & (ev.cause == "removed_after_inspection")]
    assert len(removed) > 0 and (removed.role == "chief_executive").all()
    triggers = ev[ev.kind == "special_measures_entry"]
    # each removal follows a trigger at the same trust within the stated delay
    for row in removed.itertuples():
        before = ev[(ev.org == row.org) & (ev.time <= row.time) & (ev.time >= row.time - 0.5)
                    & ev.kind.isin(["inspection", "special_measures_entry"])]
        assert len(before) > 0
    assert len(triggers) > 0
    neutral = removals_after_inspection(0.0, 0.0)
    assert not (neutral.cause == "removed_after_inspection").any()


def test_a_new_rating_changes_hazards_at_once():
    # leaders of inadequate trusts leave at 30× the rate: with hazards re-evaluated only on
    # 1 January they would mostly stay until the year ends; re-evaluated at the inspection they go
    params = small_params(trusts=30, end=2016, turnover={
        "rating_multiplier": {"inadequate": 30.0}, "removal_after_inspection": NO_INSPECTION_REMOVAL})
    ev = events_df(run_model(params, seed=9))
    insp = ev[(ev.kind == "inspection") & (ev.value == 3) & (ev.cause != "inadequate")]
    quick = 0
    for row in insp.itertuples():
        end = np.floor(row.time) + 1
        dep = ev[(ev.kind.isin(["departure", "notice"])) & (ev.org == row.org) & (ev.time > row.time)
                 & (ev.time < end)]
        quick += len(dep)
    assert len(insp) > 3 and quick >= len(insp)


# -- performance-linked removal and recycling --------------------------------------------------------------
def test_weak_appraisals_raise_the_removal_hazard_and_neutral_changes_nothing():
    model = Model(small_params(turnover={"removal_appraisal_effect": 1.0}), seed=1)
    post = next(p for p in model.posts if p.holder >= 0)
    people = model.people
    people.appraisal[post.holder] = 0.0
    weak = turnover.hazards(model, post)[3]
    people.appraisal[post.holder] = 3.0
    strong = turnover.hazards(model, post)[3]
    assert weak > 2 * strong
    neutral = Model(small_params(turnover={"removal_appraisal_effect": 0.0}), seed=1)
    post = next(p for p in neutral.posts if p.holder >= 0)
    neutral.people.appraisal[post.holder] = 0.0
    a = turnover.hazards(neutral, post)[3]
    neutral.people.appraisal[post.holder] = 3.0
    assert turnover.hazards(neutral, post)[3] == a


def test_removed_leaders_are_recycled_at_the_stated_share():
    common = {"hazard": {"removed": 0.3}}
    kept = run_model(small_params(trusts=20, turnover={**common, "recycled_share": 1.0}), seed=10)
    gone = run_model(small_params(trusts=20, turnover={**common, "recycled_share": 0.0}), seed=10)
    ev_kept, ev_gone = events_df(kept), events_df(gone)
    # with no recycling every removal ends a career; with full recycling none does
    assert (ev_gone[ev_gone.kind == "exit"].cause == "removed").sum() == \
        (ev_gone[ev_gone.kind == "departure"].cause == "removed").sum() > 10
    assert (ev_kept[ev_kept.kind == "exit"].cause == "removed").sum() == 0
    # and some recycled leaders are appointed again elsewhere
    removed = set(ev_kept[(ev_kept.kind == "departure") & (ev_kept.cause == "removed")].person)
    again = ev_kept[(ev_kept.kind == "appointment") & ev_kept.person.isin(removed)]
    assert len(again) > 0
    assert kept.people.removals[list(removed)].min() >= 1


# -- the measures of these mechanisms, on hand-built tables ------------------------------------------------
def _tables(events, posts=None, people=None):
    from sim.tables import Tables
    cols = ["time", "kind", "person", "org", "post", "role", "cause", "value"]
    ev = pd.DataFrame(events, columns=cols)
    posts = pd.DataFrame(posts or [], columns=["year", "post", "org", "role", "holder", "state", "appointed"])
    orgs = pd.DataFrame(columns=["year", "org", "type", "region", "rating", "special_measures", "quality"])
    return Tables(ev, posts, orgs, None, people)


def _value(name, run, first, last, group="all"):
    from sim import metrics
    from sim.tables import Period
    return metrics.value(run, name, group, Period(first, last))


def test_age_measures_on_a_hand_built_snapshot():
    people = pd.DataFrame({"person": [0, 1, 2], "born": [1960.0, 1970.0, 1950.5]})
    posts = [(2015, 0, 0, "chief_executive", 0, "substantive", 2010.0),   # 56 at 31 Dec 2015
             (2015, 1, 0, "finance", 1, "substantive", 2012.0),           # 46
             (2015, 2, 0, "medical", 2, "substantive", 2014.0),           # 65.5
             (2015, 3, 0, "nursing", -1, "vacant", np.nan)]
    run = _tables([], posts, people)
    assert _value("executive_age", run, 2015, 2015) == pytest.approx(56.0)
    assert _value("executive_age", run, 2015, 2015, "chief_executive") == pytest.approx(56.0)
    assert _value("executives_aged_55_plus", run, 2015, 2015) == pytest.approx(2 / 3)


def test_retirement_removal_and_recycling_measures_on_a_hand_built_log():
    ev = [(2014.2, "departure", 5, 1, 10, "finance", "removed", 3.0),
          (2015.1, "departure", 1, 0, 1, "chief_executive", "retire", 4.0),
          (2015.3, "departure", 2, 0, 2, "medical", "removed_after_inspection", 1.0),
          (2015.4, "departure", 3, 0, 0, "chief_executive", "removed_after_inspection", 1.0),
          (2015.5, "departure", 4, 2, 5, "operations", "leave_nhs", 2.0),
          (2015.6, "appointment", 5, 3, 7, "finance", "unattached", 1.0),    # removed in 2014: recycled
          (2015.7, "appointment", 9, 0, 0, "chief_executive", "external", 0.3),
          (2015.8, "appointment", 2, 4, 9, "medical", "unattached", 0.0)]   # removed in 2015, before
    run = _tables(ev)
    assert _value("retirement_share_of_departures", run, 2015, 2015) == pytest.approx(1 / 4)
    assert _value("removals_after_inspection", run, 2015, 2015) == 2
    assert _value("removals_after_inspection", run, 2015, 2015, "chief_executive") == 1
    assert _value("recycled_appointments", run, 2015, 2015) == pytest.approx(2 / 3)


def test_removals_of_chief_executives_count_years_with_only_other_removals_as_none():
    # 2014: a director removed after an inspection, no chief executive; 2015: one chief executive.
    # Over 2014-15 that is half a chief executive a year (the year without one counts as 0, not as
    # missing: it was left out once, which gave 1 a year)
    ev = [(2014.3, "departure", 2, 0, 2, "medical", "removed_after_inspection", 1.0),
          (2015.4, "departure", 3, 1, 7, "chief_executive", "removed_after_inspection", 1.0)]
    run = _tables(ev)
    assert _value("removals_after_inspection", run, 2014, 2015) == pytest.approx(1.0)
    assert _value("removals_after_inspection", run, 2014, 2015, "chief_executive") == pytest.approx(0.5)
    assert _value("removals_after_inspection", run, 2014, 2014, "chief_executive") == 0


def test_calibration_measures_on_hand_built_tables():
    from sim.tables import Tables
    cols = ["time", "kind", "person", "org", "post", "role", "cause", "value"]
    ev = pd.DataFrame([
        (2014.2, "inspection", -1, 0, -1, "", "requires_improvement", 3.0),   # worsened
        (2014.5, "inspection", -1, 1, -1, "inadequate", "inadequate", 2.0),   # improved
        (2014.6, "inspection", -1, 2, -1, "", "good", 1.0),                   # unchanged
        (2014.2, "special_measures_entry", -1, 0, -1, "", "", np.nan),
        (2014.4, "departure", 7, 0, 0, "chief_executive", "removed_after_inspection", 3.0),
        (2014.7, "special_measures_exit", -1, 0, -1, "", "", 0.5),          # left within a year
        (2014.8, "special_measures_entry", -1, 3, -1, "", "", np.nan),     # still in a year later
        (2016.0, "special_measures_exit", -1, 3, -1, "", "", 1.2),
    ], columns=cols)
    posts = pd.DataFrame([(2014, 0, 0, "chief_executive", 1, "substantive", 2014.5),   # appointed this year
                          (2014, 1, 0, "finance", 2, "substantive", 2010.0),
                          (2014, 2, 1, "chief_executive", 3, "substantive", 2013.5),   # within 2 years
                          (2014, 3, 1, "finance", -1, "vacant", np.nan)],
                         columns=["year", "post", "org", "role", "holder", "state", "appointed"])
    orgs = pd.DataFrame([(2014, 0, "acute", "london", "inadequate", True, 0.0),
                         (2014, 1, "acute", "london", "good", False, 0.0)],
                        columns=["year", "org", "type", "region", "rating", "special_measures", "quality"])
    people = pd.DataFrame({"person": [1, 2, 3], "profession": ["nurse", "non_clinical", "doctor"]})
    run = Tables(ev, posts, orgs, None, people, end=2020.0)
    assert _value("recently_appointed", run, 2014, 2014) == pytest.approx(1 / 3)
    assert _value("recently_appointed", run, 2014, 2014, "inadequate") == pytest.approx(1 / 2)
    from sim import metrics
    from sim.tables import Period
    assert metrics.value(run, "recently_appointed", "all", Period(2014, 2014), {"within_years": 2}) == \
        pytest.approx(2 / 3)
    assert _value("rating_change_at_inspection", run, 2014, 2014, "improved") == pytest.approx(1 / 3)
    assert _value("rating_change_at_inspection", run, 2014, 2014, "worsened") == pytest.approx(1 / 3)
    assert _value("special_measures_left_within_a_year", run, 2014, 2014) == pytest.approx(1 / 2)
    assert _value("ceo_left_after_special_measures", run, 2014, 2014) == pytest.approx(1 / 2)
    assert _value("ceo_clinical_background", run, 2014, 2014) == pytest.approx(1.0)
    assert _value("ceo_clinical_background", run, 2014, 2014, "nurse") == pytest.approx(1 / 2)
