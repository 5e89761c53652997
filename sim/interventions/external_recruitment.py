"""Recruiting experienced leaders from other sectors, with support (Kerr 2018 rec 1.4)."""

from typing import ClassVar, Literal

import numpy as np

from ..entities import ORIGIN
from .base import Intervention, S, scale_hazards


class ExternalRecruitment(Intervention):
    type: Literal["external_recruitment"] = "external_recruitment"
    recommendation: ClassVar[str] = "Kerr 2018 rec 1.4"
    mechanism: ClassVar[str] = (
        "More experienced leaders from other sectors apply for executive posts; a support package "
        "lowers their leave and removal hazards in their first years in post.")
    unit: ClassVar[str] = "supported external appointee"

    applicants_multiplier: float = S(2.5, "× external applicants per search", ge=0)
    support_hazard_multiplier: float = S(0.7, "× leave and removal hazards of external appointees in early tenure",
                                         ge=0)
    cost_per_unit: float = S(40_000.0, "£ per external appointee (induction and support package)", ge=0)

    def external_applicants(self, n, *, model, post):
        return n * self.applicants_multiplier

    def exit_hazards(self, rates, *, model, post, org):
        people = model.people
        early = model.env.now - post.appointed < model.params.turnover.early_tenure_years
        if early and people.origin[post.holder] == ORIGIN["external"]:
            m = self.support_hazard_multiplier
            return scale_hazards(rates, leave=m, removed=m)
        return rates

    def units(self, model, year):
        people = model.people
        new = (people.view("origin") == ORIGIN["external"]) & (people.view("post") >= 0) \
            & (people.view("appointed") >= year - 1) & (people.view("appointed") < year)
        return int(np.sum(new & people.view("alive")))
