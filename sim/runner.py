"""``run_one``: the single pure entry point — one scenario, one replication, one result."""

from __future__ import annotations

import ctypes
import gc
import hashlib
import platform
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pyarrow as pa

from . import __version__, cohort, files, metrics
from .model import Model
from .scenario import Scenario


@dataclass
class RunResult:
    """Everything one replication produced, plus what is needed to reproduce it."""
    scenario: Scenario
    seed: int
    replication: int
    events: pa.Table
    posts: pa.Table
    organisations: pa.Table
    pipeline: pa.Table
    people: pa.Table
    kpis: pd.DataFrame
    stats: dict = field(default_factory=dict)

    def manifest(self) -> dict:
        return {
            "scenario": self.scenario.resolved(),
            "scenario_file": self.scenario.path,
            "scenario_digest": self.scenario.digest,
            "seed": self.seed,
            "replication": self.replication,
            "leadsim_version": __version__,
            "code_version": code_version(),
            "git_commit": git_commit(),
            "python": platform.python_version(),
            "stats": self.stats,
        }


@lru_cache(maxsize=1)
def code_version() -> str:
    """Package version plus a hash of the package's source: any change to the code changes it,
    so stored runs made by other code are never mistaken for current ones."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(here.rglob("*.py")):
        digest.update(str(path.relative_to(here)).encode())
        digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"


@lru_cache(maxsize=1)
def git_commit() -> str | None:
    """The commit of the code that ran, if it runs from a git checkout."""
    here = Path(__file__).resolve().parent
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True, timeout=5)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=here,
                               capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    return out.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def run_one(scenario: Scenario, replication: int = 0, seed: int | None = None) -> RunResult:
    """Run ``scenario`` once. Replication r of every scenario uses the same streams (CRN)."""
    seed = scenario.run.seed if seed is None else seed
    t0 = time.perf_counter()
    with _older_objects_frozen():
        model = Model(scenario.params, seed=seed, replication=replication,
                      interventions=scenario.interventions).run()
        rec = model.recorder
        posts, orgs, pipeline = rec.posts_table(), rec.orgs_table(), rec.pipeline_table()
        people, headcount = rec.people_table(model.people), int(model.people.n)
        del model   # the tables and the event log hold all that is needed: free the model (peak memory)
        gc.collect()   # its reference cycles (SimPy processes refer to the model): what follows reuses its memory
        events = rec.events_table()   # the log's copy too
        del rec
        cal = scenario.params.calendar
        kpis = metrics.compute(events.to_pandas(), posts.to_pandas(), orgs.to_pandas(), pipeline.to_pandas(),
                               cal.report_from, cal.end_year, people.to_pandas(),
                               settings=cohort.kpi_settings(cohort.year([scenario])))
        _release_memory()
    stats = {"wall_seconds": round(time.perf_counter() - t0, 3), "events": events.num_rows,
             "people": headcount}
    return RunResult(scenario, seed, replication, events, posts, orgs, pipeline, people, kpis, stats)


@contextmanager
def _older_objects_frozen():
    """Keep the garbage collector off what existed before the run (modules, parameters, earlier
    results: ~90,000 objects) while it runs: its collections then walk only the run's own objects
    (≈0.08 s of a ≈3 s replication). Left alone if something else already froze objects."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _release_memory() -> None:
    """Give the memory of a finished replication back to the system: collect its reference cycles
    (SimPy processes refer to the model), then ask glibc to return free heap pages (it keeps them
    otherwise). After the KPIs, not before: the KPIs reuse the model's freed pages, where after a
    trim each of their pages is a new one to fault in (~6,000 faults, ~15 ms), for +5–10 MB of
    peak RSS (242 → 250 MB, target 300)."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the allocator keeps what it keeps
        pass


OUTPUT_FILES = {
    "events.parquet": "events",
    "posts.parquet": "posts",
    "organisations.parquet": "organisations",
    "pipeline.parquet": "pipeline",
    "people.parquet": "people",
}


def write(result: RunResult, out: str | Path, summary_years: tuple[int, ...]) -> pd.DataFrame:
    """Write a run's outputs (each file atomically) and return its KPI summary table."""
    out = Path(out)
    for name, attr in OUTPUT_FILES.items():
        files.write_parquet(out / name, getattr(result, attr))
    files.write_parquet(out / "kpis.parquet", pa.Table.from_pandas(result.kpis, preserve_index=False))
    table = metrics.summary(result.kpis, summary_years)
    files.write_text(out / "kpi_summary.csv", table.to_csv(index=False, float_format="%.4g"))
    files.write_json(out / "manifest.json", result.manifest())
    return table
