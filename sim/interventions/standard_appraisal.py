"""A simple, consistent appraisal, phased in by group (Messenger 2022 rec 4; Rose 2015 rec R11).

Messenger 4 (004:288-305): "more effective, consistent and behaviour-based appraisal" for all NHS
employees, but "start with a focus on non-clinical managers in the 2022 to 2023 financial year"
(004:299), with "more extensive use of 360 feedback where appropriate" (004:303) and compulsory
appraiser training (004:305). Rose R11 (002:33): "simple, rational appraisal … supported by a
regular course in giving and receiving appraisals … At a senior level, these appraisals should be
standardised across the NHS."

What happens to whom: appraisal observes capability with less noise, so readiness and selection
follow capability more closely. It reaches the first group at the start — non-clinical managers
(Messenger) or the senior grades (Rose's reading: ``first_group: senior``) — and everyone else
``others_after_years`` later; within each group the noise falls along the ramp as appraisers are
trained. The behaviours that Messenger's appraisal, and Kerr's 360° feedback (2.5c, 000:208),
would scrutinise are not a state in the model (see the cannot-represent table).
"""

from typing import ClassVar, Literal

import numpy as np

from ..entities import GRADE, PROFESSION
from .base import Intervention, S, ramp

CLINICAL = [PROFESSION[p] for p in ("doctor", "nurse", "allied_health")]
SENIOR_GRADES = (GRADE["senior_manager"], GRADE["executive_director"], GRADE["chief_executive"])


class StandardAppraisal(Intervention):
    type: Literal["standard_appraisal"] = "standard_appraisal"
    recommendation: ClassVar[str] = "Messenger 2022 rec 4 (004:288-305); Rose 2015 rec R11 (002:33)"
    mechanism: ClassVar[str] = (
        "Appraisal observes capability with less noise — first for non-clinical managers (or the "
        "senior grades), later for everyone — so readiness and selection follow capability more "
        "closely.")
    unit: ClassVar[str] = "appraisal under the new process"
    unphased: ClassVar[frozenset[str]] = frozenset({"appraisal_noise"})   # by group, then by the ramp

    noise_multiplier: float = S(0.6, "× appraisal noise SD", "assumption; range 0.5-1.0", ge=0)
    first_group: Literal["non_clinical", "senior"] = S(
        "non_clinical", "who has the new appraisal first: non-clinical managers (Messenger 4) or the senior grades "
        "(Rose R11)", "Messenger 2022 (004:299); Rose 2015 R11 (002:33)")
    others_after_years: float = S(2.0, "years after the start until everyone else has it",
                                  "assumption; Messenger 2022 (004:299): 'All NHS employees should be within scope'",
                                  ge=0, le=30)
    ramp_years: float = ramp(3.0, "assumption: appraisers are trained over three years (004:305)")
    cost_per_unit: float = S(150.0, "£ per appraisal (360° feedback and appraiser training)", "assumption", ge=0)

    def _covered(self, model, rows: np.ndarray) -> np.ndarray:
        people, now = model.people, model.env.now
        if now >= self.start + self.others_after_years:
            return np.ones(len(rows), dtype=bool)
        if self.first_group == "senior":
            return np.isin(people.grade[rows], SENIOR_GRADES)
        return ~np.isin(people.profession[rows], CLINICAL)

    def appraisal_noise(self, sd, *, model, rows):
        m = 1.0 + self.strength(model.env.now) * (self.noise_multiplier - 1.0)
        return np.where(self._covered(model, rows), sd * m, sd)

    def units(self, model, year):
        people = model.people
        rows = np.flatnonzero(people.view("alive") & (people.view("grade") >= GRADE["middle_manager"]))
        return int(np.sum(self._covered(model, rows)))
