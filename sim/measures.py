"""The measures: every quantity leadsim reports, each declared once, here (and, for who gets on —
representation by role and region, entrants, appointment from shortlisting — in ``sim/representation.py``).

A measure is a function of one run's tables (``sim.tables.Tables``) and a period of years
(``sim.tables.Period``), registered with ``@measure(...)``: its name is the function's name, its
plain-English definition is the docstring, and the decorator gives the unit, the direction that
is better (LOWER, HIGHER, or NEITHER for no value judgement; ``ByGroup`` when it depends on the
group), a plain-English label, its groups, how its observations reduce (``sim/registry.py``:
RATIO, MEDIAN or WINDOW), the settings a calibration target may give, and where it ranks among
the headline measures. Everything reads this registry: the KPIs of every run (``sim.metrics``:
``kpis.parquet``), calibration targets (``calibration/targets.yaml`` names a measure, a group, a
period and settings), verdicts (``sim.stats``), the terminal tables, the report and the charts.

Adding a measure: write one function below and its test on a hand-built table whose answer is
worked out by hand (``tests/test_targets.py`` and ``tests/test_metrics.py`` have small systems
to extend), and list it in the README's KPI table; that is all. For example::

    @measure(unit="share of executive posts", better=LOWER, label="Finance posts vacant or interim",
             groups=("all",), reduce=RATIO)
    def finance_vacant_or_interim(run: Tables, period: Period) -> pd.DataFrame:
        \"\"\"Finance-director posts without a substantive holder at 31 Dec.\"\"\"
        p = run.snapshots(run.posts, period)
        p = p[p.role == "finance"]
        return ratio(p.year, p.state != "substantive")

A measure that needs a table the run lacks (e.g. ``people``) returns None and is left out.
Keyword arguments after ``period`` are settings: give each a default (what the KPI uses) and
declare it in ``settings=`` with its allowed values. ``tests/test_measures.py`` fails if a
measure lacks a unit, a direction, a label or a definition.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .measures_groups import (COHORT, COHORT_YEAR, EPS, RATING_GROUPS, ROLE, TRUST_GROUPS, _appointments, _by_trust,
                              _cohort, _in_cohort, _of_role)
from .params import GRADES, RATINGS
from .registry import (APPRAISE, HIGHER, LOWER, MEDIAN, NEITHER, RATIO, REGISTRY, WINDOW, ByGroup, Headline,
                       Measure, Setting, appraised, direction, get, headlines, label, measure, per_year, ratio,
                       samples, totals, unit)
from .survival import kaplan_meier_curve, kaplan_meier_median
from .tables import Period, Tables

__all__ = ["REGISTRY", "Measure", "Headline", "get", "unit", "direction", "headlines", "appraised", "label",
           "LOWER", "HIGHER", "NEITHER", "RATIO", "MEDIAN", "WINDOW"]

WINDOW_YEARS = Setting(number=int, targets_must_set=True)  # a target's Kaplan–Meier window
SURVIVAL_TIMES = np.arange(0.5, 10.01, 0.5)


# -- vacancies ------------------------------------------------------------------------------------
def _posts_in_state(run: Tables, period: Period, states: tuple[str, ...], role: str | None,
                    cohort_year: int | None) -> pd.DataFrame:
    """Executive posts in one of ``states`` at 31 Dec, over all posts, in each group of trusts."""
    p = _of_role(run.snapshots(run.posts_at_trusts, period), role)
    return ratio(p.year, p.state.isin(states), groups=_by_trust(p, _cohort(run, period, cohort_year)))


VACANCY = dict(unit="share of executive posts", better=LOWER, groups=TRUST_GROUPS, reduce=RATIO,
               settings={"role": ROLE, "cohort_year": COHORT_YEAR})


@measure(label="Executive posts vacant or interim", **VACANCY,
         headline={"all": (1, "Executive posts vacant or interim, all trusts", APPRAISE),
                   COHORT: (2, "Executive posts vacant or interim, trusts challenged when the options start",
                            APPRAISE),
                   "challenged": (3, "Executive posts vacant or interim, trusts challenged at the time")})
def exec_vacant_or_interim(run: Tables, period: Period, role: str | None = None,
                           cohort_year: int | None = None) -> pd.DataFrame:
    """Executive posts without a substantive holder (vacant or interim) at 31 Dec — the KF/NHSP
    2018 definition; by the trust's rating in the same snapshot, at challenged trusts (rated
    inadequate or in special measures) then, and at the fixed cohort (the trusts challenged at
    31 Dec of ``cohort_year``; default the year before the period); optionally one role."""
    return _posts_in_state(run, period, ("vacant", "interim"), role, cohort_year)


@measure(label="Executive posts vacant", **VACANCY,
         headline={"all": (4, "Executive posts vacant with no interim cover, all trusts")})
def exec_vacant(run: Tables, period: Period, role: str | None = None, cohort_year: int | None = None) -> pd.DataFrame:
    """Executive posts with no holder at all — neither substantive nor interim — at 31 Dec; the
    same groups as ``exec_vacant_or_interim``, which is this plus ``exec_interim``."""
    return _posts_in_state(run, period, ("vacant",), role, cohort_year)


@measure(label="Executive posts covered by an interim", **VACANCY,
         headline={"all": (5, "Executive posts covered by an interim, all trusts")})
def exec_interim(run: Tables, period: Period, role: str | None = None, cohort_year: int | None = None) -> pd.DataFrame:
    """Executive posts held by an interim (no substantive holder) at 31 Dec; the same groups as
    ``exec_vacant_or_interim``."""
    return _posts_in_state(run, period, ("interim",), role, cohort_year)


@measure(unit="post-years per year", better=LOWER, label="Executive post-years without a substantive holder",
         groups=("all", COHORT), reduce=RATIO, settings={"cohort_year": COHORT_YEAR},
         headline={"all": (6, "Executive post-years without a substantive holder, a year", APPRAISE),
                   COHORT: (7, "Executive post-years without a substantive holder, a year, trusts challenged "
                               "when the options start")})
def exec_post_years_without_holder(run: Tables, period: Period, cohort_year: int | None = None) -> pd.DataFrame:
    """Time executive posts spent without a substantive holder (vacant or interim) during the year,
    in post-years — a post empty all year counts 1, a three-month gap 0.25 — from the appointments
    and departures in the event log (not a 31 Dec count); all trusts and the fixed cohort (as in
    ``exec_vacant_or_interim``). Over several years: the mean a year."""
    gaps = run.without_holder()
    gaps = gaps[(gaps.stop > period.start) & (gaps.start < period.end)]
    edges = period.years.astype(float)
    # each gap's overlap with each year of the period: gaps × years
    overlap = np.clip(np.minimum(gaps.stop.to_numpy()[:, None], edges + 1.0)
                      - np.maximum(gaps.start.to_numpy()[:, None], edges), 0.0, None)
    wide = pd.DataFrame({"all": overlap.sum(axis=0)}, index=period.years)
    if _cohort(run, period, cohort_year) is not None:
        wide[COHORT] = overlap[_in_cohort(run, period, gaps.org, cohort_year)].sum(axis=0)
    return totals(wide, period.years)


@measure(unit="trusts", better=NEITHER, label="Trusts in the fixed cohort of challenged trusts",
         groups=(COHORT,), reduce=WINDOW, settings={"cohort_year": COHORT_YEAR})
def challenged_cohort_trusts(run: Tables, period: Period, cohort_year: int | None = None) -> pd.DataFrame:
    """Trusts rated inadequate or in special measures at 31 Dec of ``cohort_year`` (default the year
    before the period): the fixed cohort the ``challenged_cohort`` groups follow. The same in every
    scenario of a comparison (``sim/cohort.py``)."""
    members = _cohort(run, period, cohort_year)
    return pd.DataFrame({"group": [COHORT], "value": [np.nan if members is None else float(len(members))]})


@measure(unit="share of trusts", better=LOWER, label="Trusts without a substantive chief executive",
         groups=("all", "special_measures"), reduce=RATIO,
         headline={"all": (8, "Trusts without a substantive chief executive")})
def trusts_without_substantive_ceo(run: Tables, period: Period) -> pd.DataFrame:
    """Trusts whose chief-executive post is vacant or interim at 31 Dec; all trusts, and trusts in
    special measures at that date."""
    p = run.snapshots(run.posts_at_trusts, period)
    ceo = p[p.role == "chief_executive"]
    return ratio(ceo.year, ceo.state != "substantive", groups={"all": None, "special_measures": ceo.special_measures})


# -- time in post and tenure ------------------------------------------------------------------------
def _time_in_post(run: Tables, period: Period, role: str | None, by_rating: bool) -> pd.DataFrame:
    p = run.snapshots(run.posts_at_trusts, period)
    held = _of_role(p[p.state == "substantive"], role)
    groups = {"all": None, **({r: held.rating == r for r in RATINGS} if by_rating else {})}
    return samples(held.year, held.year + 1.0 - held.appointed, groups)


@measure(unit="years", better=HIGHER, label="Median time in post, chief executives",
         groups=("all", *RATINGS), reduce=MEDIAN,
         headline={"all": (9, "Median time in post, chief executives")})
def ceo_median_time_in_post(run: Tables, period: Period) -> pd.DataFrame:
    """Median time in post of current substantive chief executives at 31 Dec (a cross-section, as
    surveys report); all trusts and by the trust's rating then."""
    return _time_in_post(run, period, "chief_executive", by_rating=True)


