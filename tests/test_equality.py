"""Who gets on: each place sex and ethnicity act moves outcomes the stated way; at its neutral value it
changes nothing; the representation measures give hand-computed answers on hand-built tables."""

import numpy as np
import pandas as pd
import pytest

from sim.decisions import Decisions
from sim.entities import PROFESSION, REGION
from sim.interventions import REGISTRY
from sim.model import Model
from sim.params.overrides import with_overrides
from sim.params.vocabulary import PROFESSIONS, ROLES
from sim.processes import equality
from sim.tables import Period, Tables
from sim import metrics
from conftest import events_df, run_model, small_params

NO_ETHNIC_EFFECT = {"appraisal": {"ethnic_minority_bias": 0.0},
                    "recruitment": {"ethnic_minority_interview_bias": 0.0}}


def starting_people(**overrides) -> pd.DataFrame:
    """Everyone in the starting population of a mid-sized system (no run)."""
    model = Model(small_params(trusts=40, scale=0.3, **overrides), seed=3)
    n = model.people.n
    return pd.DataFrame({c: getattr(model.people, c)[:n] for c in
                         ("key", "profession", "female", "ethnic_minority", "region", "org", "capability", "born")})


def same_log(a, b) -> bool:
    return events_df(a).equals(events_df(b))


def role_share(model, role: str, column: str) -> float:
    """The share of ``role``'s appointees (offers) who are women / from an ethnic minority."""
    ev = events_df(model)
    who = ev[(ev.kind == "offer") & (ev.role == role)].person.to_numpy()
    return float(getattr(model.people, column)[who].mean())


# -- entry ----------------------------------------------------------------------------------------------
def test_women_enter_in_their_profession_s_share():
    people = starting_people(workforce={"women_share": {"nurse": 1.0, "doctor": 0.0}})
    assert people[people.profession == PROFESSION["nurse"]].female.all()
    assert not people[people.profession == PROFESSION["doctor"]].female.any()
    default = starting_people()
    nurses = default[default.profession == PROFESSION["nurse"]].female.mean()
    managers = default[default.profession == PROFESSION["non_clinical"]].female.mean()
    assert nurses == pytest.approx(0.89, abs=0.05) and managers == pytest.approx(0.62, abs=0.03)


def test_a_share_moves_thresholds_not_draws():
    # common random numbers: raising nurses' share of women changes no one's other traits, and only
    # turns some nurses into women
    low = starting_people(workforce={"women_share": {"nurse": 0.5}})
    high = starting_people(workforce={"women_share": {"nurse": 0.9}})
    assert low.key.equals(high.key)
    for column in ("profession", "ethnic_minority", "region", "org", "capability", "born"):
        assert low[column].equals(high[column]), column
    changed = low.female != high.female
    assert changed.any() and (high.female[changed]).all()
    assert (low.profession[changed] == PROFESSION["nurse"]).all()


def test_ethnic_minority_entrants_follow_the_region_s_population():
    people = starting_people()
    by_region = people.groupby("region").ethnic_minority.mean()
    assert by_region[REGION["london"]] > 2 * by_region[REGION["south_west"]]
    flat = starting_people(workforce={"ethnic_minority_regional_elasticity": 0.0})
    flat_share = flat.groupby("region").ethnic_minority.mean()
    assert abs(flat_share[REGION["london"]] - flat_share[REGION["south_west"]]) < 0.06


