"""Calibration targets: published figures, each a measure of ``sim/measures.py`` over a period.

``calibration/targets.yaml`` lists the figures. Each names a measure, a group, the measure's
settings (e.g. a role, or a Kaplan–Meier window) and a period of calendar years with a pooling
rule, so a target is measured by the same code as the KPI of the same name — there is no second
definition here. ``calibration/parameters.yaml`` lists the free parameters with their ranges.
Both files are validated like scenario files: a mistake raises ``ScenarioError`` naming the file,
the key path, what was expected and what was found.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from . import measures, metrics
from .inputs import describe_type, read_yaml
from .params import Params
from .params.overrides import ParamError, get, nest, with_overrides
from .registry import MEAN_OF_YEARS, POOLED, WINDOW
from .scenario import ScenarioError, describe
from .tables import Period, Tables

TARGETS_FILE = "calibration/targets.yaml"
PARAMETERS_FILE = "calibration/parameters.yaml"


# -- the target model ----------------------------------------------------------------------------
class Source(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    year: int = Field(strict=True, ge=1900, le=2200)
    url: str = Field(pattern=r"^https?://")
    note: str = ""


class Target(BaseModel):
    """One published figure and the measure that computes it (see calibration/targets.yaml)."""
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    description: str = Field(min_length=1)
    definition: str = Field(min_length=1)
    value: float
    tolerance: tuple[float, float]
    tolerance_reason: str = Field(min_length=1)
    year: int = Field(strict=True, ge=1900, le=2200)
    year_to: int | None = Field(None, strict=True, ge=1900, le=2200)
    source: Source
    measure: str
    group: str = "all"
    settings: dict[str, Any] = Field(default_factory=dict)
    pool: Literal["pooled", "mean_of_years"] = POOLED
    reproduced: str = Field("", description="if the model reproduces this figure by construction (an input, "
                                            "e.g. a cut-point set from it), why: it is shown but not fitted or "
                                            "counted")
    held_out: str = Field("", description="if this figure is kept out of the fit to check the calibrated model "
                                          "out of sample, why: it is shown and scored apart, never fitted")

    @property
    def independent(self) -> bool:
        """Whether matching this figure is evidence of fit (it is not an input restated)."""
        return not self.reproduced

    @property
    def fitted(self) -> bool:
        """Whether the calibration fits this figure: independent and not held out."""
        return self.independent and not self.held_out

    @property
    def period(self) -> Period:
        """The calendar years covered, ``year`` to ``year_to`` inclusive."""
        return Period(self.year, self.year_to or self.year)

    @property
    def unit(self) -> str:
        return measures.unit(self.measure)


class FreeParameter(BaseModel):
    """A parameter the calibration may vary, with its range (see calibration/parameters.yaml)."""
    model_config = ConfigDict(extra="forbid")
    path: str = Field(pattern=r"^[a-z_]+(\.[A-Za-z0-9_]+)+$")
    low: float
    high: float
    log: bool
    reason: str = Field(min_length=1)


def measure(run: Tables, targets: list[Target]) -> dict[str, float]:
    """Every target's value on one run, by id."""
    return {t.id: metrics.value(run, t.measure, t.group, t.period, t.settings, t.pool) for t in targets}


# -- loading -------------------------------------------------------------------------------------
def _read_list(path: Path, key: str) -> list:
    doc = read_yaml(path, "YAML file")
    if not isinstance(doc, dict) or set(doc) != {key}:
        found = sorted(map(str, doc)) if isinstance(doc, dict) else describe_type(doc)
        raise ScenarioError(path, "(document)", f"a mapping with the single key '{key}'", found)
    if not isinstance(doc[key], list) or not doc[key]:
        raise ScenarioError(path, key, "a non-empty list", describe_type(doc[key]))
    return doc[key]


def _validate(model: type[BaseModel], raw: Any, path: Path, where: str):
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise ScenarioError(path, *describe(exc, model, where)) from None


