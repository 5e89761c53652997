"""KPIs: pure functions from a run's event log and snapshots to a long table of numbers.

Every KPI row is (kpi, group, year, value); ``year`` is the snapshot year for cross-sectional
KPIs and -1 for KPIs computed over the whole reporting window (e.g. Kaplan–Meier medians).
Snapshots describe the state at the end of their year (31 December).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .params import GRADES, RATINGS

WINDOW = -1  # ``year`` of a KPI computed over the whole reporting window

# kpi name → (unit, definition)
KPIS = {
    "exec_vacant_or_interim": ("share of executive posts",
                               "posts without a substantive holder (vacant or interim) at 31 Dec; "
                               "group all / by the trust's rating / challenged"),
    "trusts_without_substantive_ceo": ("share of trusts", "chief-executive post vacant or interim at 31 Dec; "
                                       "group all / special_measures"),
    "ceo_median_tenure": ("years", "Kaplan–Meier median of chief-executive spells starting in the report "
                          "window, right-censored at its end; group by the trust's rating when the spell ended"),
    "exec_median_tenure": ("years", "the same for all executive posts"),
    "ceo_median_time_in_post": ("years", "median time in post of current substantive chief executives at 31 Dec"),
    "exec_median_time_in_post": ("years", "median time in post of current substantive executives at 31 Dec"),
    "exec_posts": ("posts", "executive posts in England at 31 Dec"),
    "exec_turnover": ("departures per post per year", "substantive holders leaving their post during the year"),
    "mean_time_to_fill": ("years", "mean gap between a post losing its substantive holder and the next "
                          "starting, over appointments in the year that followed a gap"),
    "handover_without_gap": ("share of appointments", "successor started the moment the holder left"),
    "trusts_by_rating": ("trusts", "trusts with each CQC rating at 31 Dec"),
    "trusts_in_special_measures": ("trusts", "trusts in special measures at 31 Dec"),
    "pipeline": ("people", "people in each grade at 31 Dec"),
    "ready_successors_per_post": ("people per executive post",
                                  "senior managers and directors judged ready for the next grade, per executive post"),
    "intervention_cost": ("£ per year", "cost booked by each intervention for the year (units × cost per unit); "
                          "group total = all interventions"),
    "programme_cost": ("£ per year", "places started on every training programme × cost per place"),
    "flow_entry": ("people per year", "people entering the management pipeline, by origin route"),
    "flow_to_senior": ("people per year", "people becoming senior managers (promotion or entry), by origin"),
    "flow_to_director": ("people per year", "first executive-director appointments, by origin"),
    "flow_to_ceo": ("people per year", "first chief-executive appointments, by origin"),
    "flow_exit": ("people per year", "people leaving the pipeline, by the grade they left from"),
    "ceo_survival": ("share of spells", "Kaplan–Meier share of chief-executive spells (starting in the "
                     "report window) lasting longer than the group's years"),
    "women_share": ("share of grade", "women in each grade at 31 Dec"),
    "ethnic_minority_share": ("share of grade", "ethnic-minority staff in each grade at 31 Dec"),
}


def kaplan_meier(durations, observed) -> tuple[np.ndarray, np.ndarray]:
    """Event times and the Kaplan–Meier survival just after each, from right-censored durations."""
    d = np.asarray(durations, dtype=float)
    o = np.asarray(observed, dtype=bool)
    times, index = np.unique(d, return_inverse=True)
    deaths = np.bincount(index, weights=o, minlength=len(times))
    at_risk = np.bincount(index, minlength=len(times))[::-1].cumsum()[::-1]  # durations ≥ t
    has_death = deaths > 0
    return times[has_death], np.cumprod(1.0 - deaths[has_death] / at_risk[has_death])


def kaplan_meier_median(durations: np.ndarray, observed: np.ndarray) -> float:
    """Median survival time from right-censored durations (NaN if survival never falls to ½)."""
    times, surv = kaplan_meier(durations, observed)
    below = np.flatnonzero(surv <= 0.5)
    return float(times[below[0]]) if len(below) else float("nan")


def kaplan_meier_curve(durations: np.ndarray, observed: np.ndarray, times: np.ndarray) -> np.ndarray:
    """Survival S(t) at each of ``times`` from right-censored durations."""
    event_times, surv = kaplan_meier(durations, observed)
    idx = np.searchsorted(event_times, times, side="right") - 1
    return np.where(idx >= 0, surv[np.maximum(idx, 0)] if len(surv) else 1.0, 1.0)


SURVIVAL_TIMES = np.arange(0.5, 10.01, 0.5)


def spells(events: pd.DataFrame, end: float) -> pd.DataFrame:
    """Tenure spells: each appointment joined to the holder's departure from that post (or censored)."""
    starts = events.loc[events.kind == "appointment", ["time", "person", "post", "role", "org"]]
    stops = events.loc[events.kind == "departure", ["time", "person", "post"]].rename(columns={"time": "stop"})
    starts = starts.sort_values("time", kind="stable")
    stops = stops.sort_values("stop", kind="stable")
    joined = pd.merge_asof(starts, stops, left_on="time", right_on="stop", by=["person", "post"],
                           direction="forward", allow_exact_matches=True)
    joined["observed"] = joined["stop"].notna()
    joined["stop"] = joined["stop"].fillna(end)
    joined["duration"] = joined["stop"] - joined["time"]
    return joined.rename(columns={"time": "start"})