@measure(unit="years", better=HIGHER, label="Median time in post, executives", groups=("all",), reduce=MEDIAN,
         settings={"role": ROLE})
def exec_median_time_in_post(run: Tables, period: Period, role: str | None = None) -> pd.DataFrame:
    """Median time in post of current substantive holders of every executive post (optionally
    one role) at 31 Dec."""
    return _time_in_post(run, period, role, by_rating=False)


def _km_medians(run: Tables, period: Period, window_years: int | None, role: str | None) -> pd.DataFrame:
    end = period.end
    start = end - window_years if window_years else period.start
    sp = run.spells(end)
    sp = _of_role(sp[sp.start >= start], role)
    sp = sp.assign(year=np.minimum(np.floor(sp.stop), period.last).astype(int))
    sp = sp.merge(run.organisations[["year", "org", "rating"]], on=["year", "org"], how="left")
    subsets = {"all": sp, **{r: sp[sp.rating == r] for r in RATINGS}}
    return pd.DataFrame({"group": list(subsets),
                         "value": [kaplan_meier_median(s.duration, s.observed) for s in subsets.values()]})


@measure(unit="years", better=HIGHER, label="Median tenure, chief executives", groups=("all", *RATINGS),
         reduce=WINDOW, settings={"window_years": WINDOW_YEARS})