def _check_measure(t: Target, path: Path, where: str) -> None:
    """The measure exists, has the group, accepts the settings, and can pool as asked."""
    m = measures.get(t.measure)
    if m is None:
        raise ScenarioError(path, f"{where}.measure", "one of " + ", ".join(measures.REGISTRY), t.measure)
    if m.fixed_groups and t.group not in m.fixed_groups:
        raise ScenarioError(path, f"{where}.group", f"a group of {m.name}: " + ", ".join(m.fixed_groups), t.group)
    for key, value in t.settings.items():
        loc = f"{where}.settings.{key}"
        if key not in m.settings:
            raise ScenarioError(path, loc, f"a setting of {m.name}: {', '.join(m.settings) or 'no settings'}", key)
        expected = m.settings[key].problem(value)
        if expected:
            raise ScenarioError(path, loc, expected, value)
    for key, setting in m.settings.items():
        if setting.targets_must_set and key not in t.settings:
            raise ScenarioError(path, f"{where}.settings.{key}", f"a value (required by {m.name})", "nothing")
    if t.pool == MEAN_OF_YEARS and m.reduce == WINDOW:
        raise ScenarioError(path, f"{where}.pool", f"pooled ({m.name} is one figure over its window)", t.pool)


def load_targets(path: str | Path = TARGETS_FILE) -> list[Target]:
    """Read and validate the calibration targets."""
    path = Path(path)
    targets, seen = [], set()
    for i, raw in enumerate(_read_list(path, "targets")):
        where = f"targets[{i}]"
        t = _validate(Target, raw, path, where)
        if t.id in seen:
            raise ScenarioError(path, f"{where}.id", "an id not used by an earlier target", t.id)
        seen.add(t.id)
        low, high = t.tolerance
        if not low <= t.value <= high:
            raise ScenarioError(path, f"{where}.tolerance", f"an interval [low, high] containing the value {t.value:g}",
                                [low, high])
        if t.year_to is not None and t.year_to <= t.year:
            raise ScenarioError(path, f"{where}.year_to", f"a year after year ({t.year}), or no year_to", t.year_to)
        _check_measure(t, path, where)
        targets.append(t)
    return targets


def parameter_default(path: str, params: Params | None = None) -> Any:
    """The current value at a dotted parameter path (``KeyError`` if there is none)."""
    return get(params or Params(), path)


def override(path: str, value: Any) -> dict:
    """The nested override mapping that sets ``path`` to ``value`` (for ``with_overrides``)."""
    return nest({path: value})


def load_parameters(path: str | Path = PARAMETERS_FILE) -> list[FreeParameter]:
    """Read and validate the free parameters: each path exists, its range is valid for the
    parameter and contains the current default."""
    path = Path(path)
    out, seen, base = [], set(), Params()
    for i, raw in enumerate(_read_list(path, "parameters")):
        where = f"parameters[{i}]"
        fp = _validate(FreeParameter, raw, path, where)
        if fp.path in seen:
            raise ScenarioError(path, f"{where}.path", "a path not listed earlier", fp.path)
        seen.add(fp.path)
        try:
            default = parameter_default(fp.path, base)
        except KeyError:
            default = None
        if isinstance(default, bool) or not isinstance(default, (int, float)):
            raise ScenarioError(path, f"{where}.path", "a dotted path to a numeric parameter", fp.path)
        if not fp.low < fp.high:
            raise ScenarioError(path, f"{where}.high", f"a number above low ({fp.low:g})", fp.high)
        if fp.log and fp.low <= 0:
            raise ScenarioError(path, f"{where}.low", "a positive number (log: true)", fp.low)
        if not fp.low <= default <= fp.high:
            raise ScenarioError(path, where, f"a range [low, high] containing the default {default:g}",
                                [fp.low, fp.high])
        for bound in ("low", "high"):
            value = getattr(fp, bound)
            value = int(value) if isinstance(default, int) and float(value).is_integer() else value
            try:
                with_overrides(base, override(fp.path, value))
            except ParamError as exc:
                raise ScenarioError(path, f"{where}.{bound}", f"a value the parameter accepts: {exc.expected}",
                                    value) from None
        out.append(fp)
    return out