def compute(events: pd.DataFrame, posts: pd.DataFrame, orgs: pd.DataFrame, pipeline: pd.DataFrame,
            report_from: int, end_year: int, people: pd.DataFrame | None = None) -> pd.DataFrame:
    """All KPIs for the reporting window [report_from, end_year); flows need ``people``."""
    rows: list[tuple] = []
    posts = posts[posts.year >= report_from]
    orgs = orgs[orgs.year >= report_from]
    pipeline = pipeline[pipeline.year >= report_from]
    years = np.arange(report_from, end_year)

    # vacancies, by the trust's rating at the same snapshot
    p = posts.merge(orgs[["year", "org", "rating", "special_measures"]], on=["year", "org"])
    p["gap"] = p.state != "substantive"
    p["challenged"] = p.special_measures | (p.rating == "inadequate")
    _add(rows, "exec_vacant_or_interim", "all", p.groupby("year").gap.mean())
    for rating in RATINGS:
        _add(rows, "exec_vacant_or_interim", rating, p[p.rating == rating].groupby("year").gap.mean(), years)
    _add(rows, "exec_vacant_or_interim", "challenged", p[p.challenged].groupby("year").gap.mean(), years)
    ceo = p[p.role == "chief_executive"]
    _add(rows, "trusts_without_substantive_ceo", "all", ceo.groupby("year").gap.mean())
    _add(rows, "trusts_without_substantive_ceo", "special_measures",
         ceo[ceo.special_measures].groupby("year").gap.mean(), years)

    held = p[p.state == "substantive"].assign(in_post=lambda d: d.year + 1.0 - d.appointed)
    _add(rows, "ceo_median_time_in_post", "all", held[held.role == "chief_executive"].groupby("year").in_post.median())
    _add(rows, "exec_median_time_in_post", "all", held.groupby("year").in_post.median())

    # tenure spells (Kaplan–Meier), grouped by the trust's rating when the spell ended
    sp = spells(events, float(end_year))
    sp = sp[sp.start >= report_from]
    sp["year"] = np.minimum(np.floor(sp.stop), end_year - 1).astype(int)
    sp = sp.merge(orgs[["year", "org", "rating"]], on=["year", "org"], how="left")
    for name, subset in (("ceo_median_tenure", sp[sp.role == "chief_executive"]), ("exec_median_tenure", sp)):
        rows.append((name, "all", WINDOW, kaplan_meier_median(subset.duration, subset.observed)))
        for rating in RATINGS:
            s = subset[subset.rating == rating]
            rows.append((name, rating, WINDOW, kaplan_meier_median(s.duration, s.observed)))
    ceo_spells = sp[sp.role == "chief_executive"]
    if len(ceo_spells):
        curve = kaplan_meier_curve(ceo_spells.duration, ceo_spells.observed, SURVIVAL_TIMES)
        rows += [("ceo_survival", f"{t:g}", WINDOW, float(s)) for t, s in zip(SURVIVAL_TIMES, curve)]

    # flows during each year
    ev = events[(events.time >= report_from) & (events.time < end_year)]
    ev = ev.assign(year=np.floor(ev.time).astype(int))
    n_posts = posts.groupby("year").post.count()
    _add(rows, "exec_posts", "all", n_posts.astype(float))
    dep = ev[ev.kind == "departure"].groupby("year").size().reindex(years, fill_value=0)
    _add(rows, "exec_turnover", "all", dep / n_posts.reindex(years))
    app = ev[ev.kind == "appointment"]
    _add(rows, "mean_time_to_fill", "all", app[app.value > 0].groupby("year").value.mean(), years)
    _add(rows, "handover_without_gap", "all", (app.value == 0).groupby(app.year).mean(), years)

    # money
    cost = ev[ev.kind == "cost"]
    for name, booked in cost.groupby("cause", observed=True):
        _add(rows, "intervention_cost", str(name), booked.groupby("year").value.sum(), years)
    _add(rows, "intervention_cost", "total", cost.groupby("year").value.sum().reindex(years, fill_value=0.0))
    starts = ev[ev.kind == "programme_start"]
    _add(rows, "programme_cost", "all", starts.groupby("year").value.sum().reindex(years, fill_value=0.0))

    if people is not None:
        rows += _flows(ev, people, years)

    # trusts
    for rating in RATINGS:
        _add(rows, "trusts_by_rating", rating,
             (orgs.rating == rating).groupby(orgs.year).sum().astype(float), years)
    _add(rows, "trusts_in_special_measures", "all", orgs.groupby("year").special_measures.sum().astype(float))

    # pipeline and equality
    by_grade = pipeline.groupby(["year", "grade"])["count"].sum().unstack(fill_value=0)
    for grade in GRADES:
        if grade in by_grade:
            _add(rows, "pipeline", grade, by_grade[grade].astype(float))
    ready = pipeline[pipeline.ready & pipeline.grade.isin(["senior_manager", "executive_director"])]
    _add(rows, "ready_successors_per_post", "all", ready.groupby("year")["count"].sum() / n_posts)
    for col, kpi in (("female", "women_share"), ("ethnic_minority", "ethnic_minority_share")):
        num = pipeline[pipeline[col]].groupby(["year", "grade"])["count"].sum()
        den = pipeline.groupby(["year", "grade"])["count"].sum()
        share = (num.reindex(den.index, fill_value=0) / den).unstack()
        for grade in GRADES:
            if grade in share:
                _add(rows, kpi, grade, share[grade])
    out = pd.DataFrame(rows, columns=["kpi", "group", "year", "value"])
    out["year"] = out["year"].astype("int16")
    return out


