"""The steering-group report: one self-contained HTML file built from a results folder.

It opens with a summary table and plain-English sentences, then the charts (also saved as PNG
and SVG under RESULTS/charts/ for slides), and ends with the assumptions register, provenance
and limitations. It reads saved results only; nothing is re-run. The page is a Jinja2 template
(``sim/templates/report.html.j2``, shipped in the package) with autoescaping, so every name and
value from the results is escaped on the way in.
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

from . import calibration_fit, charts, files, measures, stats, store
from .experiment import run_values
from .interventions import REGISTRY, Intervention
from .params import Params, register
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


def sentences(table: pd.DataFrame, baseline: str, period: str) -> list[Markup]:
    """Plain-English findings, generated from the comparison table (names are escaped)."""
    out = []
    get = table.set_index(["kpi", "group", "scenario"])
    for scenario in [s for s in dict.fromkeys(table.scenario) if s != baseline]:
        parts = []
        for group, where in (("challenged", "at challenged trusts"), ("all", "across all trusts")):
            key = ("exec_vacant_or_interim", group, scenario)
            if key not in get.index:
                continue
            row, base = get.loc[key], get.loc[("exec_vacant_or_interim", group, baseline)]
            verdict = {"better": "a clear improvement", "worse": "clearly worse"}.get(row.verdict,
                                                                                     "no clear difference")
            parts.append(f"executive posts vacant or interim {where}: {fmt(base['mean'], 'share')} in the "
                         f"baseline, {fmt(row['mean'], 'share')} with {scenario} — a difference of "
                         f"{fmt(row['diff'], 'share', True)} (95% interval {fmt(row['diff'] - row.diff_ci, 'share', True)}"
                         f" to {fmt(row['diff'] + row.diff_ci, 'share', True)}), {verdict}")
        cost = get.loc[("intervention_cost", "total", scenario)]["mean"] if ("intervention_cost", "total",
                                                                            scenario) in get.index else 0.0
        if parts:
            out.append(Markup("<b>{}</b>, {}: {}. It costs about {} a year.").format(
                scenario, period, "; ".join(parts), fmt(cost, "£")))
    ranked = table[(table.kpi == "exec_vacant_or_interim") & (table.group == "challenged")
                   & (table.verdict == "better")].sort_values("diff")
    if len(ranked):
        out.insert(0, Markup("The largest clear fall in vacancies at challenged trusts comes from <b>{}</b> ({}).")
                   .format(ranked.scenario.iloc[0], fmt(ranked["diff"].iloc[0], "share", True)))
    return out


def assumptions(manifest: dict) -> tuple[list[dict], list[dict]]:
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
    common = set(Intervention.model_fields) - {"cost_per_unit"}
    settings = []
    for name, info in manifest["scenarios"].items():
        for iv in info["resolved"].get("interventions", []):
            cls = REGISTRY.get(iv["type"])
            for key, value in iv.items():
                if key in common or cls is None:
                    continue
                extra = cls.model_fields[key].json_schema_extra or {}
                settings.append({"scenario": name, "type": iv["type"], "source": iv.get("source", ""),
                                 "start": f"{iv['start']:g}", "key": key, "value": json.dumps(value),
                                 "unit": extra.get("unit", ""), "setting_source": extra.get("source", "")})
    return params, settings


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
    reps = int(kpis.groupby("scenario").replication.nunique().min())
    run = manifest["scenarios"][baseline]["resolved"]["run"]
    period = (year, year) if year else (max(run["report_from"], run["end_year"] - 10), run["end_year"] - 1)
    period_text = f"{period[0]}" if period[0] == period[1] else f"{period[0]}–{period[1]}"
    table = stats.compare(run_values(kpis, period), baseline)
    table.insert(2, "unit", table.kpi.map(measures.unit))
    palette = charts.colours(scenarios, baseline)
    starts = [iv["start"] for info in manifest["scenarios"].values()
              for iv in info["resolved"].get("interventions", [])]
    period_kpis = kpis[(kpis.year >= period[0]) & (kpis.year <= period[1])]
    effects = [(h.measure, h.group, h.label) for h in measures.headlines()
               if not measures.unit(h.measure).startswith("£")]  # costs have a chart of their own

    made = [
        charts.vacancy_over_time({"all trusts": yearly(kpis, "exec_vacant_or_interim", "all"),
                                  "challenged trusts": yearly(kpis, "exec_vacant_or_interim", "challenged")},
                                 palette, baseline, reps, min(starts) if starts else None),
        charts.forest(table[table.scenario != baseline], effects, palette, period_text, reps),
        charts.survival(_survival(kpis), palette, baseline, reps),
        charts.pipeline(_mean_ci(period_kpis[period_kpis.kpi.str.startswith("flow_")
                                             & (period_kpis.scenario == baseline)], ["kpi", "group"]),
                        baseline, reps, period_text),
        charts.ratings(_rating_mix(kpis, baseline), yearly(kpis, "trusts_in_special_measures", "all"), palette,
                       baseline, reps),
        charts.representation(_mean_ci(period_kpis[period_kpis.kpi.isin(["women_share", "ethnic_minority_share"])],
                                       ["scenario", "kpi", "group"]), palette, baseline,
                              _reference(period_kpis, baseline), reps, period_text),
    ]
    effect = _cost_effect(table, baseline)
    if len(effect):
        made.append(charts.cost_effect(effect, palette, reps, period_text))
    fit_table = calibration_fit.read(results, fit)
    if fit_table is not None:
        made.append(charts.calibration_fit(fit_table))
    saved = {}
    for chart in made:
        saved[chart.name] = charts.save(chart, results / "charts")
        charts.plt.close(chart.figure)

    parameters, settings = assumptions(manifest)
    page = TEMPLATES.get_template("report.html.j2").render(
        title=f"leadsim: {', '.join(s for s in scenarios if s != baseline)} compared with {baseline}",
        period=period_text, reps=reps, baseline=baseline, scenarios=scenarios,
        summary=summary_rows(table, baseline, scenarios), findings=sentences(table, baseline, period_text),
        charts=[{"name": c.name, "title": c.title, "caption": c.caption,
                 "png": base64.b64encode(Path(saved[c.name]["png"]).read_bytes()).decode()} for c in made],
        parameters=parameters, interventions=settings, limitations=LIMITATIONS,
        provenance={
            "results folder": str(results), "code version": manifest.get("code_version"),
            "git commit": manifest.get("git_commit"), "root seed": manifest.get("seed"),
            "replications per scenario": reps, "period compared": period_text,
            "results last updated": manifest.get("updated"),
            "report built": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        })
    out = Path(out) if out else results / "report.html"
    files.write_text(out, page)
    return Report(out, saved, table)


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


def _cost_effect(table: pd.DataFrame, baseline: str) -> pd.DataFrame:
    get = table.set_index(["kpi", "group", "scenario"])
    if ("exec_posts", "all", baseline) not in get.index:
        return pd.DataFrame()
    posts = get.loc[("exec_posts", "all", baseline)]["mean"]
    rows = []
    for scenario in [s for s in dict.fromkeys(table.scenario) if s != baseline]:
        vac = get.loc[("exec_vacant_or_interim", "all", scenario)]
        cost_key = ("intervention_cost", "total", scenario)
        cost = get.loc[cost_key]["mean"] if cost_key in get.index else 0.0
        rows.append({"scenario": scenario, "cost": cost, "effect": -vac["diff"] * posts,
                     "effect_ci": vac.diff_ci * posts if np.isfinite(vac.diff_ci) else np.nan})
    return pd.DataFrame(rows)

