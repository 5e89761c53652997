"""Plain-text tables for the terminal: KPI summaries and comparisons against the baseline."""

from __future__ import annotations

import math
import sys
import textwrap

import pandas as pd

from . import measures


def fmt(value: float, unit: str, diff: bool = False) -> str:
    """A value in its unit: shares as % (differences in percentage points), £ with separators."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if not unit.startswith(("share", "£")):
        value = 0.0 if abs(value) < 0.0005 else value
    sign = "+" if diff and value > 0 else ""
    if unit.startswith("£"):  # the sign before the £: −£145k, not £-145k
        sign, value = ("-", -value) if value < 0 else (sign, value)
        if value >= 1e6:
            return f"{sign}£{value / 1e6:,.1f}m"
        return f"{sign}£{value / 1e3:,.0f}k" if value >= 1e4 else f"{sign}£{value:,.0f}"
    if unit.startswith("share"):
        text = _number(100 * value, 1)
        return f"{_signed(sign, text)} pp" if diff else f"{text}%"
    if unit in ("trusts", "people", "posts") or unit.startswith("post-years"):
        return _signed(sign, _number(value, 1))
    return f"{sign}{value:.3f}" if 0 < abs(value) < 0.1 else f"{sign}{value:.2f}"


def _number(value: float, decimals: int) -> str:
    """``value`` to ``decimals`` places, or one more if it would otherwise show as 0 (so a clear
    difference of 0.04 pp is not printed as 0.0); never "-0.0"."""
    if value != 0 and abs(value) < 10 ** -decimals:
        decimals += 1
    text = f"{value:,.{decimals}f}"
    return text.lstrip("-") if float(text.replace(",", "")) == 0 else text


def _signed(sign: str, text: str) -> str:
    return text if set(text) <= set("0.,") else sign + text  # no "+0.00"


def interval(mean: float, hw: float, unit: str, diff: bool = False) -> str:
    if hw is None or math.isnan(hw):
        return fmt(mean, unit, diff)
    return f"{fmt(mean, unit, diff)} ({fmt(mean - hw, unit, diff)} to {fmt(mean + hw, unit, diff)})"


def print_summary(table: pd.DataFrame, stream=None) -> None:
    """A single run's KPI summary: shares as %, years and rates to 2 decimals."""
    value_cols = [c for c in table.columns if c not in ("kpi", "group", "unit")]
    shown = table.copy()
    for c in value_cols:
        shown[c] = [fmt(v, u) for v, u in zip(table[c], table.unit)]
    shown = shown.rename(columns={"window": "report window"})
    (stream or sys.stdout).write(shown.to_string(index=False) + "\n")


def print_comparison(table: pd.DataFrame, title: str, keys=None, stream=None,
                     titles: dict[str, str] | None = None) -> None:
    """KPI by KPI (by default the headline measures), each under its plain-English label: each
    scenario (by its title) with its mean and 95% interval and its paired difference. The bracket
    names the KPI as ``--precision`` takes it."""
    out = stream or sys.stdout
    out.write(title + "\n")
    keys = keys or [(h.measure, h.group) for h in measures.headlines()]
    titles = titles or {}
    width = max(len(titles.get(s, s)) for s in table.scenario.unique()) + 2
    for kpi, group in keys:
        block = table[(table.kpi == kpi) & (table.group == group)]
        if block.empty:
            continue
        unit = block.unit.iloc[0]
        better = measures.direction(kpi, group)
        hint = f"; {better} is better" if better else ""
        out.write(f"\n{measures.label(kpi, group)} — {unit}{hint}  [{kpi}:{group}]\n")
        out.write(f"  {'scenario':<{width}}{'mean (95% interval)':<34}difference vs baseline (95% interval)\n")
        for row in block.itertuples():
            diff = "" if not row.verdict else f"{interval(row.diff, row.diff_ci, unit, diff=True):<40}{row.verdict}"
            out.write(f"  {titles.get(row.scenario, row.scenario):<{width}}{interval(row.mean, row.ci, unit):<34}{diff}\n")


def print_appraisal(appraisal, stream=None) -> None:
    """The option appraisal (``sim.appraisal.Appraisal``) in plain text: one block per option."""
    out = stream or sys.stdout
    a = appraisal
    out.write(f"\nOption appraisal against {a.baseline_title}, {a.period}, {a.replications} replications\n"
              "Yearly cost and effects are the option minus the baseline, replication by replication, with 95% "
              f"intervals;\na post-year avoided is one {a.unit_label} fewer than in the baseline.\n")
    for i, option in enumerate(a.options, 1):
        out.write(f"\n{i}. {option.title}\n")
        out.write(f"   {'yearly cost':<28}{option.cost_text}\n")
        out.write(f"   {'cost per post-year avoided':<28}{option.per_unit_text}\n")
        out.write("   effects:\n")
        for e in option.effects:
            out.write(f"     {e.text:<34}{e.verdict:<21}{e.label}\n")
        for j, risk in enumerate(option.risks):
            lead = "main risks: " if j == 0 else " " * len("main risks: ")
            out.write(textwrap.fill(risk, width=110, initial_indent="   " + lead + "– ",
                                    subsequent_indent="   " + " " * (len(lead) + 2)) + "\n")
