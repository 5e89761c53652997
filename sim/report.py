"""The steering-group report: one self-contained HTML file built from a results folder.

It opens with a summary table and plain-English sentences, then the charts (also saved as PNG
and SVG under RESULTS/charts/ for slides), and ends with the assumptions register, provenance
and limitations. It reads saved results only; nothing is re-run.
"""

from __future__ import annotations

import base64
import html
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from . import charts, files, measures, stats, store
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


def _embed(path: str) -> str:
    data = base64.b64encode(Path(path).read_bytes()).decode()
    return f'<img alt="" src="data:image/png;base64,{data}">'


def _cell(row, unit: str) -> str:
    if not row["verdict"]:
        return f"<td>{html.escape(interval(row['mean'], row['ci'], unit))}</td>"
    css = row["verdict"].replace(" ", "-")
    return (f'<td class="{css}">{html.escape(interval(row["diff"], row["diff_ci"], unit, diff=True))}'
            f"<br><small>{html.escape(row['verdict'])}</small></td>")


def summary_table(table: pd.DataFrame, baseline: str, scenarios: list[str]) -> str:
    head = "".join(f"<th>{html.escape(s)}{' (value)' if s == baseline else ' vs baseline'}</th>" for s in scenarios)
    body = []
    for h in measures.headlines():
        kpi, group, label = h.measure, h.group, h.label
        block = table[(table.kpi == kpi) & (table.group == group)].set_index("scenario")
        if block.empty:
            continue
        unit = block.unit.iloc[0]
        better = measures.direction(kpi, group)
        hint = f"; {better} is better" if better else ""
        cells = "".join(_cell(block.loc[s], unit) if s in block.index else "<td>–</td>" for s in scenarios)
        body.append(f"<tr><th>{html.escape(label)}<br><small>{html.escape(unit + hint)}</small></th>{cells}</tr>")
    return (f'<div class="scroll"><table class="summary"><tr><th>KPI</th>{head}</tr>{"".join(body)}</table>'
            "</div>")


def sentences(table: pd.DataFrame, baseline: str, period: str) -> list[str]:
    """Plain-English findings, generated from the comparison table."""
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
                         f"baseline, {fmt(row['mean'], 'share')} with {html.escape(scenario)} — a difference of "
                         f"{fmt(row['diff'], 'share', True)} (95% interval {fmt(row['diff'] - row.diff_ci, 'share', True)}"
                         f" to {fmt(row['diff'] + row.diff_ci, 'share', True)}), {verdict}")
        cost = get.loc[("intervention_cost", "total", scenario)]["mean"] if ("intervention_cost", "total",
                                                                            scenario) in get.index else 0.0
        if parts:
            out.append(f"<b>{html.escape(scenario)}</b>, {period}: " + "; ".join(parts)
                       + f". It costs about {fmt(cost, '£')} a year.")
    ranked = table[(table.kpi == "exec_vacant_or_interim") & (table.group == "challenged")
                   & (table.verdict == "better")].sort_values("diff")
    if len(ranked):
        out.insert(0, f"The largest clear fall in vacancies at challenged trusts comes from "
                      f"<b>{html.escape(ranked.scenario.iloc[0])}</b> ({fmt(ranked['diff'].iloc[0], 'share', True)}).")
    return out


def assumptions(manifest: dict) -> tuple[str, str]:
    """The register: every parameter (value, unit, source) and every intervention setting used."""
    base = next(iter(manifest["scenarios"].values()))["resolved"]["params"]
    rows = []
    for entry in register(Params()):
        value = base
        for part in entry["parameter"].split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, list):  # programmes are listed by name
            value = "; ".join(p.get("name", "") for p in value)
        shown = json.dumps(value if value is not None else entry["value"], ensure_ascii=False)
        rows.append(f"<tr><td>{html.escape(entry['parameter'])}</td><td>{html.escape(shown)}</td>"
                    f"<td>{html.escape(entry['unit'])}</td><td>{html.escape(entry['source'])}</td></tr>")
    params = ("<table><tr><th>parameter</th><th>value (baseline)</th><th>unit</th><th>source</th></tr>"
              + "".join(rows) + "</table>")
    common = set(Intervention.model_fields) - {"cost_per_unit"}
    irows = []
    for name, info in manifest["scenarios"].items():
        for iv in info["resolved"].get("interventions", []):
            cls = REGISTRY.get(iv["type"])
            for key, value in iv.items():
                if key in common or cls is None:
                    continue
                extra = cls.model_fields[key].json_schema_extra or {}
                irows.append(f"<tr><td>{html.escape(name)}</td><td>{html.escape(iv['type'])} "
                             f"({html.escape(iv.get('source', ''))}, from {iv['start']:g})</td>"
                             f"<td>{html.escape(key)} = {html.escape(json.dumps(value))}</td>"
                             f"<td>{html.escape(extra.get('unit', ''))}</td><td>{html.escape(extra.get('source', ''))}</td></tr>")
    ivs = ("<table><tr><th>scenario</th><th>intervention</th><th>setting</th><th>unit</th><th>source</th></tr>"
           + "".join(irows) + "</table>") if irows else "<p>No interventions.</p>"
    return params, ivs


