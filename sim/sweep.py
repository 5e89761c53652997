"""Sweep files: a design over scenario parameters and intervention settings.

    name: new_deal_settings
    description: How does the new deal's effect depend on how it is set up?
    scenario: new_deal.yaml        # every design point starts from this scenario (relative path)
    baseline: baseline.yaml        # optional: each point is compared with it, paired by replication
    design: grid                   # grid | latin_hypercube | sobol (scipy.stats.qmc)
    samples: 16                    # points for latin_hypercube and sobol
    replications: 10
    seed: 1
    factors:
      interventions.new_deal.chief_executive_only: {levels: [true, false]}
      interventions.new_deal.removal_multiplier: {range: [0.3, 1.0], levels: 3}

A factor is ``params.<parameter path>`` or ``interventions.<name>.<setting>``; its values are a
list of ``levels``, or a ``range`` (grid: ``levels`` evenly spaced values; sampled designs: any
value in the range, whole numbers with ``integer: true``). Each design point becomes a scenario,
validated like a scenario file and recorded with its factor values. With a baseline, parameters
cannot be factors: the baseline would keep the default while the option's world changed. Vary
them as uncertainties in a design file (``sim/design.py``), which runs both in every world.
"""

from __future__ import annotations

import copy
import itertools
import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, FiniteFloat, ValidationError, model_validator
from scipy.stats import qmc

from . import interventions
from .inputs import NAME_PATTERN, describe_type, located, read_yaml
from .scenario import Scenario, ScenarioError, build, describe, idle_interventions, load, resolve, scenario_file


MAX_POINTS = 10_000   # design points in one sweep (each is a scenario held in memory)
MAX_LEVELS = 1_000


class Factor(BaseModel):
    model_config = ConfigDict(extra="forbid")
    levels: list[Any] | int | None = Field(None, description="values to try, or (with range, grid) how many")
    range: list[FiniteFloat] | None = Field(None, min_length=2, max_length=2, description="[low, high]")
    integer: bool = Field(False, description="draw whole numbers from the range")

    @model_validator(mode="after")
    def _one_kind(self):
        if self.range is None and not isinstance(self.levels, list):
            raise ValueError("either levels: [a list of values] or range: [low, high]")
        if self.range is not None and isinstance(self.levels, list):
            raise ValueError("levels as a list or a range, not both")
        if isinstance(self.levels, list) and not 1 <= len(self.levels) <= MAX_LEVELS:
            raise ValueError(f"between 1 and {MAX_LEVELS} levels")
        if isinstance(self.levels, bool) or (isinstance(self.levels, int) and not 2 <= self.levels <= MAX_LEVELS):
            raise ValueError(f"levels: a whole number of evenly spaced values from 2 to {MAX_LEVELS}, "
                             f"found {self.levels}")
        if self.range is not None and not self.range[0] <= self.range[1]:
            raise ValueError(f"range low ≤ high, found {self.range}")
        return self


class SweepDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=NAME_PATTERN)
    description: str = ""
    scenario: str = Field(description="scenario file every point starts from (relative path)")
    baseline: str | None = Field(None, description="scenario file each point is compared with")
    design: Literal["grid", "latin_hypercube", "sobol"] = "grid"
    samples: int = Field(8, ge=1, le=MAX_POINTS)
    replications: int = Field(10, ge=1, le=10_000)
    seed: int = Field(1, ge=0, le=2**63 - 1)
    factors: dict[str, Factor] = Field(min_length=1, max_length=50)

    @model_validator(mode="after")
    def _bounded(self):
        if self.design == "grid":
            points = math.prod(len(_grid_values(f)) for f in self.factors.values())
            if points > MAX_POINTS:
                raise ValueError(f"a grid of at most {MAX_POINTS:,} points, found {points:,}")
        return self


@dataclass
class Sweep:
    name: str
    description: str
    baseline: Scenario | None
    points: list[Scenario]
    factors: dict[str, dict]          # point name → {factor: value}
    replications: int
    seed: int
    idle: list[str] = field(default_factory=list)  # points whose interventions miss the run: a warning


def _grid_values(factor: Factor) -> list:
    if isinstance(factor.levels, list):
        return factor.levels
    count = factor.levels if isinstance(factor.levels, int) else 2
    values = np.linspace(factor.range[0], factor.range[1], count)
    return [int(round(v)) if factor.integer else float(v) for v in values]