def ceo_median_tenure(run: Tables, period: Period, window_years: int | None = None) -> pd.DataFrame:
    """Kaplan–Meier median of substantive chief-executive spells that started in the window (the
    period, or the ``window_years`` before its end), right-censored at its end; all spells, and
    by the trust's rating when the spell ended."""
    return _km_medians(run, period, window_years, "chief_executive")


@measure(unit="years", better=HIGHER, label="Median tenure, executives", groups=("all", *RATINGS),
         reduce=WINDOW, settings={"window_years": WINDOW_YEARS, "role": ROLE})
def exec_median_tenure(run: Tables, period: Period, window_years: int | None = None,
                       role: str | None = None) -> pd.DataFrame:
    """The same Kaplan–Meier median over spells in every executive post, chief executive included
    (optionally one role)."""
    return _km_medians(run, period, window_years, role)


@measure(unit="share of spells", better=NEITHER, label="Chief executives still in post",
         groups=tuple(f"{t:g}" for t in SURVIVAL_TIMES), reduce=WINDOW)
def ceo_survival(run: Tables, period: Period) -> pd.DataFrame:
    """Kaplan–Meier share of chief-executive spells starting in the period that last longer than
    the group's number of years, right-censored at the period's end."""
    sp = run.spells(period.end)
    sp = sp[(sp.start >= period.start) & (sp.role == "chief_executive")]
    curve = kaplan_meier_curve(sp.duration, sp.observed, SURVIVAL_TIMES) if len(sp) else []
    return pd.DataFrame({"group": [f"{t:g}" for t in SURVIVAL_TIMES][:len(curve)], "value": curve})


# -- flows of posts -------------------------------------------------------------------------------
@measure(unit="posts", better=NEITHER, label="Executive posts", groups=("all", COHORT), reduce=RATIO,
         settings={"cohort_year": COHORT_YEAR})
