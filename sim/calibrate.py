"""Calibration: fit the free parameters to the published figures with Optuna.

For a trial, every free parameter takes a value, the baseline runs a few replications with
common random numbers (only up to the last target year), each target's definition is measured
on every run, and the loss is the sum over targets of the squared standardised distance

    d = (simulated mean − published value) / (tolerance bound − published value)

using the upper bound when the model is above the figure and the lower bound when below, so a
target inside its tolerance contributes less than 1. The study lives in a journal file on disk:
several worker processes share it, and re-running resumes it.
"""

from __future__ import annotations

import math
import multiprocessing as mp
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from . import charts, files
from .executors import sigint_blocked
from .runner import code_version, run_one
from .scenario import load
from .stats import half_width
from .targets import FreeParameter, RunData, Target, measure, override

ROOT = Path(__file__).resolve().parents[1]
UNDEFINED_PENALTY = 25.0  # a target the run cannot measure counts as 5 tolerances away


@dataclass
class Setup:
    """What a calibration needs; picklable so worker processes can rebuild the objective."""
    scenario: Path
    targets: list[Target]
    parameters: list[FreeParameter]
    reps: int = 2
    seed: int = 1
    base_overrides: dict = field(default_factory=dict)

    @property
    def end_year(self) -> int:
        return max(t.year_to or t.year for t in self.targets) + 1


def distance(mean: float, t: Target) -> float:
    """Standardised distance of a simulated mean from a target (≤ 1 inside the tolerance)."""
    if mean is None or not np.isfinite(mean):
        return math.sqrt(UNDEFINED_PENALTY)
    low, high = t.tolerance
    if mean >= t.value:
        return (mean - t.value) / max(high - t.value, 1e-12)
    return (t.value - mean) / max(t.value - low, 1e-12)


def loss(means: dict[str, float], targets: list[Target]) -> float:
    return float(sum(distance(means.get(t.id), t) ** 2 for t in targets))


def nested(values: dict[str, float]) -> dict:
    """{'a.b.c': 1} → {'a': {'b': {'c': 1}}}, merging all paths."""
    out: dict = {}
    for path, value in values.items():
        _deep_merge(out, override(path, value))
    return out


def _deep_merge(into: dict, other: dict) -> None:
    for k, v in other.items():
        if isinstance(v, dict) and isinstance(into.get(k), dict):
            _deep_merge(into[k], v)
        else:
            into[k] = v


def simulate(setup: Setup, values: dict[str, float], reps: int | None = None, end_year: int | None = None
             ) -> pd.DataFrame:
    """Measure every target on ``reps`` replications with these parameter values (one row per run)."""
    params = nested(values)
    _deep_merge(params, setup.base_overrides)
    scenario = load(setup.scenario, overrides={"params": params, "run": {"end_year": end_year or setup.end_year}})
    rows = []
    for r in range(reps or setup.reps):
        result = run_one(scenario, replication=r, seed=setup.seed)
        rows.append(measure(RunData.from_result(result), setup.targets))
    return pd.DataFrame(rows)


def objective(setup: Setup):
    def f(trial) -> float:
        values = {p.path: trial.suggest_float(p.path, p.low, p.high, log=p.log) for p in setup.parameters}
        runs = simulate(setup, values)
        means = runs.mean(numeric_only=True).to_dict()
        for t in setup.targets:
            trial.set_user_attr(t.id, means.get(t.id))
        return loss(means, setup.targets)
    return f


def _storage(path: Path):
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend
    path.parent.mkdir(parents=True, exist_ok=True)
    return JournalStorage(JournalFileBackend(str(path)))


def _worker(setup: Setup, journal: str, study_name: str, trials: int, seconds: float, seed: int) -> None:
    import optuna
    from optuna.study import MaxTrialsCallback
    from optuna.trial import TrialState
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.load_study(study_name=study_name, storage=_storage(Path(journal)),
                              sampler=optuna.samplers.TPESampler(seed=seed, n_startup_trials=12))
    done = len(study.get_trials(states=(TrialState.COMPLETE,)))
    if done >= trials:
        return
    study.optimize(objective(setup), timeout=seconds, gc_after_trial=False,
                   callbacks=[MaxTrialsCallback(trials, states=(TrialState.COMPLETE,))])


