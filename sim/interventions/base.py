"""What every intervention shares: a type name, a dated window, an implementation curve, a cost
per unit, and decisions.

An intervention changes the model only through decisions (``sim/decisions.py``): at each decision
point the model calls ``model.decide(Decisions.<name>, value, **context)`` and every active
intervention that overrides that method may return an adjusted value. Interventions never
change parameters or one another. Once a year, while active, an intervention may act
(``yearly``) and books its cost: units × cost per unit, recorded as a ``cost`` event.

**When.** An intervention acts from ``start`` (inclusive) to ``stop`` (exclusive). A review's
recommendation gives its start as the date the review was published plus an implementation lag
(``published`` + ``lag_years``, with ``lag_source`` saying where the lag comes from).

**How fast.** Nothing is implemented at once: ``strength(now)`` rises from 0 at ``start`` to 1
at ``start + ramp_years`` along ``ramp_shape`` (linear; step — nothing, then everything; or an
S-curve). The ramp is applied once, here (``decide``): a numeric decision moves from its value
without the intervention towards the intervention's value in proportion to the strength — a
multiplier moves from 1 to its setting, an added quantity from 0, a programme's places from
their baseline number, an added applicant field's willingness from 0. An intervention whose effect
is not a number in proportion (how many new deals are agreed, who must hold a qualification, how
long the graduate scheme lasts) names those decisions in ``unphased`` and applies ``strength``
itself; talent boards and a central cadre apply it in their yearly work, to their approaches a
year and to the cadre's members.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..decisions import Decisions
from ..params.system import Programme
from ..processes.recruitment import Field as ApplicantField

RampShape = Literal["linear", "step", "s_curve"]


class Intervention(BaseModel, Decisions):
    """Base class. Subclasses set the class variables and override the decisions they change."""
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    type: str
    name: str = Field("", description="label in results (default: the type); the same name overrides")
    published: float | None = Field(None, ge=1900, le=2200, description="when the recommendation was published "
                                    "(calendar year, decimals allowed); with lag_years it sets start")
    lag_years: float | None = Field(None, ge=0, le=50, description="years from publication to the start of "
                                    "implementation")
    lag_source: str = Field("", description="evidence for the lag, or 'assumption'")
    start: float = Field(2020.0, ge=1900, le=2200, description="calendar year the intervention starts "
                         "(default: published + lag_years, else 2020)")
    stop: float | None = Field(None, ge=1900, le=2200, description="calendar year it stops (default: never)")
    source: str = Field("", description="citation, e.g. 'Kerr 2018, rec 1.6 (000:139-143)'")
    ramp_years: float = Field(0.0, ge=0, le=50, description="years from start to full effect",
                              json_schema_extra={"unit": "years from start to full effect", "source": "assumption"})
    ramp_shape: RampShape = Field("linear", description="how the effect builds up: linear; step (none, then all "
                                  "at start + ramp_years); s_curve (slow, fast, slow)",
                                  json_schema_extra={"unit": "shape of the implementation curve",
                                                     "source": "assumption"})
    cost_per_unit: float = Field(0.0, ge=0, le=1e9, description="£ per unit (see the intervention's unit)")

    recommendation: ClassVar[str] = ""
    mechanism: ClassVar[str] = ""
    unit: ClassVar[str] = ""
    unphased: ClassVar[frozenset[str]] = frozenset()   # decisions that apply ``strength`` themselves

    @model_validator(mode="before")
    @classmethod
    def _start_from_publication(cls, data):
        if not isinstance(data, dict):
            return data
        if (data.get("published") is None) != (data.get("lag_years") is None):
            raise ValueError("both published and lag_years, or neither")
        if "start" not in data and _number(data.get("published")) and _number(data.get("lag_years")):
            data = {**data, "start": data["published"] + data["lag_years"]}
        return data

    @field_validator("start")
    @classmethod
    def _start_is_publication_plus_lag(cls, start, info):
        published, lag = info.data.get("published"), info.data.get("lag_years")
        if published is not None and lag is not None and abs(start - (published + lag)) > 1e-6:
            raise ValueError(f"published + lag_years = {published + lag:g}")
        return start

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

    def strength(self, now: float) -> float:
        """How much of its full effect the intervention has at ``now``: 0 at ``start``, 1 from
        ``start + ramp_years``, along ``ramp_shape``."""
        if self.ramp_years <= 0:
            return 1.0 if now + 1e-9 >= self.start else 0.0
        x = min(1.0, max(0.0, (now - self.start) / self.ramp_years))
        if self.ramp_shape == "step":
            return 1.0 if x >= 1.0 - 1e-9 else 0.0
        if self.ramp_shape == "s_curve":
            return x * x * (3.0 - 2.0 * x)
        return x

    def decide(self, name: str, value, *, model, **context):
        """The decision ``name`` as this intervention, at its current strength, makes it."""
        full = getattr(self, name)(value, model=model, **context)
        if name in self.unphased:
            return full
        return phase(value, full, self.strength(model.env.now))

    def units(self, model, year: int) -> float:
        """How many cost units the intervention used this year (default: none)."""
        return 0.0

    def yearly(self, model, year: int) -> None:
        """Yearly work while active (at the end of the 1 January tick), then book the cost."""
        self.book(model, float(self.units(model, year)) * self.cost_per_unit)

    def book(self, model, pounds: float) -> None:
        """Record a cost (a negative one is a saving) now."""
        model.recorder.event(model.env.now, "cost", cause=self.label, value=pounds)

    def appointed(self, model, post, person: int) -> None:
        """``person`` has just started in ``post`` while the intervention is active (default: nothing)."""

    def stopped(self, model) -> None:
        """At the first 1 January tick after ``stop``: undo any state the intervention keeps in the
        model (a talent board's pool, a cadre's contracts). Default: nothing."""


def _number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def phase(before, after, s: float):
    """``after`` at strength ``s`` of the way from ``before``: numbers, tuples of numbers (hazards)
    and numeric arrays linearly; programmes by their places and capability gain; applicant
    fields an intervention adds by their willingness. Anything else takes effect in full."""
    if s >= 1.0 or after is before:
        return after
    if s <= 0.0:
        return before
    if _number(after) and _number(before):
        return before + s * (after - before)
    if isinstance(after, np.ndarray) and after.dtype.kind == "f":
        return before + s * (after - before)
    if isinstance(after, tuple) and after and all(isinstance(p, Programme) for p in after):
        old = {p.name: p for p in before}
        return tuple(_phase_programme(old.get(p.name), p, s) for p in after)
    if isinstance(after, tuple) and isinstance(before, tuple) and len(after) == len(before) \
            and not hasattr(after, "_fields") and all(_number(a) for a in after):
        return tuple(b + s * (a - b) for b, a in zip(before, after))
    if isinstance(after, list) and isinstance(before, list):
        kept = {id(f) for f in before}
        return [f if id(f) in kept or not isinstance(f, ApplicantField) else f._replace(w=f.w * s, w_free=f.w_free * s)
                for f in after]
    return after


def _phase_programme(before: Programme | None, after: Programme, s: float) -> Programme:
    capacity = before.capacity if before else 0
    gain = before.capability_gain if before else after.capability_gain
    return after.model_copy(update={"capacity": int(round(capacity + s * (after.capacity - capacity))),
                                    "capability_gain": gain + s * (after.capability_gain - gain)})


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


def ramp(years: float, source: str = "assumption") -> Any:
    """The ``ramp_years`` setting of an intervention: its own default and evidence."""
    return S(years, "years from start to full effect", source, ge=0, le=50)


def scale_hazards(rates: tuple, retire=1.0, leave=1.0, move=1.0, removed=1.0) -> tuple:
    """Multiply the cause-specific hazards (retire, leave_nhs, move_trust, removed)."""
    return (rates[0] * retire, rates[1] * leave, rates[2] * move, rates[3] * removed)
