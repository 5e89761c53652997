"""The ``leadsim`` command line: ``run``, ``params``, ``interventions``, ``schema`` and ``validate``."""

from __future__ import annotations

import argparse
import json
import math
import signal
import sys
import time
from pathlib import Path

import pandas as pd

from . import __version__, files, progress, textout
from .executors import ExecutorError
from .experiment import MAX_SEED, ExperimentError
from .errors import InputError
from .scenario import load
from .store import StoreError

USER_ERRORS = (InputError, ExperimentError, ExecutorError, StoreError)


def cmd_run(args) -> int:
    from .runner import run_one, write
    scenario = load(args.scenario)
    seed = scenario.run.seed if args.seed is None else args.seed
    cal = scenario.params.calendar
    out = Path(args.out or f"results/{scenario.name}")
    out.mkdir(parents=True, exist_ok=True)  # a folder that cannot be written is refused before the run
    print(f"leadsim {__version__}: {scenario.name} (seed {seed}, replication {args.replication}); "
          f"warm-up {cal.start_year}–{cal.report_from - 1}, reporting {cal.report_from}–{cal.end_year - 1}",
          file=sys.stderr)
    t0 = time.perf_counter()
    result = run_one(scenario, replication=args.replication, seed=seed)
    years = tuple(y for y in (cal.report_from, 2017, 2025, cal.end_year - 1)
                  if cal.report_from <= y < cal.end_year)
    table = write(result, out, tuple(sorted(set(years))))
    # survival curves and flow counts are long; they stay in kpi_summary.csv and kpis.parquet
    textout.print_summary(table[~table.kpi.str.startswith(("ceo_survival", "flow_"))])
    print(f"\n{result.stats['events']:,} events, {result.stats['people']:,} people, "
          f"{time.perf_counter() - t0:.1f} s. Results in {out}/ (see README: Output files)", file=sys.stderr)
    return 0


def _precision(specs: list[str]) -> dict:
    """--precision KPI[:GROUP]=HALFWIDTH, repeatable."""
    out = {}
    for spec in specs or []:
        name, _, value = spec.partition("=")
        kpi, _, group = name.partition(":")
        try:
            out[(kpi, group or "all")] = float(value)
        except ValueError:
            raise ExperimentError(f"--precision: expected KPI[:GROUP]=HALFWIDTH, found {spec!r}") from None
    return out


def _period(text: str | None):
    if not text:
        return None
    lo, _, hi = text.partition(":")
    try:
        return (int(lo), int(hi or lo))
    except ValueError:
        raise ExperimentError(f"--period: expected YEAR or FROM:TO, found {text!r}") from None


def _report_comparison(result, title: str, args, appraise: bool = False) -> int:
    from . import appraisal, howsure
    keys = list(dict.fromkeys(zip(result.table.kpi, result.table.group))) if args.all else None
    if result.table.empty:
        print(f"{title}: no finished runs yet", file=sys.stderr)
    else:
        titles = appraisal.display_titles(result.scenarios, list(dict.fromkeys(result.table.scenario)))
        textout.print_comparison(result.table, title, keys, titles=titles)
        if appraise and result.baseline:
            period = f"{result.period[0]}–{result.period[1]}"
            textout.print_appraisal(appraisal.appraise(result.table, result.values, result.baseline,
                                                       result.scenarios, period, result.cohort_year))
    if result.baseline and not result.table.empty:
        others = [s for s in dict.fromkeys(result.table.scenario) if s != result.baseline]
        print("\n" + howsure.text(howsure.section(howsure.collect(result.out), result.baseline, others,
                                                  result.table)).rstrip())
    if args.report and not result.execution.interrupted:
        from . import report, store
        if args.report_year is not None:
            _check_report_year(store.read_manifest(result.out), args.report_year)
        built = report.build(result.out, year=args.report_year)
        print(f"Report: {built.html} (charts in {result.out / 'charts'}/)", file=sys.stderr)
    ex = result.execution
    print(f"\n{result.replications} replications per scenario (seed {result.seed}, common random numbers), "
          f"values averaged over {result.period[0]}–{result.period[1]}; {ex.ran} runs made, {ex.skipped} reused; "
          f"{result.executor}. {result.stop_reason}".rstrip(), file=sys.stderr)
    print(f"Results in {result.out}/ (comparison.csv, kpis.parquet, runs/)", file=sys.stderr)
    if ex.failures:
        print(f"{len(ex.failures)} run(s) failed; see {result.out}/failures.json. Rerun the same command to "
              "retry them.", file=sys.stderr)
        return 1
    if ex.interrupted:
        print("Stopped: finished runs are saved; run the same command again to resume.", file=sys.stderr)
        return 130
    return 0


