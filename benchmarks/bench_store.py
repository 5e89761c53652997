"""Benchmark the precision loop's reading of the results store over 200 stored runs, before and
after, in one process.

`leadsim compare --precision` checks which runs are stored, reads their KPI rows, computes the
intervals and, if they are too wide, adds replications and does it all again. This times that
work alone on a store that already holds every run (so nothing is simulated), for this checkout
("after") and for the package at ``--before REF`` (default: the commit before the store read its
runs with ``pyarrow.dataset``), alternating the two so that the machine's load hits both alike:

  * ``compare``: ``experiment.compare`` with a precision target it cannot reach, from 10 to the cap
    of 100 replications per scenario — the real loop (two rounds here), the final table and the
    consolidated ``kpis.parquet`` included;
  * ``loop``: ten rounds of what one precision round does (check the stored runs, read their KPI
    rows, summarise), at 10, 20, … 100 replications per scenario — the cost of a long loop.

The store is synthesised: one real baseline replication's KPI rows, copied to every run with small
random perturbations and saved through each version's ``Store.save``, as an experiment writes
them. The figure to compare is the ratio after / before (best of ``--repeat`` each).

Usage:  python benchmarks/bench_store.py [--reps 100] [--repeat 3] [--before REF] [--json PATH]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))   # benchmark this checkout, whatever is installed

import sim  # noqa: E402
from sim import files  # noqa: E402
from sim.runner import run_one  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import before  # noqa: E402

BEFORE = "44095bc"   # main before this branch: the store read every run file at every precision round
KPI = ("exec_vacant_or_interim", "all")


class Version:
    """One version of the package: its scenario loader, store and experiment."""

    def __init__(self, pkg):
        self.load = before.module(pkg, "scenario").load
        self.Store = before.module(pkg, "store").Store
        self.experiment = before.module(pkg, "experiment")
        self.Task = before.module(pkg, "tasks").Task
        self.cohort = before.module(pkg, "cohort")

    def pair(self):
        """The baseline and the new deal as ``compare`` stores them (with their common cohort year)."""
        pair = [self.load(ROOT / "scenarios" / "baseline.yaml"), self.load(ROOT / "scenarios" / "new_deal.yaml")]
        return tuple(self.cohort.align(pair, True)[0])

    def synthesise(self, out: Path, kpis, reps: int) -> None:
        """Store ``reps`` perturbed copies of ``kpis`` for the baseline and the new deal."""
        pair = self.pair()
        rng = np.random.default_rng(0)
        seed = pair[0].run.seed
        fixed = (kpis.kpi == "challenged_cohort_trusts").to_numpy()   # the same cohort in both, as in real runs
        with self.Store(out, list(pair), seed, baseline=pair[0].name) as store:
            for s in pair:
                for r in range(reps):
                    noise = np.where(fixed, 0.0, 0.05 * rng.standard_normal(len(kpis)))
                    noisy = kpis.assign(value=kpis.value * (1 + noise))
                    store.save(s.name, r, seed, noisy, None)

    def time_compare(self, out: Path, reps: int) -> float:
        pair = self.pair()
        t0 = time.perf_counter()
        result = self.experiment.compare(pair[0], [pair[1]], reps=10, out=out, jobs=1, progress=False,
                                         precision={KPI: 1e-9}, max_reps=reps)
        seconds = time.perf_counter() - t0
        assert result.execution.ran == 0 and result.replications == reps, result.execution
        return seconds

    def time_loop(self, out: Path, reps: int) -> float:
        """Ten rounds of a precision loop's bookkeeping: which runs are stored, then the summary."""
        pair = self.pair()
        names, seed = [s.name for s in pair], pair[0].run.seed
        period = self.experiment.default_period(pair[0])
        t0 = time.perf_counter()
        with self.Store(out, list(pair), seed, baseline=pair[0].name) as store:
            for n in np.linspace(reps / 10, reps, 10).astype(int):
                tasks = [self.Task(s.name, s, r, seed) for r in range(n) for s in pair]
                assert all(store.done(t.name, t.replication, t.seed) for t in tasks)
                table = self.experiment.summarise(store, names, names[0], period, int(n))
                assert int(table.loc[(table.kpi == KPI[0]) & (table.group == KPI[1]), "n"].max()) == n
        return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=100, help="stored runs per scenario (default 100)")
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds; the best counts (default 3)")
    parser.add_argument("--before", default=BEFORE, help=f"the commit to compare with (default {BEFORE})")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    versions = {"before": Version(before.package(args.before)), "after": Version(sim)}
    kpis = run_one(versions["after"].pair()[0]).kpis
    best = {(v, what): float("inf") for v in versions for what in ("compare", "loop")}
    with tempfile.TemporaryDirectory() as tmp:
        for v, version in versions.items():
            version.synthesise(Path(tmp) / v, kpis, args.reps)
        for _ in range(args.repeat):   # alternate, so that load on the machine hits both alike
            for v, version in versions.items():
                best[v, "compare"] = min(best[v, "compare"], version.time_compare(Path(tmp) / v, args.reps))
                best[v, "loop"] = min(best[v, "loop"], version.time_loop(Path(tmp) / v, args.reps))
    runs = 2 * args.reps
    figures = {"runs": runs, "before": args.before}
    for what, label in [("compare", f"compare --precision, 10 → {args.reps} replications per scenario"),
                        ("loop", f"ten precision rounds, up to {runs} stored runs")]:
        b, a = best["before", what], best["after", what]
        figures |= {f"{what}_before_seconds": b, f"{what}_after_seconds": a, f"{what}_ratio": a / b}
        print(f"{label}: before {b:.2f} s, after {a:.2f} s, after/before = {a / b:.2f}")
    if args.json:
        files.write_json(Path(args.json), figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
