"""Global sensitivity with SALib: which assumptions move an option's effect most.

``leadsim sensitivity DESIGN`` first screens every uncertainty of the design with the method of
Morris (elementary effects along trajectories through the uncertainty space; SALib
``sample.morris`` / ``analyze.morris``), then — if the design asks for Sobol samples — estimates
Sobol first- and total-order indices for the leading factors of the screen, the others held at
the values the scenarios assume (Saltelli's scheme; ``sample.sobol`` / ``analyze.sobol``). The
output analysed is, for each option and headline measure, the **paired difference** option −
baseline (and option − later option) in each world, averaged over its replications. Each stage's
runs are one experiment in the results store (``OUT/morris``, ``OUT/sobol``).

SALib works on the unit hypercube here: each uncertainty's range maps onto [0, 1] (on a log scale
where asked), so μ* is the mean absolute change in the difference when one assumption moves by a
Morris step — levels / (2 (levels − 1)) of its range, 2/3 with the default 4 levels.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from . import worlds
from .design import Design
from .experiment import ExperimentError

log = logging.getLogger(__name__)

OUTPUT = ["option", "against", "kpi", "group"]
BOOTSTRAP = 200   # resamples for SALib's confidence intervals


def problem(names: list[str]) -> dict:
    """A SALib problem over the unit hypercube."""
    return {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}


def morris_design(names: list[str], trajectories: int, levels: int, seed: int) -> np.ndarray:
    """Morris trajectories in the unit hypercube: trajectories × (factors + 1) rows."""
    return morris_sample.sample(problem(names), trajectories, num_levels=levels, seed=seed)


def morris_indices(x: np.ndarray, y: np.ndarray, names: list[str], levels: int, seed: int) -> pd.DataFrame:
    """μ (mean elementary effect), μ* (mean absolute), σ and the 95% half-width of μ*."""
    si = morris_analyze.analyze(problem(names), np.asarray(x, dtype=float), np.asarray(y, dtype=float),
                                num_resamples=BOOTSTRAP, num_levels=levels, seed=seed)
    return pd.DataFrame({"factor": names, "mu": si["mu"], "mu_star": si["mu_star"], "sigma": si["sigma"],
                         "mu_star_conf": si["mu_star_conf"]})


def sobol_design(names: list[str], samples: int, seed: int) -> np.ndarray:
    """Saltelli's sample for first- and total-order indices: samples × (factors + 2) rows."""
    return sobol_sample.sample(problem(names), samples, calc_second_order=False, seed=seed)


def sobol_indices(y: np.ndarray, names: list[str], seed: int) -> pd.DataFrame:
    """First-order (S1) and total-order (ST) indices with 95% half-widths; all 0 when the output
    does not vary (nothing to apportion)."""
    y = np.asarray(y, dtype=float)
    if np.ptp(y) == 0:
        zero = np.zeros(len(names))
        return pd.DataFrame({"factor": names, "S1": zero, "S1_conf": zero, "ST": zero, "ST_conf": zero})
    # analyze.sobol falls back to numpy's global random state when its seed is 0
    si = sobol_analyze.analyze(problem(names), y, calc_second_order=False, num_resamples=BOOTSTRAP,
                               seed=seed + 1)
    return pd.DataFrame({"factor": names, "S1": si["S1"], "S1_conf": si["S1_conf"], "ST": si["ST"],
                         "ST_conf": si["ST_conf"]})


def outputs(diffs: pd.DataFrame, roles: list[str], worlds_count: int) -> dict[tuple, np.ndarray]:
    """One output per (option, against, kpi, group): the mean difference in each world, in world
    order. Option − option pairs appear once (the earlier option first)."""
    order = {r: i for i, r in enumerate(roles)}
    keep = diffs[(diffs.against == roles[0]) | (diffs.option.map(order) < diffs.against.map(order))]
    means = keep.groupby(OUTPUT + ["world"], sort=False)["diff"].mean()
    out = {}
    for key, block in means.groupby(level=OUTPUT, sort=False):
        y = block.droplevel(OUTPUT).reindex(range(worlds_count)).to_numpy(dtype=float)
        out[key] = y
    return out


def noise_floor(diffs: pd.DataFrame, levels: int) -> pd.DataFrame:
    """Per output, the μ* that simulation noise alone would give: √2 × the median standard error of
    a world's mean difference over its replications, per Morris step. An assumption whose μ* is
    below it cannot be told from noise with these replications (an upper bound: common random
    numbers make neighbouring worlds' errors alike). NaN with one replication per world."""
    step = levels / (2.0 * (levels - 1))
    se = diffs.groupby(OUTPUT + ["world"], sort=False)["diff"].agg(
        lambda d: d.std(ddof=1) / np.sqrt(d.count()) if d.count() > 1 else np.nan)
    floor = se.groupby(level=OUTPUT, sort=False).median() * np.sqrt(2.0) / step
    return floor.rename("noise_floor").reset_index()


