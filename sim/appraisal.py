"""The option appraisal: for each option against the baseline, in the manner of the HM Treasury
Green Book's appraisal summary — its yearly cost, its effect on the appraised headline measures
with 95% intervals, the cost per executive post-year without a substantive holder avoided, and
the main risks to that conclusion.

Everything is read from a comparison (``sim.stats.compare``'s table and the per-run values) and
the resolved scenarios, so the terminal (``leadsim compare``) and the report show the same
appraisal. Costs and effects are incremental: option minus baseline, replication by replication
(common random numbers). The risks are rules (``RISKS``), each a function of one option and the
facts about it that returns a sentence or None; add a rule to add a risk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from . import measures, stats
from .cohort import GROUP as COHORT, SIZE as COHORT_SIZE
from .interventions import REGISTRY as INTERVENTIONS, Intervention
from .textout import fmt, interval

COST = ("intervention_cost", "total")
PER_UNIT = ("exec_post_years_without_holder", "all")  # cost per post-year of this avoided
RAMP = {"ramp_years", "ramp_shape"}   # how the effect builds up: a setting, not an effect size
COMMON = set(Intervention.model_fields) - {"cost_per_unit"} - RAMP   # window and labels, not settings


@dataclass
class Effect:
    """An option's paired difference from the baseline on one appraised headline (or, with
    ``level``, the baseline's own value)."""
    kpi: str
    group: str
    label: str
    unit: str
    value: float
    ci: float
    verdict: str
    level: bool = False

    @property
    def text(self) -> str:
        return interval(self.value, self.ci, self.unit, diff=not self.level)


@dataclass
class Facts:
    """What the risk rules know about an option besides its numbers."""
    settings: list[dict]                  # its interventions' effect settings (key, value, unit, source)
    cohort_year: int | None
    cohort_trusts: float                  # mean size of the fixed cohort (trusts)
    cohort_posts: float                   # executive posts at those trusts


@dataclass
class Option:
    name: str
    title: str
    cost: float                           # incremental £ a year (mean over replications)
    cost_ci: float
    effects: list[Effect]
    per_unit: stats.Ratio                 # £ per post-year without a substantive holder avoided
    avoided: float                        # post-years avoided a year (mean), the ratio's denominator
    facts: Facts
    risks: list[str] = field(default_factory=list)

    @property
    def cost_text(self) -> str:
        return interval(self.cost, self.cost_ci, "£")

    @property
    def per_unit_text(self) -> str:
        r = self.per_unit
        if not r.estimable:
            return "not estimable: the effect's 95% interval includes zero"
        if self.avoided < 0:
            return "none avoided: more post-years without a substantive holder, not fewer"
        if r.estimate < 0:
            return "saves money as well as post-years"
        return f"{fmt(r.estimate, '£')} ({fmt(r.low, '£')} to {fmt(r.high, '£')})"


@dataclass
class Appraisal:
    baseline: str
    baseline_title: str
    baseline_levels: list[Effect]         # the baseline's own values (diff = its mean)
    baseline_cost: float
    options: list[Option]
    period: str
    replications: int
    cohort_year: int | None
    unit_label: str = "executive post-year without a substantive holder"

    @property
    def baseline_cost_text(self) -> str:
        return fmt(self.baseline_cost, "£")


# -- risks to the conclusion ----------------------------------------------------------------------
def _first_lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def effect_may_be_nil(option: Option, facts: Facts) -> str | None:
    unclear = [_first_lower(e.label) for e in option.effects if e.verdict == "no clear difference"]
    if unclear:
        return "Effect may be nil: the 95% interval includes zero for " + "; ".join(unclear) + "."
    return None


def assumed_effect_sizes(option: Option, facts: Facts) -> str | None:
    assumed = [s for s in facts.settings if s["source"].lower().startswith("assumption")]
    if assumed:
        verb = "is" if len(assumed) == 1 else "are"
        return (f"Rests on assumed effect sizes: {len(assumed)} of its {len(facts.settings)} effect settings {verb} "
                "labelled “assumption”.")
    return None


def few_challenged_trusts(option: Option, facts: Facts) -> str | None:
    if not any(e.group == COHORT for e in option.effects) or not np.isfinite(facts.cohort_trusts):
        return None
    return (f"Few challenged trusts: {facts.cohort_trusts:.0f} in the fixed cohort of {facts.cohort_year} "
            f"(≈{facts.cohort_posts:.0f} executive posts), so 1 pp there is ≈{facts.cohort_posts / 100:.1f} posts.")


