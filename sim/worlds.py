"""Worlds: the baseline and every option run at each uncertainty point, differences taken within it.

A world is one point of a design's uncertainties ({factor: value}). Every role — the baseline
and each option — is simulated in every world with the same values and, replication by
replication, the same random numbers; the paired difference option − baseline (and option −
other option) is then taken inside the world. All the runs of a set of worlds form one
experiment in the results store (``sim/experiment.py``), so it runs on the process pool or Dask,
shows progress, and an interrupted analysis resumes without losing or repeating runs. A role
whose world is the same as in another world (an effect size its scenario does not have) has the
same scenario and runs once.
"""

from __future__ import annotations

import itertools
import logging
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import qmc

from . import ensemble as calibration_ensemble
from . import cohort, experiment, measures, stats
from .design import Design
from .experiment import ExperimentError

log = logging.getLogger(__name__)

MAX_WORLDS = 10_000


@dataclass
class Worlds:
    """What a set of worlds produced."""
    points: pd.DataFrame          # world, then one column per factor (the values asked)
    diffs: pd.DataFrame           # world, option, against, kpi, group, replication, diff
    replications: int
    period: tuple[int, int] | None = None
    executor: str = ""
    ran: int = 0
    reused: int = 0
    failures: list = field(default_factory=list)
    interrupted: bool = False
    known: dict[str, pd.DataFrame] = field(default_factory=dict)   # scenario name → its per-run values


@dataclass(frozen=True)
class Runner:
    """How worlds run: replications per world (None: the design's), where (``sim/executors.py``),
    and whether to show progress or discard stored runs first."""
    reps: int | None = None
    jobs: int | None = None
    scheduler: str | None = None
    dashboard: str | None = None
    fresh: bool = False
    progress: bool = True


def run(design: Design, points: list[dict], out: str | Path, runner: Runner = Runner(),
        known: dict[str, pd.DataFrame] | None = None) -> Worlds:
    """Simulate every role in every world of ``points`` and pair them within each world.
    ``known`` holds per-run values of scenarios already run elsewhere (e.g. an earlier probe of a
    threshold search); they are not run again."""
    known = dict(known or {})
    reps = runner.reps or design.replications
    scenarios, factors, rows = {}, {}, []
    for world, values in enumerate(points):
        for role, (scenario, applied) in design.scenarios_at(values).items():
            scenarios.setdefault(scenario.name, scenario)
            factors.setdefault(scenario.name, applied)
            rows.append((world, role, scenario.name))
    index = pd.DataFrame(rows, columns=["world", "role", "scenario"])
    todo = [s for name, s in scenarios.items() if name not in known]
    outcome = Worlds(pd.DataFrame(points).rename_axis("world").reset_index(), pd.DataFrame(), reps, known=known)
    if todo:
        log.info(f"{len(points)} world(s) × {len(design.roles)} scenarios: {len(todo)} scenario(s) to run × "
                 f"{reps} replication(s) in {out}")
        result = experiment.compare(None, todo, reps=reps, out=out, jobs=runner.jobs, scheduler=runner.scheduler,
                                    dashboard=runner.dashboard, seed=design.seed, period=design.period,
                                    fresh=runner.fresh, progress=runner.progress, factors=factors, kind="design")
        ex = result.execution
        outcome.period, outcome.executor = result.period, result.executor
        outcome.ran, outcome.reused, outcome.failures, outcome.interrupted = ex.ran, ex.skipped, ex.failures, \
            ex.interrupted
        wanted = set(design.measures) | {cohort.SIZE}
        mine = result.values[[k in wanted for k in zip(result.values.kpi, result.values.group)]]
        known.update({name: block for name, block in mine.groupby("scenario", sort=False)})
    frames = [known[n] for n in scenarios if n in known]
    values = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    _check_cohorts(values, index)
    outcome.diffs = paired(values, index, [r.name for r in design.roles], design.measures)
    return outcome


def _check_cohorts(values: pd.DataFrame, index: pd.DataFrame) -> None:
    """Warn if, within a world, the fixed cohort's size differs between its scenarios (it can differ
    between worlds: their parameters differ)."""
    if values.empty:
        return
    size = values[(values.kpi == cohort.SIZE[0]) & (values.group == cohort.SIZE[1])]
    spread = index.merge(size, on="scenario").groupby(["world", "replication"]).value.nunique(dropna=False)
    worlds = sorted({int(w) for w, _ in spread.index[spread > 1]})
    if worlds:
        log.warning(f"the fixed cohort of challenged trusts differs between the scenarios of world(s) "
                    f"{worlds[:10]}{' …' if len(worlds) > 10 else ''}: an option acts before the cohort year ends")


