"""A leaner, risk-adjusted approach to information requests (Kerr 2018 rec 3.1; Rose 2015
recs R12–R16)."""

from typing import ClassVar, Literal

from .base import Intervention, S, scale_hazards


class ReducedBurden(Intervention):
    type: Literal["reduced_burden"] = "reduced_burden"
    recommendation: ClassVar[str] = "Kerr 2018 rec 3.1; Rose 2015 recs R12–R16"
    mechanism: ClassVar[str] = (
        "Less duplicative reporting lowers burnout: executives' leave-NHS hazard and managers' "
        "leaving rates fall.")
    unit: ClassVar[str] = "trust-year"

    executive_leave_multiplier: float = S(0.85, "× executives' leave-NHS hazard", ge=0)
    manager_leave_multiplier: float = S(0.95, "× middle and senior managers' leaving rate", ge=0)
    cost_per_unit: float = S(10_000.0, "£ per trust-year (net cost of streamlining; savings not counted)", ge=0)

    def exit_hazards(self, rates, *, model, post, org):
        return scale_hazards(rates, leave=self.executive_leave_multiplier)

    def feeder_leave_rate(self, rate, *, model, grade):
        return rate * self.manager_leave_multiplier if grade != "graduate_trainee" else rate

    def units(self, model, year):
        return len(model.orgs)
