"""Shared helpers: small, fast systems for tests."""

from __future__ import annotations

import numpy as np
import pytest

from sim.model import Model
from sim.params import Params
from sim.params.overrides import with_overrides


def small_params(trusts: int = 12, scale: float = 0.05, start: int = 2000, report: int = 2004,
                 end: int = 2012, **overrides) -> Params:
    """A proportionally shrunken England: ``trusts`` acute trusts and pools ``scale`` × full size."""
    base = Params()
    progs = {p.name: {"capacity": max(1, int(round(p.capacity * scale)))} for p in base.training.programmes}
    shrink = {
        "calendar": {"start_year": start, "report_from": report, "end_year": end},
        "system": {"trusts_by_type": {"acute": trusts, "specialist": 0, "mental_health": 0, "community": 0,
                                      "ambulance": 0}},
        "workforce": {"middle_managers": int(base.workforce.middle_managers * scale),
                      "senior_managers": int(base.workforce.senior_managers * scale)},
        "entry": {"graduate_intake_multiplier": scale,
                  "clinicians_per_year": {k: int(round(v * scale)) for k, v in
                                          base.entry.clinicians_per_year.items()}},
        "training": {"programmes": progs},
    }
    params = with_overrides(base, shrink)
    return with_overrides(params, overrides) if overrides else params


def run_model(params: Params, seed: int = 1, replication: int = 0) -> Model:
    return Model(params, seed=seed, replication=replication).run()


def events_df(model: Model):
    """The event log with plain string columns (so logs with different kinds compare equal)."""
    ev = model.recorder.events_table().to_pandas()
    return ev.astype({c: str for c in ("kind", "role", "cause")})


@pytest.fixture
def small():
    return small_params()


def mean_ci(values) -> tuple[float, float]:
    """Mean and 95% half-width (normal approximation) over replications."""
    v = np.asarray(values, dtype=float)
    return float(v.mean()), float(1.96 * v.std(ddof=1) / np.sqrt(len(v)))
