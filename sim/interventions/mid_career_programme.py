"""A national mid-career programme for middle managers (Messenger 2022 rec 1)."""

from typing import ClassVar, Literal

from ..params import Programme
from ..processes import training
from .base import Intervention, S


class MidCareerProgramme(Intervention):
    type: Literal["mid_career_programme"] = "mid_career_programme"
    recommendation: ClassVar[str] = "Messenger 2022 rec 1"
    mechanism: ClassVar[str] = (
        "A short in-person programme (3–5 days) to which middle managers are sent (push), adding a "
        "little capability; its effect counts from the next 1 January.")
    unit: ClassVar[str] = "place"

    places_per_year: int = S(4_000, "middle managers a year", ge=0)
    capability_gain: float = S(0.05, "capability SD gained", ge=0)
    cost_per_unit: float = S(1_500.0, "£ per place (3–5 days in person)", ge=0)

    def programmes(self, progs, *, model):
        return progs + (Programme(name="mid_career", eligible_grade="middle_manager", capacity=self.places_per_year,
                                  duration=1.0, cost_per_place=self.cost_per_unit, capability_gain=self.capability_gain,
                                  selection="push", apply_rate=1.0, grants_readiness=False,
                                  source="Messenger 2022 rec 1"),)

    def units(self, model, year):
        return training.starts(model, "mid_career")