def test_entry_shares_follow_the_calendar_profession_and_region():
    model = Model(small_params(trusts=40), seed=1)
    shares = {}
    for year in (2005, 2024):
        model.params = model.plan.at(year)
        women, minority = equality.entry_shares(model)
        shares[year] = minority.copy()
        assert women[PROFESSION["doctor"]] == pytest.approx(0.30 if year == 2005 else 0.36)
    nc, doctor, ahp = PROFESSION["non_clinical"], PROFESSION["doctor"], PROFESSION["allied_health"]
    london, sw = REGION["london"], REGION["south_west"]
    assert (shares[2024] > shares[2005]).all()              # WRES: 17.7% (2016) → 28.6% (2024)
    assert shares[2024][doctor, sw] > shares[2024][nc, sw] > shares[2024][ahp, sw]
    assert shares[2024][nc, london] > 2 * shares[2024][nc, sw]
    neutral = Model(small_params(trusts=40, workforce={"ethnic_minority_regional_elasticity": 0.0,
                                                       "ethnic_minority_odds_ratio": {p: 1.0 for p in PROFESSIONS},
                                                       "ethnic_minority_share": 0.2}), seed=1)
    assert (equality.entry_shares(neutral)[1] == 0.2).all()   # neutral: the national share, exactly


# -- neutral values change nothing ------------------------------------------------------------------------
def test_sex_changes_no_event_while_every_sex_effect_is_neutral():
    base = dict(trusts=20, end=2012)
    plain = run_model(small_params(**base), seed=4)
    other = run_model(small_params(workforce={"women_share": {p: 0.2 for p in PROFESSIONS}}, **base), seed=4)
    assert same_log(plain, other)
    # …and each sex effect, once away from its neutral value, does change events
    for override in ({"recruitment": {"application_rate": {"women": {"chief_executive": 0.5, "finance": 0.5}}}},
                     {"workforce": {"leave_rate_ratio": {"women": 1.5}}}):
        assert not same_log(plain, run_model(small_params(**override, **base), seed=4)), override


def test_ethnicity_changes_no_event_while_every_ethnic_effect_is_neutral():
    base = dict(trusts=20, end=2012, **NO_ETHNIC_EFFECT)
    plain = events_df(run_model(small_params(**base), seed=5))
    other = events_df(run_model(small_params(workforce={"ethnic_minority_share": 0.6}, **base), seed=5))
    # only the shortlists' split by group differs; their totals do not
    rest = [ev[ev.kind != "shortlist"].reset_index(drop=True) for ev in (plain, other)]
    assert rest[0].equals(rest[1])
    totals = [ev[ev.kind == "shortlist"].groupby(["time", "post"]).value.sum() for ev in (plain, other)]
    assert totals[0].equals(totals[1])
    assert not plain[plain.kind == "shortlist"].equals(other[other.kind == "shortlist"])


def test_population_shares_matter_only_through_the_regional_elasticity():
    base = dict(trusts=20, end=2010, workforce={"ethnic_minority_regional_elasticity": 0.0})
    plain = run_model(small_params(**base), seed=6)
    other = run_model(small_params(system={"ethnic_minority_population": {"london": 0.9}}, **base), seed=6)
    assert same_log(plain, other)


def test_the_finance_label_is_inert_unless_finance_directors_need_it():
    # without the requirement, and with finance and other managers entering alike, moving managers
    # between the two professions changes nothing
    base = dict(trusts=20, end=2010, recruitment={"finance_profession_required": False})
    plain = run_model(small_params(**base), seed=7)
    merged = run_model(small_params(workforce={"profession_mix": {"non_clinical": 0.70, "finance": 0.0},
                                               "middle_profession_mix": {"non_clinical": 0.85, "finance": 0.0}},
                                    entry={"external_finance_share": 0.0}, **base), seed=7)
    assert same_log(plain, merged)


# -- each mechanism moves outcomes the stated way ------------------------------------------------------------
def test_finance_directors_come_from_the_finance_profession():
    shares = {"non_clinical": 0.9, "finance": 0.1}
    required = run_model(small_params(trusts=30, end=2016, workforce={"women_share": shares}), seed=8)
    ev = events_df(required)
    fds = ev[(ev.kind == "offer") & (ev.role == "finance")].person.to_numpy()
    assert len(fds) > 20 and (required.people.profession[fds] == PROFESSION["finance"]).all()
    assert role_share(required, "finance", "female") < 0.3 < 0.6 < role_share(required, "operations", "female")
    open_ = run_model(small_params(trusts=30, end=2016, workforce={"women_share": shares},
                                   recruitment={"finance_profession_required": False}), seed=8)
    ev = events_df(open_)
    fds = ev[(ev.kind == "offer") & (ev.role == "finance")].person.to_numpy()
    assert (open_.people.profession[fds] == PROFESSION["non_clinical"]).mean() > 0.5


