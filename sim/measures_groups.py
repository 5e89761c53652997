"""What several measure modules share: the groups of trusts they report by — each CQC rating,
challenged trusts (rated inadequate or in special measures in the same snapshot) and the fixed
cohort of challenged trusts (``sim/cohort.py``) — the role and cohort-year settings, a role's rows,
a period's appointments, and the slack for comparing event times.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .definitions import challenged
from .params import RATINGS, ROLES
from .registry import Setting
from .tables import Period, Tables

EPS = 1e-9  # event times are sums of floats; compare at an anniversary with a little slack
COHORT = "challenged_cohort"  # the fixed cohort of challenged trusts (sim/cohort.py)
RATING_GROUPS = ("all", *RATINGS, "challenged")
TRUST_GROUPS = (*RATING_GROUPS, COHORT)
ROLE = Setting(choices=ROLES)
COHORT_YEAR = Setting(number=int)  # 31 Dec of this year fixes the cohort


def _cohort(run: Tables, period: Period, cohort_year: int | None) -> np.ndarray | None:
    """The trusts of the fixed cohort (``sim/cohort.py``): challenged at 31 Dec of ``cohort_year``,
    by default the year before the period; None if the run has no snapshot of that year."""
    return run.challenged_cohort(period.first - 1 if cohort_year is None else cohort_year)


def _in_cohort(run: Tables, period: Period, orgs: pd.Series, cohort_year: int | None) -> np.ndarray:
    members = _cohort(run, period, cohort_year)
    return np.asarray(orgs.isin(() if members is None else members))


def _by_trust(frame: pd.DataFrame, cohort: np.ndarray | None = None) -> dict:
    """All rows, rows at trusts with each rating and at challenged trusts (same snapshot), and, given
    the ``cohort``'s trusts, rows at the fixed cohort."""
    groups = {"all": None, **{r: frame.rating == r for r in RATINGS},
              "challenged": challenged(frame.rating, frame.special_measures)}
    if cohort is not None:
        groups[COHORT] = frame.org.isin(cohort)
    return groups


def _of_role(frame: pd.DataFrame, role: str | None) -> pd.DataFrame:
    return frame if role is None else frame[frame.role == role]


def _appointments(run: Tables, period: Period) -> pd.DataFrame:
    return run.events_of("appointment", period)
