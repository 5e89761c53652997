"""Model parameters: frozen pydantic models, grouped by process, every field with a unit and a source.

A parameter is declared with :func:`P`, which stores its unit and its source (a citation from
``shared/evidence/published_figures.md`` or the word "assumption") as field metadata, so the
assumptions register and the JSON Schema are generated rather than written by hand. Bounds are
part of each field's type: anything that validates also runs (no zero search times, no endless
inspection loops, no multipliers that overflow). Parameters are never mutated:
:func:`with_overrides` returns a new, validated object.

The parameters live in a few modules: :mod:`.vocabulary` (the words and number types, :func:`P`,
:class:`Group`), :mod:`.system` (calendar, trusts, workforce, entry, training, appraisal),
:mod:`.careers` (recruitment, turnover, performance, placement), :mod:`.schedules` (values that
change with the calendar) and :mod:`.overrides` (reading, overriding, describing and listing them).
This module puts them together as :class:`Params` and re-exports their public names.
"""

from __future__ import annotations

from pydantic import Field

# the public names of the parameters, importable from ``sim.params`` as before they had modules of their own
from .careers import (KERR_RISK, PerformanceParams, PlacementParams, RecruitmentParams, TurnoverParams,
                      rating_thresholds)
from .overrides import ParamError, describe_params, get, nest, register, to_dict, with_overrides
from .schedules import DEFAULT_SCHEDULES, Series
from .system import (ESTABLISHMENT_SOURCE, FINANCE_SHARE_SOURCE, POPULATION_SOURCE, AppraisalParams, CalendarParams,
                     EntryParams, Programme, SystemParams, TrainingParams, WorkforceParams)
from .vocabulary import (ASSUMPTION, CAUSES, CORE_ROLES, GRADES, KF2018, ORIGINS, PROFESSIONS, RATINGS, REGIONS, ROLES,
                         TRUST_TYPES, Capability, Cause, Clinical, Count, EqualityGroup, FeederGrade, Grade, Group,
                         Level, Multiplier, Origin, P, Positive, Profession, ProgrammeGrade, Rate, Rating, ReadyGrade,
                         Region, Role, Share, TrustType, Year, invalid)

from .overrides import _as_leaf, _replaced  # how Params.at sets a scheduled value (not public)


class Params(Group):
    calendar: CalendarParams = Field(default_factory=CalendarParams)
    system: SystemParams = Field(default_factory=SystemParams)
    workforce: WorkforceParams = Field(default_factory=WorkforceParams)
    entry: EntryParams = Field(default_factory=EntryParams)
    training: TrainingParams = Field(default_factory=TrainingParams)
    appraisal: AppraisalParams = Field(default_factory=AppraisalParams)
    recruitment: RecruitmentParams = Field(default_factory=RecruitmentParams)
    turnover: TurnoverParams = Field(default_factory=TurnoverParams)
    performance: PerformanceParams = Field(default_factory=PerformanceParams)
    placement: PlacementParams = Field(default_factory=PlacementParams)
    schedules: dict[str, Series] = Field(default_factory=lambda: dict(DEFAULT_SCHEDULES),
                                         description="parameters that change with the calendar, by dotted path "
                                                     "(written in a scenario as {series: …})")

    def at(self, year: int) -> "Params":
        """These parameters as they stand in ``year`` (every scheduled value applied)."""
        if not self.schedules:
            return self
        result = self
        for path, series in self.schedules.items():  # values were validated when the schedule was set
            result = _replaced(result, path.split("."), _as_leaf(self, path, series.value(year)))
        return result


__all__ = [
    "ASSUMPTION", "CAUSES", "CORE_ROLES", "DEFAULT_SCHEDULES", "ESTABLISHMENT_SOURCE", "FINANCE_SHARE_SOURCE", "GRADES",
    "KERR_RISK", "KF2018", "ORIGINS", "POPULATION_SOURCE", "PROFESSIONS", "RATINGS", "REGIONS", "ROLES", "TRUST_TYPES",
    "AppraisalParams", "CalendarParams", "Capability", "Cause", "Clinical", "Count", "EntryParams", "EqualityGroup",
    "FeederGrade", "Grade", "Group", "Level", "Multiplier", "Origin", "P", "ParamError", "Params",
    "PerformanceParams", "PlacementParams", "Positive", "Profession", "Programme", "ProgrammeGrade", "Rate", "Rating",
    "ReadyGrade", "RecruitmentParams", "Region", "Role", "Series", "Share", "SystemParams", "TrainingParams",
    "TrustType", "TurnoverParams", "WorkforceParams", "Year", "describe_params", "get", "invalid", "nest",
    "rating_thresholds", "register", "to_dict", "with_overrides",
]
