"""Uncertainties: the assumptions an answer may hang on, each with a range and the reason for it.

An uncertainty is a model parameter (``params.<path>``) or an intervention's effect size
(``interventions.<name>.<setting>``) that nobody chooses — unlike a policy option's levers. A
design file lists its own (``sim/design.py``); two default sets fill in what it does not:

* **assumed settings** — every numeric intervention setting of the options whose source says
  "assumption" (``leadsim interventions``). Its range is the one its source states ("assumption;
  range 0.5-1.0") if it states one; otherwise a multiplier ("× …") runs from no effect (×1) to
  twice the assumed effect, and anything else from half to one and a half times the assumed
  value, within the setting's bounds. Costs (£) are left out: they change no career, and the
  cost measures scale with them. A setting the options assume differently is a lever, not an
  uncertainty, and is left out too.
* **calibrated parameters** — the free parameters of ``calibration/parameters.yaml``: over the span
  of the calibration ensemble (the parameter sets consistent with the published figures,
  ``sim/ensemble.py``) when there is one, else over the calibration's search range — wider than
  the figures allow, and labelled so.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import annotated_types

from . import ensemble as calibration_ensemble
from .interventions import REGISTRY, Intervention
from .params import Params
from .params.overrides import get
from .targets import load_parameters

ENSEMBLE_FILE = "ensemble.parquet"
PARAMETERS_FILE = "parameters.yaml"
COMMON = set(Intervention.model_fields) - {"ramp_years"}  # window, labels and cost: never an effect size
STATED_RANGE = re.compile(r"range\s+(-?\d+(?:\.\d+)?)\s*(?:-|–|to)\s*(-?\d+(?:\.\d+)?)")


@dataclass(frozen=True)
class Uncertainty:
    """One uncertain input: its factor path, range, the value the scenarios assume, and why."""
    factor: str
    low: float
    high: float
    reason: str
    nominal: float | None = None
    log: bool = False
    integer: bool = False

    def value(self, u: float) -> float | int:
        """The value at ``u`` ∈ [0, 1] of the range (on a log scale for ``log``)."""
        u = min(1.0, max(0.0, float(u)))
        if self.log:
            x = math.exp(math.log(self.low) + u * (math.log(self.high) - math.log(self.low)))
        else:
            x = self.low + u * (self.high - self.low)
        return int(round(x)) if self.integer else float(x)

    @property
    def short(self) -> str:
        """The factor without its kind prefix, for tables and charts."""
        return self.factor.split(".", 1)[1]


def _bounds(field) -> tuple[float, float]:
    low, high = -math.inf, math.inf
    for m in field.metadata:
        if isinstance(m, (annotated_types.Ge, annotated_types.Gt)):
            low = float(getattr(m, "ge", getattr(m, "gt", low)))
        if isinstance(m, (annotated_types.Le, annotated_types.Lt)):
            high = float(getattr(m, "le", getattr(m, "lt", high)))
    return low, high


def setting_range(value: float, unit: str, source: str, bounds: tuple[float, float]) -> tuple[float, float, str]:
    """(low, high, reason) for an assumed setting whose scenario value is ``value`` (module docstring)."""
    stated = STATED_RANGE.search(source)
    if stated:
        low, high = sorted((float(stated.group(1)), float(stated.group(2))))
        rule = "the range its source states"
    elif unit.startswith("×") and value != 1:
        low, high = sorted((1.0, 1.0 + 2.0 * (value - 1.0)))
        rule = f"default range from no effect (×1) to twice the assumed effect (×{value:g})"
    elif unit.startswith("×"):
        low, high = 0.5, 1.5
        rule = "×1 assumed; default range ×0.5 to ×1.5"
    else:
        low, high = sorted((0.5 * value, 1.5 * value))
        rule = f"default range half to one and a half times the assumed {value:g}"
    low, high = max(low, bounds[0], 0.0 if unit.startswith("×") else -math.inf), min(high, bounds[1])
    return round(low, 12), round(high, 12), f"{source}; {rule}"


def assumed_settings(option_interventions: Iterable[tuple[str, dict]]) -> tuple[list[Uncertainty], list[str]]:
    """Default uncertainties from the options' interventions ((option, intervention entry) pairs,
    entries as resolved), and notes on settings left out."""
    seen: dict[str, tuple[str, object]] = {}
    found, notes = {}, []
    for option, entry in option_interventions:
        cls = REGISTRY.get(entry.get("type"))
        if cls is None:
            continue
        label = entry.get("name") or entry["type"]
        for key, field in cls.model_fields.items():
            extra = field.json_schema_extra or {}
            source, unit = str(extra.get("source", "")), str(extra.get("unit", ""))
            value = entry.get(key, field.default)
            if (key in COMMON or not source.lower().startswith("assumption") or unit.startswith("£")
                    or isinstance(value, bool) or not isinstance(value, (int, float))):
                continue
            factor = f"interventions.{label}.{key}"
            if factor in seen and seen[factor][1] != value:
                notes.append(f"{factor} is set differently by {seen[factor][0]} ({seen[factor][1]}) and {option} "
                             f"({value}): a lever of the options, not varied")
                found.pop(factor, None)
                continue
            seen[factor] = (option, value)
            low, high, reason = setting_range(float(value), unit, source, _bounds(field))
            if not low < high:
                notes.append(f"{factor}: no range around {value:g} ({reason}); not varied")
                continue
            found[factor] = Uncertainty(factor, low, high, reason, nominal=value,
                                        integer=isinstance(field.default, int))
    return list(found.values()), list(dict.fromkeys(notes))


def calibrated(folder: str | Path, params: Params) -> tuple[list[Uncertainty], str]:
    """The calibrated parameters as uncertainties (nominal: their value in ``params``, the
    baseline's), and a sentence saying where the ranges come from."""
    folder = Path(folder)
    free = load_parameters(folder / PARAMETERS_FILE)
    span, where = {}, f"the calibration search ranges of {folder / PARAMETERS_FILE} (wider than the published " \
                       "figures allow: no calibration ensemble yet)"
    if (folder / ENSEMBLE_FILE).is_file():
        kept, info = calibration_ensemble.read(folder / ENSEMBLE_FILE)
        span = {p.path: (float(kept[p.path].min()), float(kept[p.path].max())) for p in free if p.path in kept}
        where = (f"the span of the {len(kept)} parameter sets of the calibration ensemble {folder / ENSEMBLE_FILE} "
                 f"({info.get('rule', 'rule not recorded')})")
    out = []
    for p in free:
        nominal = get(params, p.path)
        if p.path in span and span[p.path][0] < span[p.path][1]:
            low, high = span[p.path]
            reason = f"span of the calibration ensemble; {p.reason.strip()}"
        else:
            low, high, reason = p.low, p.high, f"calibration search range; {p.reason.strip()}"
        out.append(Uncertainty(f"params.{p.path}", low, high, " ".join(reason.split()), nominal=nominal, log=p.log,
                               integer=isinstance(nominal, int) and not isinstance(nominal, bool)))
    return out, where