def test_a_lower_application_rate_means_fewer_women_appointed():
    base = dict(trusts=30, end=2016)
    plain = run_model(small_params(**base), seed=9)
    shy = run_model(small_params(recruitment={"application_rate": {"women": {r: 0.2 for r in ROLES}}}, **base),
                    seed=9)
    for role in ("chief_executive", "operations"):
        assert role_share(shy, role, "female") < role_share(plain, role, "female") - 0.15, role


def test_higher_leaving_rates_thin_the_group_out():
    def women_among_seniors(ratio):
        model = run_model(small_params(trusts=20, end=2012, workforce={"leave_rate_ratio": {"women": ratio}}),
                          seed=10)
        p = model.people
        alive = p.alive[: p.n] & (p.grade[: p.n] == 2)
        return p.female[: p.n][alive].mean()
    assert women_among_seniors(3.0) < women_among_seniors(1.0) - 0.05


def wres(model, first=2004, last=2015) -> float:
    rec = model.recorder
    run = Tables(rec.events_table().to_pandas(), rec.posts_table().to_pandas(), rec.orgs_table().to_pandas(),
                 None, rec.people_table(model.people).to_pandas(), end=model.params.calendar.end_year)
    return metrics.value(run, "appointment_from_shortlisting_ratio", "all", Period(first, last))


def test_interview_bias_raises_the_wres_ratio_and_equality_action_lowers_it():
    base = dict(trusts=30, end=2016, workforce={"ethnic_minority_share": 0.3})
    biased = small_params(recruitment={"ethnic_minority_interview_bias": -1.0}, **base)
    fair = wres(run_model(small_params(recruitment={"ethnic_minority_interview_bias": 0.0}, **base), seed=11))
    assert wres(run_model(biased, seed=11)) > fair + 0.5
    action = REGISTRY["equality_action"](type="equality_action", start=2000)
    assert wres(Model(biased, seed=11, interventions=[action]).run()) < fair + 0.3


def test_selection_bias_is_asked_at_each_stage_and_interventions_shrink_it():
    action = REGISTRY["equality_action"](type="equality_action", start=2000, bias_removed=0.5)
    kitemark = REGISTRY["regional_talent_boards"](type="regional_talent_boards", start=2000, diversity_kitemark=True)
    model = Model(small_params(), seed=1, interventions=[action, kitemark])
    for stage in ("appraisal", "interview"):
        assert model.decide(Decisions.selection_bias, -0.4, stage=stage) == pytest.approx(-0.1)
    model.params = with_overrides(model.params, {"recruitment": {"ethnic_minority_interview_bias": -0.8}})
    assert equality.interview_bias(model) == pytest.approx(-0.2)


# -- measures on hand-built tables ------------------------------------------------------------------------------
def _events(rows):
    return pd.DataFrame(rows, columns=["time", "kind", "person", "org", "post", "role", "cause", "value"])


def _run(events, posts=None, orgs=None, people=None) -> Tables:
    posts = posts if posts is not None else pd.DataFrame(columns=["year", "post", "org", "role", "holder", "state",
                                                                   "appointed"])
    return Tables(events, posts, orgs if orgs is not None else pd.DataFrame(), None, people, end=2011.0)


