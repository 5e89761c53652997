"""How sure are we? The uncertainty analyses of an experiment, as a report section and terminal text.

Each analysis (``leadsim sensitivity``, ``robustness``, ``threshold``) writes a summary,
``OUT/uncertainty.json``; with ``--attach RESULTS`` it also files a copy under
``RESULTS/uncertainty/``, where ``leadsim report RESULTS``, ``leadsim howsure RESULTS`` and
``leadsim compare`` (when it writes to RESULTS) find it. The section reads saved summaries only.
Per option and headline measure it says which intervals include parameter and calibration
uncertainty, the share of plausible worlds in which the option wins, the assumptions its effect
depends on most, its break-even assumptions, and a verdict that tells "better in every plausible
world tested" from "better only if X > t". With no analysis attached it says so: the intervals
then describe simulation noise only.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import files, measures
from .experiment import ExperimentError
from .robustness import Box, verdict as robust_verdict
from .textout import fmt

log = logging.getLogger(__name__)

FOLDER = "uncertainty"
SUMMARY = "uncertainty.json"
KINDS = ("robustness", "sensitivity", "threshold")   # a design sweep's summary is not attached
NOISE_ONLY = ("No uncertainty analysis is attached to these results: their intervals describe simulation noise "
              "over replications only, not uncertainty in the assumed effect sizes or the calibrated parameters. "
              "Run leadsim robustness, sensitivity or threshold on a design of these options with --attach "
              "(README: Uncertainty and sensitivity).")


def check_attach(results: str | Path | None) -> None:
    """Refuse --attach to anything but a comparison's results folder (before anything runs)."""
    if results is not None and not (Path(results) / "experiment.json").is_file():
        raise ExperimentError(f"--attach: expected a results folder of leadsim compare (with experiment.json), "
                              f"found {results}")


def save(out: str | Path, payload: dict, attach: str | Path | None = None) -> Path:
    """Write an analysis summary to OUT/uncertainty.json (and a copy into RESULTS/uncertainty/)."""
    path = Path(out) / SUMMARY
    files.write_json(path, payload)
    if attach:
        check_attach(attach)
        files.write_json(Path(attach) / FOLDER / f"{payload['id']}.json", payload)
    return path


