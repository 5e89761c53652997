"""The ``leadsim`` command line: ``run``, ``params``, ``interventions``, ``schema`` and ``validate``."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pandas as pd

from . import __version__
from .scenario import ScenarioError, load


def _format(value: float, unit: str) -> str:
    if pd.isna(value):
        return "–"
    if unit.startswith("£"):
        return f"£{value:,.0f}"
    if unit.startswith("share"):
        return f"{100 * value:.1f}%"
    if unit in ("trusts", "people"):
        return f"{value:,.0f}"
    return f"{value:.2f}"


def print_table(table: pd.DataFrame, stream=None) -> None:
    """A KPI summary as aligned text: shares as %, years and rates to 2 decimals."""
    value_cols = [c for c in table.columns if c not in ("kpi", "group", "unit")]
    shown = table.copy()
    for c in value_cols:
        shown[c] = [_format(v, u) for v, u in zip(table[c], table.unit)]
    shown = shown.rename(columns={"window": "report window"})
    (stream or sys.stdout).write(shown.to_string(index=False) + "\n")


def cmd_run(args) -> int:
    from .runner import run_one, write
    scenario = load(args.scenario)
    seed = scenario.run.seed if args.seed is None else args.seed
    cal = scenario.params.calendar
    out = Path(args.out or f"results/{scenario.name}")
    print(f"leadsim {__version__}: {scenario.name} (seed {seed}, replication {args.replication}); "
          f"warm-up {cal.start_year}–{cal.report_from - 1}, reporting {cal.report_from}–{cal.end_year - 1}",
          file=sys.stderr)
    t0 = time.perf_counter()
    result = run_one(scenario, replication=args.replication, seed=seed)
    years = tuple(y for y in (cal.report_from, 2017, 2025, cal.end_year - 1)
                  if cal.report_from <= y < cal.end_year)
    table = write(result, out, tuple(sorted(set(years))))
    print_table(table)
    print(f"\n{result.stats['events']:,} events, {result.stats['people']:,} people, "
          f"{time.perf_counter() - t0:.1f} s. Results in {out}/ (see README: Output files)", file=sys.stderr)
    return 0


def cmd_params(args) -> int:
    """Print every parameter of a scenario with its value, unit and source."""
    from .params import Params, register
    params = load(args.scenario).params if args.scenario else Params()
    rows = register(params)
    for row in rows:
        row["value"] = json.dumps(row["value"], ensure_ascii=False)
    if args.csv:
        pd.DataFrame(rows).to_csv(sys.stdout, index=False)
        return 0
    for row in rows:
        print(f"{row['parameter']} = {row['value']}\n    unit: {row['unit']}; source: {row['source']}")
    return 0


def cmd_schema(args) -> int:
    from .schema import scenario_schema
    print(json.dumps(scenario_schema(), indent=2, ensure_ascii=False))
    return 0


def cmd_interventions(args) -> int:
    """The intervention library: what each one models, its settings and what it costs."""
    from .interventions import REGISTRY, Intervention
    common = set(Intervention.model_fields)
    for kind, cls in REGISTRY.items():
        print(f"{kind}  ({cls.recommendation})")
        print(f"  {cls.mechanism}")
        for name, field in cls.model_fields.items():
            if name in common and name != "cost_per_unit":
                continue
            extra = field.json_schema_extra or {}
            unit = extra.get("unit", field.description or "")
            print(f"  - {name} = {field.default!r}: {unit} [{extra.get('source', '')}]")
        print(f"  cost unit: {cls.unit}\n")
    return 0


def cmd_validate(args) -> int:
    bad = 0
    for path in args.files:
        try:
            s = load(path)
            print(f"ok   {path}: {s.name}")
        except ScenarioError as exc:
            print(f"FAIL {exc}", file=sys.stderr)
            bad += 1
    return 1 if bad else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="leadsim", description="Simulate NHS executive leadership pipelines.")
    parser.add_argument("--version", action="version", version=f"leadsim {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run one replication of a scenario and write its results")
    run.add_argument("scenario", help="scenario YAML file, e.g. scenarios/baseline.yaml")
    run.add_argument("--seed", type=int, help="root seed (default: the scenario's run.seed)")
    run.add_argument("--replication", type=int, default=0, help="replication index (default 0)")
    run.add_argument("--out", help="output folder (default results/<scenario name>)")
    run.set_defaults(func=cmd_run)
    par = sub.add_parser("params", help="list every parameter with its value, unit and source")
    par.add_argument("scenario", nargs="?", help="show the values this scenario uses (default: built-in defaults)")
    par.add_argument("--csv", action="store_true", help="write CSV instead of a text table")
    par.set_defaults(func=cmd_params)
    sch = sub.add_parser("schema", help="print the JSON Schema of scenario files (for editors)")
    sch.set_defaults(func=cmd_schema)
    ivs = sub.add_parser("interventions", help="list the interventions, their settings and costs")
    ivs.set_defaults(func=cmd_interventions)
    val = sub.add_parser("validate", help="check scenario files and report every problem")
    val.add_argument("files", nargs="+")
    val.set_defaults(func=cmd_validate)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ScenarioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `leadsim params | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
