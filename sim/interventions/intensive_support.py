"""Intensive support and interim management teams for challenged organisations (Smith 2015 rec 4)."""

from typing import ClassVar, Literal

from ..processes.performance import challenged
from .base import Intervention, S


class IntensiveSupport(Intervention):
    type: Literal["intensive_support"] = "intensive_support"
    recommendation: ClassVar[str] = "Smith 2015 rec 4"
    mechanism: ClassVar[str] = (
        "A national interim team covers almost every executive vacancy at challenged trusts, and "
        "improvement teams add a little to their quality.")
    unit: ClassVar[str] = "supported trust-year"

    interim_cover: float = S(0.95, "probability an executive vacancy at a challenged trust gets an interim",
                                   ge=0, le=1)
    improvement_support: float = S(0.05, "trust quality SD per year", ge=0)
    cost_per_unit: float = S(250_000.0, "£ per supported trust-year (interim and improvement teams)", ge=0)

    def interim_probability(self, p, *, model, post):
        return max(p, self.interim_cover) if challenged(model.orgs[post.org]) else p

    def quality_support(self, value, *, model, org):
        return value + self.improvement_support if challenged(org) else value

    def units(self, model, year):
        return sum(challenged(org) for org in model.orgs)
