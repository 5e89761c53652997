"""Calibration targets: published figures, their exact definitions, and how to measure them on a run.

``calibration/targets.yaml`` lists the figures; each names an extractor here that computes the
same quantity, to the source's definition, from one run's event log and yearly snapshots.
``calibration/parameters.yaml`` lists the free parameters with their ranges. Both files are
validated like scenario files: a mistake raises ``ScenarioError`` naming the file, the key path,
what was expected and what was found.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .metrics import kaplan_meier_median, spells
from .inputs import describe_type, read_yaml
from .params import RATINGS, ROLES, ParamError, Params, get, with_overrides
from .scenario import ScenarioError, describe

TARGETS_FILE = "calibration/targets.yaml"
PARAMETERS_FILE = "calibration/parameters.yaml"
EPS = 1e-9  # event times are sums of floats; compare at the anniversary with a little slack


# -- the data of one run -------------------------------------------------------------------------
@dataclass
class RunData:
    """A run's event log and snapshots as pandas DataFrames with plain string columns."""
    events: pd.DataFrame
    posts: pd.DataFrame
    organisations: pd.DataFrame

    @classmethod
    def from_result(cls, result) -> "RunData":
        """Convert a ``sim.runner.RunResult`` (pyarrow Tables) once."""
        return cls(*(_plain(getattr(result, name).to_pandas()) for name in ("events", "posts", "organisations")))


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    # Dictionary-encoded Arrow columns arrive as categoricals; comparisons and merges on them
    # are fussy (unused categories, mismatched categories), so make them plain strings.
    cats = [c for c in df.columns if isinstance(df[c].dtype, pd.CategoricalDtype)]
    return df.astype({c: str for c in cats}) if cats else df


