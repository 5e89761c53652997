"""The placement and career measures, and ``Tables.challenged_at``, on a hand-built log worked out by hand."""

import numpy as np
import pandas as pd
import pytest

from sim import measures
from sim.tables import Period, Tables

COLUMNS = ["time", "kind", "person", "org", "post", "role", "cause", "value"]


@pytest.fixture
def run():
    """Trust 0 (size 0.8) is rated inadequate and enters special measures at 2010.0 and leaves both at
    2012.5; trust 1 (size 1.2) is good; trust 2 (size 0.5) is never inspected.

    Spells (person: post, trust, from → to, then):
      10: finance director, trust 0, 2010.2 → 2011.3, then chief executive at trust 2 (a step up)
      11: chief executive, trust 0, 2009.0 → 2011.5 (credited 2011.0), then chief executive at trust 1 (larger)
      12: nursing director, trust 0, 2010.5 → 2011.8, leaves the NHS
      13: finance director, trust 1, 2010.0 → 2011.4 (never challenged), then chief executive at trust 0
      14: chief executive, trust 0, 2010.1 → 2011.6, then finance director at trust 1 (larger, but a step down)
    """
    rows = [
        (2009.0, "appointment", 11, 0, 0, "chief_executive", "lateral_move", 0.0),
        (2010.0, "inspection", -1, 0, -1, "", "good", 3.0),
        (2010.0, "special_measures_entry", -1, 0, -1, "", "", np.nan),
        (2010.0, "inspection", -1, 1, -1, "", "good", 1.0),
        (2010.0, "appointment", 13, 1, 10, "finance", "internal_promotion", 0.0),
        (2010.1, "appointment", 14, 0, 3, "chief_executive", "lateral_move", 0.0),
        (2010.2, "appointment", 10, 0, 1, "finance", "placement", 0.3),
        (2010.5, "appointment", 12, 0, 2, "nursing", "internal_promotion", 0.1),
        (2011.0, "career_credit", 11, 0, 0, "chief_executive", "tenure", 2.0),
        (2011.1, "approach", 10, 0, 1, "finance", "board_a", 1.0),
        (2011.2, "approach", 20, 0, 1, "finance", "board_a", 0.0),
        (2011.2, "approach", 21, 0, 2, "nursing", "board_b", 1.0),
        (2011.3, "departure", 10, 0, 1, "finance", "move_trust", 1.1),
        (2011.3, "appointment", 10, 2, 20, "chief_executive", "lateral_move", 0.0),
        (2011.4, "departure", 13, 1, 10, "finance", "move_trust", 1.4),
        (2011.4, "appointment", 13, 0, 4, "chief_executive", "internal_promotion", 0.2),
        (2011.5, "departure", 11, 0, 0, "chief_executive", "move_trust", 2.5),
        (2011.6, "departure", 14, 0, 3, "chief_executive", "move_trust", 1.5),
        (2011.6, "appointment", 14, 1, 11, "finance", "lateral_move", 0.4),
        (2011.8, "departure", 12, 0, 2, "nursing", "leave_nhs", 1.3),
        (2012.0, "appointment", 11, 1, 12, "chief_executive", "lateral_move", 0.0),
        (2012.5, "inspection", -1, 0, -1, "", "inadequate", 2.0),
        (2012.5, "special_measures_exit", -1, 0, -1, "", "", 2.5),
    ]
    events = pd.DataFrame(rows, columns=COLUMNS)
    orgs = pd.DataFrame({"year": 2011, "org": [0, 1, 2], "rating": ["inadequate", "good", "good"],
                         "special_measures": [True, False, False], "size": [0.8, 1.2, 0.5]})
    return Tables(events, pd.DataFrame(columns=["year", "post", "org", "role", "state"]), orgs, end=2015.0)


def _values(name, run, **settings):
    obs = measures.REGISTRY[name].function(run, Period(2011, 2011), **settings)
    sums = obs.groupby("group")[["num", "den"]].sum()
    return (sums.num / sums.den).to_dict(), sums.den.to_dict()


def test_challenged_at_reads_the_log_at_each_moment(run):
    org = [0, 0, 0, 0, 1, 2]
    time = [2009.5, 2010.0, 2012.4, 2012.5, 2011.0, 2011.0]
    assert run.challenged_at(org, time).tolist() == [False, True, True, False, False, False]


