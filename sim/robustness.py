"""Robustness: in what share of plausible worlds each option wins, and where it loses.

``leadsim robustness DESIGN`` runs the design's sample of worlds (a Latin hypercube over the
uncertainties, crossed with draws from the calibration ensemble when there is one; see
``sim/worlds.py``). In each world an option **beats** another (or the baseline) on a measure when
its mean paired difference lies in the measure's better direction, and **clearly** beats it when
the world's 95% interval excludes no difference. The shares of worlds are reported per option,
comparison and headline measure, with the spread of the effect across worlds — an interval that
includes parameter and calibration uncertainty, not only simulation noise.

Scenario discovery: where an option loses to the baseline in some worlds and not others, PRIM
(the patient rule induction method, from EMA Workbench) finds a box over the uncertainties that
holds most of the losing worlds: of its peeling trajectory, the densest box that still covers
half the losing worlds, holds at least three worlds and restricts at most three uncertainties
(with at least three losing and three winning worlds; otherwise there is no box).
"""

from __future__ import annotations

import logging
import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .worlds import better_sign

log = logging.getLogger(__name__)

SHARE_KEYS = ["option", "against", "kpi", "group"]
MIN_COVERAGE = 0.5      # a box must hold at least half the losing worlds
MAX_RESTRICTED = 3      # … and name at most three uncertainties, to be read aloud
MIN_LIFT = 1.25         # … and be this much denser in losses than the whole sample, else "no region"
MIN_CASES = 3           # PRIM only with at least this many losing and winning worlds, and boxes that hold as many
PERCENTILES_FROM = 40   # worlds from which the spread is a 95% range; below it, the whole range


def shares(per_world: pd.DataFrame) -> pd.DataFrame:
    """Per option, comparison and measure: worlds, the shares of worlds in which the option is
    better, clearly better and clearly worse, and the median and spread of its effect across worlds
    (the 2.5th to 97.5th percentile from 40 worlds, the whole range below that: ``spread`` says
    which). Measures without a better direction get no shares."""
    rows = []
    for key, block in per_world.groupby(SHARE_KEYS, sort=False):
        d = block["diff"].to_numpy(dtype=float)
        d = d[~np.isnan(d)]
        sign = better_sign(key[2], key[3])
        n = len(d)
        row = dict(zip(SHARE_KEYS, key), worlds=n, share_better=np.nan, share_clearly_better=np.nan,
                   share_clearly_worse=np.nan, median=np.nan, low=np.nan, high=np.nan,
                   spread="95% of worlds" if n >= PERCENTILES_FROM else "all worlds")
        if n:
            tails = (0.025, 0.975) if n >= PERCENTILES_FROM else (0.0, 1.0)
            row.update(median=float(np.median(d)), low=float(np.quantile(d, tails[0])),
                       high=float(np.quantile(d, tails[1])))
        if n and sign:
            row.update(share_better=float(np.mean(sign * d > 0)),
                       share_clearly_better=float(np.mean(block.verdict == "better")),
                       share_clearly_worse=float(np.mean(block.verdict == "worse")))
        rows.append(row)
    return pd.DataFrame(rows)


@dataclass
class Box:
    """Where an option loses: limits on the restricted uncertainties and PRIM's statistics."""
    limits: dict[str, tuple[float, float, str]] = field(default_factory=dict)  # factor → (low, high, side)
    coverage: float = 0.0      # share of the losing worlds inside the box
    density: float = 0.0       # share of the worlds inside the box that lose
    mass: float = 0.0          # share of all worlds inside the box
    base_rate: float = 0.0     # share of all worlds that lose

    @property
    def found(self) -> bool:
        return bool(self.limits)

    def describe(self) -> str:
        return " and ".join(_condition(f, lo, hi, side) for f, (lo, hi, side) in self.limits.items())

    def complement(self) -> str | None:
        """The condition under which the option wins, when the box cuts one uncertainty on one side."""
        if len(self.limits) != 1:
            return None
        (factor, (lo, hi, side)), = self.limits.items()
        if side == "between":
            return None
        # losing below ``hi`` means winning above it, and the other way round
        return _condition(factor, hi, lo, "above" if side == "below" else "below")


def _short(factor: str) -> str:
    return factor.split(".", 1)[1] if factor.startswith(("params.", "interventions.")) else factor


