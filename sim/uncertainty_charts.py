"""Charts of the uncertainty analyses, in the house style of ``sim/charts.py``: Morris screening,
Sobol indices, shares of plausible worlds, and a threshold search."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .charts import BASELINE_COLOUR, Chart, _figure, plt

BETTER, BETTER_LIGHT, WORSE_LIGHT, WORSE = "#0072B2", "#9ecae1", "#fdd0a2", "#D55E00"


def morris(option: str, table: pd.DataFrame, labels: dict[tuple, str], note: str, top: int = 15) -> Chart:
    """Heat map: rows the assumptions with the largest μ*, columns the measures; each cell μ*
    relative to the largest for that measure, greyed where it is within simulation noise."""
    table = table.assign(measure=[labels.get((k, g), f"{k} · {g}") for k, g in zip(table.kpi, table.group)],
                         noise=table.mu_star <= table.noise_floor)
    wide = table.pivot_table(index="factor", columns="measure", values="relative", sort=False).fillna(0.0)
    wide = wide.loc[wide.max(axis=1).sort_values(ascending=False, kind="stable").index[:top]]
    noise = table.pivot_table(index="factor", columns="measure", values="noise", aggfunc="max", sort=False) \
        .reindex(index=wide.index, columns=wide.columns).fillna(False).astype(bool)
    fig, axes = _figure(1, 1, width=max(6.0, 1.0 + 0.75 * wide.shape[1]), height=max(2.6, 1.4 + 0.28 * len(wide)))
    ax = axes[0][0]
    ax.grid(False)
    ax.imshow(wide.to_numpy(), cmap="Blues", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(wide.shape[1]))
    ax.set_xticklabels(wide.columns, rotation=35, ha="right", fontsize=7)
    ax.set_yticks(range(len(wide)))
    ax.set_yticklabels([f.split(".", 1)[1] for f in wide.index], fontsize=7)
    for (i, j), v in np.ndenumerate(wide.to_numpy()):
        if noise.iat[i, j]:
            ax.add_patch(plt.Rectangle((j - 0.5, i - 0.5), 1, 1, color="#eeeeee"))
        ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=6,
                color="#999999" if noise.iat[i, j] else ("white" if v > 0.6 else "#222222"))
    # the height above leaves about an inch for the slanted measure names; a longer name gets the rest
    # (else tight_layout cannot fit it and squeezes the rows)
    renderer = fig.canvas.get_renderer()
    names = max((t.get_window_extent(renderer).height for t in ax.get_xticklabels()), default=0.0) / fig.dpi
    fig.set_figheight(fig.get_figheight() + max(0.0, names - 1.0))
    fig.tight_layout()
    return Chart(f"morris_{option}", f"Which assumptions move the effect of {option} most (Morris screening)",
                 "Each cell: μ* — the mean absolute change in the paired difference from the baseline when one "
                 "assumption moves by a Morris step — relative to the largest for that measure (1 = the most "
                 "influential); grey where μ* is below the noise floor, i.e. not distinguishable from simulation "
                 f"noise. {note}", fig)


def sobol(option: str, table: pd.DataFrame, labels: dict[tuple, str], note: str) -> Chart:
    """First-order and total-order indices of the leading assumptions, one panel per measure."""
    keys = list(dict.fromkeys(zip(table.kpi, table.group)))
    ncols = min(3, len(keys))
    nrows = int(np.ceil(len(keys) / ncols))
    fig, axes = _figure(ncols, nrows, width=3.4 * ncols, height=max(2.4, 0.9 + 0.35 * table.factor.nunique()))
    for ax, key in zip(axes.flat, keys):
        block = table[(table.kpi == key[0]) & (table.group == key[1])]
        y = np.arange(len(block))[::-1]
        ax.barh(y + 0.18, block.S1, 0.36, xerr=block.S1_conf, color=BETTER_LIGHT, label="first order S1")
        ax.barh(y - 0.18, block.ST, 0.36, xerr=block.ST_conf, color=BETTER, label="total order ST")
        ax.set_yticks(y)
        ax.set_yticklabels([f.split(".", 1)[1] for f in block.factor], fontsize=7)
        ax.set_xlim(0, 1.05)
        ax.set_title(labels.get(key, f"{key[0]} · {key[1]}"), fontsize=8)
    for ax in list(axes.flat)[len(keys):]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    return Chart(f"sobol_{option}", f"How much of the variation in the effect of {option} each assumption explains",
                 "Sobol indices of the paired difference from the baseline: S1, the share of its variance due to "
                 "the assumption alone; ST, including its interactions with the others (95% bootstrap intervals). "
                 f"{note}", fig)


def shares(table: pd.DataFrame, labels: dict[tuple, str], note: str) -> Chart:
    """Per option, the share of plausible worlds in which it is clearly better, better within noise,
    worse within noise and clearly worse than the baseline, measure by measure."""
    table = table.dropna(subset=["share_better"])
    options = list(dict.fromkeys(table.option))
    keys = list(dict.fromkeys(zip(table.kpi, table.group)))
    fig, axes = _figure(len(options), 1, width=max(6.0, 4.2 * len(options)), height=max(2.4, 0.9 + 0.32 * len(keys)))
    for ax, option in zip(axes[0], options):
        block = table[table.option == option].set_index(["kpi", "group"]).reindex(keys)
        y = np.arange(len(keys))[::-1]
        cb, b, cw = block.share_clearly_better, block.share_better, block.share_clearly_worse
        parts = [(cb, BETTER, "clearly better"), (b - cb, BETTER_LIGHT, "better, within noise"),
                 (1 - b - cw, WORSE_LIGHT, "not better, within noise"), (cw, WORSE, "clearly worse")]
        left = np.zeros(len(keys))
        for width, colour, name in parts:
            width = width.fillna(0).to_numpy().clip(0, 1)
            ax.barh(y, width, left=left, color=colour, label=name)
            left += width
        ax.set_yticks(y)
        ax.set_yticklabels([labels.get(k, f"{k[0]} · {k[1]}") for k in keys], fontsize=7)
        ax.set_xlim(0, 1)
        ax.axvline(0.5, color=BASELINE_COLOUR, lw=0.6, ls=":")
        ax.set_title(option, fontsize=9)
        ax.set_xlabel("share of plausible worlds")
    axes[0][0].legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=2)
    fig.tight_layout()
    return Chart("robustness", "In how many plausible worlds does each option beat the baseline?",
                 "Each bar splits the worlds sampled over the uncertain assumptions: where the option is better than "
                 "the baseline with a 95% interval excluding no difference (dark blue), better on average but within "
                 f"simulation noise (light blue), not better within noise, and clearly worse. {note}", fig)


def threshold(result, label: str, unit_scale: float, note: str) -> Chart:
    """The paired difference at every probe with its 95% interval, and the break-even value."""
    probes = sorted(result.probes, key=lambda p: p.value)
    x = np.array([p.value for p in probes])
    y = np.array([p.mean for p in probes]) * unit_scale
    hw = np.array([p.half_width for p in probes]) * unit_scale
    fig, axes = _figure(1, 1, width=6.5, height=3.4)
    ax = axes[0][0]
    ax.errorbar(x, y, yerr=hw, fmt="o-", color=BETTER, ms=4, capsize=2, lw=1)
    ax.axhline(0, color=BASELINE_COLOUR, lw=1)
    if result.estimate is not None:
        ax.axvline(result.estimate, color=WORSE, lw=1.2, ls="--")
        lo, hi = result.ci
        ax.axvspan(max(lo, result.low), min(hi, result.high), color=WORSE, alpha=0.12, lw=0)
    ax.set_xlabel(result.factor.split(".", 1)[1])
    ax.set_ylabel(f"{result.option} − {result.against}" + (" (pp)" if unit_scale == 100 else ""))
    ax.set_title(label, fontsize=9)
    fig.tight_layout()
    return Chart("threshold", f"At what value of {result.factor.split('.', 1)[1]} does {result.option} stop paying off?",
                 "Mean paired difference at each value tried by the bisection, with 95% intervals over replications; "
                 "dashed: the break-even value, shaded: its 95% bootstrap interval. " + note, fig)