def cmd_compare(args) -> int:
    from . import experiment
    baseline = load(args.baseline)
    others = [load(p) for p in args.scenarios]
    result = experiment.compare(baseline, others, reps=args.reps, out=args.out, jobs=args.jobs,
                                scheduler=args.scheduler, seed=args.seed, period=_period(args.period),
                                precision=_precision(args.precision), max_reps=args.max_reps,
                                keep_events=args.keep_events, fresh=args.fresh, progress=not args.quiet,
                                dashboard=args.dashboard, screen=args.screen)
    title = f"Compared with {baseline.title or baseline.name}, {result.period[0]}–{result.period[1]}"
    return _report_comparison(result, title, args, appraise=True)


def cmd_sweep(args) -> int:
    from . import experiment
    from .design import is_design
    from .sweep import load_sweep
    if is_design(args.sweep):  # options against uncertainties: compared within each world
        if args.screen:
            raise ExperimentError("--screen: expected a compare or a sweep file; a design file sets its runs' "
                                  "horizon itself (run: {end_year: YEAR})")
        from .uncertainty_cli import cmd_sweep_design
        args.design = args.sweep
        return cmd_sweep_design(args)
    sweep = load_sweep(args.sweep)
    if sweep.idle:
        print(f"WARNING: in {len(sweep.idle)} of {len(sweep.points)} design points an intervention's window "
              "misses the run, so it changes nothing there:\n  " + "\n  ".join(sweep.idle[:5])
              + ("\n  …" if len(sweep.idle) > 5 else ""), file=sys.stderr)
    out = args.out or f"results/sweep-{sweep.name}"
    result = experiment.compare(sweep.baseline, sweep.points, reps=args.reps or sweep.replications, out=out,
                                jobs=args.jobs, scheduler=args.scheduler, seed=sweep.seed,
                                period=_period(args.period), keep_events=args.keep_events, fresh=args.fresh,
                                progress=not args.quiet, factors=sweep.factors, kind="sweep",
                                dashboard=args.dashboard, screen=args.screen)
    factors = pd.DataFrame.from_dict(sweep.factors, orient="index").rename_axis("scenario").reset_index()
    table = result.table.merge(factors, on="scenario", how="left")
    files.write_text(Path(out) / "sweep.csv", table.to_csv(index=False, float_format="%.6g"))
    print(f"{len(sweep.points)} design points × {result.replications} replications; factor values in "
          f"{out}/sweep.csv", file=sys.stderr)
    return _report_comparison(result, f"Sweep {sweep.name}" + (f" against {sweep.baseline.name}" if sweep.baseline
                                                             else ""), args)


def cmd_report(args) -> int:
    from . import report, store
    t0 = time.perf_counter()
    try:
        if args.year is not None:
            _check_report_year(store.read_manifest(args.results), args.year)
        built = report.build(args.results, out=args.out, year=args.year, fit=args.fit)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"Report: {built.html}  ({len(built.charts)} charts as PNG and SVG in {Path(args.results) / 'charts'}/, "
          f"{time.perf_counter() - t0:.1f} s)", file=sys.stderr)
    return 0


def _check_report_year(manifest: dict, year: int) -> None:
    """--year must be a reported year of every scenario (else the report has no data)."""
    for name, info in manifest["scenarios"].items():
        run = info.get("resolved", {}).get("run", {})
        lo, hi = run.get("report_from"), run.get("end_year")
        if isinstance(lo, int) and isinstance(hi, int) and not lo <= year <= hi - 1:
            raise ExperimentError(f"--year: expected a year inside the reporting window of {name} "
                                  f"({lo}–{hi - 1}), found {year}")


def cmd_calibrate(args) -> int:
    from . import calibrate
    from .targets import load_parameters, load_targets
    minutes = args.minutes if args.minutes is not None else (4.0 if args.quick else 25.0)
    trials = args.trials or 10_000  # by default the time budget decides
    reps = args.reps or 2
    folder = Path(args.out)
    setup = calibrate.Setup(scenario=Path(args.scenario), targets=load_targets(args.targets),
                            parameters=load_parameters(args.parameters), reps=reps, seed=args.seed)
    journal = folder / ("study-quick.journal" if args.quick else "study.journal")
    print(f"calibrating {len(setup.parameters)} parameters to {len(setup.targets)} targets: up to {trials} trials "
          f"or {minutes:g} minutes, {reps} replications a trial, study {journal}", file=sys.stderr)
    study, new = calibrate.optimise(setup, journal, trials, minutes, args.jobs or 2, fresh=args.fresh)
    if not len(study.trials):
        print("error: no trial finished", file=sys.stderr)
        return 1
    check = args.check_reps or (4 if args.quick else 10)
    fit, out = calibrate.conclude(setup, study, folder, args.seed, check)
    print(f"{new} new trials ({len(study.trials)} in the study); best loss {fit.loss:.3f}; {fit.score}",
          file=sys.stderr)
    print(f"Wrote {out['calibrated']}, {out['markdown']}, {out['json']}, {out['chart']}, {out['ensemble']}",
          file=sys.stderr)
    return 0


