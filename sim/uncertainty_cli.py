"""The uncertainty commands: ``sensitivity``, ``robustness``, ``threshold``, ``howsure``, and
``sweep`` of a design file. Each analysis writes its tables, charts and ``uncertainty.json`` to
``--out`` and prints its part of "How sure are we?". The analysis modules (SALib, matplotlib,
EMA Workbench) are imported when a command runs, so other commands start quickly."""

from __future__ import annotations

import math
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from . import files, measures
from .experiment import ExperimentError
from .textout import fmt, interval

if TYPE_CHECKING:
    from .design import Design
    from .worlds import Worlds


def _short(factor: str) -> str:
    return factor.split(".", 1)[1]


def _labels(design: Design) -> dict[tuple, str]:
    return {k: measures.label(*k) for k in design.measures}


def _settings(design: Design, w: Worlds | None, reps: int | None = None) -> str:
    run = design.baseline.doc.get("run", {})
    years = w.period if w is not None and w.period else design.period
    period = f"{years[0]}–{years[1]}" if years else "the last ten reported years"
    reps = reps or (w.replications if w is not None else design.replications)
    return (f"{reps} replication(s) per world with common random numbers; runs {run.get('start_year', '')}–"
            f"{run.get('end_year', '')}, values averaged over {period}.")