RISKS: list[Callable[[Option, Facts], str | None]] = [effect_may_be_nil, assumed_effect_sizes, few_challenged_trusts]


# -- building the appraisal ---------------------------------------------------------------------------
def settings(iv: dict) -> list[dict]:
    """An intervention's settings (everything but its window and labels) with unit and source."""
    cls = INTERVENTIONS.get(iv.get("type"))
    out = []
    for key, value in iv.items():
        if key in COMMON or cls is None or key not in cls.model_fields:
            continue
        extra = cls.model_fields[key].json_schema_extra or {}
        out.append({"key": key, "value": value, "unit": extra.get("unit", ""), "source": extra.get("source", "")})
    return out


def own_interventions(option: dict, baseline: dict) -> list[dict]:
    """The option's interventions that the baseline does not already have."""
    held = baseline.get("interventions", [])
    return [iv for iv in option.get("interventions", []) if iv not in held]


def _per_replication(values: pd.DataFrame, key: tuple[str, str]) -> pd.DataFrame:
    rows = values[(values.kpi == key[0]) & (values.group == key[1])]
    return rows.pivot_table(index="replication", columns="scenario", values="value", aggfunc="first")


def appraise(table: pd.DataFrame, values: pd.DataFrame, baseline: str, resolved: dict[str, dict],
             period: str, cohort_year: int | None = None) -> Appraisal:
    """The appraisal of every scenario but ``baseline`` in ``table`` (``sim.stats.compare`` with a
    unit column) from the per-run ``values`` it was made from and the resolved scenarios."""
    get = table.set_index(["kpi", "group", "scenario"])
    titles = display_titles(resolved, list(dict.fromkeys(table.scenario)))
    heads = measures.appraised()

    def row(key, scenario):
        return get.loc[(*key, scenario)] if (*key, scenario) in get.index else None

    def effect(h, scenario, level=False):
        r = row((h.measure, h.group), scenario)
        unit = measures.unit(h.measure)
        if r is None:
            return Effect(h.measure, h.group, h.label, unit, np.nan, np.nan, "", level)
        return Effect(h.measure, h.group, h.label, unit, r["mean"] if level else r["diff"],
                      r["ci"] if level else r["diff_ci"], "" if level else r["verdict"], level)

    cost, effect_of = _per_replication(values, COST), _per_replication(values, PER_UNIT)
    size = _per_replication(values, COHORT_SIZE)
    posts = _per_replication(values, ("exec_posts", COHORT))
    options = []
    for scenario in [s for s in titles if s != baseline]:
        if scenario not in effect_of or baseline not in effect_of:
            continue
        d_cost = (cost[scenario] - cost[baseline]) if scenario in cost else pd.Series(0.0, index=effect_of.index)
        avoided = effect_of[baseline] - effect_of[scenario]
        both = pd.concat([d_cost.rename("cost"), avoided.rename("avoided")], axis=1).dropna()
        own = own_interventions(resolved.get(scenario, {}), resolved.get(baseline, {}))
        facts = Facts([s for iv in own for s in settings(iv) if s["key"] not in {"cost_per_unit", *RAMP}],
                      cohort_year,
                      float(size[scenario].mean()) if scenario in size else np.nan,
                      float(posts[scenario].mean()) if scenario in posts else np.nan)
        cost_row = row(COST, scenario)
        option = Option(scenario, titles[scenario],
                        float(cost_row["diff"]) if cost_row is not None else 0.0,
                        float(cost_row["diff_ci"]) if cost_row is not None else np.nan,
                        [effect(h, scenario) for h in heads],
                        stats.ratio_of_means(both.cost.to_numpy(), both.avoided.to_numpy()),
                        float(both.avoided.mean()), facts)
        option.risks = [text for rule in RISKS if (text := rule(option, facts))]
        options.append(option)
    base_cost = row(COST, baseline)
    return Appraisal(baseline, titles.get(baseline, baseline), [effect(h, baseline, level=True) for h in heads],
                     float(base_cost["mean"]) if base_cost is not None else 0.0, options, period,
                     int(table.n.max()) if len(table) else 0, cohort_year)


def display_titles(resolved: dict[str, dict], names: list[str]) -> dict[str, str]:
    """A human title for each scenario name: its ``title``, with the name added where two share one
    (e.g. the points of a sweep, which inherit their scenario's title)."""
    titles = {n: (resolved.get(n) or {}).get("title") or n for n in names}
    shared = {t for t in titles.values() if list(titles.values()).count(t) > 1}
    return {n: f"{t} ({n})" if t in shared and t != n else t for n, t in titles.items()}
