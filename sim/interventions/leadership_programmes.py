"""Executive programmes: more aspiring chief executives and a turnaround programme
(Kerr 2018 rec 1.2; Smith 2015 rec 13)."""

from typing import ClassVar, Literal

from ..params import Programme
from ..processes import training
from ..processes.performance import challenged
from .base import Intervention, S, scale_hazards


class LeadershipProgrammes(Intervention):
    type: Literal["leadership_programmes"] = "leadership_programmes"
    recommendation: ClassVar[str] = "Kerr 2018 rec 1.2; Smith 2015 rec 13"
    mechanism: ClassVar[str] = (
        "The aspiring-chief-executive programme takes more people a year; a new turnaround and "
        "systems-leadership programme for executive directors adds capability and readiness, and its "
        "completers who lead challenged trusts are less likely to leave or be removed.")
    unit: ClassVar[str] = "extra programme place"

    aspiring_ceo_capacity: int = S(40, "aspiring-chief-executive places a year (baseline 14)", ge=0)
    turnaround_capacity: int = S(30, "turnaround programme places a year", ge=0)
    turnaround_capability_gain: float = S(0.15, "capability SD gained on completion", ge=0)
    turnaround_hazard_multiplier: float = S(0.7, "× leave and removal hazards of completers at challenged trusts",
                                            ge=0)
    cost_per_unit: float = S(30_000.0, "£ per extra place", "assumption (aspiring CEO programme cost)", ge=0)

    def _turnaround(self) -> Programme:
        return Programme(name="turnaround", eligible_grade="executive_director", capacity=self.turnaround_capacity,
                         duration=1.0, cost_per_place=self.cost_per_unit,
                         capability_gain=self.turnaround_capability_gain, selection="pull", apply_rate=0.15,
                         grants_readiness=True, source="Kerr 2018 rec 1.2: modules for leading the most challenged trusts")

    def programmes(self, progs, *, model):
        progs = tuple(p.model_copy(update={"capacity": self.aspiring_ceo_capacity}) if p.name == "aspiring_chief_executive"
                      else p for p in progs)
        return progs + (self._turnaround(),)

    def exit_hazards(self, rates, *, model, post, org):
        if challenged(org) and training.completed(model, "turnaround", [post.holder])[0]:
            m = self.turnaround_hazard_multiplier
            return scale_hazards(rates, leave=m, removed=m)
        return rates

    def units(self, model, year):
        base = {p.name: p.capacity for p in model.params.training.programmes}
        extra = max(0, training.starts(model, "aspiring_chief_executive") - base.get("aspiring_chief_executive", 0))
        return extra + training.starts(model, "turnaround")
