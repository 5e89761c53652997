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
