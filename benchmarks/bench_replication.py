"""Benchmark one England-scale baseline replication (scenarios/baseline.yaml, default horizon).

Why a normalised cost: these machines are noisy and differ from one another, so the absolute
seconds of a replication are not comparable between machines (or even between runs on a busy
one). Right before timing the replication we therefore time a *bare SimPy loop* in the same
process -- 100 processes each doing ``yield env.timeout(1)`` 10,000 times, i.e. one million
timeouts, best of 3 -- and report

    SimPy-normalised cost = replication wall time / bare-loop wall time   (target <= 1.5)

i.e. "one replication costs as much as N million bare SimPy timeouts". That ratio tracks the
model's own efficiency and largely cancels out the machine's speed.

Figures reported:
  * bare-loop reference time (best of 3);
  * replication wall time, best of ``--repeat`` (``load`` + ``run_one``, as a user would call it);
  * recorded events (``result.stats["events"]``) and SimPy events processed (``env.step`` calls,
    counted in a separate, untimed model run so the counting does not distort the timing);
  * peak memory (``ru_maxrss``) of one replication, run in a fresh child process, next to the
    child's RSS right after imports so the replication's own increment is visible (target <= 300 MB);
  * Python, numpy, simpy and leadsim versions.

With ``--before REF`` it times the replication of commit REF (``benchmarks/before.py``) and of
this checkout alternately in one process and reports both costs and their ratio; with
``--profile N`` it prints cProfile's top N functions of one replication.

Usage:  python benchmarks/bench_replication.py [--repeat N | --quick] [--before REF] [--profile N] [--json PATH]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "baseline.yaml"
sys.path.insert(0, str(ROOT))  # benchmark this checkout, whatever is installed

COST_TARGET = 1.5   # issue 14 (goal 1.0)
PEAK_MB_TARGET = 300.0   # issue 14


def maxrss_mb() -> float:
    """Peak resident set size of this process so far, in MB (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bare_simpy_loop(n_procs: int = 100, n_steps: int = 10_000) -> float:
    """Seconds to process n_procs * n_steps bare SimPy timeouts (one million by default)."""
    import simpy

    def ticker(env):
        for _ in range(n_steps):
            yield env.timeout(1)

    env = simpy.Environment()
    for _ in range(n_procs):
        env.process(ticker(env))
    t0 = time.perf_counter()
    env.run()
    return time.perf_counter() - t0


def one_replication():
    from sim.runner import run_one
    from sim.scenario import load

    scenario = load(SCENARIO)
    return run_one(scenario, replication=0)


def count_simpy_events() -> tuple[int, int]:
    """(SimPy events processed, recorded events) of an untimed, step-by-step baseline run."""
    import simpy
    from sim.model import Model
    from sim.scenario import load

    scenario = load(SCENARIO)
    m = Model(scenario.params, seed=scenario.run.seed, replication=0)
    until = float(scenario.params.calendar.end_year) + 1e-6  # as Model.run does
    steps = 0
    while m.env.peek() < until:
        try:
            m.env.step()
        except simpy.core.EmptySchedule:
            break
        steps += 1
    return steps, m.recorder.events_table().num_rows


def child() -> None:
    """Run in a fresh process: RSS after imports, then peak RSS after one replication."""
    import sim.runner  # noqa: F401  (pulls in numpy, pandas, pyarrow, simpy, the model)
    import sim.scenario  # noqa: F401

    baseline = maxrss_mb()
    one_replication()
    print(json.dumps({"baseline_rss_mb": baseline, "peak_rss_mb": maxrss_mb()}))


def measure(repeat: int) -> dict:
    # Memory first: Linux keeps ru_maxrss across fork+execve, so the child would inherit this
    # process's high-water mark if it were spawned after the timed replications.
    out = subprocess.run([sys.executable, __file__, "--child"], capture_output=True, text=True,
                         check=True)
    mem = json.loads(out.stdout.strip().splitlines()[-1])

    import numpy  # import everything now, so that no import time lands in the timed runs
    import simpy

    import sim
    import sim.runner  # noqa: F401
    import sim.scenario  # noqa: F401

    bare = min(bare_simpy_loop() for _ in range(3))
    times, result = [], None
    for _ in range(repeat):
        result = None
        gc.collect()
        t0 = time.perf_counter()
        result = one_replication()
        times.append(time.perf_counter() - t0)
    recorded = result.stats["events"]
    del result
    gc.collect()

    simpy_events, recorded_check = count_simpy_events()
    if recorded_check != recorded:
        print(f"warning: step-by-step run recorded {recorded_check} events, run_one {recorded}",
              file=sys.stderr)

    wall = min(times)
    return {
        "scenario": str(SCENARIO.relative_to(ROOT)),
        "repeat": repeat,
        "bare_loop_seconds": round(bare, 4),
        "replication_seconds": round(wall, 4),
        "replication_seconds_all": [round(t, 4) for t in times],
        "simpy_normalised_cost": round(wall / bare, 3),
        "recorded_events": int(recorded),
        "simpy_events": int(simpy_events),
        "baseline_rss_mb": round(mem["baseline_rss_mb"], 1),
        "peak_rss_mb": round(mem["peak_rss_mb"], 1),
        "replication_rss_increment_mb": round(mem["peak_rss_mb"] - mem["baseline_rss_mb"], 1),
        "targets": {"simpy_normalised_cost_max": COST_TARGET, "peak_rss_mb_max": PEAK_MB_TARGET},
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "simpy": simpy.__version__,
        "leadsim": sim.__version__,
    }


def print_table(r: dict) -> None:
    def verdict(value, limit):
        return "ok" if value <= limit else "OVER"

    rows = [
        ("bare SimPy loop, 1e6 timeouts (best of 3)", f"{r['bare_loop_seconds']:.3f} s", ""),
        (f"replication wall time (best of {r['repeat']})", f"{r['replication_seconds']:.3f} s", ""),
        ("SimPy-normalised cost", f"{r['simpy_normalised_cost']:.2f}",
         f"<= {COST_TARGET:g}  {verdict(r['simpy_normalised_cost'], COST_TARGET)}"),
        ("recorded events", f"{r['recorded_events']:,}", ""),
        ("SimPy events processed", f"{r['simpy_events']:,}", ""),
        ("child RSS after imports", f"{r['baseline_rss_mb']:.1f} MB", ""),
        ("peak RSS, one replication", f"{r['peak_rss_mb']:.1f} MB",
         f"<= {PEAK_MB_TARGET:g}  {verdict(r['peak_rss_mb'], PEAK_MB_TARGET)}"),
        ("  of which the replication", f"{r['replication_rss_increment_mb']:.1f} MB", ""),
        ("python / numpy / simpy / leadsim",
         f"{r['python']} / {r['numpy']} / {r['simpy']} / {r['leadsim']}", ""),
    ]
    w0, w1 = max(len(a) for a, _, _ in rows), max(len(b) for _, b, _ in rows)
    print(f"leadsim benchmark: {r['scenario']}, replication 0")
    print(f"{'metric':<{w0}}  {'value':>{w1}}  target")
    print("-" * (w0 + w1 + 16))
    for name, value, target in rows:
        print(f"{name:<{w0}}  {value:>{w1}}  {target}".rstrip())


def write_json_atomic(path: Path, data: dict) -> None:
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(data, f, indent=2)
            f.write("\n")
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def before_after(ref: str, repeat: int) -> dict:
    """The replication of this checkout and of commit ``ref``, timed alternately in this process
    (best of ``repeat`` each), with one bare-loop reference: the ratio is what to compare."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import before

    from sim.runner import run_one
    from sim.scenario import load

    old = before.package(ref)
    versions = {"before": (before.module(old, "scenario").load, before.module(old, "runner").run_one),
                "after": (load, run_one)}
    bare = min(bare_simpy_loop() for _ in range(3))
    times = {name: [] for name in versions}
    for _ in range(repeat):
        for name, (load_, run) in versions.items():
            gc.collect()
            t0 = time.perf_counter()
            run(load_(SCENARIO), replication=0)
            times[name].append(time.perf_counter() - t0)
    best = {name: min(t) for name, t in times.items()}
    return {"before": ref, "repeat": repeat, "bare_loop_seconds": round(bare, 4),
            "seconds": {k: [round(x, 4) for x in v] for k, v in times.items()},
            "cost_before": round(best["before"] / bare, 3), "cost_after": round(best["after"] / bare, 3),
            "after_over_before": round(best["after"] / best["before"], 3)}


def profile(top: int) -> None:
    """cProfile of one replication (after one unprofiled warm-up): the ``top`` functions by own
    time and by cumulative time."""
    import cProfile
    import pstats

    one_replication()
    prof = cProfile.Profile()
    prof.enable()
    one_replication()
    prof.disable()
    stats = pstats.Stats(prof)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="timed replications; best is reported")
    ap.add_argument("--quick", action="store_true", help="same as --repeat 1")
    ap.add_argument("--json", type=Path, metavar="PATH", help="also save the figures as JSON")
    ap.add_argument("--before", metavar="REF", help="time commit REF's replication alternately with this one's")
    ap.add_argument("--profile", type=int, metavar="N", help="print cProfile's top N functions instead")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child()
    if args.profile:
        return profile(args.profile)
    if args.before:
        r = before_after(args.before, 1 if args.quick else args.repeat)
        print(f"bare SimPy loop {r['bare_loop_seconds']:.3f} s; SimPy-normalised cost: {args.before} "
              f"{r['cost_before']:.2f}, this checkout {r['cost_after']:.2f}; after/before = "
              f"{r['after_over_before']:.3f} (best of {r['repeat']} each, alternating)")
        if args.json:
            write_json_atomic(args.json, r)
        return None
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    results = measure(1 if args.quick else args.repeat)
    print_table(results)
    if args.json:
        write_json_atomic(args.json, results)
        print(f"saved {args.json}")


if __name__ == "__main__":
    main()