def _summary(kind: str, ident: str, design: Design, out: Path, w: Worlds | None, reps: int | None = None,
             **extra) -> dict:
    return {"kind": kind, "id": ident, "design": design.name, "design_file": str(design.path), "folder": str(out),
            "baseline": design.baseline.name, "options": [r.name for r in design.options],
            "measures": [[k, g, measures.label(k, g), measures.unit(k), measures.direction(k, g)]
                         for k, g in design.measures],
            "uncertainties": [{"factor": u.factor, "low": u.low, "high": u.high, "nominal": u.nominal,
                               "log": u.log, "reason": u.reason} for u in design.uncertainties],
            "replications": reps or (w.replications if w is not None else design.replications),
            "period": list(w.period) if w is not None and w.period else None, "settings": _settings(design, w, reps),
            "notes": list(design.notes), "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            **extra}


def _write_csv(path: Path, table: pd.DataFrame) -> None:
    files.write_text(path, table.to_csv(index=False, float_format="%.6g"))


def _save_chart(chart, out: Path) -> None:
    from . import charts
    charts.save(chart, out / "charts")
    charts.plt.close(chart.figure)


def _footer(runs: list[Worlds], out: Path, t0: float) -> None:
    ran, reused = sum(w.ran for w in runs), sum(w.reused for w in runs)
    executor = next((w.executor for w in runs if w.executor), "no new runs")
    print(f"\n{ran} runs made, {reused} reused; {executor}; {time.perf_counter() - t0:.0f} s. Results in {out}/",
          file=sys.stderr)


def _uncertainties_table(design: Design) -> pd.DataFrame:
    return pd.DataFrame([{"factor": u.factor, "low": u.low, "high": u.high, "nominal": u.nominal, "log": u.log,
                          "integer": u.integer, "reason": u.reason} for u in design.uncertainties])


def _runner(args):
    from .worlds import Runner
    return Runner(reps=args.reps, jobs=args.jobs, scheduler=args.scheduler, dashboard=args.dashboard,
                  fresh=args.fresh, progress=not args.quiet)


def cmd_sensitivity(args) -> int:
    from . import howsure, sensitivity
    from . import uncertainty_charts as ucharts
    from .design import load_design
    howsure.check_attach(args.attach)
    design = load_design(args.design)
    out = Path(args.out or f"results/sensitivity-{design.name}")
    t0 = time.perf_counter()
    screen = sensitivity.screen(design, out, _runner(args), trajectories=args.trajectories,
                                sobol_samples=args.sobol_samples, sobol_factors=args.sobol_factors)
    w = screen.runs["morris"]
    _write_csv(out / "uncertainties.csv", _uncertainties_table(design))
    _write_csv(out / "morris.csv", screen.morris)
    if screen.sobol is not None:
        _write_csv(out / "sobol.csv", screen.sobol)
    trajectories = args.trajectories or design.sensitivity.trajectories
    sobol_samples = design.sensitivity.sobol_samples if args.sobol_samples is None else args.sobol_samples
    note = f"{len(w.points)} worlds on {trajectories} Morris trajectories; {_settings(design, w)}"
    labels = _labels(design)
    base = design.baseline.name
    for option in [r.name for r in design.options]:
        block = screen.morris[(screen.morris.option == option) & (screen.morris.against == base)]
        if len(block) and block.mu_star.max() > 0:  # an option no assumption moves has nothing to show
            _save_chart(ucharts.morris(option, block, labels, note), out)
        if screen.sobol is not None:
            sob = screen.sobol[(screen.sobol.option == option) & (screen.sobol.against == base)]
            if len(sob):
                _save_chart(ucharts.sobol(option, sob, labels, _settings(design, screen.runs["sobol"])), out)
    top = sensitivity.tops(screen)
    summary = _summary("sensitivity", f"sensitivity-{design.name}", design, out, w, worlds=len(w.points),
                       trajectories=trajectories, levels=design.sensitivity.levels, sobol_samples=sobol_samples,
                       leading=screen.leading, top=top)
    summary["notes"] += screen.notes
    howsure.save(out, summary, args.attach)
    print(f"Sensitivity of the paired differences: {design.name} ({len(design.uncertainties)} uncertainties, "
          f"{len(w.points)} Morris worlds). {_settings(design, w)}")
    for entry in top:
        if entry["against"] != base or not entry["factors"]:
            continue
        unit = measures.unit(entry["kpi"])
        factors = ", ".join(f"{_short(f['factor'])} {magnitude(f['mu_star'], unit)}" for f in entry["factors"])
        floor = f"; noise floor {magnitude(entry['noise_floor'], unit)}" if math.isfinite(entry["noise_floor"]) else ""
        print(f"  {entry['option']} · {measures.label(entry['kpi'], entry['group'])}: μ* {factors}{floor}")
    if screen.leading:
        print(f"Leading factors overall: {', '.join(_short(f) for f in screen.leading)}")
    _footer(list(screen.runs.values()), out, t0)
    print(f"Tables: {out}/morris.csv" + (f", {out}/sobol.csv" if screen.sobol is not None else "")
          + f"; charts in {out}/charts/", file=sys.stderr)
    return 0


def magnitude(value: float, unit: str) -> str:
    """A size of a difference in its unit (percentage points for shares), without a sign."""
    return fmt(value, unit, diff=True).lstrip("+")


def cmd_robustness(args, discover: bool = True) -> int:
    from . import howsure, robustness, worlds
    from . import uncertainty_charts as ucharts
    from .design import load_design
    howsure.check_attach(args.attach)
    design = load_design(args.design)
    if args.points:
        design.sample = design.sample.model_copy(update={"points": args.points})
    if args.ensemble_draws is not None:
        design.sample = design.sample.model_copy(update={"ensemble_draws": args.ensemble_draws})
    kind = "robustness" if discover else "sweep"
    out = Path(args.out or f"results/{kind}-{design.name}")
    t0 = time.perf_counter()
    points, sample_text, notes = worlds.sample(design)
    w = worlds.run(design, points, out / "worlds", _runner(args))
    if w.interrupted:
        print("Stopped: finished runs are saved; run the same command again to resume.", file=sys.stderr)
        return 130
    per_world = worlds.per_world(w.diffs)
    table = w.points.merge(per_world, on="world")
    _write_csv(out / "worlds.csv", table)
    share = robustness.shares(per_world)
    _write_csv(out / "robustness.csv", share)
    found = robustness.boxes(per_world, w.points, design.baseline.name) if discover else {}
    rows = [{"option": k[0], "against": k[1], "kpi": k[2], "group": k[3], "factor": f, "low": lo, "high": hi,
             "side": side, "coverage": b.coverage, "density": b.density, "mass": b.mass}
            for k, b in found.items() for f, (lo, hi, side) in b.limits.items()]
    if discover:
        _write_csv(out / "prim.csv", pd.DataFrame(rows, columns=["option", "against", "kpi", "group", "factor", "low",
                                                                  "high", "side", "coverage", "density", "mass"]))
    vs_base = share[share.against == design.baseline.name]
    _save_chart(ucharts.shares(vs_base, _labels(design), f"{len(points)} worlds; {_settings(design, w)}"), out)
    summary = _summary(kind, f"{kind}-{design.name}", design, out, w, worlds=len(points),
                       sample=sample_text, ensemble=str(design.ensemble) if design.ensemble else None,
                       shares=share.to_dict("records"),
                       boxes=[{"option": k[0], "against": k[1], "kpi": k[2], "group": k[3],
                               "limits": [[f, lo, hi, side] for f, (lo, hi, side) in b.limits.items()],
                               "coverage": b.coverage, "density": b.density, "mass": b.mass, "base_rate": b.base_rate,
                               "text": b.describe()} for k, b in found.items()])
    summary["notes"] += notes
    if w.failures:
        summary["notes"].append(f"{len(w.failures)} run(s) failed (see {out}/worlds/failures.json): their worlds "
                                "count with fewer replications")
    howsure.save(out, summary, args.attach if discover else None)
    print(howsure.text(howsure.section([summary], design.baseline.name, summary["options"])))
    others = share[(share.against != design.baseline.name) & share.share_better.notna()]
    for r in others.itertuples():
        print(f"  {r.option} beats {r.against} on {measures.label(r.kpi, r.group)} in {r.share_better:.0%} of worlds")
    _footer([w], out, t0)
    print(f"Tables: {out}/worlds.csv, {out}/robustness.csv" + (f", {out}/prim.csv" if discover else ""),
          file=sys.stderr)
    return 1 if w.failures else 0


def cmd_sweep_design(args) -> int:
    """``leadsim sweep`` of a design file: its sample of worlds, compared within each world."""
    args.points, args.ensemble_draws, args.attach = None, None, None
    return cmd_robustness(args, discover=False)


def _measure(spec: str | None):
    if not spec:
        return None
    kpi, _, group = spec.partition(":")
    if measures.get(kpi) is None:
        raise ExperimentError(f"--measure: unknown measure {kpi!r}; see the README's KPI table")
    return kpi, group or "all"


def cmd_threshold(args) -> int:
    from . import howsure, threshold
    from . import uncertainty_charts as ucharts
    from .design import load_design
    howsure.check_attach(args.attach)
    design = load_design(args.design)
    short = args.factor.split(".")[-1]
    t0 = time.perf_counter()
    out = Path(args.out or f"results/threshold-{design.name}-{short}")
    result = threshold.find(design, args.factor, out, _runner(args), option=args.option, against=args.against,
                            measure=_measure(args.measure), span=tuple(args.range) if args.range else None,
                            steps=args.steps)
    unit = measures.unit(result.kpi)
    probes = pd.DataFrame([{"value": p.value, "n": len(p.diffs), "diff": p.mean, "diff_ci": p.half_width,
                            "verdict": result.verdict_at(p)} for p in sorted(result.probes, key=lambda p: p.value)])
    _write_csv(out / "probes.csv", probes)
    label = f"{measures.label(result.kpi, result.group)} ({result.kpi} · {result.group})"
    reps = len(result.probes[0].diffs)
    _save_chart(ucharts.threshold(result, label, 100.0 if unit.startswith("share") else 1.0,
                                  f"{reps} replication(s) per value."), out)
    ends = f"{probes.verdict.iloc[0]} at {probes.value.iloc[0]:g}, {probes.verdict.iloc[-1]} at {probes.value.iloc[-1]:g}"
    status = ("flips inside the range" if result.condition else
              f"no break-even between {result.low:g} and {result.high:g} ({ends})"
              + (f"; {'; '.join(result.notes)}" if result.notes else ""))
    summary = _summary("threshold", f"threshold-{design.name}-{result.option}-{short}-{result.kpi}-{result.group}",
                       design, out, None, reps, factor=result.factor, option=result.option, against=result.against,
                       kpi=result.kpi, group=result.group, range=[result.low, result.high], steps=args.steps,
                       break_even=result.estimate if result.condition else None,
                       interval=list(result.ci) if result.ci and result.condition else None,
                       better_side=result.better_side, condition=result.condition, status=status,
                       probes=probes.to_dict("records"))
    if reps < 5:
        summary["notes"].append(f"break-even of {result.option} on {result.kpi}: {reps} replication(s) per value make "
                                "its bootstrap interval rough")
    howsure.save(out, summary, args.attach)
    print(f"{result.option} against {result.against} on {label}, varying {result.factor} "
          f"({result.low:g} to {result.high:g}; the other assumptions as the scenarios assume):")
    for p in probes.itertuples():
        print(f"  {p.value:<10.4g} {interval(p.diff, p.diff_ci, unit, diff=True):<40} {p.verdict}")
    if result.condition:
        lo, hi = result.ci
        print(f"Break-even: {result.factor} = {result.estimate:.4g} (95% interval {howsure.interval_text(lo, hi)}): "
              f"better only if {result.condition}.")
    else:
        print(f"{status[0].upper()}{status[1:]}.")
    print(f"\n{len(result.probes)} values tried, {reps} replication(s) each; {time.perf_counter() - t0:.0f} s. "
          f"Results in {out}/ (probes.csv, charts/threshold.png)", file=sys.stderr)
    return 0


def cmd_howsure(args) -> int:
    from . import howsure, stats, store
    from .experiment import run_values
    manifest, kpis = store.read(args.results)
    order = manifest.get("order") or list(manifest["scenarios"])
    baseline = manifest.get("baseline") or order[0]
    table = None
    if not kpis.empty:
        run = manifest["scenarios"][baseline]["resolved"]["run"]
        period = (max(run["report_from"], run["end_year"] - 10), run["end_year"] - 1)
        table = stats.compare(run_values(kpis, period), baseline)
    summaries = howsure.collect(args.results, args.uncertainty or [])
    print(howsure.text(howsure.section(summaries, baseline, [s for s in order if s != baseline], table)))
    return 0


def add_parsers(sub) -> None:
    from .cli import REPS, whole

    def common(p):
        p.add_argument("design", help="design file (see scenarios/designs/ and scenarios/README.md)")
        p.add_argument("--out", help="results folder (re-running the same command resumes it)")
        p.add_argument("--reps", type=REPS, help="replications per world (default: the design's)")
        p.add_argument("--jobs", type=whole(1, 256), help="worker processes (default: all cores; 1 = in this "
                                                          "process)")
        p.add_argument("--scheduler", help="Dask scheduler address tcp://HOST:PORT (or tls://), or 'local' for a "
                                           "local cluster")
        p.add_argument("--dashboard", metavar="HOST:PORT", help="with --scheduler local: serve Dask's dashboard here")
        p.add_argument("--fresh", action="store_true", help="delete stored runs in --out and start again")
        p.add_argument("--quiet", action="store_true", help="no progress bar")
        p.add_argument("--attach", metavar="RESULTS", help="also file the summary with the experiment in RESULTS "
                                                           "(its report's 'How sure are we?' section)")

    sen = sub.add_parser("sensitivity", help="Morris screening, then Sobol indices, of a design's uncertainties")
    common(sen)
    sen.add_argument("--trajectories", type=whole(2, 1000), help="Morris trajectories (default: the design's)")
    sen.add_argument("--sobol-samples", type=whole(0, 4096), help="Saltelli base samples, a power of 2; 0 skips "
                                                                   "Sobol")
    sen.add_argument("--sobol-factors", type=whole(1, 20), help="leading factors given Sobol indices")
    sen.set_defaults(func=cmd_sensitivity)
    rob = sub.add_parser("robustness", help="share of plausible worlds in which each option wins; where it loses")
    common(rob)
    rob.add_argument("--points", type=whole(1, 10_000), help="points of the uncertainty sample (default: the "
                                                             "design's)")
    rob.add_argument("--ensemble-draws", type=whole(0, 1000), help="calibration-ensemble draws crossed with the "
                                                                   "points")
    rob.set_defaults(func=cmd_robustness)
    thr = sub.add_parser("threshold", help="the value of an assumption at which an option's verdict flips")
    common(thr)
    thr.add_argument("--factor", required=True, help="the uncertainty to move: interventions.NAME.SETTING or "
                                                     "params.PATH")
    thr.add_argument("--option", help="the option (default: the design's first)")
    thr.add_argument("--against", help="the comparator (default: the baseline)")
    thr.add_argument("--measure", metavar="KPI[:GROUP]", help="default: the first headline measure")
    thr.add_argument("--range", type=float, nargs=2, metavar=("LOW", "HIGH"),
                     help="values to search (default: the factor's range in the design)")
    thr.add_argument("--steps", type=whole(0, 30), default=6, help="bisection steps after the two ends (default 6)")
    thr.set_defaults(func=cmd_threshold)
    how = sub.add_parser("howsure", help="print 'How sure are we?' for a results folder")
    how.add_argument("results", help="folder written by leadsim compare")
    how.add_argument("--uncertainty", action="append", metavar="DIR", help="an analysis folder to include "
                                                                           "(besides those attached)")
    how.set_defaults(func=cmd_howsure)
