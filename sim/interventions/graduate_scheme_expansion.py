"""A much larger graduate management training scheme (Rose 2015 rec R6)."""

from typing import ClassVar, Literal

import numpy as np

from ..entities import GRADE
from .base import Intervention, S


class GraduateSchemeExpansion(Intervention):
    type: Literal["graduate_scheme_expansion"] = "graduate_scheme_expansion"
    recommendation: ClassVar[str] = "Rose 2015 rec R6"
    mechanism: ClassVar[str] = (
        "Graduate-scheme intake is multiplied; every completer is guaranteed a post; career pathways "
        "cut early leaving after the scheme.")
    unit: ClassVar[str] = "extra trainee-year"

    intake_multiplier: float = S(10.0, "× published intake", "Rose 2015 R6: extend the scheme tenfold", ge=0)
    guaranteed_post: bool = S(True, "every completer gets a post", "Rose 2015 R6: guaranteed job")
    early_leave_multiplier: float = S(0.5, "× graduates' extra early leaving", "assumption (career pathways)", ge=0)
    cost_per_unit: float = S(50_000.0, "£ per extra trainee-year",
                             "Hansard 11 Jan 2010: £100,000 per trainee over two years", ge=0)

    def graduate_intake_multiplier(self, m, *, model):
        return m * self.intake_multiplier

    def graduate_job_at_completion(self, p, *, model):
        return 1.0 if self.guaranteed_post else p

    def graduate_early_leave_rate(self, r, *, model):
        return r * self.early_leave_multiplier

    def units(self, model, year):
        people = model.people
        trainees = int(np.sum(people.view("alive") & (people.view("grade") == GRADE["graduate_trainee"])))
        return trainees * max(0.0, 1.0 - 1.0 / self.intake_multiplier) if self.intake_multiplier > 0 else 0.0