def paired(values: pd.DataFrame, index: pd.DataFrame, roles: list[str], keys: list[tuple[str, str]]) -> pd.DataFrame:
    """Differences option − baseline and option − other option, replication by replication within
    each world. ``values``: scenario, replication, kpi, group, value; ``index``: world, role, scenario;
    ``roles``: the baseline first."""
    columns = ["world", "option", "against", "kpi", "group", "replication", "diff"]
    if values.empty:
        return pd.DataFrame(columns=columns)
    wanted = set(keys)
    values = values[[k in wanted for k in zip(values.kpi, values.group)]]
    merged = index.merge(values, on="scenario")
    wide = (merged.groupby(["world", "replication", "kpi", "group", "role"], sort=False).value.first()
            .unstack("role").reindex(columns=roles))
    frames = []
    for option, against in itertools.permutations(roles, 2):
        if option == roles[0]:
            continue
        d = (wide[option] - wide[against]).rename("diff").reset_index()
        frames.append(d.assign(option=option, against=against))
    out = pd.concat(frames, ignore_index=True)
    rank = {k: i for i, k in enumerate(keys)}  # measures in the order asked (headline rank)
    out["rank"] = [rank[k] for k in zip(out.kpi, out.group)]
    return out.sort_values(["world", "option", "against", "rank", "replication"], kind="stable",
                           ignore_index=True)[columns]


def per_world(diffs: pd.DataFrame) -> pd.DataFrame:
    """Per world, option, comparison and measure: replications, mean difference, its 95%
    half-width and the verdict (better / worse / no clear difference / higher / lower)."""
    keys = ["world", "option", "against", "kpi", "group"]
    rows = []
    for key, block in diffs.groupby(keys, sort=False):
        d = block["diff"].to_numpy(dtype=float)
        ok = d[~np.isnan(d)]
        mean = float(ok.mean()) if len(ok) else np.nan
        hw = stats.half_width(d)
        rows.append((*key, len(ok), mean, hw, stats.verdict(mean, hw, measures.direction(key[3], key[4]))))
    return pd.DataFrame(rows, columns=keys + ["n", "diff", "diff_ci", "verdict"])


def better_sign(kpi: str, group: str) -> int:
    """+1 where higher is better, −1 where lower is, 0 where no direction is declared."""
    return {"higher": 1, "lower": -1}.get(measures.direction(kpi, group), 0)


def sample(design: Design, seed: int | None = None) -> tuple[list[dict], str, list[str]]:
    """The worlds of a design's ``sample``: a Latin hypercube, Sobol or grid over the uncertainties,
    crossed with draws from the calibration ensemble (which then supplies the calibrated parameters);
    a sentence saying so, and notes."""
    s, seed = design.sample, design.seed if seed is None else seed
    notes = []
    draws: list[dict] = [{}]
    if s.ensemble_draws and design.ensemble is not None:
        raw = calibration_ensemble.draw(design.ensemble, s.ensemble_draws, seed)
        draws = [{f"params.{k}": v for k, v in d.items()} for d in raw]
        notes.append(f"each point crossed with {s.ensemble_draws} draws of the calibration ensemble "
                     f"({design.ensemble}), which supply the calibrated parameters")
    elif s.ensemble_draws:
        notes.append("no calibration ensemble: the calibrated parameters (if included) vary in the sample instead "
                     "of coming from ensemble draws")
    drawn = set(draws[0])
    factors = [u for u in design.uncertainties if u.factor not in drawn]
    if s.design == "grid" and s.levels ** len(factors) > MAX_WORLDS:
        raise ExperimentError(f"a grid of {s.levels} levels over {len(factors)} uncertainties has more than "
                              f"{MAX_WORLDS:,} points; use latin_hypercube")
    if not factors:
        unit = np.zeros((1, 0))
    elif s.design == "grid":
        levels = np.linspace(0.0, 1.0, s.levels)
        unit = np.array(list(itertools.product(levels, repeat=len(factors))))
    elif s.design == "latin_hypercube":
        unit = qmc.LatinHypercube(d=len(factors), seed=seed).random(s.points)
    else:
        with warnings.catch_warnings():  # scipy warns when points is not a power of 2
            warnings.simplefilter("ignore", UserWarning)
            unit = qmc.Sobol(d=len(factors), scramble=True, seed=seed).random(s.points)
    points = [{u.factor: u.value(x) for u, x in zip(factors, row)} for row in unit]
    kind = {"latin_hypercube": "Latin hypercube", "sobol": "Sobol sample", "grid": "grid"}[s.design]
    text = f"a {kind} of {len(points)} points over {len(factors)} uncertainties"
    if draws != [{}]:
        text += f" crossed with {len(draws)} draws of the calibration ensemble"
    return [{**p, **d} for p in points for d in draws], text, notes
