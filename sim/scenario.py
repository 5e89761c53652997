"""Scenario files: YAML → a validated ``Scenario`` (parameter overrides and run settings).

A scenario may inherit another with ``base:`` (a path relative to its own file) and override
parts of it. Every problem — bad YAML, unknown keys, wrong types, out-of-range values, a
circular ``base:`` chain — becomes one ``ScenarioError`` naming the file, the key path, what
was expected and what was found.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from . import interventions
from .errors import InputError, Plain
from .inputs import NAME_PATTERN, NAME_RULE, describe_type, located, read_yaml
from .params import Params
from .params.overrides import to_dict, with_overrides
from .params.system import CalendarParams

ScenarioError = InputError  # a scenario file is not valid; the message is meant for its author
# Parameter errors are InputErrors without a file; intervention errors carry path, expected and
# found too (until they become InputErrors): both are reported against the file here.
_UNLOCATED = (InputError, interventions.InterventionError)


_CAL = CalendarParams()


class RunSettings(BaseModel):
    """How to run a scenario: the root seed, replications and the calendar."""
    model_config = ConfigDict(extra="forbid")
    seed: int = Field(1, ge=0, le=2**63 - 1, description="root seed of the named random streams")
    replications: int = Field(1, ge=1, le=100_000, description="independent replications")
    start_year: int = Field(_CAL.start_year, ge=1900, le=2200, description="warm-up starts on 1 January")
    report_from: int = Field(_CAL.report_from, ge=1900, le=2200, description="first reported year")
    end_year: int = Field(_CAL.end_year, ge=1900, le=2200, description="run ends on 1 January of this year")
    cohort_year: int | None = Field(None, ge=1900, le=2200, description=(
        "the trusts challenged at 31 December of this year are the fixed cohort the challenged_cohort "
        "KPIs follow (default: the year before the first option's intervention starts; a comparison uses one "
        "year for every scenario, sim/cohort.py)"))

    @model_validator(mode="after")
    def _calendar(self):
        if not self.start_year < self.report_from < self.end_year:
            raise ValueError(f"start_year < report_from < end_year, found {self.start_year}, "
                             f"{self.report_from}, {self.end_year}")
        if self.cohort_year is not None and not self.start_year <= self.cohort_year < self.end_year:
            raise ValueError(f"start_year <= cohort_year < end_year (a year with a 31 December snapshot), found "
                             f"{self.cohort_year}")
        return self


class ScenarioDocument(BaseModel):
    """The keys a scenario file may have."""
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=NAME_PATTERN, description="short name, used for output folders: letters, digits, "
                      "'_', '-' and '.' (no '..'), at most 80")
    title: str = Field("", description="what a steering group calls it, for reports and the terminal "
                       "(default: the name; not inherited)")
    description: str = Field("", description="what this scenario represents, for a strategist")
    base: str | list[str] | None = Field(None, description="scenario file(s) this one inherits, relative paths; "
                                         "later ones and this file override earlier ones")
    params: dict[str, Any] = Field(default_factory=dict, description="model parameter overrides")
    interventions: list[Any] = Field(default_factory=list, description="interventions switched on")
    run: dict[str, Any] = Field(default_factory=dict, description="run settings (RunSettings)")
    provenance: dict[str, Any] | None = Field(None, description="how a generated file was made (not used by "
                                                                "the model), e.g. calibration/calibrated.yaml")


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    params: Params
    run: RunSettings
    path: str
    document: dict            # the resolved document (after base: inheritance)
    interventions: tuple = ()
    title: str = ""           # for people (default: the name); not part of the digest: it changes no result

    @property
    def digest(self) -> str:
        """Hash of the resolved scenario: changes whenever anything that affects results changes."""
        blob = json.dumps(self.defining(), sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()[:16]

    def defining(self) -> dict:
        """The resolved scenario without its title, which changes no result (so retitling reruns nothing)."""
        return {k: v for k, v in self.resolved().items() if k != "title"}

    def resolved(self) -> dict:
        return {"name": self.name, "title": self.title or self.name, "description": self.description,
                "params": to_dict(self.params),
                "interventions": [iv.model_dump() for iv in self.interventions], "run": self.run.model_dump()}


def describe(exc: ValidationError, model: type[BaseModel], where: str = "") -> tuple[str, str, Any]:
    """(key path, what was expected, what was found) for the first problem pydantic reports."""
    err = exc.errors()[0]
    loc = (where + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err["loc"])).lstrip(".")
    loc = loc or where or "(document)"
    if err["type"] == "extra_forbidden":
        return loc, "one of " + ", ".join(model.model_fields), err["loc"][-1]
    if err["type"] == "missing":
        return loc, "a value", "nothing"
    if err["type"] == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") == NAME_PATTERN:
        return loc, NAME_RULE, err.get("input")
    return loc, err["msg"].removeprefix("Value error, ").removeprefix("Input should be "), err.get("input")


def _read(path: Path) -> dict:
    doc = read_yaml(path, "scenario file")
    if not isinstance(doc, dict):
        raise ScenarioError(path, "(document)", "a mapping with at least 'name'", describe_type(doc))
    return doc


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _resolve(path: Path, chain: tuple[Path, ...], done: dict[Path, dict]) -> dict:
    """``path``'s document with its bases merged in; ``done`` memoises files already resolved in
    this load, so a "diamond" of bases costs one read per file, not one per path through it."""
    path = path.resolve()
    if path in chain:
        cycle = " → ".join(p.name for p in (*chain, path))
        raise ScenarioError(chain[-1], "base", "a chain of base scenarios without a cycle", cycle)
    if path in done:
        return done[path]
    raw = _read(path)
    try:
        doc = ScenarioDocument.model_validate(raw)
    except ValidationError as exc:
        raise ScenarioError(path, *describe(exc, ScenarioDocument)) from None
    try:
        interventions.parse(doc.interventions)  # report a bad entry against the file that has it
    except _UNLOCATED as exc:
        raise located(exc, path) from None
    own = doc.model_dump(exclude={"base", "provenance"})
    bases = [doc.base] if isinstance(doc.base, str) else (doc.base or [])
    resolved: dict = {"params": {}, "interventions": [], "run": {}, "description": ""}
    for i, base in enumerate(bases):
        where = "base" if isinstance(doc.base, str) else f"base[{i}]"
        resolved = _inherit(resolved, _resolve(scenario_file(path, base, where), (*chain, path), done))
    resolved = _inherit(resolved, own)
    resolved["name"] = doc.name
    resolved["title"] = doc.title or doc.name  # a title names one scenario: it is not inherited
    done[path] = resolved
    return resolved


def scenario_file(path: Path, base: str, where: str) -> Path:
    """The file a ``base:`` entry names: an existing .yaml/.yml file (never just any file, so
    ``base: /etc/passwd`` is refused before it is read)."""
    target = path.parent / base
    try:
        exists = target.suffix.lower() in (".yaml", ".yml") and target.is_file()
    except (OSError, ValueError):
        exists = False
    if not exists:
        raise ScenarioError(path, where, "an existing scenario file (.yaml), relative to this one", base)
    return target


def _inherit(parent: dict, child: dict) -> dict:
    """``child`` over ``parent``: params and run merged key by key; interventions by name, the
    later entry replacing the earlier."""
    by_name = {interventions.label(iv): iv for iv in parent["interventions"]}
    by_name.update({interventions.label(iv): iv for iv in child["interventions"]})
    return {"name": child.get("name", parent.get("name")),
            "description": child.get("description") or parent.get("description", ""),
            "params": _merge(parent["params"], child["params"]), "run": _merge(parent["run"], child["run"]),
            "interventions": list(by_name.values())}


def load(path: str | Path, overrides: dict | None = None) -> Scenario:
    """Read, inherit, validate and resolve a scenario file."""
    path = Path(path)
    doc = _resolve(path, (), {})
    if overrides:
        doc = _merge(doc, overrides)
    scenario = build(doc, path)
    for where, message in idle_interventions(scenario):
        raise ScenarioError(path, where, "a window that overlaps the run", message)
    return scenario


def idle_interventions(scenario: Scenario) -> list[tuple[str, Plain]]:
    """(key path, explanation) for each intervention whose start/stop window misses the run:
    it would change nothing, and every verdict would read "no clear difference"."""
    run, out = scenario.run, []
    for i, iv in enumerate(scenario.interventions):
        if iv.start >= run.end_year or (iv.stop is not None and iv.stop <= run.start_year):
            window = f"{iv.start:g}–{iv.stop:g}" if iv.stop is not None else f"from {iv.start:g}"
            out.append((f"interventions[{i}] ({iv.label})",
                        Plain(f"{window}, but the run covers {run.start_year}–{run.end_year}")))
    return out


def resolve(path: str | Path) -> dict:
    """The document of a scenario file after ``base:`` inheritance, not yet validated as a whole."""
    return _resolve(Path(path), (), {})


def build(doc: dict, path: str | Path) -> Scenario:
    """Validate a resolved document and turn it into a Scenario (errors name ``path``)."""
    try:
        run = RunSettings.model_validate(doc["run"])
    except ValidationError as exc:
        raise ScenarioError(path, *describe(exc, RunSettings, "run")) from None
    calendar = {"start_year": run.start_year, "report_from": run.report_from, "end_year": run.end_year}
    try:
        params = with_overrides(Params(), doc["params"])
        params = with_overrides(params, {"calendar": calendar})
        ivs = interventions.parse(doc["interventions"])
    except _UNLOCATED as exc:
        raise located(exc, path) from None
    return Scenario(name=doc["name"], description=doc["description"], params=params, run=run,
                    path=str(path), document=doc, interventions=ivs, title=doc.get("title") or doc["name"])


def from_params(params: Params | None = None, name: str = "adhoc", seed: int = 1,
                interventions_: tuple = ()) -> Scenario:
    """A scenario built in Python (tests, notebooks) rather than read from a file."""
    params = params or Params()
    cal = params.calendar
    run = RunSettings(seed=seed, start_year=cal.start_year, report_from=cal.report_from, end_year=cal.end_year)
    return Scenario(name=name, description="", params=params, run=run, path="", document={},
                    interventions=tuple(interventions_), title=name)
