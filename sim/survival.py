"""Survival with right-censoring: tenure spells from the event log and Kaplan–Meier estimates."""

from __future__ import annotations

import numpy as np
import pandas as pd


def kaplan_meier(durations, observed) -> tuple[np.ndarray, np.ndarray]:
    """Event times and the Kaplan–Meier survival just after each, from right-censored durations."""
    d = np.asarray(durations, dtype=float)
    o = np.asarray(observed, dtype=bool)
    times, index = np.unique(d, return_inverse=True)
    deaths = np.bincount(index, weights=o, minlength=len(times))
    at_risk = np.bincount(index, minlength=len(times))[::-1].cumsum()[::-1]  # durations ≥ t
    has_death = deaths > 0
    return times[has_death], np.cumprod(1.0 - deaths[has_death] / at_risk[has_death])


def kaplan_meier_median(durations, observed) -> float:
    """Median survival time from right-censored durations (NaN if survival never falls to ½)."""
    times, surv = kaplan_meier(durations, observed)
    below = np.flatnonzero(surv <= 0.5)
    return float(times[below[0]]) if len(below) else float("nan")


def kaplan_meier_curve(durations, observed, times) -> np.ndarray:
    """Survival S(t) at each of ``times`` from right-censored durations."""
    event_times, surv = kaplan_meier(durations, observed)
    idx = np.searchsorted(event_times, times, side="right") - 1
    return np.where(idx >= 0, surv[np.maximum(idx, 0)] if len(surv) else 1.0, 1.0)


def spells(events: pd.DataFrame, end: float) -> pd.DataFrame:
    """Tenure spells: each appointment joined to the holder's departure from that post (or censored)."""
    starts = events.loc[events.kind == "appointment", ["time", "person", "post", "role", "org"]]
    stops = events.loc[events.kind == "departure", ["time", "person", "post"]].rename(columns={"time": "stop"})
    starts = starts.sort_values("time", kind="stable")
    stops = stops.sort_values("stop", kind="stable")
    joined = pd.merge_asof(starts, stops, left_on="time", right_on="stop", by=["person", "post"],
                           direction="forward", allow_exact_matches=True)
    joined["observed"] = joined["stop"].notna()
    joined["stop"] = joined["stop"].fillna(end)
    joined["duration"] = joined["stop"] - joined["time"]
    return joined.rename(columns={"time": "start"})
