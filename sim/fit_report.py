"""What a calibration writes: calibrated.yaml (used by the baseline), fit.json, fit_report.md, fit.png.

The report counts honestly: figures the model reproduces by construction (inputs restated, e.g.
the rating mix that sets the cut-points) are shown apart and left out of the score, which reads
"N of M independent targets inside tolerance" over the fitted ones; figures held out of the fit
are scored apart, as an out-of-sample check. A best value within 5% of an end of its range is
flagged "at bound", with the reason for the range, so the range can be reconsidered.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import yaml

from . import charts, files
from .params.overrides import nest
from .runner import code_version


def write_outputs(fit, setup, folder: Path, seed: int, reps: int, ensemble: dict | None = None) -> dict[str, Path]:
    """calibrated.yaml (used by the baseline), fit.json, fit_report.md and fit.png."""
    when = datetime.now(timezone.utc).isoformat(timespec="seconds")
    doc = {"name": "calibrated",
           "description": "Parameter values fitted by leadsim calibrate to calibration/targets.yaml; "
                          "scenarios/baseline.yaml inherits them.",
           "params": nest({k: round(float(v), 6) for k, v in fit.values.items()}),
           "provenance": {"date": when, "trials": fit.trials, "loss": round(fit.loss, 4), "seed": seed,
                          "replications_per_trial": setup.reps, "code_version": code_version(),
                          "targets_inside_tolerance": fit.score,
                          "fit": "fit.json"}}  # read by experiments for the report (sim/calibration_fit.py)
    out = {"calibrated": folder / "calibrated.yaml", "json": folder / "fit.json",
           "markdown": folder / "fit_report.md", "chart": folder / "fit.png"}
    files.write_text(out["calibrated"], "# Written by `leadsim calibrate`; see calibration/fit_report.md.\n"
                     + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    files.write_json(out["json"], {"date": when, "loss": fit.loss, "trials": fit.trials, "check_replications": reps,
                                   "score": fit.score, "targets": fit.table.to_dict(orient="records"),
                                   "parameters": fit.parameters.to_dict(orient="records"),
                                   "ensemble": ensemble or {}})
    chart = charts.calibration_fit(fit.table)
    chart.figure.savefig(out["chart"], dpi=130, bbox_inches="tight", metadata={"Software": None})
    charts.plt.close(chart.figure)
    files.write_text(out["markdown"], markdown(fit, when, reps, ensemble))
    return out


def _num(v: float, unit: str) -> str:
    if v is None or not np.isfinite(v):
        return "–"
    return f"{100 * v:.1f}%" if unit.startswith("share") else f"{v:.2f}"


def _target_rows(table) -> list[str]:
    rows = ["| target | year | published | tolerance | simulated (95% interval) | inside | source |",
            "|---|---|---|---|---|---|---|"]
    for r in table.itertuples():
        sim = f"{_num(r.sim_mean, r.unit)} (± {_num(r.sim_ci, r.unit)})"
        rows.append(f"| {r.description} | {r.year} | {_num(r.value, r.unit)} | {_num(r.low, r.unit)}–"
                    f"{_num(r.high, r.unit)} | {sim} | {'yes' if r.inside else '**no**'} | {r.source} |")
    return rows


def markdown(fit, when: str, reps: int, ensemble: dict | None = None) -> str:
    fitted, inputs, held = fit.fitted, fit.table[~fit.table.independent], fit.held_out
    lines = [f"# Calibration fit ({when})", "",
             f"**{fit.score}.** Best loss {fit.loss:.3f} after {fit.trials} trials; simulated means over {reps} "
             "replications of the calibrated baseline, with 95% intervals. ![fit](fit.png)", "",
             "## Fitted targets", "", *_target_rows(fitted)]
    if len(held):
        lines += ["", "## Held out (checked out of sample, not fitted)", "",
                  "These figures are left out of the loss and of the ensemble's rule: how close the calibrated "
                  "model comes to them is a test of its mechanisms, not of the fit.", "", *_target_rows(held), "",
                  *[f"- {r.description}: {r.held_out}" for r in held.itertuples()]]
    if len(inputs):
        lines += ["", "## Inputs reproduced (not counted)", "",
                  "These figures are reproduced by construction — the model is set from them — so matching them "
                  "is no evidence of fit. They are shown as a check, and left out of the loss and the score.", "",
                  *_target_rows(inputs), "",
                  *[f"- {r.description}: {r.reproduced}" for r in inputs.itertuples()]]
    lines += ["", "## Free parameters", "",
              "The range among the best 10% of trials, as a share of the prior range: a small share means the "
              "targets pin the parameter down; a large share means they leave it loose. *At bound*: the best "
              "value lies within 5% of an end of its range (see the reason for the range).", "",
              "| parameter | prior range | best | near-best range | share of range | | |",
              "|---|---|---|---|---|---|---|"]
    for p in fit.parameters.itertuples():
        bound = f"**at bound ({p.at_bound})**" if p.at_bound else ""
        lines.append(f"| `{p.path}` | {p.low:g}–{p.high:g} | {p.best:.4g} | {p.near_best_min:.4g}–"
                     f"{p.near_best_max:.4g} | {100 * p.share_of_range:.0f}% | "
                     f"{'pinned' if p.pinned else 'loose'} | {bound} |")
    flagged = fit.parameters[fit.parameters.at_bound != ""]
    if len(flagged):
        lines += ["", "### Parameters at a bound of their range", ""]
        lines += [f"- `{p.path}` = {p.best:.4g} ({p.at_bound} end of {p.low:g}–{p.high:g}). Reason for the range: "
                  f"{' '.join(str(p.reason).split())}" for p in flagged.itertuples()]
    if ensemble:
        lines += ["", "## The ensemble", "",
                  f"{ensemble['accepted']} parameter sets of {ensemble['trials']} trials kept in "
                  f"`calibration/ensemble.parquet` ({ensemble['rule']}). Uncertainty analyses draw from it."]
    missed = fitted[~fitted.inside]
    if len(missed):
        lines += ["", "## Fitted targets outside their tolerance", ""]
        lines += [f"- {r.description}: simulated {_num(r.sim_mean, r.unit)}, published {_num(r.value, r.unit)}."
                  for r in missed.itertuples()]
    return "\n".join(lines) + "\n"