def _flows(ev: pd.DataFrame, people: pd.DataFrame, years: np.ndarray) -> list[tuple]:
    """Yearly flows through the pipeline by origin route, and leavers by grade."""
    origin = people.set_index("person").origin.astype(str)
    rows: list[tuple] = []

    def by(kpi, frame, key):
        counts = frame.groupby([key, "year"]).size()
        for group in sorted(frame[key].unique()):
            _add(rows, kpi, str(group), counts.loc[group].reindex(years, fill_value=0).astype(float))

    entry = ev[ev.kind == "entry"].assign(origin=lambda d: d.cause.astype(str))
    by("flow_entry", entry, "origin")
    to_senior = ev[((ev.kind == "promotion") & (ev.cause == "middle_to_senior"))
                   | ((ev.kind == "entry") & (ev.value == GRADES.index("senior_manager")))]
    by("flow_to_senior", to_senior.assign(origin=origin.reindex(to_senior.person).to_numpy()), "origin")
    first = ev[(ev.kind == "appointment") & ev.cause.isin(["internal_promotion", "external"])]
    first = first.assign(origin=origin.reindex(first.person).to_numpy())
    by("flow_to_director", first[first.role != "chief_executive"], "origin")
    by("flow_to_ceo", first[first.role == "chief_executive"], "origin")
    exits = ev[ev.kind == "exit"].dropna(subset=["value"])
    by("flow_exit", exits.assign(grade=[GRADES[int(g)] for g in exits.value]), "grade")
    return rows


def _add(rows: list, kpi: str, group: str, series: pd.Series, years=None) -> None:
    if years is not None:
        series = series.reindex(years)
    for year, value in series.items():
        rows.append((kpi, group, int(year), float(value)))


def summary(kpis: pd.DataFrame, years: tuple[int, ...]) -> pd.DataFrame:
    """KPI table for people: one row per KPI and group, the chosen years, and the window value
    (the mean over the reporting window, or the whole-window figure for tenure medians)."""
    keys = pd.MultiIndex.from_tuples(list(dict.fromkeys(zip(kpis.kpi, kpis.group))), names=["kpi", "group"])
    yearly = kpis[kpis.year != WINDOW]
    table = yearly[yearly.year.isin(years)].pivot_table(index=["kpi", "group"], columns="year",
                                                        values="value", aggfunc="first", dropna=False)
    table = table.reindex(keys)
    table.columns = [str(c) for c in table.columns]
    whole = kpis[kpis.year == WINDOW].set_index(["kpi", "group"]).value
    table["window"] = yearly.groupby(["kpi", "group"]).value.mean().combine_first(whole).reindex(keys)
    table = table.reset_index()
    table.insert(2, "unit", table.kpi.map(lambda k: KPIS[k][0]))
    return table
