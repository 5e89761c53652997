"""What every intervention shares: a type name, a start/stop window, a cost per unit, and decisions.

An intervention changes the model only through decisions (``sim/decisions.py``): at each decision
point the model calls ``model.decide(Decisions.<name>, value, **context)`` and every active
intervention that overrides that method may return an adjusted value. Interventions never
change parameters or one another. Once a year, while active, an intervention may act
(``yearly``) and books its cost: units × cost per unit, recorded as a ``cost`` event.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..decisions import Decisions


class Intervention(BaseModel, Decisions):
    """Base class. Subclasses set the class variables and override the decisions they change."""
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    type: str
    name: str = Field("", description="label in results (default: the type); the same name overrides")
    start: float = Field(2020.0, ge=1900, le=2200, description="calendar year the intervention starts")
    stop: float | None = Field(None, ge=1900, le=2200, description="calendar year it stops (default: never)")
    source: str = Field("", description="citation, e.g. 'Kerr 2018, rec 1.6'")
    cost_per_unit: float = Field(0.0, ge=0, le=1e9, description="£ per unit (see the intervention's unit)")

    recommendation: ClassVar[str] = ""
    mechanism: ClassVar[str] = ""
    unit: ClassVar[str] = ""

    @field_validator("stop")
    @classmethod
    def _after_start(cls, stop, info):
        start = info.data.get("start")
        if stop is not None and start is not None and stop <= start:
            raise ValueError(f"a year after start ({start:g})")
        return stop

    @property
    def label(self) -> str:
        return self.name or self.type

    def active(self, now: float) -> bool:
        return self.start <= now + 1e-9 and (self.stop is None or now + 1e-9 < self.stop)

    def units(self, model, year: int) -> float:
        """How many cost units the intervention used this year (default: none)."""
        return 0.0

    def yearly(self, model, year: int) -> None:
        """Yearly work while active (at the end of the 1 January tick), then book the cost."""
        units = float(self.units(model, year))
        model.recorder.event(model.env.now, "cost", cause=self.label, value=units * self.cost_per_unit)

    def stopped(self, model) -> None:
        """At the first 1 January tick after ``stop``: undo any state the intervention keeps in the
        model (a talent board's pool, a cadre's contracts). Default: nothing."""


MULTIPLIER_CAP = 20.0   # no review asks for more than ×10 of anything


def S(default: Any, unit: str, source: str = "assumption", **limits) -> Any:
    """An intervention setting: default, unit and evidence label (shown by `leadsim interventions`).

    A number without an explicit upper bound is capped — multipliers ("× …") at 20, anything else
    at 100 times its default — so that every setting that validates also runs.
    """
    if isinstance(default, (int, float)) and not isinstance(default, bool) and "le" not in limits \
            and "lt" not in limits:
        limits["le"] = MULTIPLIER_CAP if unit.startswith("×") else 100 * max(1.0, abs(default))
        if isinstance(default, int):
            limits["le"] = int(limits["le"])
    return Field(default, description=unit, json_schema_extra={"unit": unit, "source": source}, **limits)


def scale_hazards(rates: tuple, retire=1.0, leave=1.0, move=1.0, removed=1.0) -> tuple:
    """Multiply the cause-specific hazards (retire, leave_nhs, move_trust, removed)."""
    return (rates[0] * retire, rates[1] * leave, rates[2] * move, rates[3] * removed)
