"""The calibration ensemble: the parameter sets the study found consistent with the published figures.

A calibration is not one point. Every trial of the study recorded its simulated mean for every
target; the ensemble keeps the trials whose means fall inside the tolerance of **every
fitted target** (an approximate-Bayesian-computation rejection rule whose tolerances are
the published ones). If fewer than ``minimum`` trials pass, it keeps the ``minimum`` trials with the
smallest worst-target distance and says so in its rule.

Why this and not ABC-SMC (e.g. pyabc): a trial costs two replications of 20 years (≈5 s on one
core), so the 30-minute budget allows ≈700 trials; ABC-SMC needs several populations of hundreds
of accepted particles. The trials come from Optuna's TPE sampler, which concentrates near the
optimum, so the ensemble is the set of parameter vectors *consistent with the targets that the
search visited* — not a posterior with calibrated weights — and is labelled so wherever it is used.

``calibration/ensemble.parquet`` holds one row per kept trial (parameter values by dotted path,
loss, worst distance, every target's simulated mean) with its provenance in the file's metadata;
``draw`` takes parameter sets from it for uncertainty analyses.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from . import files

MINIMUM = 10


def select(study, targets, parameters, minimum: int = MINIMUM) -> tuple[pd.DataFrame, dict]:
    """The kept trials (one row each) and a description of the rule that kept them."""
    from optuna.trial import TrialState
    from .calibrate import distance
    fitted = [t for t in targets if t.fitted]
    rows = []
    for trial in study.get_trials(states=(TrialState.COMPLETE,)):
        dist = [distance(trial.user_attrs.get(t.id), t) for t in fitted]
        row = {"trial": trial.number, "loss": trial.value, "worst_distance": max(dist) if dist else 0.0}
        row.update({p.path: trial.params.get(p.path, np.nan) for p in parameters})
        row.update({f"target:{t.id}": trial.user_attrs.get(t.id, np.nan) for t in targets})
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame, {"trials": 0, "accepted": 0, "rule": "no trials"}
    inside = frame.worst_distance <= 1.0
    if inside.sum() >= minimum:
        kept, rule = frame[inside], "every fitted target's mean inside its published tolerance"
    else:
        kept = frame.nsmallest(minimum, "worst_distance")
        rule = (f"only {int(inside.sum())} trials had every fitted target inside its tolerance, so the "
                f"{minimum} with the smallest worst-target distance (largest kept: "
                f"{kept.worst_distance.max():.2f} tolerances)")
    info = {"trials": int(len(frame)), "accepted": int(len(kept)), "rule": rule,
            "inside_all": int(inside.sum()), "parameters": [p.path for p in parameters],
            "fitted_targets": [t.id for t in fitted]}
    return kept.sort_values("worst_distance").reset_index(drop=True), info


def write(kept: pd.DataFrame, info: dict, path: Path, provenance: dict) -> Path:
    """The ensemble as Parquet, with the rule and provenance in the schema metadata."""
    table = pa.Table.from_pandas(kept, preserve_index=False)
    meta = {b"leadsim.ensemble": json.dumps({**info, **provenance}, sort_keys=True, default=str).encode()}
    files.write_parquet(Path(path), table.replace_schema_metadata({**(table.schema.metadata or {}), **meta}))
    return Path(path)


def read(path: str | Path) -> tuple[pd.DataFrame, dict]:
    """The kept parameter sets and their description."""
    table = pq.read_table(path)
    info = json.loads((table.schema.metadata or {}).get(b"leadsim.ensemble", b"{}"))
    return table.to_pandas(), info


def draw(path: str | Path, n: int, seed: int = 0) -> list[dict[str, float]]:
    """``n`` parameter sets ({dotted path: value}) from the ensemble: each set once in turn, in an
    order fixed by ``seed``, so a small ensemble is used evenly."""
    kept, info = read(path)
    names = info.get("parameters") or [c for c in kept.columns if "." in c and not c.startswith("target:")]
    order = np.random.default_rng(seed).permutation(len(kept))
    picks = [order[i % len(order)] for i in range(n)]
    return [{name: float(kept.iloc[i][name]) for name in names} for i in picks]