def _from_unit(factor: Factor, u: float):
    if isinstance(factor.levels, list):
        return factor.levels[min(int(u * len(factor.levels)), len(factor.levels) - 1)]
    lo, hi = factor.range
    if factor.integer:
        return int(min(np.floor(lo + u * (hi - lo + 1)), hi))
    return float(lo + u * (hi - lo))


def design(doc: SweepDocument) -> list[dict]:
    """The design points: one {factor: value} per point."""
    names = list(doc.factors)
    if doc.design == "grid":
        return [dict(zip(names, combo)) for combo in itertools.product(*(_grid_values(doc.factors[n]) for n in names))]
    if doc.design == "latin_hypercube":
        unit = qmc.LatinHypercube(d=len(names), seed=doc.seed).random(doc.samples)
    else:
        with warnings.catch_warnings():  # scipy warns when samples is not a power of 2
            warnings.simplefilter("ignore", UserWarning)
            unit = qmc.Sobol(d=len(names), scramble=True, seed=doc.seed).random(doc.samples)
    return [{n: _from_unit(doc.factors[n], u) for n, u in zip(names, row)} for row in unit]


def _apply(doc: dict, factor: str, value, path: Path) -> None:
    parts = factor.split(".")
    if parts[0] == "params" and len(parts) >= 2:
        target = doc.setdefault("params", {})
        for key in parts[1:-1]:
            target = target.setdefault(key, {})
            if not isinstance(target, dict):
                raise ScenarioError(path, f"factors.{factor}", "a path to a parameter", factor)
        target[parts[-1]] = value
        return
    if parts[0] == "interventions" and len(parts) == 3:
        for entry in doc.get("interventions", []):
            if interventions.label(entry) == parts[1]:
                entry[parts[2]] = value
                return
        names = ", ".join(interventions.label(e) for e in doc.get("interventions", [])) or "none"
        raise ScenarioError(path, f"factors.{factor}", f"an intervention of the scenario ({names})", parts[1])
    raise ScenarioError(path, f"factors.{factor}", "params.<parameter path> or interventions.<name>.<setting>",
                        factor)


def load_sweep(path: str | Path) -> Sweep:
    """Read and validate a sweep file and every design point it defines."""
    path = Path(path)
    raw = read_yaml(path, "sweep file")
    if not isinstance(raw, dict):
        raise ScenarioError(path, "(document)", "a mapping with name, scenario and factors", describe_type(raw))
    try:
        doc = SweepDocument.model_validate(raw)
    except ValidationError as exc:
        raise ScenarioError(path, *describe(exc, SweepDocument)) from None
    confounded = [f for f in doc.factors if f.startswith("params.")] if doc.baseline else []
    if confounded:  # the baseline would stay at the default while the option's world changes
        raise ScenarioError(path, f"factors.{confounded[0]}", "only interventions.<name>.<setting> factors when "
                            "points are compared with a baseline (a parameter varied for the option alone confounds "
                            "its effect with the changed assumption): put it under uncertainties: in a design file "
                            "(scenarios/README.md)", confounded[0])
    for key in ("scenario", "baseline"):
        value = getattr(doc, key)
        if value is not None:
            scenario_file(path, value, key)
    base_doc = resolve(path.parent / doc.scenario)
    points, factors, idle = [], {}, []
    for i, values in enumerate(design(doc)):
        point = copy.deepcopy(base_doc)
        for factor, value in values.items():
            _apply(point, factor, value, path)
        point["name"] = f"{doc.name}-{i:03d}"
        point["description"] = f"{doc.name}: " + ", ".join(f"{k} = {v}" for k, v in values.items())
        try:
            scenario = build(point, path)
        except ScenarioError as exc:  # a factor value the scenario rejects: say which factor
            raise located(exc, path, "factors") from None
        idle += [f"{scenario.name} ({scenario.description}): {where} {message}"
                 for where, message in idle_interventions(scenario)]
        points.append(scenario)
        factors[scenario.name] = values
    baseline = load(path.parent / doc.baseline) if doc.baseline else None
    return Sweep(doc.name, doc.description, baseline, points, factors, doc.replications, doc.seed, idle)