def cmd_params(args) -> int:
    """Print every parameter of a scenario with its value, unit and source."""
    from .params import Params
    from .params.overrides import register
    params = load(args.scenario).params if args.scenario else Params()
    rows = register(params)
    for row in rows:
        row["value"] = json.dumps(row["value"], ensure_ascii=False)
    if args.csv:
        pd.DataFrame(rows).to_csv(sys.stdout, index=False)
        return 0
    for row in rows:
        print(f"{row['parameter']} = {row['value']}\n    unit: {row['unit']}; source: {row['source']}")
    return 0


def cmd_schema(args) -> int:
    from .schema import scenario_schema
    print(json.dumps(scenario_schema(), indent=2, ensure_ascii=False))
    return 0


def cmd_interventions(args) -> int:
    """The intervention library: what each one models, its settings and what it costs."""
    from .interventions import REGISTRY, Intervention
    # every entry's own: when (start, or published + lag_years) and what it cites
    per_entry = set(Intervention.model_fields) - {"cost_per_unit", "ramp_years", "ramp_shape"}
    for kind, cls in REGISTRY.items():
        print(f"{kind}  ({cls.recommendation})")
        print(f"  {cls.mechanism}")
        for name, field in cls.model_fields.items():
            if name in per_entry:
                continue
            extra = field.json_schema_extra or {}
            unit = extra.get("unit", field.description or "")
            print(f"  - {name} = {field.default!r}: {unit} [{extra.get('source', '')}]")
        print(f"  cost unit: {cls.unit}\n")
    return 0


def cmd_validate(args) -> int:
    """Check every file; each problem is one `error:` line, like every other command's."""
    bad = 0
    for path in args.files:
        try:
            s = load(path)
            print(f"ok   {path}: {s.name}")
        except InputError as exc:
            print(f"error: {exc}", file=sys.stderr)
            bad += 1
    return 2 if bad else 0


class Parser(argparse.ArgumentParser):
    """argparse, but a bad argument is one `error:` line (exit 2) like every other mistake."""

    def error(self, message: str):
        self.exit(2, f"error: {self.prog}: {message} (see {self.prog} --help)\n")