def exec_posts(run: Tables, period: Period, cohort_year: int | None = None) -> pd.DataFrame:
    """Executive posts at 31 Dec, in England and at the trusts of the fixed cohort."""
    p = run.snapshots(run.posts, period)
    wide = pd.DataFrame({"all": p.groupby("year").size()})
    if _cohort(run, period, cohort_year) is not None:
        wide[COHORT] = p[_in_cohort(run, period, p.org, cohort_year)].groupby("year").size()
    return totals(wide.fillna(0), period.years)


def _turnover(run: Tables, period: Period, role: str | None, exclude: tuple[str, ...] = ()) -> pd.DataFrame:
    ev = run.events_in(period)
    dep = _of_role(ev[(ev.kind == "departure") & ~ev.cause.isin(exclude)], role)
    posts = _of_role(run.snapshots(run.posts, period), role)
    return per_year(dep.groupby("year").size(), period.years, den=posts.groupby("year").size())


@measure(unit="departures per post per year", better=LOWER, label="Executive turnover", groups=("all",),
         reduce=RATIO, headline={"all": (10, "Executive turnover")})
def exec_turnover(run: Tables, period: Period) -> pd.DataFrame:
    """Substantive holders leaving their post during the year (any cause, moves included), per
    executive post at 31 Dec."""
    return _turnover(run, period, None)


@measure(unit="departures per post per year", better=LOWER, label="Executive turnover excluding retirement",
         groups=("all",), reduce=RATIO, settings={"role": ROLE})
def exec_turnover_excluding_retirement(run: Tables, period: Period, role: str | None = None) -> pd.DataFrame:
    """Substantive holders leaving their post during the year for any cause but retirement, per
    executive post at 31 Dec (the Incomes Data Services definition); optionally one role."""
    return _turnover(run, period, role, exclude=("retire",))


@measure(unit="years", better=LOWER, label="Time to fill a vacancy", groups=("all",), reduce=RATIO,
         settings={"role": ROLE}, headline={"all": (11, "Time to fill a vacancy")})
def mean_time_to_fill(run: Tables, period: Period, role: str | None = None) -> pd.DataFrame:
    """Mean time a post had no substantive holder (interim cover counts as vacant), over
    appointments in the year that followed a gap; optionally one role."""
    app = _of_role(_appointments(run, period), role)
    app = app[app.value > 0]
    return ratio(app.year, app.value)


@measure(unit="share of appointments", better=HIGHER, label="Handovers without a gap", groups=("all",),
         reduce=RATIO)
def handover_without_gap(run: Tables, period: Period) -> pd.DataFrame:
    """Appointments in the year whose holder started the moment the predecessor left."""
    app = _appointments(run, period)
    return ratio(app.year, app.value == 0)


# -- money ----------------------------------------------------------------------------------------
@measure(unit="£ per year", better=NEITHER, label="Cost of interventions", groups="each intervention, total",
         reduce=RATIO, headline={"total": (15, "Cost of interventions")})
def intervention_cost(run: Tables, period: Period) -> pd.DataFrame:
    """Cost booked by each intervention for the year (units × cost per unit), in the years it
    booked any; group total = all interventions, every year."""
    cost = run.events_in(period)
    cost = cost[cost.kind == "cost"]
    by_cause = cost.groupby(["year", "cause"], observed=True).value.sum().unstack()
    return pd.concat([totals(by_cause, period.years, fill=None),
                      per_year(cost.groupby("year").value.sum(), period.years, "total")], ignore_index=True)


@measure(unit="£ per year", better=NEITHER, label="Cost of training places", groups=("all",), reduce=RATIO)
def programme_cost(run: Tables, period: Period) -> pd.DataFrame:
    """Places started on every training programme in the year × cost per place."""
    ev = run.events_in(period)
    return per_year(ev[ev.kind == "programme_start"].groupby("year").value.sum(), period.years)