def test_wres_ratio_by_hand():
    # three rounds: (3 white, 1 minority) → white 1 offered; (2, 2) → minority 3; (1, 1) → white 2
    ev = _events([
        (2010.1, "shortlist", -1, 0, 0, "finance", "white", 3.0),
        (2010.1, "shortlist", -1, 0, 0, "finance", "ethnic_minority", 1.0),
        (2010.1, "offer", 1, 0, 0, "finance", "internal_promotion", 2.0),
        (2010.4, "shortlist", -1, 1, 5, "chief_executive", "white", 2.0),
        (2010.4, "shortlist", -1, 1, 5, "chief_executive", "ethnic_minority", 2.0),
        (2010.4, "offer", 3, 1, 5, "chief_executive", "lateral_move", 2.5),
        (2010.8, "shortlist", -1, 0, 0, "finance", "white", 1.0),
        (2010.8, "shortlist", -1, 0, 0, "finance", "ethnic_minority", 1.0),
        (2010.8, "offer", 2, 0, 0, "finance", "external", 1.5),
    ])
    people = pd.DataFrame({"person": [1, 2, 3], "female": [True, False, True],
                           "ethnic_minority": [False, False, True]})
    run = _run(ev, people=people)
    # white: 2 appointed of 6 shortlisted; minority: 1 of 4 → (2/6) / (1/4) = 4/3
    assert metrics.value(run, "appointment_from_shortlisting_ratio", "all", Period(2010, 2010)) == pytest.approx(4 / 3)
    # finance only: white 2 of 4, minority 0 of 2 → no ratio
    assert np.isnan(metrics.value(run, "appointment_from_shortlisting_ratio", "all", Period(2010, 2010),
                                  {"role": "finance"}))
    assert np.isnan(metrics.value(_run(ev, people=None), "appointment_from_shortlisting_ratio", "all",
                                  Period(2010, 2010)))


def _board():
    """Two trusts in 2010: London (population 40% minority) and the South West (10%), two posts each."""
    orgs = pd.DataFrame({"year": [2010, 2010], "org": [0, 1], "type": "acute", "region": ["london", "south_west"],
                         "rating": "good", "special_measures": False, "quality": 0.0,
                         "minority_population": [0.4, 0.1]})
    posts = pd.DataFrame({"year": 2010, "post": [0, 1, 2, 3, 4], "org": [0, 0, 1, 1, 1],
                          "role": ["chief_executive", "finance", "chief_executive", "finance", "medical"],
                          "holder": [10, 11, 12, 13, -1],
                          "state": ["substantive"] * 4 + ["vacant"], "appointed": 2008.0})
    people = pd.DataFrame({"person": [10, 11, 12, 13, 14], "female": [True, False, False, False, True],
                           "ethnic_minority": [True, False, False, False, True]})
    ev = _events([(2010.2, "entry", 14, 0, -1, "", "graduate_scheme", 0.0),
                  (2010.3, "entry", 13, 1, -1, "", "external", 3.0)])
    return _run(ev, posts, orgs, people)


def test_representation_by_role_and_region_by_hand():
    run, period = _board(), Period(2010, 2010)

    def v(name, group):
        return metrics.value(run, name, group, period)
    assert v("exec_women_share", "all") == pytest.approx(1 / 4)         # the vacant post has no holder
    assert v("exec_women_share", "chief_executive") == pytest.approx(1 / 2)
    assert v("exec_women_share", "finance") == 0.0
    assert np.isnan(v("exec_women_share", "medical"))
    assert v("exec_ethnic_minority_share", "all") == pytest.approx(1 / 4)
    assert v("exec_ethnic_minority_by_region", "london") == pytest.approx(1 / 2)
    assert v("exec_ethnic_minority_by_region", "south_west") == 0.0
    assert v("exec_ethnic_minority_vs_population", "london") == pytest.approx(0.5 / 0.4)
    assert v("exec_ethnic_minority_vs_population", "all") == pytest.approx(1 / (2 * 0.4 + 2 * 0.1))
    assert v("entrant_share", "women") == pytest.approx(1 / 2)
    assert v("entrant_share", "ethnic_minority") == pytest.approx(1 / 2)