def whole(lo: int, hi: int):
    """An argparse type: a whole number from ``lo`` to ``hi``."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not lo <= value <= hi:
            shown = "2**63 − 1" if hi == MAX_SEED else f"{hi}"
            raise argparse.ArgumentTypeError(f"expected a whole number from {lo} to {shown}, found {text!r}")
        return value
    return parse


def positive(hi: float):
    """An argparse type: a number above 0 and at most ``hi``."""
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not 0 < value <= hi:
            raise argparse.ArgumentTypeError(f"expected a number above 0 and at most {hi:g}, found {text!r}")
        return value
    return parse


SEED, REPS, YEAR = whole(0, MAX_SEED), whole(1, 100_000), whole(1900, 2200)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="leadsim", description="Simulate NHS executive leadership pipelines.")
    parser.add_argument("--version", action="version", version=f"leadsim {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run one replication of a scenario and write its results")
    run.add_argument("scenario", help="scenario YAML file, e.g. scenarios/baseline.yaml")
    run.add_argument("--seed", type=SEED, help="root seed (default: the scenario's run.seed)")
    run.add_argument("--replication", type=whole(0, 10**9), default=0, help="replication index (default 0)")
    run.add_argument("--out", help="output folder (default results/<scenario name>)")
    run.set_defaults(func=cmd_run)
    def experiment_options(p):
        p.add_argument("--out", help="results folder (re-running the same command resumes it)")
        p.add_argument("--jobs", type=whole(1, 256), help="worker processes (default: all cores; 1 = in this process)")
        p.add_argument("--scheduler", help="Dask scheduler address tcp://HOST:PORT (or tls://), or 'local' for a "
                       "local cluster")
        p.add_argument("--dashboard", metavar="HOST:PORT", help="with --scheduler local: serve Dask's dashboard "
                       "here, e.g. 127.0.0.1:8787 (default: none)")
        p.add_argument("--period", help="years the KPIs are averaged over: YEAR or FROM:TO (default: last 10)")
        p.add_argument("--keep-events", action="store_true", help="also store every run's full event log")
        p.add_argument("--screen", action="store_true", help="screening: runs end three years after --period "
                       "(yearly values as in full runs; tenure medians and survival over the shorter window)")
        p.add_argument("--fresh", action="store_true", help="delete stored runs in --out and start again")
        p.add_argument("--all", action="store_true", help="print every KPI, not only the key ones")
        p.add_argument("--quiet", action="store_true", help="no progress bar")
        p.add_argument("--report", action="store_true", help="then build the HTML report (leadsim report)")
        p.add_argument("--report-year", type=YEAR, help="year the report compares (default: the period)")

    cmp = sub.add_parser("compare", help="replications of a baseline and other scenarios, paired comparison")
    cmp.add_argument("baseline", help="the baseline scenario file")
    cmp.add_argument("scenarios", nargs="+", help="scenario files to compare with it")
    cmp.add_argument("--reps", type=REPS, default=10, help="replications per scenario (default 10)")
    cmp.add_argument("--seed", type=SEED, help="root seed for every scenario (default: the baseline's)")
    cmp.add_argument("--precision", action="append", metavar="KPI[:GROUP]=HALFWIDTH",
                     help="add replications until the 95%% interval of this difference is this narrow")
    cmp.add_argument("--max-reps", type=REPS, default=200, help="cap for --precision (default 200)")
    experiment_options(cmp)
    cmp.set_defaults(func=cmd_compare)
    swp = sub.add_parser("sweep", help="run a design over parameters and intervention settings")
    swp.add_argument("sweep", help="sweep file (see scenarios/sweeps/)")
    swp.add_argument("--reps", type=REPS, help="replications per point (default: the sweep file's)")
    experiment_options(swp)
    swp.set_defaults(func=cmd_sweep)
    from .uncertainty_cli import add_parsers
    add_parsers(sub)
    rep = sub.add_parser("report", help="build the HTML report and charts from a results folder")
    rep.add_argument("results", help="folder written by leadsim compare or sweep")
    rep.add_argument("--out", help="HTML file (default RESULTS/report.html)")
    rep.add_argument("--year", type=YEAR, help="compare this year (default: the last ten reported years)")
    rep.add_argument("--fit", help="calibration fit JSON (default: the fit recorded with the results when the "
                                   "baseline inherits a calibration)")
    rep.set_defaults(func=cmd_report)
    cal = sub.add_parser("calibrate", help="fit the free parameters to the published figures (Optuna)")
    cal.add_argument("--trials", type=whole(1, 1_000_000),
                     help="total trials in the study (default: as many as time allows)")
    cal.add_argument("--minutes", type=positive(10_000), help="time budget (default 25; --quick 4)")
    cal.add_argument("--quick", action="store_true", help="a ≤ 5-minute calibration (its own study file)")
    cal.add_argument("--jobs", type=whole(1, 256), help="parallel trial processes (default 2)")
    cal.add_argument("--seed", type=SEED, default=1, help="seed of the runs and the sampler (default 1)")
    cal.add_argument("--reps", type=REPS, help="replications per trial (default 2)")
    cal.add_argument("--check-reps", type=REPS, help="replications of the best fit for the report (default 10)")
    cal.add_argument("--scenario", default="scenarios/baseline.yaml", help="scenario to calibrate")
    cal.add_argument("--targets", default="calibration/targets.yaml")
    cal.add_argument("--parameters", default="calibration/parameters.yaml")
    cal.add_argument("--out", default="calibration", help="folder for calibrated.yaml, the fit report and study")
    cal.add_argument("--fresh", action="store_true", help="start a new study instead of resuming")
    cal.set_defaults(func=cmd_calibrate)
    par = sub.add_parser("params", help="list every parameter with its value, unit and source")
    par.add_argument("scenario", nargs="?", help="show the values this scenario uses (default: built-in defaults)")
    par.add_argument("--csv", action="store_true", help="write CSV instead of a text table")
    par.set_defaults(func=cmd_params)
    sch = sub.add_parser("schema", help="print the JSON Schema of scenario files (for editors)")
    sch.set_defaults(func=cmd_schema)
    ivs = sub.add_parser("interventions", help="list the interventions, their settings and costs")
    ivs.set_defaults(func=cmd_interventions)
    val = sub.add_parser("validate", help="check scenario files and report every problem")
    val.add_argument("files", nargs="+")
    val.set_defaults(func=cmd_validate)
    return parser


def _terminate(signum, frame):
    # SIGTERM (kill, a batch system ending a job) stops like Ctrl-C: finished runs are kept
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    progress.log_to_stderr()  # the library reports through logging; users see it on stderr
    try:
        previous = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread (an embedding program): leave SIGTERM alone
        previous = None
    try:
        return args.func(args)
    except USER_ERRORS as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `leadsim params | head`
        sys.stderr.close()
        return 0
    except OSError as exc:  # a full disk, a read-only or missing folder, …
        print(f"error: cannot write {_written(exc)}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _written(exc: OSError) -> str:
    """The folder a failed write was for (not the temporary file inside it)."""
    if not exc.filename:
        return "the results"
    where = Path(exc.filename)
    return str(where.parent if where.name.startswith(".") and where.suffix == ".tmp" else where)


if __name__ == "__main__":
    sys.exit(main())