# -- flows of people ------------------------------------------------------------------------------
def _counts_by(frame: pd.DataFrame, key, period: Period) -> pd.DataFrame:
    """Yearly counts per value of ``key`` (0 in years without any), groups in sorted order."""
    codes, names = pd.factorize(key)  # code −1: no value (e.g. a person missing from the people table)
    names = [str(n) for n in names]
    cells = (codes * len(period.years) + (frame.year.to_numpy() - period.first))[codes >= 0]
    counts = np.bincount(cells, minlength=len(names) * len(period.years)).reshape(len(names), len(period.years))
    return totals(pd.DataFrame(counts.T, index=period.years, columns=names)[sorted(names)], period.years)


def _by_origin(run: Tables, period: Period, rows: pd.DataFrame) -> pd.DataFrame | None:
    """Yearly counts of events by the origin route of their person (None without a people table)."""
    return None if run.people is None else _counts_by(rows, run.origin(rows.person), period)


def _first_posts(run: Tables, period: Period, chief_executive: bool) -> pd.DataFrame:
    """First executive posts: appointments in the period by internal promotion or from outside the NHS."""
    app = _appointments(run, period)
    first = app[app.cause.isin(["internal_promotion", "external"])]
    return first[(first.role == "chief_executive") == chief_executive]


FLOW = dict(unit="people per year", better=NEITHER, groups="each origin route", reduce=RATIO)


@measure(label="Entering the management pipeline", **FLOW)
def flow_entry(run: Tables, period: Period) -> pd.DataFrame:
    """People entering the management pipeline in the year, by origin route."""
    ev = run.events_in(period)
    entry = ev[ev.kind == "entry"]
    return _counts_by(entry, entry.cause, period)


@measure(label="Becoming senior managers", **FLOW)
def flow_to_senior(run: Tables, period: Period) -> pd.DataFrame | None:
    """People becoming senior managers in the year (promotion or entry at that grade), by origin."""
    ev = run.events_in(period)
    return _by_origin(run, period, ev[((ev.kind == "promotion") & (ev.cause == "middle_to_senior"))
                                      | ((ev.kind == "entry") & (ev.value == GRADES.index("senior_manager")))])


@measure(label="First executive-director posts", **FLOW)
def flow_to_director(run: Tables, period: Period) -> pd.DataFrame | None:
    """First executive-director appointments in the year, by origin."""
    return _by_origin(run, period, _first_posts(run, period, chief_executive=False))


@measure(label="First chief-executive posts", **FLOW)
def flow_to_ceo(run: Tables, period: Period) -> pd.DataFrame | None:
    """First chief-executive appointments in the year, by origin."""
    return _by_origin(run, period, _first_posts(run, period, chief_executive=True))


@measure(unit="people per year", better=NEITHER, label="Leaving the pipeline", groups="each grade",
         reduce=RATIO)
def flow_exit(run: Tables, period: Period) -> pd.DataFrame:
    """People leaving the pipeline for good in the year, by the grade they left from."""
    ev = run.events_in(period)
    exits = ev[ev.kind == "exit"].dropna(subset=["value"])
    return _counts_by(exits, np.asarray(GRADES, dtype=object)[exits.value.astype(int)], period)


# -- trusts ----------------------------------------------------------------------------------------
RATING_BETTER = ByGroup({"outstanding": HIGHER, "good": HIGHER}, otherwise=LOWER)


@measure(unit="trusts", better=RATING_BETTER, label="Trusts by CQC rating", groups=RATINGS, reduce=RATIO,
         headline={"inadequate": (13, "Trusts rated inadequate")})
def trusts_by_rating(run: Tables, period: Period) -> pd.DataFrame:
    """Trusts with each CQC rating at 31 Dec."""
    orgs = run.snapshots(run.organisations, period)
    wide = orgs.groupby(["year", "rating"]).size().unstack(fill_value=0)
    return totals(wide.reindex(columns=list(RATINGS), fill_value=0), period.years, fill=None)


@measure(unit="share of trusts", better=RATING_BETTER, label="Share of trusts by CQC rating", groups=RATINGS,
         reduce=RATIO)
def trust_rating_share(run: Tables, period: Period) -> pd.DataFrame:
    """Share of all trusts with each CQC rating at 31 Dec (the model rates every trust)."""
    orgs = run.snapshots(run.organisations, period)
    return pd.concat([ratio(orgs.year, orgs.rating == r).assign(group=r) for r in RATINGS], ignore_index=True)


