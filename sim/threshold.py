"""Break-even assumptions: the value of an assumed effect at which an option's verdict flips.

``leadsim threshold DESIGN --factor F`` moves one uncertainty F (an intervention setting or a
parameter; the others stay at the values the scenarios assume) and finds by **bisection** the
value at which an option's mean paired difference against the baseline (or another option) on a
measure changes sign — from better to worse. Each probe is a world of the design: the option and
its comparator run with the same value of F and common random numbers, R replications each; a
comparator that F does not touch runs once for all probes.

The interval on the break-even value comes from the replications: resampling them (a bootstrap,
the same replications at every probe, as the random numbers are common) and interpolating the
zero of the resampled mean difference between the probes gives a distribution of break-even
values, whose 2.5th and 97.5th percentiles are reported. A break-even beyond the range tested
shows as an open end.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from . import measures, stats, worlds
from .design import Design
from .experiment import ExperimentError
from .uncertainties import Uncertainty

log = logging.getLogger(__name__)

BOOTSTRAP = 2000


@dataclass
class Probe:
    """The paired differences, replication by replication, at one value of the factor."""
    value: float
    diffs: np.ndarray

    @property
    def mean(self) -> float:
        return float(np.nanmean(self.diffs))

    @property
    def half_width(self) -> float:
        return stats.half_width(self.diffs)


def bisect(evaluate: Callable[[float], np.ndarray], low: float, high: float, steps: int) -> list[Probe]:
    """Probe both ends, then halve the bracket whose ends differ in the sign of the mean difference
    ``steps`` times (none if the ends agree: no break-even inside the range)."""
    a, b = Probe(low, evaluate(low)), Probe(high, evaluate(high))
    probes = [a, b]
    if np.sign(a.mean) * np.sign(b.mean) >= 0:
        return probes
    for _ in range(steps):
        mid = Probe((a.value + b.value) / 2, evaluate((a.value + b.value) / 2))
        probes.append(mid)
        if mid.mean == 0:
            break
        if np.sign(mid.mean) == np.sign(a.mean):
            a = mid
        else:
            b = mid
    return probes


def _zero(values: np.ndarray, means: np.ndarray, near: float | None) -> float:
    """Where the piecewise-linear curve (values, means) crosses zero (the crossing nearest ``near``);
    ±inf beyond the range when it does not cross (the side it would cross on)."""
    s = np.sign(means)
    crossings = []
    for i in range(len(values) - 1):
        if s[i] == 0:
            crossings.append(values[i])
        elif s[i] * s[i + 1] < 0:
            crossings.append(values[i] + (values[i + 1] - values[i]) * means[i] / (means[i] - means[i + 1]))
    if s[-1] == 0:
        crossings.append(values[-1])
    if not crossings:
        # a line through the two ends says on which side the zero lies
        slope = (means[-1] - means[0]) / (values[-1] - values[0])
        if slope == 0:
            return math.inf
        return math.inf if values[0] - means[0] / slope > values[-1] else -math.inf
    crossings = np.asarray(crossings)
    return float(crossings[np.argmin(np.abs(crossings - near))] if near is not None else crossings[0])


def break_even(probes: list[Probe]) -> float | None:
    """The value where the mean difference crosses zero, by linear interpolation between the
    bracketing probes; None when the ends agree in sign."""
    ordered = sorted(probes, key=lambda p: p.value)
    means = np.array([p.mean for p in ordered])
    if np.sign(means[0]) * np.sign(means[-1]) > 0 or not means.any():  # same side, or no difference at all
        return None
    return _zero(np.array([p.value for p in ordered]), means, None)


def interval(probes: list[Probe], estimate: float, seed: int = 0, boot: int = BOOTSTRAP) -> tuple[float, float]:
    """95% bootstrap interval of the break-even value (replications resampled together at every
    probe); an end beyond the range tested is ±inf."""
    ordered = sorted(probes, key=lambda p: p.value)
    values = np.array([p.value for p in ordered])
    matrix = np.vstack([p.diffs for p in ordered])
    reps = matrix.shape[1]
    rng = np.random.default_rng(seed)
    roots = np.array([_zero(values, np.nanmean(matrix[:, rng.integers(0, reps, reps)], axis=1), estimate)
                      for _ in range(boot)])
    return (float(np.quantile(roots, 0.025, method="inverted_cdf")),
            float(np.quantile(roots, 0.975, method="inverted_cdf")))


@dataclass
class Threshold:
    factor: str
    option: str
    against: str
    kpi: str
    group: str
    low: float
    high: float
    probes: list[Probe]
    estimate: float | None
    ci: tuple[float, float] | None
    better_side: str | None          # "above" / "below" the break-even, or None when no flip
    notes: list[str] = field(default_factory=list)

    @property
    def condition(self) -> str | None:
        """"F > t" or "F < t": when the option is better."""
        if self.estimate is None or self.better_side is None:
            return None
        return f"{self.factor.split('.', 1)[1]} {'>' if self.better_side == 'above' else '<'} {self.estimate:.3g}"

    def verdict_at(self, probe: Probe) -> str:
        return stats.verdict(probe.mean, probe.half_width, measures.direction(self.kpi, self.group))


def find(design: Design, factor: str, out: str | Path, runner: worlds.Runner = worlds.Runner(), *,
         option: str | None = None, against: str | None = None, measure: tuple[str, str] | None = None,
         span: tuple[float, float] | None = None, steps: int = 6) -> Threshold:
    """Bisect ``factor`` over its range (or ``span``) for the break-even of ``option`` against
    ``against`` (default: the baseline) on ``measure`` (default: the first headline measure with
    a better direction)."""
    roles = [r.name for r in design.roles]
    option = option or roles[1]
    against = against or roles[0]
    for name, what in ((option, "--option"), (against, "--against")):
        if name not in roles:
            raise ExperimentError(f"{what}: expected one of {', '.join(roles)}, found {name!r}")
    if option == against or option == roles[0]:
        raise ExperimentError(f"--option: expected an option other than {against}, found {option!r}")
    kpi, group = measure or next(k for k in design.measures if worlds.better_sign(*k))
    sign = worlds.better_sign(kpi, group)
    if not sign:
        raise ExperimentError(f"--measure: {kpi}:{group} has no better direction, so no verdict to flip")
    known = design.uncertainty(factor)
    if span is None and known is None:
        raise ExperimentError(f"--factor: {factor} is not an uncertainty of {design.path}; give --range LOW HIGH")
    low, high = span or (known.low, known.high)
    if not low < high:
        raise ExperimentError(f"--range: expected LOW < HIGH, found {low} {high}")
    probe_design = Uncertainty(factor, low, high, "threshold", integer=bool(known and known.integer))
    design.scenarios_at({factor: low})  # a factor no scenario has is an error before anything runs
    cache: dict = {}
    out = Path(out)

    def evaluate(value: float) -> np.ndarray:
        value = probe_design.value((value - low) / (high - low))
        w = worlds.run(design, [{factor: value}], out / f"probe-{value:.6g}", runner, known=cache)
        if w.interrupted:
            raise KeyboardInterrupt
        if w.failures:
            raise ExperimentError(f"{len(w.failures)} run(s) failed at {factor} = {value:g}; rerun to retry")
        cache.update(w.known)
        d = w.diffs[(w.diffs.option == option) & (w.diffs.against == against) & (w.diffs.kpi == kpi)
                    & (w.diffs.group == group)].sort_values("replication")
        log.info(f"{factor} = {value:.4g}: {option} − {against} on {kpi}:{group} = {np.nanmean(d['diff']):.4g}")
        return d["diff"].to_numpy(dtype=float)

    probes = bisect(evaluate, low, high, steps)
    estimate = break_even(probes)
    result = Threshold(factor, option, against, kpi, group, low, high, probes, estimate, None, None)
    if estimate is not None:
        result.ci = interval(probes, estimate, seed=design.seed)
        side, favourable = better_side(probes, sign)
        if result.verdict_at(favourable) == "better":
            result.better_side = side
        else:  # the sign flips, but within simulation noise: no verdict depends on the factor
            result.notes.append(f"the mean difference changes sign near {estimate:.3g}, but even at the favourable "
                                f"end ({favourable.value:g}) {option} is not clearly better than {against}: the "
                                "flip is within simulation noise, not a break-even")
    return result


def better_side(probes: list[Probe], sign: float) -> tuple[str, Probe]:
    """On which side of the break-even the option is better ("below" / "above"; ``sign`` +1 when a
    positive difference is better, −1 when negative), and the probe at that end of the range: a
    break-even is a finding only if the option is clearly better there."""
    at_low, at_high = min(probes, key=lambda p: p.value), max(probes, key=lambda p: p.value)
    return ("below", at_low) if sign * at_low.mean > 0 else ("above", at_high)
