"""Design files: policy options (levers) against uncertainties, as EMA Workbench separates them.

    name: new_deal_strength
    description: Does the new deal help whatever leadership feedback turns out to be?
    baseline: ../baseline.yaml
    options:                                   # the levers: scenario files (relative paths)
      - ../new_deal.yaml
      - scenario: ../new_deal.yaml             # the same package with a lever set otherwise
        name: new_deal_all_executives
        settings: {interventions.new_deal.chief_executive_only: false}
    uncertainties:                             # what nobody chooses: a range and the reason for it
      params.performance.leadership_feedback:
        range: [0.0, 0.3]
        reason: Janke, Propper & Sadun 2019 bound a CEO's effect at about 0.1 SD
      interventions.new_deal.removal_multiplier: {range: [0.3, 1.0], reason: assumption, Kerr 1.6}
    include: [assumptions, calibration]        # add the default uncertainties (sim/uncertainties.py)
    calibration: ../../calibration             # parameters.yaml (ranges) and ensemble.parquet (draws)
    sample: {design: latin_hypercube, points: 16, ensemble_draws: 4}   # leadsim sweep / robustness
    sensitivity: {trajectories: 6, levels: 4, sobol_samples: 0, sobol_factors: 4}
    replications: 4                            # per world (uncertainty point), common random numbers
    seed: 1
    run: {end_year: 2031}                      # optional: every scenario's run settings, e.g. a shorter horizon
    period: [2022, 2030]                       # optional: years averaged (default: the last ten reported)
    measures: [exec_vacant_or_interim:all]     # optional: default the headline measures

A **world** is one point of the uncertainties. In every world the baseline and every option run
with the same uncertain values and the same random numbers (replication *r* of each uses the same
streams), and differences are taken within the world: an option's effect is never confounded
with a changed assumption. A parameter uncertainty applies to every scenario; an effect size
``interventions.<name>.<setting>`` to every scenario that has that intervention. ``include``
defaults to both default sets when the file lists no uncertainties, to neither otherwise.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, FiniteFloat, ValidationError, model_validator

from . import interventions, measures
from .inputs import NAME_PATTERN, describe_type, read_yaml
from .params import Params
from .params.overrides import get, nest
from .scenario import Scenario, ScenarioError, _merge, build, describe, resolve, scenario_file
from .uncertainties import Uncertainty, assumed_settings, calibrated


class UncertaintyEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    range: list[FiniteFloat] = Field(min_length=2, max_length=2, description="[low, high]")
    reason: str = Field(min_length=1, description="why this range: a source, or 'assumption' and its basis")
    log: bool = Field(False, description="sample on a log scale (positive ranges)")
    integer: bool = Field(False, description="whole numbers")

    @model_validator(mode="after")
    def _ordered(self):
        if not self.range[0] < self.range[1]:
            raise ValueError(f"a range [low, high] with low < high, found {self.range}")
        if self.log and self.range[0] <= 0:
            raise ValueError(f"a positive range for log: true, found {self.range}")
        return self


class OptionEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scenario: str = Field(description="scenario file (relative path)")
    name: str | None = Field(None, pattern=NAME_PATTERN, description="name in results (default: the scenario's)")
    settings: dict[str, Any] = Field(default_factory=dict, description="levers fixed for this option: "
                                     "interventions.<name>.<setting> or params.<path>")


class SampleEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    design: Literal["latin_hypercube", "sobol", "grid"] = "latin_hypercube"
    points: int = Field(16, ge=1, le=10_000, description="points of a latin_hypercube or sobol sample")
    levels: int = Field(3, ge=2, le=50, description="values per uncertainty of a grid")
    ensemble_draws: int = Field(0, ge=0, le=1_000, description="calibration-ensemble draws crossed with the points")


class SensitivityEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    trajectories: int = Field(6, ge=2, le=1_000, description="Morris trajectories")
    levels: int = Field(4, ge=2, le=20, multiple_of=2, description="Morris grid levels (even)")
    sobol_samples: int = Field(0, ge=0, le=4_096, description="Saltelli base samples N, a power of 2 (0: skip)")
    sobol_factors: int = Field(4, ge=1, le=20, description="leading Morris factors given Sobol indices")

    @model_validator(mode="after")
    def _power_of_two(self):
        n = self.sobol_samples
        if n and n & (n - 1):
            raise ValueError(f"sobol_samples a power of 2 (or 0), found {n}")
        return self


class DesignDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=NAME_PATTERN)
    description: str = ""
    baseline: str = Field(description="the baseline scenario file (relative path)")
    options: list[str | OptionEntry] = Field(min_length=1, max_length=20)
    uncertainties: dict[str, UncertaintyEntry] = Field(default_factory=dict, max_length=200)
    include: list[Literal["assumptions", "calibration"]] | None = None
    calibration: str | None = Field(None, description="calibration folder (relative path)")
    sample: SampleEntry = Field(default_factory=SampleEntry)
    sensitivity: SensitivityEntry = Field(default_factory=SensitivityEntry)
    replications: int = Field(4, ge=1, le=10_000)
    seed: int = Field(1, ge=0, le=2**63 - 1)
    run: dict[str, Any] = Field(default_factory=dict, description="run settings for every scenario")
    period: list[int] | None = Field(None, min_length=2, max_length=2)
    measures: list[str] | None = Field(None, min_length=1)


@dataclass
class Role:
    """The baseline or one option: its name and resolved scenario document."""
    name: str
    doc: dict
    description: str


@dataclass
class Design:
    name: str
    description: str
    path: Path
    baseline: Role
    options: list[Role]
    uncertainties: list[Uncertainty]
    sample: SampleEntry
    sensitivity: SensitivityEntry
    replications: int
    seed: int
    period: tuple[int, int] | None
    measures: list[tuple[str, str]]
    ensemble: Path | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def roles(self) -> list[Role]:
        return [self.baseline, *self.options]

    def uncertainty(self, factor: str) -> Uncertainty | None:
        return next((u for u in self.uncertainties if u.factor == factor), None)

    def scenarios_at(self, values: dict[str, Any]) -> dict[str, tuple[Scenario, dict]]:
        """Every role's scenario in the world ``values`` ({factor: value}), with the values that
        apply to it. Equal worlds of a role get equal names (role.digest), so the results store
        runs them once."""
        out = {}
        for role in self.roles:
            doc = copy.deepcopy(role.doc)
            applied = {f: v for f, v in values.items() if apply(doc, f, v)}
            doc["name"], doc["description"] = role.name, f"{role.description} (design {self.name})"
            try:
                scenario = build(doc, self.path)
            except ScenarioError as exc:
                raise ScenarioError(self.path, f"{role.name} at {applied} ({exc.path})", exc.expected,
                                    exc.found) from None
            out[role.name] = (replace(scenario, name=f"{role.name}.{content_digest(scenario)}"), applied)
        return out


def content_digest(scenario: Scenario) -> str:
    """Hash of what a scenario simulates (parameters, interventions, run), not of its name."""
    resolved = scenario.resolved()
    blob = json.dumps({k: resolved[k] for k in ("params", "interventions", "run")}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:10]


def apply(doc: dict, factor: str, value: Any) -> bool:
    """Set ``factor`` to ``value`` in a resolved scenario document; False if it has no such
    intervention (a parameter always applies)."""
    kind, _, rest = factor.partition(".")
    if kind == "params":
        doc["params"] = _merge(doc.get("params", {}), nest({rest: value}))
        return True
    label, _, setting = rest.partition(".")
    hit = False
    for entry in doc.get("interventions", []):
        if interventions.label(entry) == label:
            entry[setting] = value
            hit = True
    return hit


def _check_factor(path: Path, where: str, factor: str, roles: list[Role]) -> None:
    kind, _, rest = factor.partition(".")
    if kind == "params":
        try:
            leaf = get(Params(), rest)
        except KeyError:
            raise ScenarioError(path, where, "params.<a parameter path listed by leadsim params>", factor) from None
        if isinstance(leaf, bool) or not isinstance(leaf, (int, float)):
            raise ScenarioError(path, where, "a numeric parameter", factor)
        return
    label, _, setting = rest.partition(".")
    if kind != "interventions" or not setting or "." in setting:
        raise ScenarioError(path, where, "params.<parameter path> or interventions.<name>.<setting>", factor)
    entries = [e for r in roles for e in r.doc.get("interventions", []) if interventions.label(e) == label]
    if not entries:
        names = sorted({interventions.label(e) for r in roles for e in r.doc.get("interventions", [])})
        raise ScenarioError(path, where, f"an intervention of the baseline or an option ({', '.join(names) or 'none'})",
                            label)
    cls = interventions.REGISTRY[entries[0]["type"]]
    if setting not in cls.model_fields or setting in ("type", "name"):
        raise ScenarioError(path, where, f"a setting of {entries[0]['type']} (see leadsim interventions)", setting)


def _read(path: Path) -> dict:
    raw = read_yaml(path, "design file")
    if not isinstance(raw, dict):
        raise ScenarioError(path, "(document)", "a mapping with name, baseline and options", describe_type(raw))
    return raw


def is_design(path: str | Path) -> bool:
    """True if ``path`` reads as a design file (it has ``options``), not an older sweep file."""
    try:
        return "options" in _read(Path(path))
    except ScenarioError:
        return False


def _role(path: Path, where: str, scenario: str, name: str | None, run: dict) -> Role:
    doc = resolve(scenario_file(path, scenario, where))
    doc = copy.deepcopy(doc)
    doc["run"] = _merge(doc.get("run", {}), run)
    return Role(name or doc["name"], doc, doc.get("description", "").strip().split("\n")[0][:200])


def _measures(path: Path, names: list[str] | None) -> list[tuple[str, str]]:
    if not names:
        return [(h.measure, h.group) for h in measures.headlines()]
    out = []
    for i, spec in enumerate(names):
        kpi, _, group = spec.partition(":")
        m = measures.get(kpi)
        if m is None:
            raise ScenarioError(path, f"measures[{i}]", "a measure listed in the README's KPI table", kpi)
        out.append((kpi, group or "all"))
    return out


def load_design(path: str | Path) -> Design:
    """Read and validate a design file: its scenarios, uncertainties (with the defaults it asks
    for) and the world at every range end."""
    path = Path(path)
    try:
        doc = DesignDocument.model_validate(_read(path))
    except ValidationError as exc:
        raise ScenarioError(path, *describe(exc, DesignDocument)) from None
    baseline = _role(path, "baseline", doc.baseline, None, doc.run)
    options = []
    for i, entry in enumerate(doc.options):
        entry = OptionEntry(scenario=entry) if isinstance(entry, str) else entry
        role = _role(path, f"options[{i}].scenario", entry.scenario, entry.name, doc.run)
        for factor, value in entry.settings.items():
            where = f"options[{i}].settings.{factor}"
            _check_factor(path, where, factor, [role])
            apply(role.doc, factor, value)
        options.append(role)
    names = [r.name for r in (baseline, *options)]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise ScenarioError(path, "options", "options named differently from each other and the baseline (give "
                            "an option a name:)", ", ".join(dup))
    roles = [baseline, *options]
    base_params = build({**copy.deepcopy(baseline.doc), "name": baseline.name}, path).params
    found: dict[str, Uncertainty] = {}
    for factor, entry in doc.uncertainties.items():
        _check_factor(path, f"uncertainties.{factor}", factor, roles)
        found[factor] = Uncertainty(factor, entry.range[0], entry.range[1], entry.reason, nominal=_nominal(factor, roles, base_params),
                                    log=entry.log, integer=entry.integer)
    include = doc.include if doc.include is not None else ([] if doc.uncertainties else ["assumptions", "calibration"])
    notes, ensemble = [], None
    if "assumptions" in include:
        extra, left_out = assumed_settings((r.name, e) for r in options for e in r.doc.get("interventions", []))
        found.update({u.factor: u for u in extra if u.factor not in found})
        notes += left_out
    folder = Path(os.path.normpath(path.parent / doc.calibration)) if doc.calibration else None
    if "calibration" in include:
        if folder is None or not (folder / "parameters.yaml").is_file():
            raise ScenarioError(path, "calibration", "a calibration folder with parameters.yaml (include: calibration)",
                                doc.calibration or "nothing")
        extra, where = calibrated(folder, base_params)
        found.update({u.factor: u for u in extra if u.factor not in found})
        notes.append(f"calibrated parameters vary over {where}")
    if folder is not None and (folder / "ensemble.parquet").is_file():
        ensemble = folder / "ensemble.parquet"
    if not found:
        raise ScenarioError(path, "uncertainties", "at least one uncertainty (or include: [assumptions, calibration])",
                            "none")
    design = Design(doc.name, doc.description.strip(), path, baseline, options, list(found.values()), doc.sample,
                    doc.sensitivity, doc.replications, doc.seed, tuple(doc.period) if doc.period else None,
                    _measures(path, doc.measures), ensemble, notes)
    for end in (0.0, 1.0):  # every scenario must accept every range end
        design.scenarios_at({u.factor: u.value(end) for u in design.uncertainties})
    return design


def _nominal(factor: str, roles: list[Role], base_params: Params):
    """The value the scenarios assume for ``factor`` (the baseline's parameter; the first role
    that has the intervention)."""
    kind, _, rest = factor.partition(".")
    if kind == "params":
        return get(base_params, rest)
    label, _, setting = rest.partition(".")
    for role in roles:
        for entry in role.doc.get("interventions", []):
            if interventions.label(entry) == label:
                cls = interventions.REGISTRY[entry["type"]]
                return entry.get(setting, cls.model_fields[setting].default)
    return None