def _guarded_worker(parent: int, *args) -> None:
    from .executors import worker_start
    worker_start(parent)  # a killed `leadsim calibrate` must not leave trial processes running
    _worker(*args)


def optimise(setup: Setup, journal: Path, trials: int, minutes: float, jobs: int, fresh: bool = False,
             progress: bool = True):
    """Run (or resume) the study until ``trials`` complete trials or ``minutes`` pass."""
    import optuna
    from optuna.trial import TrialState
    if fresh and journal.exists():
        journal.unlink()
    study = optuna.create_study(study_name="leadsim", storage=_storage(journal), direction="minimize",
                                load_if_exists=True)
    start = len(study.get_trials(states=(TrialState.COMPLETE,)))
    seconds = minutes * 60
    if jobs <= 1:
        _worker(setup, str(journal), "leadsim", trials, seconds, setup.seed)
    else:
        ctx = mp.get_context("spawn")
        procs = [ctx.Process(target=_guarded_worker,
                             args=(os.getpid(), setup, str(journal), "leadsim", trials, seconds, setup.seed + i))
                 for i in range(jobs)]
        with sigint_blocked():  # Ctrl-C is the parent's to handle (it stops the workers)
            for p in procs:
                p.start()
        t0 = time.time()
        tty = sys.stderr.isatty()
        last = t0
        try:
            while any(p.is_alive() for p in procs):
                time.sleep(2)
                if progress and (tty or time.time() - last >= 60):  # a line a minute in logs
                    last = time.time()
                    n = len(study.get_trials(states=(TrialState.COMPLETE,)))
                    best = study.best_value if n else float("nan")
                    line = (f"calibration: {n} trials done (cap {trials}) · best loss {best:.3f} · "
                            f"{(time.time() - t0) / 60:.1f} of ≤ {minutes:g} min")
                    print(("\r" + line) if tty else line, end="" if tty else "\n", file=sys.stderr)
        except KeyboardInterrupt:
            for p in procs:
                p.terminate()
            print("\ninterrupted: finished trials are saved in the study; run again to resume", file=sys.stderr)
        for p in procs:
            p.join()
        if progress:
            print(file=sys.stderr)
    study = optuna.load_study(study_name="leadsim", storage=_storage(journal))
    return study, len(study.get_trials(states=(TrialState.COMPLETE,))) - start


def near_best(study, share: float = 0.1, minimum: int = 5) -> pd.DataFrame:
    """Parameter values of the best trials (the best ``share``, at least ``minimum``)."""
    frame = study.trials_dataframe(attrs=("number", "value", "params", "state"))
    frame = frame[frame.state == "COMPLETE"].sort_values("value")
    keep = max(minimum, int(len(frame) * share))
    return frame.head(keep)


@dataclass
class Fit:
    values: dict[str, float]
    loss: float
    trials: int
    table: pd.DataFrame        # one row per target
    parameters: pd.DataFrame   # one row per free parameter


def assess(setup: Setup, study, reps: int) -> Fit:
    """Run the best parameter values ``reps`` times and compare every target with its tolerance."""
    best = study.best_trial.params
    runs = simulate(setup, best, reps=reps)
    rows = []
    for t in setup.targets:
        v = runs[t.id].to_numpy(dtype=float)
        mean = float(np.nanmean(v)) if np.isfinite(v).any() else float("nan")
        low, high = t.tolerance
        rows.append({"id": t.id, "description": t.description, "unit": t.unit, "year": t.year, "value": t.value,
                     "low": low, "high": high, "sim_mean": mean, "sim_ci": half_width(v),
                     "inside": bool(low <= mean <= high) if np.isfinite(mean) else False,
                     "distance": distance(mean, t), "source": t.source.title})
    near = near_best(study)
    prows = []
    for p in setup.parameters:
        col = near[f"params_{p.path}"]
        spread = (col.max() - col.min()) / (p.high - p.low)
        prows.append({"path": p.path, "low": p.low, "high": p.high, "best": best[p.path],
                      "near_best_min": col.min(), "near_best_max": col.max(), "share_of_range": spread,
                      "pinned": spread < 0.3, "reason": p.reason})
    return Fit(best, float(study.best_value), len(study.trials), pd.DataFrame(rows), pd.DataFrame(prows))