def _challenged_at_by_merge_asof(events, org, time):
    """``Tables.challenged_at`` as it was in pandas: each trust's rating and special-measures flag
    carried forward in log order, then the latest change at or before each moment (merge_asof)."""
    from sim.definitions import challenged
    ev = events[events.kind.isin(["inspection", "special_measures_entry", "special_measures_exit"])]
    kind = ev.kind.astype(str).to_numpy()
    changes = pd.DataFrame({
        "time": ev.time.to_numpy(dtype=float), "org": ev.org.to_numpy(dtype=np.int64),
        "rating": np.where(kind == "inspection", ev.value.to_numpy(dtype=float), np.nan),
        "sm": np.where(kind == "special_measures_entry", 1.0, np.where(kind == "special_measures_exit", 0.0, np.nan))})
    changes[["rating", "sm"]] = changes.groupby("org")[["rating", "sm"]].ffill()
    changes["challenged"] = challenged(changes.rating, changes.sm == 1.0)
    changes = changes[["time", "org", "challenged"]].sort_values("time", kind="stable")
    query = pd.DataFrame({"time": np.asarray(time, dtype=float), "org": np.asarray(org, dtype=np.int64)})
    query["row"] = np.arange(len(query))
    found = pd.merge_asof(query.sort_values("time", kind="stable"), changes, on="time", by="org",
                          direction="backward", allow_exact_matches=True)
    out = np.zeros(len(query), dtype=bool)
    out[found.row.to_numpy()] = found.challenged.fillna(False).to_numpy(dtype=bool)
    return out


@pytest.mark.parametrize("seed", range(30))
def test_challenged_at_is_what_merge_asof_over_the_carried_forward_log_gives(seed):
    """Random logs, in time order or not, with several changes of a trust at one moment and queries
    at exactly those moments."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 80))
    kinds = rng.choice(["inspection", "special_measures_entry", "special_measures_exit", "appointment"], n)
    time = np.round(rng.uniform(2010, 2015, n), 1)   # rounded: ties
    if seed % 2:
        time = np.sort(time)
    events = pd.DataFrame({"time": time, "kind": kinds, "person": -1, "org": rng.integers(0, 6, n), "post": -1,
                           "role": "", "cause": "", "value": rng.integers(0, 4, n).astype(float)})
    if seed % 3 == 0:
        events["kind"] = events.kind.astype("category")
    m = int(rng.integers(0, 50))
    org = rng.integers(0, 7, m)   # trust 6 never changes
    exact = m // 2 if n else 0   # queries at the moment of a change
    at = np.concatenate([np.round(rng.uniform(2009, 2016, m - exact), 1), rng.choice(time, exact) if n else []])
    run = Tables(events, pd.DataFrame(), pd.DataFrame())
    assert run.challenged_at(org, at).tolist() == _challenged_at_by_merge_asof(events, org, at).tolist()


def test_placement_share_counts_appointments_at_trusts_challenged_then(run):
    share, n = _values("placement_share", run)
    # 2011: appointments at trust 0 while challenged: person 13 (internal promotion) only
    assert n == {"all": 1.0} and share == {"all": 0.0}
    obs = measures.REGISTRY["placement_share"].function(run, Period(2010, 2010))
    # 2010: at trust 0 while challenged: 14 (lateral), 10 (placement), 12 (internal); 11 came in 2009
    assert obs.num.sum() == 1 and obs.den.sum() == 3


def test_placement_acceptance_by_board(run):
    share, n = _values("placement_acceptance", run)
    assert share == pytest.approx({"all": 2 / 3, "board_a": 0.5, "board_b": 1.0})


def test_leaders_of_challenged_trusts_stepping_up(run):
    share, n = _values("challenged_leaders_stepping_up", run)
    # cohort: 10 (step up to chief executive), 11 (credited; chief executive at a larger trust),
    # 12 (left the NHS), 14 (a step down at a larger trust); 13 was never at a challenged trust
    assert n == {"all": 4, "credited": 1, "not_credited": 3}
    assert share == pytest.approx({"all": 0.5, "credited": 1.0, "not_credited": 1 / 3})
    # a follow-up that would end after the run leaves the cohort out
    _, n = _values("challenged_leaders_stepping_up", run, within_years=4.0)
    assert n == {}


@pytest.mark.parametrize("seed", range(10))
def test_matches_are_the_pairs_an_inner_merge_gives(seed):
    from sim.measures_careers import _matches
    rng = np.random.default_rng(seed)
    left, right = rng.integers(0, 8, int(rng.integers(0, 30))), rng.integers(0, 8, int(rng.integers(0, 30)))
    i, j = _matches(left, right)
    merged = pd.DataFrame({"key": left, "i": np.arange(len(left))}).merge(
        pd.DataFrame({"key": right, "j": np.arange(len(right))}), on="key")
    assert sorted(zip(i.tolist(), j.tolist())) == sorted(zip(merged.i.tolist(), merged.j.tolist()))
