"""Screening mode against full runs: the time it saves and the error it makes, England scale.

``leadsim compare|sweep --screen`` ends every run one year after ``--period``
(``experiment.screened``). This runs the baseline and the new deal ``--reps`` times both ways
(same seeds, alternating, in one process) and reports

  * the time ratio screened / full;
  * for the yearly KPIs: how many (KPI, group, scenario) means differ at all (the model never looks
    ahead, so none should, apart from groups first seen after the period: absent, not 0);
  * for the window KPIs (Kaplan–Meier tenure medians, CEO survival — computed over the reporting
    window, which screening shortens): the full run's mean and paired difference against the
    baseline, the screened ones, and the shift in the difference against the full run's 95% interval.

Usage:  python benchmarks/bench_screen.py [--reps 4] [--period 2014:2023] [--json PATH]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))   # benchmark this checkout, whatever is installed

from sim import experiment, files, measures  # noqa: E402
from sim.scenario import load  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=4, help="replications per scenario (default 4)")
    parser.add_argument("--period", default="2014:2023", help="FROM:TO (default 2014:2023)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    period = tuple(int(y) for y in args.period.split(":"))
    base, other = load(ROOT / "scenarios" / "baseline.yaml"), load(ROOT / "scenarios" / "new_deal.yaml")
    seconds, tables = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for screen in (False, True):
            t0 = time.perf_counter()
            r = experiment.compare(base, [other], reps=args.reps, out=Path(tmp) / str(screen), jobs=1,
                                   progress=False, period=period, screen=screen)
            seconds[screen], tables[screen] = time.perf_counter() - t0, r.table
    keys = ["kpi", "group", "scenario"]
    both = tables[False].merge(tables[True], on=keys, how="left", suffixes=("_full", "_screen"))
    window = {m.name for m in measures.REGISTRY.values() if m.reduce == measures.WINDOW}
    yearly = both[~both.kpi.isin(window)]
    differ = yearly[(yearly.mean_full != yearly.mean_screen) & yearly.mean_screen.notna()]
    absent = yearly[yearly.mean_screen.isna()]
    ratio = seconds[True] / seconds[False]
    print(f"{args.reps} replications × 2 scenarios, period {period[0]}–{period[1]}, runs end "
          f"{experiment.screened(base, period).run.end_year} instead of {base.run.end_year}")
    print(f"time: full {seconds[False]:.1f} s, screened {seconds[True]:.1f} s, screened/full = {ratio:.2f}")
    print(f"yearly KPIs: {len(yearly)} means, {len(differ)} differ, {len(absent)} absent in screening "
          f"(full-run means of the absent: {sorted(set(absent.mean_full.round(6)))})")
    w = both[both.kpi.isin(window)].copy()
    w["shift"] = w.diff_screen - w.diff_full
    w["shift_per_ci"] = w["shift"].abs() / w.diff_ci_full
    cols = ["kpi", "group", "scenario", "mean_full", "mean_screen", "diff_full", "diff_screen", "diff_ci_full",
            "shift_per_ci"]
    summary = (w[w.scenario != base.name].groupby("kpi")
               .agg(groups=("group", "size"), mean_full=("mean_full", "mean"), mean_screen=("mean_screen", "mean"),
                    largest_shift_per_ci=("shift_per_ci", "max"), median_shift_per_ci=("shift_per_ci", "median")))
    print(f"window KPIs (reporting window to {base.run.end_year - 1} in full runs, to "
          f"{experiment.screened(base, period).run.end_year - 1} screened), {other.name}; shift of the paired "
          "difference in units of the full run's 95% half-width:")
    print(summary.to_string(float_format="%.3g"))
    if args.json:
        files.write_json(Path(args.json), {"reps": args.reps, "period": period, "seconds_full": seconds[False],
                                           "seconds_screened": seconds[True], "ratio": ratio,
                                           "yearly_means": len(yearly), "yearly_differ": len(differ),
                                           "yearly_absent": len(absent), "window": w[cols].to_dict("records")})
    return 0


if __name__ == "__main__":
    sys.exit(main())