def write_outputs(fit: Fit, setup: Setup, folder: Path, seed: int, reps: int) -> dict[str, Path]:
    """calibrated.yaml (used by the baseline), fit.json, fit_report.md and fit.png."""
    when = datetime.now(timezone.utc).isoformat(timespec="seconds")
    doc = {"name": "calibrated",
           "description": "Parameter values fitted by leadsim calibrate to calibration/targets.yaml; "
                          "scenarios/baseline.yaml inherits them.",
           "params": nested({k: round(float(v), 6) for k, v in fit.values.items()}),
           "provenance": {"date": when, "trials": fit.trials, "loss": round(fit.loss, 4), "seed": seed,
                          "replications_per_trial": setup.reps, "code_version": code_version(),
                          "targets_inside_tolerance": f"{int(fit.table.inside.sum())} of {len(fit.table)}"}}
    out = {"calibrated": folder / "calibrated.yaml", "json": folder / "fit.json",
           "markdown": folder / "fit_report.md", "chart": folder / "fit.png"}
    files.write_text(out["calibrated"], "# Written by `leadsim calibrate`; see calibration/fit_report.md.\n"
                     + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    files.write_json(out["json"], {"date": when, "loss": fit.loss, "trials": fit.trials, "check_replications": reps,
                                   "targets": fit.table.to_dict(orient="records"),
                                   "parameters": fit.parameters.to_dict(orient="records")})
    chart = charts.calibration_fit(fit.table)
    chart.figure.savefig(out["chart"], dpi=130, bbox_inches="tight", metadata={"Software": None})
    charts.plt.close(chart.figure)
    files.write_text(out["markdown"], markdown(fit, when, reps))
    return out


def _num(v: float, unit: str) -> str:
    if v is None or not np.isfinite(v):
        return "–"
    return f"{100 * v:.1f}%" if unit.startswith("share") else f"{v:.2f}"


def markdown(fit: Fit, when: str, reps: int) -> str:
    lines = [f"# Calibration fit ({when})", "",
             f"Best loss {fit.loss:.3f} after {fit.trials} trials; simulated means over {reps} replications of "
             "the calibrated baseline, with 95% intervals. ![fit](fit.png)", "",
             "| target | year | published | tolerance | simulated (95% interval) | inside | source |",
             "|---|---|---|---|---|---|---|"]
    for r in fit.table.itertuples():
        sim = f"{_num(r.sim_mean, r.unit)} (± {_num(r.sim_ci, r.unit)})"
        lines.append(f"| {r.description} | {r.year} | {_num(r.value, r.unit)} | {_num(r.low, r.unit)}–"
                     f"{_num(r.high, r.unit)} | {sim} | {'yes' if r.inside else '**no**'} | {r.source} |")
    lines += ["", "## Free parameters", "",
              "The range among the best 10% of trials, as a share of the prior range: a small share means the "
              "targets pin the parameter down; a large share means they leave it loose.", "",
              "| parameter | prior range | best | near-best range | share of range | |", "|---|---|---|---|---|---|"]
    for p in fit.parameters.itertuples():
        lines.append(f"| `{p.path}` | {p.low:g}–{p.high:g} | {p.best:.4g} | {p.near_best_min:.4g}–"
                     f"{p.near_best_max:.4g} | {100 * p.share_of_range:.0f}% | "
                     f"{'pinned' if p.pinned else 'loose'} |")
    missed = fit.table[~fit.table.inside]
    if len(missed):
        lines += ["", "## Targets outside their tolerance", ""]
        lines += [f"- {r.description}: simulated {_num(r.sim_mean, r.unit)}, published {_num(r.value, r.unit)}."
                  for r in missed.itertuples()]
    return "\n".join(lines) + "\n"
