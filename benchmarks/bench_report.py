"""Benchmark `leadsim report` on an experiment of 10 scenarios × 50 replications (target < 30 s).

Running 500 replications would take minutes, so the experiment is synthesised: one real baseline
replication's KPI rows, copied to 10 scenarios × 50 replications with small random perturbations,
in a results store laid out exactly as `leadsim compare` writes it. Reported as seconds and as a
ratio to the time of that one real replication, measured in the same process.

Usage:  python benchmarks/bench_report.py [--scenarios 10] [--reps 50]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim import calibration_fit, files, report  # noqa: E402
from sim.runner import code_version, run_one  # noqa: E402
from sim.scenario import load  # noqa: E402


def synthesise(folder: Path, scenarios: int, reps: int) -> float:
    """Write the synthetic store; returns the seconds one real replication took."""
    scenario = load(ROOT / "scenarios" / "baseline.yaml")
    t0 = time.perf_counter()
    kpis = run_one(scenario).kpis
    seconds = time.perf_counter() - t0
    rng = np.random.default_rng(0)
    names = ["baseline"] + [f"option_{i}" for i in range(1, scenarios)]
    for name in names:
        for r in range(reps):
            noisy = kpis.assign(value=kpis.value * (1 + 0.02 * rng.standard_normal(len(kpis))),
                                scenario=name, replication=r, seed=1)
            files.write_parquet(folder / "runs" / f"{name}.synthetic" / f"r{r:06d}.parquet",
                                pa.Table.from_pandas(noisy, preserve_index=False))
    files.write_json(folder / "experiment.json", {
        "kind": "compare", "baseline": "baseline", "seed": 1, "code_version": code_version(),
        "scenarios": {n: {"key": "synthetic", "file": "", "factors": {}, "resolved": scenario.resolved()}
                      for n in names}})
    calibration_fit.record(scenario, folder)  # as an experiment does: the report shows the baseline's fit
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=10)
    parser.add_argument("--reps", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "experiment"
        one_run = synthesise(folder, args.scenarios, args.reps)
        t0 = time.perf_counter()
        built = report.build(folder)
        seconds = time.perf_counter() - t0
    print(f"report for {args.scenarios} scenarios × {args.reps} replications: {seconds:.1f} s "
          f"(target < 30 s) = {seconds / one_run:.1f} × one replication ({one_run:.1f} s); {len(built.charts)} charts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