# -- the target model ----------------------------------------------------------------------------
class Source(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    year: int = Field(strict=True, ge=1900, le=2200)
    url: str = Field(pattern=r"^https?://")
    note: str = ""


class Target(BaseModel):
    """One published figure and how to measure it (see calibration/targets.yaml)."""
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    description: str = Field(min_length=1)
    definition: str = Field(min_length=1)
    value: float
    unit: str = Field(min_length=1)
    tolerance: tuple[float, float]
    tolerance_reason: str = Field(min_length=1)
    year: int = Field(strict=True, ge=1900, le=2200)
    year_to: int | None = Field(None, strict=True, ge=1900, le=2200)
    source: Source
    extractor: str
    settings: dict[str, Any] = Field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        """Calendar years covered, inclusive."""
        return list(range(self.year, (self.year_to or self.year) + 1))

    @property
    def end(self) -> float:
        """1 January after the last year covered."""
        return float((self.year_to or self.year) + 1)


class FreeParameter(BaseModel):
    """A parameter the calibration may vary, with its range (see calibration/parameters.yaml)."""
    model_config = ConfigDict(extra="forbid")
    path: str = Field(pattern=r"^[a-z_]+(\.[A-Za-z0-9_]+)+$")
    low: float
    high: float
    log: bool
    reason: str = Field(min_length=1)


# -- extractors ----------------------------------------------------------------------------------
EXTRACTORS: dict[str, Callable[[RunData, Target], float]] = {}
SETTINGS: dict[str, dict[str, Any]] = {}   # extractor → setting → allowed values (tuple) or a type
REQUIRED: dict[str, tuple[str, ...]] = {}


def extractor(required: tuple[str, ...] = (), **settings):
    """Register ``f(run, target) -> float`` with the settings it accepts."""
    def wrap(f):
        EXTRACTORS[f.__name__], SETTINGS[f.__name__], REQUIRED[f.__name__] = f, settings, required
        return f
    return wrap


def _snapshot(df: pd.DataFrame, t: Target) -> pd.DataFrame:
    return df[df.year.isin(t.years)]


def _in_years(events: pd.DataFrame, t: Target) -> pd.DataFrame:
    return events[(events.time >= t.year) & (events.time < t.end)]


def _share(mask: pd.Series) -> float:
    return float(mask.mean()) if len(mask) else math.nan


def _with_org(posts: pd.DataFrame, run: RunData) -> pd.DataFrame:
    orgs = run.organisations[["year", "org", "rating", "special_measures"]]
    return posts.merge(orgs, on=["year", "org"], how="left")


@extractor(rating=RATINGS, role=ROLES)
def vacant_or_interim_share(run: RunData, t: Target) -> float:
    """Share of executive posts with no substantive holder (vacant or interim) at 31 Dec of the
    years covered, pooled; optionally only posts of one role or at trusts with one rating then."""
    p = _with_org(_snapshot(run.posts, t), run)
    if "rating" in t.settings:
        p = p[p.rating == t.settings["rating"]]
    if "role" in t.settings:
        p = p[p.role == t.settings["role"]]
    return _share(p.state != "substantive")


@extractor(special_measures=(True,))
def trusts_without_substantive_ceo(run: RunData, t: Target) -> float:
    """Share of trusts whose chief-executive post is vacant or interim at 31 Dec (pooled over
    the years covered); optionally only trusts in special measures at that date."""
    p = _with_org(_snapshot(run.posts, t), run)
    p = p[p.role == "chief_executive"]
    if t.settings.get("special_measures"):
        p = p[p.special_measures.astype(bool)]
    return _share(p.state != "substantive")


@extractor(required=("window_years",), role=ROLES, window_years=int)
def km_median_tenure(run: RunData, t: Target) -> float:
    """Kaplan–Meier median of substantive spells (optionally one role) that started in the
    ``window_years`` before the end of the last year, right-censored at that end."""
    end = t.end
    start = end - t.settings["window_years"]
    ev = run.events[run.events.time < end]
    sp = spells(ev, end)
    sp = sp[sp.start >= start]
    if "role" in t.settings:
        sp = sp[sp.role == t.settings["role"]]
    return kaplan_meier_median(sp.duration.to_numpy(), sp.observed.to_numpy())


@extractor(role=ROLES, rating=RATINGS)
def median_time_in_post(run: RunData, t: Target) -> float:
    """Median time in post of current substantive holders at 31 Dec (a cross-section), pooled
    over the years covered; role defaults to chief executive; optionally one rating."""
    p = _with_org(_snapshot(run.posts, t), run)
    p = p[(p.state == "substantive") & (p.role == t.settings.get("role", "chief_executive"))]
    if "rating" in t.settings:
        p = p[p.rating == t.settings["rating"]]
    in_post = p.year + 1.0 - p.appointed
    return float(in_post.median()) if len(in_post) else math.nan


@extractor(role=ROLES)
def turnover_excluding_retirement(run: RunData, t: Target) -> float:
    """Departures of substantive holders (all roles, or one) for any cause but ``retire``
    during the years covered, per executive post per year (posts counted at each 31 Dec)."""
    ev = _in_years(run.events, t)
    dep = ev[(ev.kind == "departure") & (ev.cause != "retire")]
    posts = _snapshot(run.posts, t)
    if "role" in t.settings:
        dep, posts = dep[dep.role == t.settings["role"]], posts[posts.role == t.settings["role"]]
    return len(dep) / len(posts) if len(posts) else math.nan


@extractor(role=ROLES)
def mean_vacancy_duration(run: RunData, t: Target) -> float:
    """Mean years without a substantive holder, over appointments in the years covered that
    followed a gap (``appointment`` value > 0); optionally one role."""
    ev = _in_years(run.events, t)
    app = ev[(ev.kind == "appointment") & (ev.value > 0)]
    if "role" in t.settings:
        app = app[app.role == t.settings["role"]]
    return float(app.value.mean()) if len(app) else math.nan


@extractor(required=("rating",), rating=RATINGS)
def rating_share(run: RunData, t: Target) -> float:
    """Share of trusts with the given CQC rating at 31 Dec, pooled over the years covered."""
    orgs = _snapshot(run.organisations, t)
    return _share(orgs.rating == t.settings["rating"])


@extractor()
def special_measures_count(run: RunData, t: Target) -> float:
    """Mean over the years covered of the number of trusts in special measures at 31 Dec."""
    orgs = _snapshot(run.organisations, t)
    counts = orgs.groupby("year").special_measures.sum()
    return float(counts.mean()) if len(counts) else math.nan


@extractor(entered_from=float)
def special_measures_duration(run: RunData, t: Target) -> float:
    """Mean length in years of special-measures spells completed (exits) in the years covered;
    optionally only spells that entered at or after ``entered_from`` (a decimal year), as when
    the real regime began mid-period and no earlier spell could be counted."""
    ev = _in_years(run.events, t)
    exits = ev[ev.kind == "special_measures_exit"]
    if "entered_from" in t.settings:
        exits = exits[exits.time - exits.value >= t.settings["entered_from"] - EPS]
    return float(exits.value.mean()) if len(exits) else math.nan


@extractor(within_years=float)
def graduate_retention(run: RunData, t: Target) -> float:
    """Share of graduate-scheme entrants of the years covered with no ``exit`` within
    ``within_years`` (default 1) of entering; an exit at exactly the anniversary counts as
    leaving, because feeder leavers are drawn at each 1 January tick."""
    within = float(t.settings.get("within_years", 1.0))
    ev = run.events
    entries = _in_years(ev, t)
    entries = entries[(entries.kind == "entry") & (entries.cause == "graduate_scheme")]
    if not len(entries):
        return math.nan
    exits = ev[(ev.kind == "exit") & ev.person.isin(entries.person)].groupby("person").time.min()
    left = exits.reindex(entries.person).to_numpy() - entries.time.to_numpy() <= within + EPS
    return float(1.0 - np.mean(left))   # NaN (no exit) compares False: retained


def measure(run: RunData, targets: list[Target]) -> dict[str, float]:
    """Every target's value on one run, by id."""
    return {t.id: float(EXTRACTORS[t.extractor](run, t)) for t in targets}


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


def _check_settings(t: Target, path: Path, where: str) -> None:
    spec = SETTINGS[t.extractor]
    for key, value in t.settings.items():
        loc = f"{where}.settings.{key}"
        if key not in spec:
            allowed = ", ".join(spec) or "no settings"
            raise ScenarioError(path, loc, f"a setting of {t.extractor}: {allowed}", key)
        kind = spec[key]
        if isinstance(kind, tuple):
            if value not in kind or isinstance(value, bool) != isinstance(kind[0], bool):
                shown = [str(c).lower() if isinstance(c, bool) else str(c) for c in kind]  # as YAML spells them
                raise ScenarioError(path, loc, "one of " + ", ".join(shown), value)
        elif isinstance(value, bool) or not isinstance(value, (int, float) if kind is float else kind) \
                or value <= 0:
            raise ScenarioError(path, loc, f"a positive {'whole ' if kind is int else ''}number", value)
    for key in REQUIRED[t.extractor]:
        if key not in t.settings:
            raise ScenarioError(path, f"{where}.settings.{key}", f"a value (required by {t.extractor})", "nothing")


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
        if t.extractor not in EXTRACTORS:
            raise ScenarioError(path, f"{where}.extractor", "one of " + ", ".join(EXTRACTORS), t.extractor)
        _check_settings(t, path, where)
        targets.append(t)
    return targets


def parameter_default(path: str, params: Params | None = None) -> Any:
    """The current value at a dotted parameter path (``KeyError`` if there is none)."""
    return get(params or Params(), path)


def override(path: str, value: Any) -> dict:
    """The nested override mapping that sets ``path`` to ``value`` (for ``with_overrides``)."""
    nested: Any = value
    for part in reversed(path.split(".")):
        nested = {int(part) if part.isdigit() else part: nested}
    return nested


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
