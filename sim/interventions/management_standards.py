"""Management standards: accredited training as the gateway to senior posts, phased in
(Messenger 2022 rec 3; Rose 2015 rec R8).

Messenger 3 (004:282): the training bundles go "in the first instance … to non-clinical NHS
managers at entry and at a prescribed mid-career point … a pre-requisite for further
advancement. Some flexibility will be required for lateral entry. Over time, this should be a
mandatory requirement"; then "expand these bundles to all NHS clinical and non-clinical managers"
(004:284); delivery is "push", to "prescribed cohorts" (004:215). Rose R8 (002:29): "Require
senior managers to attend accredited courses" (the national pool of completers Rose adds is not
represented).

What happens to whom — the gate: a middle manager must complete the senior-manager programme,
and a senior manager the executive-readiness programme, to be judged ready to move up. It applies
- to non-clinical managers who entered their grade on or after the start, and to every
  non-clinical manager from ``transition_years`` after it ("over time");
- to clinical managers (doctors, nurses, allied health) only from ``clinical_gate_years`` after
  the start (Messenger's expansion);
- not to lateral entrants from outside the NHS in their first ``lateral_grace_years`` in the grade.
The two programmes are pushed to the best appraised, with places sized so that every manager of
the gated grade could complete in ``years_to_train_grade`` years (at least the baseline places);
the places grow along the ramp.
"""

from typing import ClassVar, Literal

import numpy as np

from ..entities import GRADE, ORIGIN, PROFESSION
from ..processes import training
from .base import Intervention, S, ramp

# the accredited programme a grade must complete before it can be judged ready to move up
GATEWAY = {"middle_manager": "senior_manager", "senior_manager": "executive_readiness"}
CLINICAL = [PROFESSION[p] for p in ("doctor", "nurse", "allied_health")]
ESTABLISHMENT = {"middle_manager": "middle_managers", "senior_manager": "senior_managers"}


class ManagementStandards(Intervention):
    type: Literal["management_standards"] = "management_standards"
    recommendation: ClassVar[str] = "Messenger 2022 rec 3 (004:282-284); Rose 2015 rec R8 (002:29)"
    mechanism: ClassVar[str] = (
        "Promotion to senior manager and to director requires the accredited programme of the grade, "
        "first for non-clinical managers new to the grade, for all non-clinical managers after a "
        "transition, for clinical managers later, with a grace period for lateral entrants; the "
        "programmes are pushed to the best appraised, with places for the whole grade over the years.")
    unit: ClassVar[str] = "accredited place beyond the baseline"
    unphased: ClassVar[frozenset[str]] = frozenset({"readiness"})   # phased by scope and date instead

    transition_years: float = S(3.0, "years after the start until the gate applies to every non-clinical manager",
                                "assumption; Messenger 2022 (004:282): 'over time … mandatory'", ge=0, le=30)
    clinical_gate_years: float = S(5.0, "years after the start until the gate applies to clinical managers",
                                   "assumption; Messenger 2022 (004:284): expansion 'following roll out'", ge=0, le=30)
    lateral_grace_years: float = S(2.0, "years in the grade a lateral entrant from outside the NHS may be judged "
                                   "ready without the programme", "assumption; Messenger 2022 (004:282): 'some "
                                   "flexibility … for lateral entry'", ge=0, le=30)
    years_to_train_grade: float = S(15.0, "years in which places let every manager of the gated grade complete",
                                    "assumption", gt=0, le=100)
    push_selection: bool = S(True, "places assigned to the best appraised, not left to applicants",
                             "Messenger 2022 (004:215): a 'push' basis")
    ramp_years: float = ramp(4.0, "assumption: places and gate phase in over four years (standards framework due "
                                  "June 2025, three years after the review)")
    cost_per_unit: float = S(13_500.0, "£ per accredited place beyond the baseline", "assumption (programme costs)",
                             ge=0)

    def programmes(self, progs, *, model):
        gated = {prog: grade for grade, prog in GATEWAY.items()}
        wf = model.params.workforce
        return tuple(p.model_copy(update={
            "capacity": max(p.capacity, int(round(getattr(wf, ESTABLISHMENT[gated[p.name]]) / self.years_to_train_grade))),
            "selection": "push" if self.push_selection else p.selection}) if p.name in gated else p for p in progs)

    def _gated(self, model, rows: np.ndarray) -> np.ndarray:
        """Whether the gate applies to each of ``rows`` now."""
        people, now = model.people, model.env.now
        clinical = np.isin(people.profession[rows], CLINICAL)
        new_to_grade = people.grade_since[rows] >= self.start
        everyone = now >= self.start + self.transition_years
        lateral = (people.origin[rows] == ORIGIN["external"]) \
            & (now - people.grade_since[rows] < self.lateral_grace_years)
        return np.where(clinical, now >= self.start + self.clinical_gate_years, new_to_grade | everyone) & ~lateral

    def readiness(self, ready, *, model, rows):
        grade = model.people.grade[rows]
        gated = self._gated(model, rows)
        for grade_name, programme in GATEWAY.items():
            applies = (grade == GRADE[grade_name]) & gated
            ready = np.where(applies, ready & training.completed(model, programme, rows), ready)
        return ready

    def units(self, model, year):
        base = {p.name: p.capacity for p in model.params.training.programmes}
        return sum(max(0, training.starts(model, name) - base.get(name, 0)) for name in GATEWAY.values())
