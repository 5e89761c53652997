"""The steering-group report: one self-contained HTML file built from a results folder.

It opens with the option appraisal (``sim/appraisal.py``), then a summary table of the headline
measures and plain-English sentences, then the charts (also saved as PNG and SVG under
RESULTS/charts/ for slides), and ends with the assumptions register, provenance and limitations.
Scenarios appear by their titles and measures by their labels. It reads saved results only;
nothing is re-run. The page is a Jinja2 template (``sim/templates/report.html.j2``, shipped in
the package) with autoescaping, so every name and value from the results is escaped on the way in.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import jinja2
import numpy as np
import pandas as pd
from markupsafe import Markup

from . import calibration_fit, charts, files, howsure, measures, stats, store
from .appraisal import PER_UNIT, Appraisal, appraise, display_titles, own_interventions
from .appraisal import settings as intervention_settings
from .cohort import GROUP as COHORT
from .experiment import run_values
from .params import Params
from .params.overrides import register
from .textout import fmt, interval

LIMITATIONS = [
    "How much leadership changes a trust's performance is weakly evidenced: the best causal study "
    "(Janke, Propper & Sadun 2019) finds chief executives move hospital performance by at most about 0.1 "
    "standard deviations. The model's leadership → quality feedback is therefore small by default "
    "(parameter performance.leadership_feedback); effects that run through trust ratings are uncertain "
    "and should be read with the sweep over that parameter.",
    "Most behavioural parameters — how willing people are to apply, how long searches take, how much an "
    "intervention changes a hazard — are assumptions (see the register below); the calibration fit shows "
    "which published figures the baseline reproduces.",
    "Interventions' costs are rough unit costs (labelled in the register); savings (e.g. fewer interim "
    "fees) are not counted.",
    "The number of trusts is held constant; mergers, integrated care boards and non-executive roles are "
    "not modelled.",
    "Confidence intervals describe simulation noise over replications, not uncertainty in the model's "
    "structure or parameters.",
]

TEMPLATES = jinja2.Environment(loader=jinja2.PackageLoader("sim", "templates"), autoescape=True,
                               trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


@dataclass
class Report:
    html: Path
    charts: dict[str, dict[str, str]]
    summary: pd.DataFrame
    appraisal: Appraisal


def yearly(kpis: pd.DataFrame, kpi: str, group: str) -> pd.DataFrame:
    """Per scenario and year: mean and 95% half-width over replications."""
    rows = kpis[(kpis.kpi == kpi) & (kpis.group == group) & (kpis.year >= 0)]
    out = rows.groupby(["scenario", "year"], sort=False).value.agg(
        mean="mean", ci=lambda v: stats.half_width(v.to_numpy(dtype=float))).reset_index()
    return out


def summary_rows(table: pd.DataFrame, baseline: str, scenarios: list[str]) -> list[dict]:
    """The headline measures: a label, the unit (and which way is better), and a cell per scenario —
    the baseline's value, then each option's difference with its verdict."""
    rows = []
    for h in measures.headlines():
        block = table[(table.kpi == h.measure) & (table.group == h.group)].set_index("scenario")
        if block.empty:
            continue
        unit = block.unit.iloc[0]
        better = measures.direction(h.measure, h.group)
        cells = []
        for s in scenarios:
            if s not in block.index:
                cells.append(None)
                continue
            row = block.loc[s]
            if row["verdict"]:
                cells.append({"text": interval(row["diff"], row["diff_ci"], unit, diff=True), "verdict": row["verdict"]})
            else:
                cells.append({"text": interval(row["mean"], row["ci"], unit), "verdict": ""})
        rows.append({"label": h.label, "unit": unit + (f"; {better} is better" if better else ""), "cells": cells})
    return rows


VERDICT_WORDS = {"better": "a clear improvement", "worse": "clearly worse"}


def sentences(table: pd.DataFrame, appraisal: Appraisal) -> list[Markup]:
    """Plain-English findings, generated from the comparison table and the appraisal (titles are
    escaped)."""
    out = []
    get = table.set_index(["kpi", "group", "scenario"])
    baseline, period = appraisal.baseline, appraisal.period
    cohort = (f"at the end of {appraisal.cohort_year}" if appraisal.cohort_year else "when the options start")
    where = {"all": "across all trusts", COHORT: f"at the trusts challenged {cohort}"}
    for option in appraisal.options:
        parts = []
        for group, place in where.items():
            key = ("exec_vacant_or_interim", group, option.name)
            if key not in get.index or ("exec_vacant_or_interim", group, baseline) not in get.index:
                continue
            row, base = get.loc[key], get.loc[("exec_vacant_or_interim", group, baseline)]
            parts.append(f"executive posts vacant or interim {place}: {fmt(base['mean'], 'share')} in the "
                         f"baseline, {fmt(row['mean'], 'share')} with this option — a difference of "
                         f"{interval(row['diff'], row.diff_ci, 'share', True).replace(' (', ' (95% interval ', 1)}, "
                         f"{VERDICT_WORDS.get(row.verdict, 'no clear difference')}")
        if parts:
            out.append(Markup("<b>{}</b>, {}: {}. It costs about {} a year; cost per post-year without a substantive "
                              "holder avoided: {}.").format(option.title, period, "; ".join(parts),
                                                            fmt(option.cost, "£"), option.per_unit_text))
    clear = [o for o in appraisal.options
             if o.per_unit.estimable and o.avoided > 0 and o.per_unit.estimate >= 0]
    if clear:
        best = min(clear, key=lambda o: o.per_unit.estimate)
        out.insert(0, Markup("Of the options that clearly reduce the time executive posts spend without a "
                             "substantive holder, <b>{}</b> does so at the lowest cost per post-year avoided ({}).")
                   .format(best.title, best.per_unit_text))
    ranked = table[(table.kpi == "exec_vacant_or_interim") & (table.group == COHORT)
                   & (table.verdict == "better")].sort_values("diff")
    if len(ranked):
        titles = {o.name: o.title for o in appraisal.options}
        out.insert(0, Markup("The largest clear fall in vacancies at the trusts challenged {} comes from <b>{}</b> "
                             "({}).").format(cohort, titles[ranked.scenario.iloc[0]],
                                             fmt(ranked["diff"].iloc[0], "share", True)))
    return out


def assumptions(manifest: dict, titles: dict[str, str]) -> tuple[list[dict], list[dict]]:
    """The register: every parameter (value, unit, source) and every intervention setting used."""
    base = next(iter(manifest["scenarios"].values()))["resolved"]["params"]
    params = []
    for entry in register(Params()):
        value = base
        for part in entry["parameter"].split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, list):  # programmes are listed by name
            value = "; ".join(p.get("name", "") for p in value)
        params.append({**entry, "value": json.dumps(value if value is not None else entry["value"],
                                                    ensure_ascii=False)})
    interventions = []
    for name, info in manifest["scenarios"].items():
        for iv in info["resolved"].get("interventions", []):
            for setting in intervention_settings(iv):
                interventions.append({"scenario": titles.get(name, name), "type": iv["type"],
                                      "source": iv.get("source", ""), "start": f"{iv['start']:g}",
                                      "key": setting["key"], "value": json.dumps(setting["value"]),
                                      "unit": setting["unit"], "setting_source": setting["source"]})
    return params, interventions


def build(results: str | Path, out: str | Path | None = None, year: int | None = None,
          fit: str | Path | None = None) -> Report:
    """Write RESULTS/charts/*.png|svg and the HTML report (default RESULTS/report.html). The
    calibration chart comes from ``fit`` (a fit.json) if given, else from the fit the experiment
    recorded when its baseline was a calibrated scenario (``sim/calibration_fit.py``)."""
    results = Path(results)
    manifest, kpis = store.read(results)
    if kpis.empty:
        raise FileNotFoundError(f"{results} holds no finished runs yet")
    scenarios = manifest.get("order") or list(manifest["scenarios"])
    baseline = manifest.get("baseline") or scenarios[0]
    resolved = {name: info["resolved"] for name, info in manifest["scenarios"].items()}
    reps = int(kpis.groupby("scenario").replication.nunique().min())
    run = resolved[baseline]["run"]
    cohort_year = run.get("cohort_year")
    period = (year, year) if year else (max(run["report_from"], run["end_year"] - 10), run["end_year"] - 1)
    period_text = f"{period[0]}" if period[0] == period[1] else f"{period[0]}–{period[1]}"
    values = run_values(kpis, period)
    table = stats.compare(values, baseline)
    table.insert(2, "unit", table.kpi.map(measures.unit))
    appraised = appraise(table, values, baseline, resolved, period_text, cohort_year)
    titles = display_titles(resolved, scenarios)

    # the charts speak of scenarios by their titles
    shown, shown_table, base = kpis.assign(scenario=kpis.scenario.map(titles)), \
        table.assign(scenario=table.scenario.map(titles)), titles[baseline]
    palette = charts.colours([titles[s] for s in scenarios], base)
    starts = {titles[s]: sorted({(iv["start"], iv["start"] + iv.get("ramp_years", 0.0))
                                 for iv in own_interventions(resolved[s], resolved[baseline])})
              for s in scenarios if s != baseline}  # (start, full effect) of each option's interventions
    period_kpis = shown[(shown.year >= period[0]) & (shown.year <= period[1])]
    effects = [(h.measure, h.group, h.label) for h in measures.headlines()
               if not measures.unit(h.measure).startswith("£")]  # costs have a chart of their own
    cohort_panel = f"trusts challenged at the end of {cohort_year} (a fixed cohort)" if cohort_year else \
        "trusts challenged when the options start"
    made = [
        charts.vacancy_over_time({"all trusts": yearly(shown, "exec_vacant_or_interim", "all"),
                                  cohort_panel: yearly(shown, "exec_vacant_or_interim", COHORT),
                                  "trusts challenged at the time": yearly(shown, "exec_vacant_or_interim",
                                                                          "challenged")},
                                 palette, base, reps, starts),
        charts.forest(shown_table[shown_table.scenario != base], effects, palette, period_text, reps),
        charts.survival(_survival(shown), palette, base, reps),
        charts.pipeline(_mean_ci(period_kpis[period_kpis.kpi.str.startswith("flow_")
                                             & (period_kpis.scenario == base)], ["kpi", "group"]),
                        base, reps, period_text),
        charts.ratings(_rating_mix(shown, base), yearly(shown, "trusts_in_special_measures", "all"), palette,
                       base, reps, starts),
        charts.representation(_mean_ci(period_kpis[period_kpis.kpi.isin(["women_share", "ethnic_minority_share"])],
                                       ["scenario", "kpi", "group"]), palette, base,
                              _reference(period_kpis, base), reps, period_text),
    ]
    if appraised.options:
        made.append(charts.cost_effect(_cost_effect(shown_table, appraised), palette, reps, period_text))
    fit_table = calibration_fit.read(results, fit)
    if fit_table is not None:
        made.append(charts.calibration_fit(fit_table))
    saved = {}
    for chart in made:
        saved[chart.name] = charts.save(chart, results / "charts")
        charts.plt.close(chart.figure)

    parameters, settings = assumptions(manifest, titles)
    sure = howsure.section(howsure.collect(results), baseline, [s for s in scenarios if s != baseline], table)
    page = TEMPLATES.get_template("report.html.j2").render(
        title=f"Options for NHS executive leadership, appraised against {base}",
        period=period_text, reps=reps, baseline=base, scenarios=[titles[s] for s in scenarios],
        appraisal=appraised, cohort_year=cohort_year,
        summary=summary_rows(table, baseline, scenarios), findings=sentences(table, appraised),
        howsure=sure,
        charts=[{"name": c.name, "title": c.title, "caption": c.caption,
                 "png": base64.b64encode(Path(saved[c.name]["png"]).read_bytes()).decode()} for c in made],
        parameters=parameters, interventions=settings, limitations=LIMITATIONS,
        provenance={
            "results folder": str(results), "code version": manifest.get("code_version"),
            "git commit": manifest.get("git_commit"), "root seed": manifest.get("seed"),
            "replications per scenario": reps, "period compared": period_text,
            "fixed cohort of challenged trusts": f"challenged at 31 December {cohort_year}" if cohort_year else "–",
            "scenarios": "; ".join(f"{titles[s]} = {s}" for s in scenarios),
            "results last updated": manifest.get("updated"),
            "report built": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        })
    out = Path(out) if out else results / "report.html"
    files.write_text(out, page)
    return Report(out, saved, table, appraised)


def _mean_ci(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per run first (averaging years), then mean and 95% half-width over replications."""
    per_run = frame.groupby(keys + ["replication"], sort=False).value.mean().reset_index()
    return per_run.groupby(keys, sort=False).value.agg(
        mean="mean", ci=lambda v: stats.half_width(v.to_numpy(dtype=float))).reset_index()


def _survival(kpis: pd.DataFrame) -> pd.DataFrame:
    rows = kpis[kpis.kpi == "ceo_survival"].assign(t=lambda d: d.group.astype(float))
    curves = rows.groupby(["scenario", "t"], sort=False).value.agg(
        mean="mean", ci=lambda v: stats.half_width(v.to_numpy(dtype=float))).reset_index()
    return curves.sort_values("t", kind="stable")


def _rating_mix(kpis: pd.DataFrame, baseline: str) -> pd.DataFrame:
    rows = kpis[(kpis.kpi == "trusts_by_rating") & (kpis.scenario == baseline) & (kpis.year >= 0)]
    return rows.groupby(["year", "group"]).value.mean().rename("mean").reset_index()


def _reference(period_kpis: pd.DataFrame, baseline: str) -> dict[str, float]:
    """Women's and ethnic-minority shares among the baseline's entrants over the period."""
    entrants = period_kpis[(period_kpis.kpi == "entrant_share") & (period_kpis.scenario == baseline)]
    mean = entrants.groupby("group").value.mean()
    return {"women_share": float(mean.get("women", np.nan)),
            "ethnic_minority_share": float(mean.get("ethnic_minority", np.nan))}


def _cost_effect(table: pd.DataFrame, appraised: Appraisal) -> pd.DataFrame:
    """For the cost-effect chart: each option's yearly cost, post-years avoided a year (with the
    95% half-width of that paired difference) and its cost per post-year avoided if estimable."""
    effect = table[(table.kpi == PER_UNIT[0]) & (table.group == PER_UNIT[1])].set_index("scenario")
    return pd.DataFrame([{"scenario": o.title, "cost": o.cost, "effect": o.avoided,
                          "effect_ci": effect.diff_ci.get(o.title, np.nan),
                          "per_unit": fmt(o.per_unit.estimate, "£") if o.per_unit.estimable and o.avoided > 0 else ""}
                         for o in appraised.options])
