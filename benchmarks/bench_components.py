"""Where one England baseline replication spends its time, in real seconds (no profiler).

Each named function is wrapped with a timer (its own calls included; the wrappers add ~0.3 µs a
call, so tiny functions called often read a little high), the replication is run ``--repeat``
times, and the best time of each component is printed, largest first. A profiler would double the
run and shift the shares; this keeps the model at its own speed. It answers "what is left to make
faster"; `bench_replication.py` answers "how fast is it".

Usage:  python benchmarks/bench_components.py [--repeat N]
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim import cohort, kernels, metrics  # noqa: E402
from sim.model import Model  # noqa: E402
from sim.processes import appraisal, entry, performance, recruitment, training, turnover  # noqa: E402
from sim.recorder import Recorder  # noqa: E402
from sim.scenario import load  # noqa: E402

SPENT: dict[str, float] = defaultdict(float)

COMPONENTS = [
    (recruitment, "select", "searches: selection at the end of a round (all of it)"),
    (kernels, "interview", "  who applies from the fields, and the best of them (compiled)"),
    (recruitment, "_external_applicants", "  applicants from outside the NHS"),
    (recruitment, "appoint", "searches: appointments (with the new holder's exit draw)"),
    (recruitment, "depart", "departures (with interim cover)"),
    (recruitment, "start_exit", "exits starting (notice, search start)"),
    (turnover, "after_inspection", "exit redraws after an inspection"),
    (turnover, "feeder_leavers", "feeder leavers"),
    (appraisal, "appraise", "appraisal"),
    (entry, "fill_senior_pool", "entry: senior pool"),
    (entry, "yearly_entry", "entry: graduates, managers, clinicians"),
    (training, "run_programmes", "training programmes"),
    (performance, "update_quality", "trust quality"),
    (Recorder, "snapshot", "yearly snapshots"),
]


def timed(owner, name: str, label: str) -> None:
    inner = getattr(owner, name)

    def wrapper(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            SPENT[label] += time.perf_counter() - t0
    setattr(owner, name, wrapper)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="replications; the best time of each component is shown")
    args = ap.parse_args()
    for owner, name, label in COMPONENTS:
        timed(owner, name, label)
    scenario = load(ROOT / "scenarios" / "baseline.yaml")
    cal, best = scenario.params.calendar, {}
    for _ in range(max(1, args.repeat)):
        SPENT.clear()
        gc.collect()
        t0 = time.perf_counter()
        model = Model(scenario.params, seed=scenario.run.seed, replication=0,
                      interventions=scenario.interventions).run()
        SPENT["the model run (all of it)"] = time.perf_counter() - t0
        rec = model.recorder
        tables = [rec.events_table(), rec.posts_table(), rec.orgs_table(), rec.pipeline_table()]
        people = rec.people_table(model.people)
        del model, rec
        gc.collect()
        t0 = time.perf_counter()
        metrics.compute(*[t.to_pandas() for t in tables], cal.report_from, cal.end_year, people.to_pandas(),
                        settings=cohort.kpi_settings(cohort.year([scenario])))
        SPENT["KPIs (to pandas, compute)"] = time.perf_counter() - t0
        for label, seconds in SPENT.items():
            best[label] = min(best.get(label, float("inf")), seconds)
    for label, seconds in sorted(best.items(), key=lambda item: -item[1]):
        print(f"{label:60s} {seconds:6.3f} s")


if __name__ == "__main__":
    main()
