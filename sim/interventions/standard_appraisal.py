"""A simpler, consistent appraisal with 360° feedback (Messenger 2022 rec 4; Rose 2015 rec R11;
Kerr 2018 rec 2.5c)."""

from typing import ClassVar, Literal

import numpy as np

from ..entities import GRADE
from .base import Intervention, S


class StandardAppraisal(Intervention):
    type: Literal["standard_appraisal"] = "standard_appraisal"
    recommendation: ClassVar[str] = "Messenger 2022 rec 4; Rose 2015 rec R11; Kerr 2018 rec 2.5c"
    mechanism: ClassVar[str] = (
        "Appraisal observes capability with less noise, so readiness and selection follow "
        "capability more closely.")
    unit: ClassVar[str] = "appraisal"

    noise_multiplier: float = S(0.6, "× appraisal noise SD", ge=0)
    cost_per_unit: float = S(150.0, "£ per appraisal (360° feedback and training)", ge=0)

    def appraisal_noise(self, sd, *, model):
        return sd * self.noise_multiplier

    def units(self, model, year):
        people = model.people
        return int(np.sum(people.view("alive") & (people.view("grade") >= GRADE["middle_manager"])))
