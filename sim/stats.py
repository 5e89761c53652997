"""Across replications: means with 95% intervals, and paired differences against the baseline.

Replication r of every scenario uses the same random streams (common random numbers), so the
difference scenario − baseline is taken replication by replication and its interval is much
narrower than the two scenarios' own intervals would suggest.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps

from . import measures

LEVEL = 0.95


def half_width(values: np.ndarray) -> float:
    """Half-width of the t-based 95% interval of the mean (NaN with fewer than 2 values)."""
    values = values[~np.isnan(values)]
    n = len(values)
    if n < 2:
        return float("nan")
    sd = values.std(ddof=1)
    return float(sps.t.ppf(0.5 + LEVEL / 2, n - 1) * sd / np.sqrt(n)) if sd > 0 else 0.0


NO_DATA = "no data"  # fewer than 2 paired runs: no interval, so no verdict either way


def verdict(diff: float, hw: float, better: str | None, n: int = 2) -> str:
    if n < 2 or np.isnan(diff) or np.isnan(hw):
        return NO_DATA
    if abs(diff) <= hw:
        return "no clear difference"
    up = diff > 0
    if better is None:
        return "higher" if up else "lower"
    return "better" if up == (better == "higher") else "worse"


def compare(values: pd.DataFrame, baseline: str | None) -> pd.DataFrame:
    """Summary of per-run values (columns scenario, replication, kpi, group, value): one row per
    KPI × group × scenario with mean, 95% interval and the paired difference against ``baseline``
    (runs are paired by replication; no differences when ``baseline`` is None)."""
    columns = ["kpi", "group", "scenario", "n", "mean", "ci", "diff", "diff_ci", "verdict"]
    if values.empty:  # e.g. stopped before any run finished
        return pd.DataFrame(columns=columns)
    order = list(dict.fromkeys(values.scenario))
    if baseline is not None and baseline not in order:  # no baseline runs (yet): differences read "no data"
        order.insert(0, baseline)
    # only the (kpi, group) pairs that occur: a pivot table would cross every KPI with every group
    wide = (values.groupby(["kpi", "group", "replication", "scenario"], sort=True).value.first()
            .unstack("scenario").reindex(columns=order))
    kpi_order = {k: i for i, k in enumerate(dict.fromkeys(values.kpi))}
    rows = []
    for (kpi, group), block in sorted(wide.groupby(level=["kpi", "group"], sort=False),
                                      key=lambda item: kpi_order[item[0][0]]):
        base = block[baseline].to_numpy(dtype=float) if baseline is not None else None
        better = measures.direction(kpi, group)  # None: no value judgement
        for scenario in block.columns:
            x = block[scenario].to_numpy(dtype=float)
            ok = ~np.isnan(x)
            row = {"kpi": kpi, "group": group, "scenario": scenario, "n": int(ok.sum()),
                   "mean": float(np.nanmean(x)) if ok.any() else np.nan, "ci": half_width(x)}
            if base is not None and scenario != baseline:
                d = x - base
                hw = half_width(d)
                pairs = int((~np.isnan(d)).sum())
                mean_d = float(np.nanmean(d)) if pairs else np.nan
                row.update(diff=mean_d, diff_ci=hw, verdict=verdict(mean_d, hw, better, pairs))
            rows.append(row)
    out = pd.DataFrame(rows)
    for col in ("diff", "diff_ci"):
        if col not in out:
            out[col] = np.nan
    out["verdict"] = out.get("verdict", pd.Series(dtype=object)).fillna("")
    return out


@dataclass(frozen=True)
class Ratio:
    """A ratio of two paired means with its 95% interval; ``estimable`` is False when the
    denominator's interval includes zero (then the ratio and its interval are NaN)."""
    estimate: float
    low: float
    high: float
    estimable: bool


def ratio_of_means(num: np.ndarray, den: np.ndarray) -> Ratio:
    """mean(num) / mean(den) over paired replications, with Fieller's 95% interval.

    Fieller's interval is every R for which mean(num) − R·mean(den) = 0 is not rejected by a
    t-test with n − 1 degrees of freedom, using the variances and the covariance of the two means
    (the pairs share random numbers, so they are correlated). It is a bounded interval only when
    the denominator's own interval excludes zero; otherwise the ratio is not estimable — it could
    be any size or sign — and NaN is returned rather than a meaningless number."""
    ok = ~(np.isnan(num) | np.isnan(den))
    num, den = np.asarray(num, dtype=float)[ok], np.asarray(den, dtype=float)[ok]
    n = len(num)
    nothing = Ratio(np.nan, np.nan, np.nan, False)
    if n < 2:
        return nothing
    a, b = num.mean(), den.mean()
    cov = np.cov(num, den, ddof=1) / n             # of the two means
    t2 = sps.t.ppf(0.5 + LEVEL / 2, n - 1) ** 2
    denominator = b * b - t2 * cov[1, 1]
    if denominator <= 0:                           # the denominator's interval includes zero
        return nothing
    centre = a * b - t2 * cov[0, 1]
    spread = np.sqrt(max(centre * centre - denominator * (a * a - t2 * cov[0, 0]), 0.0))
    return Ratio(float(a / b), float((centre - spread) / denominator), float((centre + spread) / denominator), True)
