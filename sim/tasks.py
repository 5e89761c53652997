"""One run of an experiment as a task a worker process executes: light to import, so that
worker processes start quickly."""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from .runner import run_one
from .scenario import Scenario


@dataclass(frozen=True)
class Task:
    """One replication of one scenario."""
    name: str
    scenario: Scenario
    replication: int
    seed: int
    keep_events: bool = False


@dataclass
class Outcome:
    task: Task
    kpis: pd.DataFrame | None = None
    events: pa.Table | None = None
    error: str | None = None
    seconds: float = 0.0


def perform(task: Task) -> Outcome:
    """Run one task (in whatever process the executor chose); errors are returned, not raised."""
    t0 = time.perf_counter()
    try:
        result = run_one(task.scenario, replication=task.replication, seed=task.seed)
        return Outcome(task, result.kpis, result.events if task.keep_events else None,
                       seconds=time.perf_counter() - t0)
    except Exception:  # a failing run must not take the others down
        return Outcome(task, error=traceback.format_exc(limit=6), seconds=time.perf_counter() - t0)