@measure(unit="trusts", better=LOWER, label="Trusts in special measures", groups=("all",), reduce=RATIO)
def trusts_in_special_measures(run: Tables, period: Period) -> pd.DataFrame:
    """Trusts in special measures at 31 Dec (over several years: the mean number)."""
    orgs = run.snapshots(run.organisations, period)
    return per_year(orgs.groupby("year").special_measures.sum(), period.years, fill=None)


@measure(unit="years", better=LOWER, label="Time in special measures", groups=("all",), reduce=RATIO,
         settings={"entered_from": Setting(number=float)})
def special_measures_years(run: Tables, period: Period, entered_from: float | None = None) -> pd.DataFrame:
    """Mean length of the special-measures spells that ended in the year; optionally only spells
    that began at or after ``entered_from`` (a decimal year), as when a regime began mid-period
    and no earlier spell could be counted."""
    ev = run.events_in(period)
    exits = ev[ev.kind == "special_measures_exit"]
    if entered_from is not None:
        exits = exits[exits.time - exits.value >= entered_from - EPS]
    return ratio(exits.year, exits.value)


@measure(unit="share of executives", better=NEITHER, label="Executives appointed recently",
         groups=RATING_GROUPS, reduce=RATIO, settings={"within_years": Setting(number=float)})
def recently_appointed(run: Tables, period: Period, within_years: float = 1.0) -> pd.DataFrame:
    """Substantive executives at 31 Dec who had been appointed to their post within the last
    ``within_years`` (default 1: in that calendar year), by the trust's rating then — KF/NHSP 2018's
    "inverse leadership law" measure of churn."""
    p = run.snapshots(run.posts_at_trusts, period)
    held = p[p.state == "substantive"]
    return ratio(held.year, held.appointed > held.year + 1.0 - within_years - EPS, groups=_by_trust(held))


# -- trusts: inspections and special measures -----------------------------------------------------------
@measure(unit="share of re-inspections", better=ByGroup({"improved": HIGHER, "worsened": LOWER}, otherwise=NEITHER),
         label="Re-inspections that changed the rating", groups=("improved", "worsened"), reduce=RATIO)
def rating_change_at_inspection(run: Tables, period: Period) -> pd.DataFrame:
    """Inspections in the year of a trust already rated that improved or worsened its overall rating
    (CQC State of Care: 13 of 37 acute trusts re-inspected to end-2016 improved, 4 worsened)."""
    ev = run.events_in(period)
    insp = ev[ev.kind == "inspection"]
    before = insp.cause.astype(str).map({r: i for i, r in enumerate(RATINGS)}).to_numpy(dtype=float)
    after = insp.value.to_numpy(dtype=float)
    return pd.concat([ratio(insp.year, after < before).assign(group="improved"),
                      ratio(insp.year, after > before).assign(group="worsened")], ignore_index=True)


@measure(unit="share of spells", better=HIGHER, label="Special-measures spells ended within a year",
         groups=("all",), reduce=RATIO)
def special_measures_left_within_a_year(run: Tables, period: Period) -> pd.DataFrame:
    """Special-measures spells that began in the year and ended within twelve months (spells whose
    first year is not over by the end of the run are left out) — HSJ 2017: 5 of 27 trusts."""
    ev = run.events
    entries = run.events_in(period)
    entries = entries[(entries.kind == "special_measures_entry") & (entries.time + 1.0 <= run.end)]
    exits = ev[ev.kind == "special_measures_exit"]
    exit_org, exit_time = exits.org.to_numpy(), exits.time.to_numpy()
    left = []
    for org, time in zip(entries.org.tolist(), entries.time.tolist()):   # numpy, not pandas, for each entry
        later = exit_time[(exit_org == org) & (exit_time > time)]
        left.append(bool(len(later)) and float(later.min()) - time <= 1.0 + EPS)
    return ratio(entries.year, np.asarray(left, dtype=float))


@measure(unit="share of entries", better=NEITHER, label="Chief executives replaced after special measures",
         groups=("all",), reduce=RATIO, settings={"within_years": Setting(number=float)})
