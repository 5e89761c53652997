"""The words parameters are written in: roles, ratings, regions, grades, origins, professions and
causes of exit, the bounded number types, the :func:`P` field helper and the :class:`Group` base
that every parameter group derives from."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

KF2018 = "KF & NHSP, Leadership in today's NHS, 2018"
ASSUMPTION = "assumption"

ROLES = ("chief_executive", "finance", "medical", "nursing", "operations", "people", "strategy")
CORE_ROLES = ROLES[:5]
RATINGS = ("outstanding", "good", "requires_improvement", "inadequate")
TRUST_TYPES = ("acute", "specialist", "mental_health", "community", "ambulance")
REGIONS = ("london", "south_east", "south_west", "east_of_england", "midlands",
           "north_east_and_yorkshire", "north_west")
GRADES = ("graduate_trainee", "middle_manager", "senior_manager", "executive_director", "chief_executive")
ORIGINS = ("graduate_scheme", "internal_manager", "clinician", "external")
PROFESSIONS = ("non_clinical", "doctor", "nurse", "allied_health", "finance")
CAUSES = ("retire", "leave_nhs", "move_trust", "removed")

Role = Literal["chief_executive", "finance", "medical", "nursing", "operations", "people", "strategy"]
Rating = Literal["outstanding", "good", "requires_improvement", "inadequate"]
TrustType = Literal["acute", "specialist", "mental_health", "community", "ambulance"]
Region = Literal["london", "south_east", "south_west", "east_of_england", "midlands",
                 "north_east_and_yorkshire", "north_west"]
Grade = Literal["graduate_trainee", "middle_manager", "senior_manager", "executive_director", "chief_executive"]
FeederGrade = Literal["graduate_trainee", "middle_manager", "senior_manager"]
ReadyGrade = Literal["middle_manager", "senior_manager", "executive_director"]
ProgrammeGrade = Literal["middle_manager", "senior_manager", "executive_director"]
Origin = Literal["graduate_scheme", "internal_manager", "clinician", "external"]
Profession = Literal["non_clinical", "doctor", "nurse", "allied_health", "finance"]
Clinical = Literal["doctor", "nurse", "allied_health"]
Cause = Literal["retire", "leave_nhs", "move_trust", "removed"]
Level = Literal["chief_executive", "director"]
EqualityGroup = Literal["women", "ethnic_minority"]   # groups whose careers the equality measures follow
Year = Annotated[int, Field(ge=1900, le=2200)]

# Bounded numbers: every time, rate and multiplier has the range its meaning implies.
Share = Annotated[float, Field(ge=0.0, le=1.0)]
Rate = Annotated[float, Field(ge=0.0, le=10.0)]           # per year
Multiplier = Annotated[float, Field(ge=0.0, le=100.0)]
Positive = Annotated[float, Field(gt=0.0, le=1000.0)]
Capability = Annotated[float, Field(ge=-10.0, le=10.0)]   # in SD units
Count = Annotated[int, Field(ge=0, le=1_000_000)]


def P(default: Any, unit: str, source: str, **bounds) -> Any:
    """A parameter field: ``default`` plus its unit and source (shown by ``leadsim params``).

    Numeric bounds (``ge``, ``le``, ``gt``) apply to the field itself; for mappings the value type
    carries them.
    """
    extra = {"unit": unit, "source": source}
    if isinstance(default, (dict, list, tuple)):
        return Field(default_factory=lambda: _copy(default), json_schema_extra=extra, description=unit, **bounds)
    return Field(default, json_schema_extra=extra, description=unit, **bounds)


def _copy(value):
    return dict(value) if isinstance(value, dict) else tuple(value)


class Group(BaseModel):
    """A group of parameters: frozen, no unknown keys, strict types, no NaN or infinity."""
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


def invalid(expected: str, found: Any) -> PydanticCustomError:
    """A check across fields failed: what was expected and what was found (for the one-line error)."""
    return PydanticCustomError("constraint", "expected {expected}", {"expected": expected, "found": found})

