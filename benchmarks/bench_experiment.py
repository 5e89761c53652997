"""Benchmark experiment throughput: runs per second of the baseline with 1 and 2 processes, and
with a Dask local cluster.

Figures are ratios measured in one process, one after another (these machines are noisy, so
absolute rates do not carry over between machines):

    parallel efficiency = rate(--jobs 2) / (2 × rate(--jobs 1))         target ≥ 0.85
    Dask / process pool = rate(Dask local cluster, 2 workers) / rate(--jobs 2)   target ≥ 0.85

Each setting runs the same replications of scenarios/baseline.yaml into a fresh results folder,
including worker start-up and writing results, as `leadsim compare` would; the settings take
turns for ``--repeat`` rounds and each keeps its best round.

Usage:  python benchmarks/bench_experiment.py [--runs N] [--json PATH]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim import experiment, files  # noqa: E402
from sim.scenario import load  # noqa: E402


def rate(runs: int, **executor) -> float:
    scenario = load(ROOT / "scenarios" / "baseline.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        result = experiment.compare(scenario, [], reps=runs, out=Path(tmp) / "b", progress=False, **executor)
        seconds = time.perf_counter() - t0
    assert result.execution.ran == runs and not result.execution.failures
    return runs / seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=24, help="replications per setting (default 24)")
    parser.add_argument("--repeat", type=int, default=2, help="rounds; each setting's best round counts (default 2)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    settings = {"jobs1": {"jobs": 1}, "jobs2": {"jobs": 2}, "dask2": {"jobs": 2, "scheduler": "local"}}
    best = {name: 0.0 for name in settings}
    for _ in range(args.repeat):  # interleaved rounds, so a slow spell of the machine hits every setting
        for name, executor in settings.items():
            best[name] = max(best[name], rate(args.runs, **executor))
    r1, r2, rd = best["jobs1"], best["jobs2"], best["dask2"]
    figures = {"runs": args.runs, "runs_per_s_jobs1": r1, "runs_per_s_jobs2": r2, "runs_per_s_dask2": rd,
               "parallel_efficiency": r2 / (2 * r1), "dask_vs_processes": rd / r2}
    print(f"{'setting':<34}{'runs/s':>8}")
    print(f"{'--jobs 1 (in process)':<34}{r1:>8.3f}")
    print(f"{'--jobs 2 (process pool)':<34}{r2:>8.3f}")
    print(f"{'--scheduler local (Dask, 2 workers)':<34}{rd:>8.3f}")
    print(f"parallel efficiency {figures['parallel_efficiency']:.2f} (target ≥ 0.85); "
          f"Dask / process pool {figures['dask_vs_processes']:.2f} (target ≥ 0.85)")
    if args.json:
        files.write_json(Path(args.json), figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
