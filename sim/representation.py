"""Measures of who gets on: women and ethnic-minority staff among executives by role and region,
among entrants, and the relative likelihood of appointment from shortlisting (WRES indicator 2).

Registered in the same registry as ``sim/measures.py`` (which imports this module); read that
module's docstring to add a measure. Each needs the run's people table and returns None without it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .params.vocabulary import REGIONS, ROLES
from .registry import HIGHER, LOWER, NEITHER, RATIO, WINDOW, Setting, measure, ratio
from .tables import Period, Tables

BY_ROLE = ("all", *ROLES)


def _by_role(frame: pd.DataFrame) -> dict:
    return {"all": None, **{r: frame.role == r for r in ROLES}}


def _holders(run: Tables, period: Period, column: str) -> pd.DataFrame | None:
    """Substantive post holders whose ``column`` (female, ethnic_minority) is known; None without a
    people table that records it."""
    h = None if run.people is None else run.holders(period)
    if h is None or column not in h:
        return None
    return run.shared(("holders known by", column, period), lambda: h[h[column].notna()])   # for several measures


def _share_by_role(run: Tables, period: Period, column: str) -> pd.DataFrame | None:
    h = _holders(run, period, column)
    return None if h is None else ratio(h.year, h[column], groups=_by_role(h))


@measure(unit="share of substantive post holders", better=NEITHER, label="Women among executives",
         groups=BY_ROLE, reduce=RATIO)
def exec_women_share(run: Tables, period: Period) -> pd.DataFrame | None:
    """Women among substantive holders of executive posts at 31 Dec: all posts and each role (the
    NHS Confederation / Sealy 2017 and 2020 figures by role)."""
    return _share_by_role(run, period, "female")


@measure(unit="share of substantive post holders", better=HIGHER, label="Ethnic-minority executives",
         groups=BY_ROLE, reduce=RATIO)
def exec_ethnic_minority_share(run: Tables, period: Period) -> pd.DataFrame | None:
    """Substantive holders of executive posts from ethnic minorities at 31 Dec: all posts (WRES:
    executive board members) and each role."""
    return _share_by_role(run, period, "ethnic_minority")


@measure(unit="share of substantive post holders", better=HIGHER, label="Ethnic-minority executives by region",
         groups=REGIONS, reduce=RATIO)
def exec_ethnic_minority_by_region(run: Tables, period: Period) -> pd.DataFrame | None:
    """Substantive holders of executive posts from ethnic minorities at 31 Dec, by the trust's region
    (compare with the region's census population share, ``system.ethnic_minority_population``)."""
    h = _holders(run, period, "ethnic_minority")
    return None if h is None else ratio(h.year, h.ethnic_minority, groups={r: h.region == r for r in REGIONS})


@measure(unit="ratio (1 = proportional)", better=HIGHER,
         label="Ethnic-minority executives relative to the local population", groups=("all", *REGIONS),
         reduce=RATIO)
def exec_ethnic_minority_vs_population(run: Tables, period: Period) -> pd.DataFrame | None:
    """Ethnic-minority share of substantive executive post holders at 31 Dec ÷ the census share of
    the trust's region's residents from ethnic minorities: 1 when boards are "proportional to the
    local population" (Kerr 2018 rec 1.1b); all trusts (each holder weighted by their region's
    share) and each region."""
    h = _holders(run, period, "ethnic_minority")
    if h is None or "minority_population" not in h.columns:
        return None
    return ratio(h.year, h.ethnic_minority, h.minority_population,
                 groups={"all": None, **{r: h.region == r for r in REGIONS}})


@measure(unit="share of entrants", better=NEITHER, label="Entrants to management",
         groups=("women", "ethnic_minority"), reduce=RATIO)
def entrant_share(run: Tables, period: Period) -> pd.DataFrame | None:
    """Women, and people from ethnic minorities, among everyone entering the management pipeline in
    the year (every route, external executive hires included)."""
    if run.people is None:
        return None
    entry = run.events_of("entry", period)
    return pd.concat([ratio(*_flag(run, entry, "female")).assign(group="women"),
                      ratio(*_flag(run, entry, "ethnic_minority")).assign(group="ethnic_minority")],
                     ignore_index=True)


def _flag(run: Tables, events: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    value = run.person_column(events.person, column).astype(float)
    known = ~np.isnan(value)
    return events.year.to_numpy()[known], value[known]


@measure(unit="ratio (1 = equal)", better=LOWER,
         label="Relative likelihood of appointment from shortlisting, white vs ethnic-minority", groups=("all",),
         reduce=WINDOW, settings={"role": Setting(choices=ROLES)})
def appointment_from_shortlisting_ratio(run: Tables, period: Period, role: str | None = None) -> pd.DataFrame | None:
    """WRES indicator 2 over the period: (white applicants offered a post ÷ white applicants
    shortlisted) ÷ (the same for ethnic-minority applicants), over executive search rounds;
    optionally one role. Shortlisted = interviewed in a round (``shortlist`` events); appointed =
    the round's offer. NaN when a group has no one shortlisted or no offer."""
    if run.people is None:
        return None
    shortlist, offers = run.events_of("shortlist", period), run.events_of("offer", period)
    if role is not None:
        shortlist, offers = shortlist[shortlist.role == role], offers[offers.role == role]
    offered = run.person_column(offers.person, "ethnic_minority").astype(float)
    white = (np.sum(offered == 0), shortlist.value[shortlist.cause == "white"].sum())
    minority = (np.sum(offered == 1), shortlist.value[shortlist.cause == "ethnic_minority"].sum())
    if min(white[1], minority[0], minority[1]) <= 0:
        value = float("nan")
    else:
        value = (white[0] / white[1]) / (minority[0] / minority[1])
    return pd.DataFrame({"group": ["all"], "value": [value]})