def _condition(factor: str, lo: float, hi: float, side: str) -> str:
    name = _short(factor)
    if side == "below":
        return f"{name} < {hi:.3g}"
    if side == "above":
        return f"{name} > {lo:.3g}"
    return f"{lo:.3g} ≤ {name} ≤ {hi:.3g}"


def discover(x: pd.DataFrame, loses: np.ndarray) -> Box:
    """PRIM over the uncertainty values ``x`` (one row per world) for the worlds where ``loses``."""
    loses = np.asarray(loses, dtype=int)
    x = x.loc[:, x.nunique() > 1].astype(float).reset_index(drop=True)
    base = float(loses.mean()) if len(loses) else 0.0
    if x.empty or not MIN_CASES <= loses.sum() <= len(loses) - MIN_CASES:
        return Box(base_rate=base)
    with warnings.catch_warnings():  # ema_workbench warns about optional back-ends and pandas deprecations
        warnings.simplefilter("ignore")
        from ema_workbench.analysis.prim import Prim
        prim = Prim(x, loses, threshold=1e-9)  # binary: a world of interest has y ≥ threshold, i.e. it loses
        box = prim.find_box()
    trajectory = box.peeling_trajectory.reset_index(drop=True)
    fits = trajectory[(trajectory.coverage >= MIN_COVERAGE) & (trajectory.res_dim <= MAX_RESTRICTED)
                      & (trajectory.n >= MIN_CASES)]
    if fits.empty:
        return Box(base_rate=base)
    i = int(fits.sort_values(["density", "coverage"], ascending=False, kind="stable").index[0])
    stats = trajectory.iloc[i]
    result = Box(coverage=float(stats.coverage), density=float(stats.density), mass=float(stats["mass"]),
                 base_rate=base)
    if result.density < MIN_LIFT * base:
        return result
    lims, lo_all, hi_all = box.box_lims[i], x.min(), x.max()
    for factor in x.columns:
        lo, hi = float(lims.loc[0, factor]), float(lims.loc[1, factor])
        cut_lo, cut_hi = lo > lo_all[factor], hi < hi_all[factor]
        if cut_lo or cut_hi:
            side = "between" if cut_lo and cut_hi else ("above" if cut_lo else "below")
            result.limits[factor] = (lo, hi, side)
    return result


def boxes(per_world: pd.DataFrame, points: pd.DataFrame, baseline: str, min_worlds: int = 10) -> dict[tuple, Box]:
    """A PRIM box for every option and headline measure where it loses to the baseline in some
    worlds but not all (and there are at least ``min_worlds``)."""
    found = {}
    x = points.set_index("world")
    for key, block in per_world[per_world.against == baseline].groupby(SHARE_KEYS, sort=False):
        sign = better_sign(key[2], key[3])
        block = block.dropna(subset=["diff"])
        if not sign or len(block) < min_worlds:
            continue
        loses = (sign * block["diff"].to_numpy(dtype=float) < 0).astype(int)
        if 0 < loses.sum() < len(loses):
            found[key] = discover(x.loc[block.world.to_numpy()], loses)
    return found


def verdict(row: dict, box: Box | None = None, threshold: dict | None = None) -> str:
    """An honest verdict from the shares: "better in every plausible world tested", "better only
    if X > t", or the share and where it loses."""
    n, better, clearly = row["worlds"], row["share_better"], row["share_clearly_better"]
    if not n or better is None or (isinstance(better, float) and math.isnan(better)):
        return "no verdict (no better direction, or no worlds)"
    if row["low"] == row["high"] == 0:
        return f"no difference in any of the {n} plausible worlds tested"
    if better == 1:
        tail = "" if clearly == 1 else f"; beyond simulation noise in {round(clearly * n)} of them"
        return f"better in every plausible world tested ({n}{tail})"
    if better == 0:
        worse = row["share_clearly_worse"]
        return f"better in none of the {n} plausible worlds tested" + (" (clearly worse in every one)"
                                                                        if worse == 1 else "")
    if threshold and threshold.get("condition"):
        return f"better only if {threshold['condition']} (better in {better:.0%} of {n} worlds)"
    if box is not None and box.complement():
        return f"better only if {box.complement()} (better in {better:.0%} of {n} worlds)"
    where = f"; it loses mostly where {box.describe()}" if box is not None and box.found else ""
    return f"better in {better:.0%} of {n} plausible worlds tested{where}"