def collect(results: str | Path | None, extra: list[str | Path] = ()) -> list[dict]:
    """The summaries attached to RESULTS and those in the analysis folders ``extra``; one that
    cannot be read is left out, with a warning."""
    paths = sorted((Path(results) / FOLDER).glob("*.json")) if results else []
    paths += [Path(p) / SUMMARY if Path(p).is_dir() else Path(p) for p in extra]
    out, seen = [], set()
    for path in paths:
        try:
            payload = json.loads(path.read_text())
            ident, kind = payload["id"], payload["kind"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning(f"{path}: not an uncertainty summary written by leadsim, left out ({type(exc).__name__})")
            continue
        if kind in KINDS and ident not in seen:
            seen.add(ident)
            out.append(payload)
    return out


@dataclass
class Section:
    analysed: bool
    intro: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _finite(x) -> bool:
    return isinstance(x, (int, float)) and math.isfinite(x)


def _range(low, high, unit) -> str:
    return f"{fmt(low, unit, True)} to {fmt(high, unit, True)}"


def interval_text(lo: float, hi: float) -> str:
    lo_text = f"{lo:.3g}" if _finite(lo) else "below the range tested"
    hi_text = f"{hi:.3g}" if _finite(hi) else "above the range tested"
    return f"{lo_text} to {hi_text}"


def section(summaries: list[dict], baseline: str, options: list[str], table: pd.DataFrame | None = None) -> Section:
    """The "How sure are we?" section for an experiment of ``baseline`` and ``options``; ``table``
    is its comparison (noise-only verdicts)."""
    mine = [s for s in summaries if s.get("baseline") == baseline]
    if not mine:
        note = [f"{len(summaries)} attached analysis(es) compare with another baseline "
                f"({', '.join(sorted({str(s.get('baseline')) for s in summaries}))})"] if summaries else []
        return Section(False, [NOISE_ONLY], notes=note)
    robust = [s for s in mine if s["kind"] == "robustness"]
    screens = [s for s in mine if s["kind"] == "sensitivity"]
    thresholds = [s for s in mine if s["kind"] == "threshold"]
    intro = ["The intervals in the comparison describe simulation noise over replications only."]
    for s in robust:
        intro.append(f"Robustness ({s['design']}): {s['worlds']} plausible worlds — {s['sample']}; the spread "
                     "'across plausible worlds' below includes uncertainty in these assumptions, not only "
                     f"simulation noise. {s.get('settings', '')}".rstrip())
    for s in screens:
        intro.append(f"Sensitivity ({s['design']}): Morris screening of {len(s['uncertainties'])} assumptions over "
                     f"{s['worlds']} worlds ({s['trajectories']} trajectories)"
                     + (f", then Sobol indices for {', '.join(_short(f) for f in s['leading'])}"
                        if s.get("sobol_samples") else "") + f". {s.get('settings', '')}".rstrip())
    for s in thresholds:
        intro.append(f"Break-even ({s['design']}): bisection over {_short(s['factor'])} from {s['range'][0]:g} to "
                     f"{s['range'][1]:g} for {s['option']} against {s['against']}, other assumptions as the "
                     f"scenarios assume; {s['replications']} replication(s) per value.")
    rows, covered = [], set()
    for option in options:
        for kpi, group in _measures(mine):
            if not measures.direction(kpi, group):
                continue
            row = _row(option, kpi, group, baseline, robust, screens, thresholds, table)
            if row:
                rows.append(row)
                covered.add(option)
    notes = [n for s in mine for n in s.get("notes", [])]
    notes += [f"{o}: no uncertainty analysis attached; its intervals describe simulation noise only."
              for o in options if o not in covered]
    return Section(True, intro, rows, list(dict.fromkeys(notes)))


def _short(factor: str) -> str:
    return factor.split(".", 1)[1] if factor.startswith(("params.", "interventions.")) else factor


def _measures(summaries: list[dict]) -> list[tuple[str, str]]:
    return list(dict.fromkeys((m[0], m[1]) for s in summaries for m in s.get("measures", [])))


def _row(option, kpi, group, baseline, robust, screens, thresholds, table) -> dict | None:
    unit = measures.unit(kpi)
    key = {"option": option, "against": baseline, "kpi": kpi, "group": group}
    match = lambda r: all(r.get(k) == v for k, v in key.items())  # noqa: E731
    share = next((r for s in robust for r in s["shares"] if match(r)), None)
    box = next((b for s in robust for b in s["boxes"] if match(b)), None)
    top = next((t for s in screens for t in s["top"] if match(t)), None)
    limits = [t for t in thresholds if match(t)]
    if not (share or top or limits):
        return None
    row = {"option": option, "label": measures.label(kpi, group), "kpi": kpi, "group": group,
           "noise": "", "worlds": "", "across": "", "depends": "", "break_even": "", "verdict": ""}
    if table is not None:
        hit = table[(table.kpi == kpi) & (table.group == group) & (table.scenario == option)]
        if len(hit) and hit.verdict.iloc[0]:
            r = hit.iloc[0]
            row["noise"] = f"{r.verdict}: {fmt(r['diff'], unit, True)} (± {fmt(r.diff_ci, unit, True).lstrip('+')})"
    condition = None
    for t in limits:
        if t.get("condition"):
            condition = condition or t["condition"]
            row["break_even"] += (f"better only if {t['condition']} (95% interval {interval_text(*t['interval'])}); "
                                  if t.get("interval") else f"better only if {t['condition']}; ")
        else:
            row["break_even"] += f"{_short(t['factor'])}: {t['status']}; "
    row["break_even"] = row["break_even"].rstrip("; ")
    if share:
        n = share["worlds"]
        if _finite(share["share_better"]):
            row["worlds"] = (f"better in {round(share['share_better'] * n)} of {n} "
                             f"(clearly in {round(share['share_clearly_better'] * n)})")
        row["across"] = (f"median {fmt(share['median'], unit, True)}; {share.get('spread', '95% of worlds')} "
                         f"{_range(share['low'], share['high'], unit)}")
        found = Box({f: (lo, hi, side) for f, lo, hi, side in box["limits"]}, box["coverage"], box["density"],
                    box["mass"], box["base_rate"]) if box else None
        row["verdict"] = robust_verdict(share, found, {"condition": condition} if condition else None)
    elif condition:
        row["verdict"] = f"better only if {condition} (the other assumptions as assumed)"
    if top:
        by = "ST" if top.get("sobol") else "mu_star"
        factors = top["sobol"] if top.get("sobol") else top["factors"]
        floor = top.get("noise_floor")
        row["depends"] = ", ".join(f"{_short(f['factor'])} ({_index(f, by, unit, floor)})" for f in factors[:3])
    return row


def _index(f: dict, by: str, unit: str, floor) -> str:
    if by == "ST":
        return f"ST {f['ST']:.2f}"
    size = f"μ* {fmt(f['mu_star'], unit, True).lstrip('+')}"
    return size + (", within simulation noise" if _finite(floor) and f["mu_star"] <= floor else "")


def text(sec: Section) -> str:
    """The section as plain text for the terminal."""
    lines = ["How sure are we?"]
    lines += [f"  {p}" for p in sec.intro]
    current = None
    for row in sec.rows:
        if row["option"] != current:
            current = row["option"]
            lines.append(f"\n  {current}")
        lines.append(f"    {row['label']}: {row['verdict'] or row['noise'] or '–'}")
        for name, key in (("simulation noise only", "noise"), ("across plausible worlds", "across"),
                          ("depends most on", "depends"), ("break-even", "break_even")):
            if row[key] and not (key == "noise" and not row["verdict"]):
                lines.append(f"      {name}: {row[key]}")
    if sec.notes:
        lines.append("")
        lines += [f"  note: {n}" for n in sec.notes]
    return "\n".join(lines) + "\n"