def _analyse(ys: dict[tuple, np.ndarray], analyse) -> tuple[pd.DataFrame, list[str]]:
    frames, skipped = [], []
    for key, y in ys.items():
        if np.isnan(y).any():
            skipped.append(f"{key[2]} · {key[3]} ({key[0]} vs {key[1]}): undefined in {int(np.isnan(y).sum())} "
                           "world(s)")
            continue
        frames.append(analyse(y).assign(**dict(zip(OUTPUT, key))))
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return table, skipped


@dataclass
class Screen:
    morris: pd.DataFrame
    sobol: pd.DataFrame | None
    leading: list[str]
    notes: list[str]
    runs: dict[str, worlds.Worlds]


def leading(morris: pd.DataFrame, baseline: str, count: int) -> list[str]:
    """The factors with the largest μ* relative to the largest for the same output, over the
    differences against the baseline."""
    vs_base = morris[morris.against == baseline]
    if vs_base.empty:
        return []
    score = vs_base.groupby("factor", sort=False).relative.max().sort_values(ascending=False, kind="stable")
    return list(score.index[:count])


def screen(design: Design, out: str | Path, runner: worlds.Runner = worlds.Runner(), *,
           trajectories: int | None = None, sobol_samples: int | None = None,
           sobol_factors: int | None = None) -> Screen:
    """Morris over every uncertainty, then Sobol over the leading factors (if ``sobol_samples``)."""
    out, s = Path(out), design.sensitivity
    trajectories = trajectories or s.trajectories
    sobol_samples = s.sobol_samples if sobol_samples is None else sobol_samples
    sobol_factors = sobol_factors or s.sobol_factors
    if sobol_samples and sobol_samples & (sobol_samples - 1):
        raise ExperimentError(f"--sobol-samples: expected a power of 2 (or 0), found {sobol_samples}")
    roles = [r.name for r in design.roles]
    factors = design.uncertainties
    names = [u.factor for u in factors]
    x = morris_design(names, trajectories, s.levels, design.seed)
    points = [{u.factor: u.value(v) for u, v in zip(factors, row)} for row in x]
    log.info(f"Morris screening: {len(names)} uncertainties, {trajectories} trajectories → {len(points)} worlds")
    runs = {"morris": worlds.run(design, points, out / "morris", runner)}
    _complete(runs["morris"], out / "morris")
    ys = outputs(runs["morris"].diffs, roles, len(points))
    morris, notes = _analyse(ys, lambda y: morris_indices(x, y, names, s.levels, design.seed))
    if morris.empty:
        raise ExperimentError("no measure could be analysed: " + "; ".join(notes[:3]))
    morris["relative"] = morris.mu_star / morris.groupby(OUTPUT, sort=False).mu_star.transform("max").replace(0, np.nan)
    morris["relative"] = morris.relative.fillna(0.0)
    if len(morris):
        morris = morris.merge(noise_floor(runs["morris"].diffs, s.levels), on=OUTPUT, how="left")
    top = leading(morris, roles[0], sobol_factors)
    sobol = None
    if sobol_samples and top:
        chosen = [design.uncertainty(f) for f in top]
        xs = sobol_design(top, sobol_samples, design.seed)
        spoints = [{u.factor: u.value(v) for u, v in zip(chosen, row)} for row in xs]
        log.info(f"Sobol indices for {', '.join(top)}: {sobol_samples} base samples → {len(spoints)} worlds "
                 "(the other uncertainties at the values the scenarios assume)")
        runs["sobol"] = worlds.run(design, spoints, out / "sobol", runner)
        _complete(runs["sobol"], out / "sobol")
        sobol, more = _analyse(outputs(runs["sobol"].diffs, roles, len(spoints)),
                               lambda y: sobol_indices(y, top, design.seed))
        notes += more
    return Screen(morris, sobol, top, notes, runs)


def _complete(run: worlds.Worlds, folder: Path) -> None:
    if run.interrupted:
        raise KeyboardInterrupt
    if run.failures:
        raise ExperimentError(f"{len(run.failures)} run(s) failed (see {folder}/failures.json); the indices need "
                              "every world — rerun the same command to retry them")


def tops(screen: Screen, count: int = 5) -> list[dict]:
    """Per output: its noise floor, the ``count`` assumptions with the largest μ* (with μ* relative
    to the largest), and the largest total-order indices if Sobol ran."""
    out = []
    for key, block in screen.morris.groupby(OUTPUT, sort=False):
        block = block.sort_values("mu_star", ascending=False, kind="stable")
        entry = dict(zip(OUTPUT, key), noise_floor=float(block.noise_floor.iloc[0]), sobol=[],
                     factors=[{"factor": r.factor, "mu_star": float(r.mu_star), "relative": float(r.relative)}
                              for r in block.head(count).itertuples() if r.mu_star > 0])
        if screen.sobol is not None and len(screen.sobol):
            s = screen.sobol
            mine = s[(s.option == key[0]) & (s.against == key[1]) & (s.kpi == key[2]) & (s.group == key[3])]
            entry["sobol"] = [{"factor": r.factor, "S1": float(r.S1), "ST": float(r.ST)}
                              for r in mine.sort_values("ST", ascending=False, kind="stable").head(count).itertuples()]
        out.append(entry)
    return out
