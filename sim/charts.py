"""Charts for steering groups: matplotlib figures in one house style, from saved results only.

Every function takes tidy pandas tables (never live model objects) and returns a ``Chart``: the
figure plus a plain-English title and caption. Colours are the Okabe–Ito colour-blind-safe
palette; the baseline is always drawn, in black.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # files only, never a window
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

# Okabe–Ito, with the pale yellow last: it is hard to see as a thin line on white
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#999999", "#F0E442"]
BASELINE_COLOUR = "#000000"
STYLE = {"font.size": 9, "axes.titlesize": 10, "axes.labelsize": 9, "axes.spines.top": False,
         "axes.spines.right": False, "axes.grid": True, "grid.alpha": 0.3, "legend.frameon": False,
         "figure.dpi": 110, "savefig.bbox": "tight"}


@dataclass
class Chart:
    name: str        # file stem
    title: str       # plain English: what it shows
    caption: str     # units, replications, what the bands mean
    figure: plt.Figure


def colours(scenarios: list[str], baseline: str | None) -> dict[str, str]:
    others = [s for s in scenarios if s != baseline]
    out = {s: OKABE_ITO[i % len(OKABE_ITO)] for i, s in enumerate(others)}
    if baseline:
        out[baseline] = BASELINE_COLOUR
    return out


def _figure(ncols=1, nrows=1, width=7.5, height=3.4, **kw):
    plt.rcParams.update(STYLE)
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, height * nrows), squeeze=False, **kw)
    return fig, axes


def _years(ax):
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))


def _percent(ax, axis="y"):
    fmt = matplotlib.ticker.PercentFormatter(1.0, decimals=0)
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def band_lines(ax, series: pd.DataFrame, palette: dict, baseline: str | None, clip=None) -> None:
    """Mean line with 95% band per scenario (columns scenario, year, mean, ci); ``clip`` bounds the
    band to the KPI's possible range, e.g. (0, 1) for a share."""
    for scenario, block in series.groupby("scenario", sort=False):
        c = palette[scenario]
        width = 2.2 if scenario == baseline else 1.4
        ax.plot(block.year, block["mean"], color=c, lw=width, label=scenario, zorder=3 if scenario == baseline else 2)
        low, high = block["mean"] - block.ci, block["mean"] + block.ci
        if clip is not None:
            low, high = low.clip(*clip), high.clip(*clip)
        ax.fill_between(block.year, low, high, color=c, alpha=0.15, lw=0)


def mark_starts(ax, starts: dict[str, list[tuple[float, float]]], palette: dict) -> None:
    """Each option's interventions, (start, full effect): a dotted line and a triangle at the top at
    the start, and a bar from there to full effect, in the option's colour (options starting
    together get their marks stacked)."""
    stacked: dict[float, int] = {}
    for scenario, windows in starts.items():
        for start, full in windows:
            level = stacked.get(start, 0)
            stacked[start] = level + 1
            y = 1.0 - 0.045 * level
            ax.axvline(start, color=palette[scenario], ls=":", lw=1, zorder=1)
            ax.plot(start, y, marker="v", ms=5, color=palette[scenario], transform=ax.get_xaxis_transform(),
                    clip_on=False, zorder=4)
            if full > start:  # the implementation curve: full effect only at start + ramp_years
                ax.plot([start, full], [y, y], color=palette[scenario], lw=2, alpha=0.6, solid_capstyle="butt",
                        transform=ax.get_xaxis_transform(), clip_on=False, zorder=4)