def _fit_table(fit_path: Path | None) -> pd.DataFrame | None:
    if fit_path is None or not Path(fit_path).exists():
        return None
    return pd.DataFrame(json.loads(Path(fit_path).read_text())["targets"])


def build(results: str | Path, out: str | Path | None = None, year: int | None = None,
          fit: str | Path | None = None) -> Report:
    """Write RESULTS/charts/*.png|svg and the HTML report (default RESULTS/report.html)."""
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
                              _reference(manifest, baseline), reps, period_text),
    ]
    effect = _cost_effect(table, baseline)
    if len(effect):
        made.append(charts.cost_effect(effect, palette, reps, period_text))
    fit_table = _fit_table(Path(fit) if fit else Path(__file__).resolve().parents[1] / "calibration" / "fit.json")
    if fit_table is not None:
        made.append(charts.calibration_fit(fit_table))
    saved = {}
    for chart in made:
        saved[chart.name] = charts.save(chart, results / "charts")
        charts.plt.close(chart.figure)

    params_html, ivs_html = assumptions(manifest)
    figures = "".join(f'<figure id="{c.name}"><h3>{html.escape(c.title)}</h3>{_embed(saved[c.name]["png"])}'
                      f"<figcaption>{html.escape(c.caption)}</figcaption></figure>" for c in made)
    findings = "".join(f"<li>{s}</li>" for s in sentences(table, baseline, period_text))
    provenance = {
        "results folder": str(results), "code version": manifest.get("code_version"),
        "git commit": manifest.get("git_commit"), "root seed": manifest.get("seed"),
        "replications per scenario": reps, "period compared": period_text,
        "results last updated": manifest.get("updated"),
        "report built": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    prov_html = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in provenance.items())
    page = TEMPLATE.format(
        title=html.escape(f"leadsim: {', '.join(s for s in scenarios if s != baseline)} compared with {baseline}"),
        period=html.escape(period_text), reps=reps, summary=summary_table(table, baseline, scenarios),
        findings=findings, figures=figures, params=params_html, interventions=ivs_html, provenance=prov_html,
        limitations="".join(f"<li>{html.escape(x)}</li>" for x in LIMITATIONS), css=CSS)
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


def _reference(manifest: dict, baseline: str) -> dict[str, float]:
    wf = manifest["scenarios"][baseline]["resolved"]["params"]["workforce"]
    return {"women_share": wf["women_share"], "ethnic_minority_share": wf["ethnic_minority_share"]}


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


CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Arial,sans-serif;max-width:1300px;margin:2em auto;padding:0 1em;
color:#222;line-height:1.45}
h1{font-size:1.5em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;font-size:.85em;margin:1em 0}td,th{border:1px solid #ddd;padding:.3em .5em;
vertical-align:top;text-align:left}
.scroll{overflow-x:auto}table.summary td{text-align:center;min-width:9em}table.summary th{min-width:12em}
.better{background:#d6e9f8}.worse{background:#fbe0c6}.no-clear-difference{background:#f2f2f2}
.higher,.lower{background:#f7f7f7}
figure{margin:2em 0}figure img{max-width:100%}figcaption{font-size:.85em;color:#444;max-width:900px}
.legend span{display:inline-block;padding:.1em .6em;margin-right:.5em;font-size:.85em}
"""

TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title><style>{css}</style></head><body>
<h1>{title}</h1>
<p>Means over {reps} replications per scenario, with common random numbers; values averaged over {period}.
Differences are scenario minus baseline, replication by replication, with 95% confidence intervals.</p>
<p class="legend"><span class="better">better: interval excludes no change</span><span class="worse">worse</span>
<span class="no-clear-difference">no clear difference</span></p>
<h2>Summary</h2>
{summary}
<ul>{findings}</ul>
<h2>Charts</h2>
{figures}
<h2>Assumptions register</h2>
<h3>Interventions</h3>
{interventions}
<h3>Parameters</h3>
{params}
<h2>Provenance</h2>
<table>{provenance}</table>
<h2>Limitations</h2>
<ul>{limitations}</ul>
</body></html>
"""
