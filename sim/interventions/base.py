"""What every intervention shares: a type name, a start/stop window, a cost per unit, and hooks.

An intervention changes the model only through hooks: at a named decision the model calls
``model.hook(name, value, **context)`` and every active intervention may return an adjusted
value (``on_<name>`` methods). Interventions never change parameters or one another. Once a
year, while active, an intervention may act (``yearly``) and books its cost: units × cost per
unit, recorded as a ``cost`` event.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

# hook name → (what the value is, context passed)
HOOKS = {
    "exit_hazards": "yearly hazards (retire, leave_nhs, move_trust, removed) of a post holder; post, org",
    "attractiveness": "how attractive a post is to applicants (1 = good trust); post, org",
    "willingness": "probability that a member of a candidate pool applies; post, pool",
    "candidate_fields": "list of applicant fields for a search; post, attractiveness",
    "search_time": "mean years of one search round; post",
    "interim_probability": "probability an interim covers a vacancy; post",
    "selection_bias": "score shift against ethnic-minority staff at appraisal and interview",
    "external_applicants": "mean external applicants per search; post",
    "graduate_intake_multiplier": "× published graduate-scheme intake",
    "graduate_job_at_completion": "probability a graduate trainee gets a post at completion",
    "graduate_early_leave_rate": "extra yearly leaving rate of graduates in their first years after the scheme",
    "clinicians_per_year": "clinicians entering senior management per year; profession",
    "clinician_capability": "mean capability of clinicians entering management",
    "feeder_leave_rate": "yearly leaving rate of a feeder grade; grade",
    "appraisal_noise": "SD of appraisal noise",
    "readiness": "who is judged ready for the next grade (boolean array); rows",
    "programmes": "the training programmes in force (tuple of ProgrammeParams)",
    "leadership_feedback": "strength of the leadership → quality feedback",
    "special_measures_support": "quality gain per year for a trust in special measures; org",
    "quality_support": "extra quality gain per year for a trust; org",
}


class Intervention(BaseModel):
    """Base class. Subclasses set the class variables and define ``on_<hook>`` methods."""
    model_config = ConfigDict(extra="forbid", frozen=True)

    type: str
    name: str = Field("", description="label in results (default: the type); the same name overrides")
    start: float = Field(2020.0, ge=1900, le=2200, description="calendar year the intervention starts")
    stop: float | None = Field(None, ge=1900, le=2200, description="calendar year it stops (default: never)")
    source: str = Field("", description="citation, e.g. 'Kerr 2018, rec 1.6'")
    cost_per_unit: float = Field(0.0, ge=0, description="£ per unit (see the intervention's unit)")

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

    def adjust(self, hook: str, value: Any, model, **context) -> Any:
        method = getattr(self, f"on_{hook}", None)
        return value if method is None else method(value, model, **context)

    def units(self, model, year: int) -> float:
        """How many cost units the intervention used this year (default: none)."""
        return 0.0

    def yearly(self, model, year: int) -> None:
        """Yearly work while active (at the end of the 1 January tick), then book the cost."""
        units = float(self.units(model, year))
        model.recorder.event(model.env.now, "cost", cause=self.label, value=units * self.cost_per_unit)


def S(default: Any, unit: str, source: str = "assumption", **limits) -> Any:
    """An intervention setting: default, unit and evidence label (shown by `leadsim interventions`)."""
    return Field(default, description=unit, json_schema_extra={"unit": unit, "source": source}, **limits)


def scale_hazards(rates: tuple, retire=1.0, leave=1.0, move=1.0, removed=1.0) -> tuple:
    """Multiply the cause-specific hazards (retire, leave_nhs, move_trust, removed)."""
    return (rates[0] * retire, rates[1] * leave, rates[2] * move, rates[3] * removed)