def ceo_left_after_special_measures(run: Tables, period: Period, within_years: float = 7 / 12) -> pd.DataFrame:
    """Entries into special measures in the year after which the trust's chief executive left their
    post (for any reason) within ``within_years`` (default seven months; HSJ 2014: 5 of the 14
    trusts in special measures replaced their chief executive within seven months)."""
    ev = run.events
    entries = run.events_in(period)
    entries = entries[(entries.kind == "special_measures_entry") & (entries.time + within_years <= run.end)]
    gone = ev[(ev.kind == "departure") & (ev.role == "chief_executive")]
    gone_org, gone_time = gone.org.to_numpy(), gone.time.to_numpy()
    left = [bool(((gone_org == org) & (gone_time >= time) & (gone_time <= time + within_years)).any())
            for org, time in zip(entries.org.tolist(), entries.time.tolist())]   # numpy, not pandas, for each entry
    return ratio(entries.year, np.asarray(left, dtype=float))


@measure(unit="share of chief executives", better=NEITHER, label="Chief executives with a clinical background",
         groups=("all", "nurse", "doctor"), reduce=RATIO)
def ceo_clinical_background(run: Tables, period: Period) -> pd.DataFrame | None:
    """Substantive chief executives at 31 Dec who are clinicians (doctors, nurses, allied health
    professionals); and nurses and doctors separately."""
    if run.people is None:
        return None
    p = run.snapshots(run.posts, period)
    ceo = p[(p.role == "chief_executive") & (p.state == "substantive")]
    prof = run.person_column(ceo.holder, "profession")   # strings (NaN for anyone missing)
    clinical = np.isin(prof, ["doctor", "nurse", "allied_health"])  # finance is a non-clinical profession
    return pd.concat([ratio(ceo.year, clinical), ratio(ceo.year, prof == "nurse").assign(group="nurse"),
                      ratio(ceo.year, prof == "doctor").assign(group="doctor")], ignore_index=True)


# -- ages, retirement and removals --------------------------------------------------------------------
def _holders(run: Tables, period: Period) -> pd.DataFrame | None:
    """Substantive holders at each 31 Dec with their age then."""
    if run.people is None or "born" not in run.people:
        return None
    held = run.holders(period)
    return held.assign(age=held.year + 1.0 - run.person_column(held.holder, "born"))


@measure(unit="years", better=NEITHER, label="Median age of executives", groups=("all", "chief_executive"),
         reduce=MEDIAN)
def executive_age(run: Tables, period: Period) -> pd.DataFrame | None:
    """Median age of substantive executives at 31 Dec; all executives and chief executives."""
    held = _holders(run, period)
    if held is None:
        return None
    return samples(held.year, held.age, {"all": None, "chief_executive": held.role == "chief_executive"})


@measure(unit="share of executives", better=NEITHER, label="Executives aged 55 or over",
         groups=("all", "chief_executive"), reduce=RATIO)
def executives_aged_55_plus(run: Tables, period: Period) -> pd.DataFrame | None:
    """Substantive executives aged 55 or over at 31 Dec: the retirements to come."""
    held = _holders(run, period)
    if held is None:
        return None
    return ratio(held.year, held.age >= 55, groups={"all": None, "chief_executive": held.role == "chief_executive"})


@measure(unit="share of departures", better=NEITHER, label="Executive departures that are retirements",
         groups=("all",), reduce=RATIO)
def retirement_share_of_departures(run: Tables, period: Period) -> pd.DataFrame:
    """Departures of substantive executives from their posts in the year that were retirements."""
    ev = run.events_in(period)
    dep = ev[ev.kind == "departure"]
    return ratio(dep.year, dep.cause == "retire")


@measure(unit="removals per year", better=NEITHER, label="Executives removed after an inspection",
         groups=("all", "chief_executive"), reduce=RATIO)
def removals_after_inspection(run: Tables, period: Period) -> pd.DataFrame:
    """Executives removed in the year because their trust entered special measures or was newly
    rated inadequate (over several years: the mean a year)."""
    ev = run.events_in(period)
    dep = ev[(ev.kind == "departure") & (ev.cause == "removed_after_inspection")]
    wide = pd.DataFrame({"all": dep.groupby("year").size(),
                         "chief_executive": dep[dep.role == "chief_executive"].groupby("year").size()})
    return totals(wide, period.years)


@measure(unit="share of appointments", better=NEITHER, label="Appointments of executives removed before",
         groups=("all",), reduce=RATIO)