def vacancy_over_time(series: dict[str, pd.DataFrame], palette, baseline, reps: int,
                      starts: dict[str, list[tuple[float, float]]]) -> Chart:
    """One panel per group of trusts (``series``: panel title → scenario, year, mean, ci)."""
    fig, axes = _figure(len(series), 1, width=4.2 * len(series), height=3.6, sharey=True)
    for ax, (label, data) in zip(axes[0], series.items()):
        band_lines(ax, data, palette, baseline, clip=(0, 1))
        mark_starts(ax, starts, palette)
        ax.set_title(label)
        ax.set_xlabel("year (31 December)")
        _years(ax)
        _percent(ax)
    axes[0][0].set_ylabel("executive posts vacant or interim")
    fig.legend(*axes[0][0].get_legend_handles_labels(), loc="lower center", ncol=min(4, len(palette)),
               fontsize=8, bbox_to_anchor=(0.5, -0.02))
    fig.tight_layout(rect=(0, 0.06 * (1 + (len(palette) - 1) // 4), 1, 1))
    return Chart("vacancy_over_time", "Executive posts without a substantive holder, over time",
                 f"Share of executive posts vacant or filled by an interim at 31 December, for all trusts, for the "
                 "fixed cohort of trusts that were challenged (rated inadequate or in special measures) when the "
                 "options start, followed whatever their later ratings, and for the trusts challenged at each date. "
                 f"Lines are means over {reps} replications; bands are 95% confidence intervals of the mean. Dotted "
                 "lines and triangles mark when each option starts, in its colour, and the bar beside a triangle "
                 "runs to when it reaches full effect (its implementation curve).", fig)


def forest(diffs: pd.DataFrame, keys: list[tuple[str, str, str]], palette, period: str, reps: int) -> Chart:
    """Paired differences against the baseline; ``keys`` = (kpi, group, axis label)."""
    n = len(keys)
    ncols = 3
    nrows = int(np.ceil(n / ncols))
    scenarios = list(dict.fromkeys(diffs.scenario))
    fig, axes = _figure(ncols, nrows, width=11, height=max(2.4, 0.32 * len(scenarios) + 1.0))
    for i, (ax, (kpi, group, label)) in enumerate(zip(axes.flat, keys)):
        block = diffs[(diffs.kpi == kpi) & (diffs.group == group)].set_index("scenario").reindex(scenarios)
        y = np.arange(len(scenarios))[::-1]
        share = block.unit.dropna().astype(str).str.startswith("share").any()
        scale = 100.0 if share else 1.0
        for yi, (scenario, row) in zip(y, block.iterrows()):
            if pd.isna(row["diff"]):
                continue
            ax.errorbar(row["diff"] * scale, yi, xerr=row.diff_ci * scale if pd.notna(row.diff_ci) else None,
                        fmt="o", color=palette[scenario], ms=4, capsize=2)
        ax.axvline(0, color=BASELINE_COLOUR, lw=1)
        ax.set_yticks(y)  # the options are named once, at the left of each row of panels
        ax.set_yticklabels([textwrap.fill(s, 32) for s in scenarios] if i % ncols == 0 else [], fontsize=7)
        ax.set_title(textwrap.fill(label, 48), fontsize=8)
        ax.set_xlabel("difference, percentage points" if share else f"difference ({block.unit.dropna().iloc[0]})"
                      if block.unit.notna().any() else "difference")
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    fig.tight_layout()
    return Chart("forest", f"What each option changes compared with the baseline ({period})",
                 f"Paired difference from the baseline (scenario minus baseline, replication by replication, "
                 f"averaged over {period}), with 95% confidence intervals over {reps} replications. A bar that "
                 "does not cross the vertical line is a clear difference.", fig)


def survival(curves: pd.DataFrame, palette, baseline, reps: int) -> Chart:
    fig, axes = _figure(1, 1, width=6.5, height=3.6)
    ax = axes[0][0]
    band_lines(ax, curves.rename(columns={"t": "year"}), palette, baseline, clip=(0, 1))
    ax.set_xlabel("years since appointment")
    ax.set_ylabel("chief executives still in post")
    ax.set_ylim(0, 1.02)
    _percent(ax)
    ax.axhline(0.5, color="#777777", lw=0.8, ls="--")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    return Chart("ceo_tenure_survival", "How long chief executives stay",
                 "Kaplan–Meier share of chief-executive appointments (made in the reporting window) still in post "
                 f"after each number of years; right-censored at the end of the run. Mean over {reps} replications "
                 "with 95% bands; where a curve crosses the dashed line is the median tenure.", fig)


def pipeline(flows: pd.DataFrame, baseline: str, reps: int, period: str) -> Chart:
    """Baseline flows per year: entrants by route → senior → director → chief executive; leavers by grade."""
    fig, axes = _figure(2, 1, width=10, height=3.6, gridspec_kw={"width_ratios": [3, 2]})
    ax = axes[0][0]
    stages = [("flow_entry", "enter"), ("flow_to_senior", "become senior\nmanagers"),
              ("flow_to_director", "first director\npost"), ("flow_to_ceo", "first chief-\nexecutive post")]
    origins = sorted(flows[flows.kpi == "flow_entry"].group.unique())
    x = np.arange(len(stages))
    width = 0.8 / max(len(origins), 1)
    for i, origin in enumerate(origins):
        values = [flows[(flows.kpi == k) & (flows.group == origin)]["mean"].sum() for k, _ in stages]
        ax.bar(x + i * width, values, width, label=origin.replace("_", " "), color=OKABE_ITO[i % 8])
    ax.set_yscale("log")
    ax.set_xticks(x + width * (len(origins) - 1) / 2)
    ax.set_xticklabels([s for _, s in stages])
    ax.set_ylabel("people per year (log scale)")
    ax.set_title("where executives come from, by entry route")
    ax.legend(fontsize=8)
    ax = axes[0][1]
    leavers = flows[flows.kpi == "flow_exit"]
    order = ["graduate_trainee", "middle_manager", "senior_manager", "executive_director", "chief_executive"]
    leavers = leavers.set_index("group").reindex([g for g in order if g in set(leavers.group)])
    ax.barh([g.replace("_", " ") for g in leavers.index], leavers["mean"], xerr=leavers.ci, color="#999999")
    ax.set_xlabel("people leaving per year")
    ax.set_title("where they leave")
    fig.tight_layout()
    return Chart("pipeline", "The leadership pipeline: who enters, who reaches the top, who leaves",
                 f"Baseline ({baseline}), people per year averaged over {period} and {reps} replications. Left: "
                 "by entry route, how many enter management, become senior managers, take a first executive-"
                 "director post and a first chief-executive post (log scale). Right: leavers by the grade they "
                 "left from, with 95% confidence intervals.", fig)


def ratings(mix: pd.DataFrame, sm: pd.DataFrame, palette, baseline, reps: int,
            starts: dict[str, list[tuple[float, float]]]) -> Chart:
    fig, axes = _figure(2, 1, width=10)
    ax = axes[0][0]
    order = ["outstanding", "good", "requires_improvement", "inadequate"]
    colours_ = ["#009E73", "#56B4E9", "#E69F00", "#D55E00"]
    wide = mix.pivot(index="year", columns="group", values="mean").reindex(columns=order).fillna(0)
    ax.stackplot(wide.index, *[wide[c] for c in order], labels=[c.replace("_", " ") for c in order],
                 colors=colours_, alpha=0.85)
    ax.set_title(f"CQC ratings in the baseline ({baseline})")
    ax.set_xlabel("year (31 December)")
    _years(ax)
    ax.set_ylabel("trusts")
    ax.legend(loc="lower left", fontsize=7)
    ax = axes[0][1]
    band_lines(ax, sm, palette, baseline, clip=(0, None))
    mark_starts(ax, starts, palette)
    ax.set_title("trusts in special measures")
    ax.set_xlabel("year (31 December)")
    _years(ax)
    ax.set_ylabel("trusts")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    fig.tight_layout()
    return Chart("ratings", "Trust ratings and special measures over time",
                 f"Left: number of trusts with each CQC rating at 31 December in the baseline, mean of {reps} "
                 "replications. Right: trusts in special measures in each scenario, means with 95% bands; dotted "
                 "lines and triangles mark when each option starts, bars how long it takes to reach full "
                 "effect.", fig)


def representation(shares: pd.DataFrame, palette, baseline, reference: dict[str, float], reps: int,
                   period: str) -> Chart:
    fig, axes = _figure(2, 1, width=10)
    order = ["graduate_trainee", "middle_manager", "senior_manager", "executive_director", "chief_executive"]
    scenarios = list(dict.fromkeys(shares.scenario))
    width = 0.8 / len(scenarios)
    for ax, (kpi, label) in zip(axes[0], (("women_share", "women"), ("ethnic_minority_share", "ethnic-minority staff"))):
        block = shares[shares.kpi == kpi]
        x = np.arange(len(order))
        for i, scenario in enumerate(scenarios):
            b = block[block.scenario == scenario].set_index("group").reindex(order)
            ax.bar(x + i * width, b["mean"], width, yerr=b.ci, color=palette[scenario], label=scenario,
                   error_kw={"lw": 0.8, "ecolor": "#777777"})
        if np.isfinite(reference[kpi]):  # results made before entrants were measured have no line
            ax.axhline(reference[kpi], color="#555555", ls="--", lw=1)
            ax.text(len(order) - 0.6, reference[kpi], " entrants", va="bottom", fontsize=7, color="#555555")
        ax.set_xticks(x + width * (len(scenarios) - 1) / 2)
        ax.set_xticklabels([g.replace("_", "\n") for g in order], fontsize=7)
        ax.set_ylabel(f"share of grade who are {label}")
        _percent(ax)
        ax.set_title(label)
    axes[0][1].legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7)
    fig.tight_layout()
    return Chart("representation", "Representation of women and ethnic-minority staff by grade",
                 f"Share of each grade at 31 December, averaged over {period}; bars are means over {reps} "
                 "replications with 95% confidence intervals. The dashed line is the share among people "
                 "entering management in the baseline over the same years, so a fall along the grades shows "
                 "where the pipeline loses them.", fig)


def cost_effect(points: pd.DataFrame, palette, reps: int, period: str) -> Chart:
    """``points``: scenario, cost (£ per year), effect and effect_ci (post-years without a substantive
    holder avoided a year) and per_unit (the cost per post-year avoided as text, "" if not estimable)."""
    fig, axes = _figure(1, 1, width=7, height=4)
    ax = axes[0][0]
    by_cost = points.cost.rank(method="first")  # neighbours in cost get their prices above and below
    for row in points.itertuples():  # options named in the legend; the points carry only their price
        ax.errorbar(row.cost / 1e6, row.effect, yerr=row.effect_ci, fmt="o", color=palette[row.scenario],
                    capsize=3, label=row.scenario)
        if row.per_unit:
            ax.annotate(f"{row.per_unit}/post-year", (row.cost / 1e6, row.effect), textcoords="offset points",
                        xytext=(6, 3 if by_cost[row.Index] % 2 else -10), fontsize=7)
    ax.axhline(0, color=BASELINE_COLOUR, lw=1)
    ax.set_xscale("symlog", linthresh=1)
    if (points.cost >= 0).all():  # no negative costs: no negative half of the axis
        ax.set_xlim(0, max(1.0, points.cost.max() / 1e6) * 3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7)
    ax.set_xlabel("cost, £ million per year (symmetric log scale)")
    ax.set_ylabel("post-years without a substantive\nholder avoided a year")
    return Chart("cost_effect", "What each option costs and what it buys",
                 f"Horizontal: the mean yearly cost of each option's interventions over {period}, more than the "
                 "baseline's. Vertical: executive post-years without a substantive holder (vacant or covered by an "
                 f"interim) avoided a year across England, compared with the baseline, with 95% intervals over {reps} "
                 "replications. Options above the line reduce them; further left is cheaper. Where the effect's "
                 "interval excludes zero, the label gives the cost per post-year avoided (its interval, by "
                 "Fieller's method, is in the option appraisal).", fig)


def calibration_fit(fit: pd.DataFrame) -> Chart:
    """``fit``: description, value, low, high (tolerance), sim_mean, sim_ci, unit."""
    n = len(fit)
    fig, axes = _figure(1, 1, width=8, height=0.35 * n + 1)
    ax = axes[0][0]
    y = np.arange(n)[::-1]
    scale = np.where(fit.unit.astype(str).str.startswith("share"), 100.0, 1.0)
    for yi, row, s in zip(y, fit.itertuples(), scale):
        ax.plot([row.low * s, row.high * s], [yi, yi], color="#56B4E9", lw=6, alpha=0.6, solid_capstyle="butt")
        ax.plot(row.value * s, yi, "|", color=BASELINE_COLOUR, ms=12, mew=2)
        ax.errorbar(row.sim_mean * s, yi, xerr=row.sim_ci * s, fmt="o", color="#D55E00", ms=4, capsize=2)
    ax.set_yticks(y)
    ax.set_yticklabels([f"{d} ({u})" for d, u in zip(fit.description, np.where(scale > 1, "%", fit.unit))],
                       fontsize=7)
    ax.set_xscale("symlog", linthresh=1)
    ax.set_xlabel("value (shares in %; symmetric log scale)")
    return Chart("calibration_fit", "Does the baseline reproduce the published figures?",
                 "For each calibration target: the published value (black tick), its tolerance (blue bar) and "
                 "the model's mean with a 95% interval over replications (orange).", fig)


def save(chart: Chart, folder) -> dict[str, str]:
    """Write the chart as PNG and SVG; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for ext in ("png", "svg"):
        path = folder / f"{chart.name}.{ext}"
        chart.figure.savefig(path, format=ext, dpi=150 if ext == "png" else None, metadata=_metadata(ext),
                             bbox_inches="tight")
        paths[ext] = str(path)
    return paths


def _metadata(ext: str) -> dict:
    # no creation dates in the files, so the same results give the same charts
    return {"Software": None} if ext == "png" else {"Date": None}
