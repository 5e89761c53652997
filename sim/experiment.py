"""Experiments: many replications of several scenarios, compared with common random numbers.

The Python API for notebooks::

    from sim import experiment
    from sim.scenario import load
    result = experiment.compare(load("scenarios/baseline.yaml"), [load("scenarios/new_deal.yaml")],
                                reps=20, out="results/new_deal_vs_baseline")
    result.table      # KPI × scenario: mean, 95% interval, paired difference vs baseline, verdict
    result.values     # one value per run, KPI and group (averaged over the comparison period)

Every run is written to the results store as soon as it finishes, so an interrupted experiment
resumes where it stopped when the same call (or command) is repeated.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from . import calibration_fit, cohort, executors, files, measures, progress as progress_bar, stats
from .tasks import Task, perform
from .params.overrides import with_overrides
from .scenario import Scenario
from .store import Store


log = logging.getLogger(__name__)


class ExperimentError(ValueError):
    """The experiment as asked cannot run (e.g. two scenarios with one name); meant for the user."""


@dataclass
class Execution:
    ran: int = 0
    skipped: int = 0
    failures: list = field(default_factory=list)
    interrupted: bool = False


def run_tasks(store: Store, tasks: list[Task], executor, show_progress: bool = True) -> Execution:
    """Run the tasks the store does not have yet (or holds damaged), saving each as it finishes."""
    todo = [t for t in tasks if not store.done(t.name, t.replication, t.seed)]
    result = Execution(skipped=len(tasks) - len(todo))
    if not todo:
        return result
    bar = progress_bar.bar(len(todo), enabled=show_progress, unit="run")
    try:
        for out in executor.map(perform, todo):
            t = out.task
            if out.error:
                result.failures.append({"scenario": t.name, "replication": t.replication, "seed": t.seed,
                                        "scenario_file": t.scenario.path, "error": out.error})
                log.warning(f"run failed: scenario {t.name}, seed {t.seed}, replication {t.replication}: "
                            f"{out.error.strip().splitlines()[-1]}")
            else:
                store.save(t.name, t.replication, t.seed, out.kpis, out.events)
                result.ran += 1
            failed = f"{len(result.failures)} failed · " if result.failures else ""
            bar.set_postfix_str(f"{failed}{t.name} r{t.replication}", refresh=False)
            bar.update()
    except KeyboardInterrupt:
        result.interrupted = True
    finally:
        bar.close()
        store.write_failures(result.failures)
    return result


def default_period(scenario: Scenario) -> tuple[int, int]:
    """The last ten reported years (the years a strategist asks "by when" about)."""
    cal = scenario.params.calendar
    return max(cal.report_from, cal.end_year - 10), cal.end_year - 1


def run_values(kpis: pd.DataFrame, period: tuple[int, int]) -> pd.DataFrame:
    """One value per run, KPI and group: yearly KPIs averaged over ``period``; whole-window KPIs as they are."""
    yearly = kpis[(kpis.year >= period[0]) & (kpis.year <= period[1])]
    keys = ["scenario", "replication", "kpi", "group"]
    averaged = yearly.groupby(keys, sort=False).value.mean().reset_index()
    window = kpis.loc[kpis.year < 0, keys + ["value"]]
    return pd.concat([averaged, window], ignore_index=True)


@dataclass
class Comparison:
    """What a comparison or sweep produced; ``table`` and ``values`` are pandas DataFrames."""
    table: pd.DataFrame
    values: pd.DataFrame
    baseline: str | None
    replications: int
    period: tuple[int, int]
    out: Path
    seed: int
    executor: str
    stop_reason: str = ""
    execution: Execution = field(default_factory=Execution)
    cohort_year: int | None = None          # 31 Dec of this year fixed the cohort of challenged trusts
    scenarios: dict[str, dict] = field(default_factory=dict)  # name → resolved scenario, as recorded


MAX_SEED = 2**63 - 1   # seeds are stored as 64-bit integers


def _parse_period(period, scenarios: list[Scenario]) -> tuple[int, int]:
    """The period asked for, checked against every scenario's reporting window (no verdicts
    computed from years without data)."""
    if period is None:
        period = default_period(scenarios[0])
    elif isinstance(period, int):
        period = period, period
    lo, hi = int(period[0]), int(period[1])
    if lo > hi:
        raise ExperimentError(f"--period: expected FROM ≤ TO, found {lo}:{hi}")
    for s in scenarios:
        cal = s.params.calendar
        if not cal.report_from <= lo <= hi <= cal.end_year - 1:
            raise ExperimentError(f"--period: expected years inside the reporting window of {s.name} "
                                  f"({cal.report_from}–{cal.end_year - 1}), found {lo}–{hi}")
    return lo, hi


# years: the longest a yearly measure looks past its year (leaders of challenged trusts who became
# chief executives within 3 years of leaving; graduate retention within a year, …)
FOLLOW_UP = 3


def screened(scenario: Scenario, period: tuple[int, int]) -> Scenario:
    """``scenario`` with its run ending ``FOLLOW_UP`` years after ``period`` (screening mode, for
    sensitivity work). The model never looks ahead, so every yearly value in ``period`` is the one
    a full run gives; the window measures (Kaplan–Meier tenure medians, survival) cover the shorter
    reporting window the scenario now states (benchmarks/bench_screen.py measures the difference)."""
    end = min(scenario.run.end_year, period[1] + 1 + FOLLOW_UP)
    if end == scenario.run.end_year:
        return scenario
    document = {**scenario.document, "run": {**scenario.document.get("run", {}), "end_year": end}}
    return replace(scenario, params=with_overrides(scenario.params, {"calendar": {"end_year": end}}),
                   run=scenario.run.model_copy(update={"end_year": end}), document=document)


def _check_counts(reps: int, max_reps: int, seed: int, precision) -> None:
    if not 1 <= reps <= 100_000:
        raise ExperimentError(f"--reps: expected a whole number from 1 to 100000, found {reps}")
    if precision and not reps <= max_reps <= 100_000:
        raise ExperimentError(f"--max-reps: expected a whole number from --reps ({reps}) to 100000, "
                              f"found {max_reps}")
    if not 0 <= seed <= MAX_SEED:
        raise ExperimentError(f"--seed: expected a whole number from 0 to 2**63 − 1, found {seed}")


def compare(baseline: Scenario | None, others: list[Scenario], reps: int = 10, out: str | Path | None = None,
            jobs: int | None = None, scheduler: str | None = None, seed: int | None = None, period=None,
            precision: dict[tuple[str, str], float] | None = None, max_reps: int = 200,
            keep_events: bool = False, fresh: bool = False, progress: bool = True,
            factors: dict[str, dict] | None = None, kind: str = "compare",
            dashboard: str | None = None, screen: bool = False) -> Comparison:
    """Run every scenario ``reps`` times with common random numbers and compare with ``baseline``.

    With ``precision`` ({(kpi, group): half-width}), replications are added until the 95% interval
    of each named difference against the baseline is narrower than asked, or ``max_reps`` is hit.
    With ``screen``, every run stops when the period's values are known (``screened``).
    """
    scenarios = ([baseline] if baseline else []) + list(others)
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise ExperimentError(f"scenario names must differ, found {', '.join(dup)} twice")
    if precision and baseline is None:
        raise ExperimentError("--precision needs a baseline to compare against")
    check_precision(precision)
    scenarios, cohort_year = cohort.align(scenarios, baseline is not None)  # one cohort for every scenario
    reference = scenarios[0]
    seed = reference.run.seed if seed is None else seed
    _check_counts(reps, max_reps, seed, precision)
    period = _parse_period(period, scenarios)
    if screen:
        scenarios = [screened(s, period) for s in scenarios]
        baseline, others = (scenarios[0], scenarios[1:]) if baseline else (None, scenarios)
    out = Path(out or f"results/{kind}-{'-'.join(names)[:60]}")
    executor = executors.make(jobs, scheduler, dashboard)  # checks its arguments before anything is written
    total = Execution()
    try:
        with Store(out, scenarios, seed, kind=kind, factors=factors, baseline=baseline.name if baseline else None,
                   fresh=fresh) as store:
            calibration_fit.record(reference, out)  # so the report shows the baseline's calibration
            if store.stale and progress:
                log.info(f"note: {len(store.stale)} stored run folder(s) in {out}/runs were made by other code or "
                         "another version of a scenario; they are ignored (use --fresh to delete them)")
            n, reason, rows = _replicate(store, executor, total, scenarios, baseline, reps, seed, period, precision,
                                         max_reps, keep_events, progress)
            if store.damaged:
                log.warning(f"note: {len(store.damaged)} stored run file(s) did not check out and were made again; "
                            f"moved to {out}/damaged/: " + "; ".join(f"{p.parent.name}/{p.name.split('.')[0]}: {why}"
                                                                     for p, why in store.damaged[:3])
                            + ("; …" if len(store.damaged) > 3 else ""))
            values = run_values(rows, period)
            # without a baseline (a design's worlds) the scenarios live in different worlds: worlds.run checks
            mismatched = cohort.mismatches(values) if baseline is not None else []
            if mismatched:
                log.warning(f"the fixed cohort of challenged trusts (31 Dec {cohort_year}) differs between "
                            f"scenarios in replications {mismatched}: an option acts before the cohort year ends")
            table = stats.compare(values, baseline.name if baseline else None)
            table.insert(2, "unit", table.kpi.map(measures.unit))
            store.consolidate(n)
            files.write_text(out / "comparison.csv", table.to_csv(index=False, float_format="%.6g"))
    finally:
        executor.close(cancel=True)  # nothing useful is left running: stop the workers, do not wait
    return Comparison(table, values, baseline.name if baseline else None, n, period, out, seed, executor.name,
                      reason, total, cohort_year, {s.name: s.resolved() for s in scenarios})


def _replicate(store, executor, total, scenarios, baseline, reps, seed, period, precision, max_reps, keep_events,
               progress) -> tuple[int, str, pd.DataFrame]:
    """Make the runs still missing (counted in ``total``); with ``precision``, add replications
    until it is reached. Returns (replications, why it stopped, the stored runs' KPI rows in
    ``period``). Each round reads only the runs the store has not read yet; a run whose rows do
    not read back is moved aside and made again."""
    names = [s.name for s in scenarios]
    n, reason, retries = reps, "", 0
    while True:
        tasks = [Task(s.name, s, r, seed, keep_events) for r in range(n) for s in scenarios]
        done = run_tasks(store, tasks, executor, progress)
        total.skipped = max(0, done.skipped - total.ran)  # runs stored before this call, not by an earlier round
        total.ran += done.ran
        total.failures += done.failures
        damaged = len(store.damaged)
        rows = store.kpis(names, period, n)
        if done.interrupted:
            total.interrupted = True
            return n, "interrupted", rows
        if len(store.damaged) > damaged and retries < 3:  # found damaged while reading: make them again
            retries += 1
            continue
        if not precision:
            return n, reason, rows
        worst = _worst_ratio(stats.compare(run_values(rows, period), baseline.name), precision, baseline.name)
        if worst <= 1.0:
            return n, f"precision reached with {n} replications", rows
        if n >= max_reps:
            return n, f"stopped at the cap of {max_reps} replications (widest interval {worst:.2f}× the target)", rows
        # no interval yet (fewer than 2 runs): double; else aim at the target with 10% to spare
        aim = 2 * n if math.isinf(worst) else math.ceil(n * worst ** 2 * 1.1)
        n = min(max_reps, max(n + 2, aim))
        if progress:
            log.info(f"precision not reached (widest interval {worst:.2f}× the target): going to {n} "
                     "replications")


def summarise(store: Store, names: list[str], baseline: str | None, period: tuple[int, int],
              replications: int | None = None) -> pd.DataFrame:
    return stats.compare(run_values(store.kpis(names, period, replications), period), baseline)


def _worst_ratio(table: pd.DataFrame, precision: dict[tuple[str, str], float], baseline: str) -> float:
    """Largest (interval half-width / target) over the named differences (inf while undefined)."""
    worst = 0.0
    for (kpi, group), target in precision.items():
        hw = table.loc[(table.kpi == kpi) & (table.group == group) & (table.scenario != baseline), "diff_ci"]
        if hw.empty or hw.isna().any():
            return math.inf
        worst = max(worst, float(hw.max()) / target)
    return worst


def check_precision(precision: dict[tuple[str, str], float] | None) -> None:
    for (kpi, _group), target in (precision or {}).items():
        if kpi not in measures.REGISTRY:
            raise ExperimentError(f"--precision: unknown KPI {kpi!r}; KPIs are {', '.join(measures.REGISTRY)}")
        if not 0 < target < math.inf:
            raise ExperimentError(f"--precision: the half-width for {kpi} must be a number > 0, found {target}")