def recycled_appointments(run: Tables, period: Period) -> pd.DataFrame:
    """Executive appointments in the year of someone removed from an executive post earlier in the
    run (Smith 2015: ineffective leaders moved between organisations)."""
    ev = run.events
    removed = ev[(ev.kind == "departure") & ev.cause.isin(["removed", "removed_after_inspection"])]
    first_removal = removed.groupby("person").time.min()
    app = run.events_in(period)
    app = app[app.kind == "appointment"]
    before = first_removal.reindex(app.person).to_numpy() < app.time.to_numpy()  # NaN (never) is False
    return ratio(app.year, before)


# -- the pipeline and equality ----------------------------------------------------------------------
@measure(unit="people", better=NEITHER, label="People in each grade", groups=GRADES, reduce=RATIO)
def pipeline(run: Tables, period: Period) -> pd.DataFrame:
    """People in each grade at 31 Dec."""
    pl = run.snapshots(run.pipeline, period)
    wide = pl.groupby(["year", "grade"])["count"].sum().unstack(fill_value=0)
    return totals(wide[[g for g in GRADES if g in wide.columns]], period.years)


@measure(unit="people per executive post", better=HIGHER, label="Ready successors per executive post",
         groups=("all",), reduce=RATIO, headline={"all": (12, "Ready successors per executive post")})
def ready_successors_per_post(run: Tables, period: Period) -> pd.DataFrame:
    """Senior managers and directors judged ready for the next grade at 31 Dec, per executive post."""
    pl = run.snapshots(run.pipeline, period)
    ready = pl[pl.ready & pl.grade.isin(["senior_manager", "executive_director"])]
    posts = run.snapshots(run.posts, period).groupby("year").size()
    return per_year(ready.groupby("year")["count"].sum(), period.years, den=posts)


def _share_of_grade(run: Tables, period: Period, flag: str) -> pd.DataFrame:
    pl = run.snapshots(run.pipeline, period)
    return ratio(pl.year, pl["count"] * pl[flag], pl["count"], groups={g: pl.grade == g for g in GRADES})


@measure(unit="share of grade", better=NEITHER, label="Women", groups=GRADES, reduce=RATIO)
def women_share(run: Tables, period: Period) -> pd.DataFrame:
    """Women in each grade at 31 Dec."""
    return _share_of_grade(run, period, "female")


@measure(unit="share of grade", label="Ethnic-minority staff", groups=GRADES, reduce=RATIO,
         # Messenger 2022 / WRES: boards under-represent ethnic-minority staff
         better=ByGroup({"executive_director": HIGHER, "chief_executive": HIGHER}, otherwise=NEITHER),
         headline={"executive_director": (14, "Ethnic-minority share of directors")})
def ethnic_minority_share(run: Tables, period: Period) -> pd.DataFrame:
    """Ethnic-minority staff in each grade at 31 Dec."""
    return _share_of_grade(run, period, "ethnic_minority")


@measure(unit="share of entrants", better=HIGHER, label="Graduate-scheme entrants retained", groups=("all",),
         reduce=RATIO, settings={"within_years": Setting(number=float)})
def graduate_retention(run: Tables, period: Period, within_years: float = 1.0) -> pd.DataFrame:
    """Graduate-scheme entrants of the year with no exit within ``within_years`` (default 1) of
    entering; an exit at exactly the anniversary counts as leaving, because feeder leavers are
    drawn at each 1 January tick. Entrants whose anniversary tick falls after the end of the run
    are left out (their follow-up is incomplete)."""
    entries = run.events_in(period)
    entries = entries[(entries.kind == "entry") & (entries.cause == "graduate_scheme")]
    entries = entries[entries.time + within_years + EPS < run.end]
    ev = run.events
    exits = ev[ev.kind == "exit"]   # (then the entrants among them: isin over the exits, not the whole log)
    first_exit = exits[exits.person.isin(entries.person)].groupby("person").time.min()
    gone = first_exit.reindex(entries.person).to_numpy() - entries.time.to_numpy() <= within_years + EPS
    return ratio(entries.year, ~gone)  # NaN (no exit) compares False: retained


from . import representation  # noqa: E402,F401  (who gets on: registers its measures after these)
from . import measures_careers  # noqa: E402,F401 — registers the placement and career measures
