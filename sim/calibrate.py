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

import logging
import math
import multiprocessing as mp
import os
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from . import ensemble, fit_report, progress as progress_bar
from .executors import sigint_blocked
from .runner import code_version, run_one
from .scenario import load
from .stats import half_width
from .tables import Tables
from .params.overrides import nest
from .targets import FreeParameter, Target, measure

log = logging.getLogger(__name__)
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
    """Sum of squared distances over the fitted targets (figures reproduced by construction are
    inputs, not evidence; held-out figures check the fit out of sample: both are left out)."""
    return float(sum(distance(means.get(t.id), t) ** 2 for t in targets if t.fitted))


nested = nest  # {'a.b.c': 1} → {'a': {'b': {'c': 1}}}


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
        rows.append(measure(Tables.from_result(result), setup.targets))
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
        # the bar is the time budget; the trial cap (default: very many) may end it earlier
        bar = progress_bar.bar(round(seconds), enabled=progress, desc="calibration",
                               bar_format="{desc}: {percentage:3.0f}% of ≤ " f"{minutes:g}" " min |{bar}| "
                                          "{elapsed} elapsed{postfix}")
        try:
            while any(p.is_alive() for p in procs):
                time.sleep(2)  # poll the workers, so the study ends within the budget
                n = len(study.get_trials(states=(TrialState.COMPLETE,)))
                best = f"{study.best_value:.3f}" if n else "–"
                bar.set_postfix_str(f"{n} trials done (cap {trials}), best loss {best}", refresh=False)
                bar.update(min(round(time.time() - t0), bar.total) - bar.n)
        except KeyboardInterrupt:
            for p in procs:
                p.terminate()
            log.warning("interrupted: finished trials are saved in the study; run again to resume")
        finally:
            bar.close()
        for p in procs:
            p.join()
    study = optuna.load_study(study_name="leadsim", storage=_storage(journal))
    return study, len(study.get_trials(states=(TrialState.COMPLETE,))) - start


def near_best(study, share: float = 0.1, minimum: int = 5) -> pd.DataFrame:
    """Parameter values of the best trials (the best ``share``, at least ``minimum``)."""
    frame = study.trials_dataframe(attrs=("number", "value", "params", "state"))
    frame = frame[frame.state == "COMPLETE"].sort_values("value")
    keep = max(minimum, int(len(frame) * share))
    return frame.head(keep)


AT_BOUND = 0.05  # a best value this close to an end of its range (as a share of the range) is "at bound"


def at_bound(p: FreeParameter, value: float) -> str:
    """'low' or 'high' if ``value`` lies within 5% of that end of the parameter's range (measured on
    the log scale for log parameters), else ''."""
    lo, hi, v = (np.log(x) for x in (p.low, p.high, value)) if p.log else (p.low, p.high, value)
    position = (v - lo) / (hi - lo)
    return "low" if position <= AT_BOUND else "high" if position >= 1 - AT_BOUND else ""


@dataclass
class Fit:
    values: dict[str, float]
    loss: float
    trials: int
    table: pd.DataFrame        # one row per target
    parameters: pd.DataFrame   # one row per free parameter

    @property
    def fitted(self) -> pd.DataFrame:
        return self.table[self.table.fitted]

    @property
    def held_out(self) -> pd.DataFrame:
        return self.table[self.table.held_out != ""]

    @property
    def score(self) -> str:
        """'N of M independent targets inside tolerance' over the fitted ones (and how the held-out
        ones fare, apart)."""
        text = f"{int(self.fitted.inside.sum())} of {len(self.fitted)} independent targets inside tolerance"
        held = self.held_out
        return text + (f"; held out of the fit: {int(held.inside.sum())} of {len(held)}" if len(held) else "")


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
                     "distance": distance(mean, t), "source": t.source.title, "independent": t.independent,
                     "fitted": t.fitted, "reproduced": t.reproduced, "held_out": t.held_out})
    near = near_best(study)
    prows = []
    for p in setup.parameters:
        col = near[f"params_{p.path}"]
        spread = (col.max() - col.min()) / (p.high - p.low)
        prows.append({"path": p.path, "low": p.low, "high": p.high, "best": best[p.path],
                      "near_best_min": col.min(), "near_best_max": col.max(), "share_of_range": spread,
                      "pinned": spread < 0.3, "at_bound": at_bound(p, best[p.path]), "reason": p.reason})
    return Fit(best, float(study.best_value), len(study.trials), pd.DataFrame(rows), pd.DataFrame(prows))


def conclude(setup: Setup, study, folder: Path, seed: int, reps: int) -> tuple[Fit, dict[str, Path]]:
    """Check the best fit over ``reps`` replications, keep the ensemble, and write every output."""
    fit = assess(setup, study, reps)
    kept, info = ensemble.select(study, setup.targets, setup.parameters)
    provenance = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "code_version": code_version(),
                  "seed": seed, "replications_per_trial": setup.reps, "scenario": str(setup.scenario)}
    out = fit_report.write_outputs(fit, setup, folder, seed, reps, ensemble=info)
    out["ensemble"] = ensemble.write(kept, info, folder / "ensemble.parquet", provenance)
    return fit, out
