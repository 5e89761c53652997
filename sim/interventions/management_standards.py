"""Management standards: accredited training as the gateway to senior posts
(Messenger 2022 rec 3; Rose 2015 rec R8)."""

from typing import ClassVar, Literal

import numpy as np

from ..entities import GRADE
from ..processes import training
from .base import Intervention, S

# the accredited programme a grade must complete before it can be judged ready to move up
GATEWAY = {"middle_manager": "senior_manager", "senior_manager": "executive_readiness"}


class ManagementStandards(Intervention):
    type: Literal["management_standards"] = "management_standards"
    recommendation: ClassVar[str] = "Messenger 2022 rec 3; Rose 2015 rec R8"
    mechanism: ClassVar[str] = (
        "Promotion to senior manager and to director requires the accredited programme of the grade "
        "(the senior-manager and executive-readiness programmes), whose capacity grows and whose "
        "places are assigned (push) to the best appraised. The eligible pool shrinks at first; "
        "capability rises later.")
    unit: ClassVar[str] = "extra accredited place"

    capacity_multiplier: float = S(3.0, "× capacity of the two accredited programmes", ge=0)
    push_selection: bool = S(True, "places assigned to the best appraised, not left to applicants",
                             "Messenger 2022: development is 'pull', not 'push'")
    cost_per_unit: float = S(13_500.0, "£ per extra accredited place", "assumption (programme costs)", ge=0)

    def programmes(self, progs, *, model):
        gated = set(GATEWAY.values())
        return tuple(p.model_copy(update={"capacity": int(round(p.capacity * self.capacity_multiplier)),
                                          "selection": "push" if self.push_selection else p.selection})
                     if p.name in gated else p for p in progs)

    def readiness(self, ready, *, model, rows):
        grade = model.people.grade[rows]
        for grade_name, programme in GATEWAY.items():
            in_grade = grade == GRADE[grade_name]
            ready = np.where(in_grade, ready & training.completed(model, programme, rows), ready)
        return ready

    def units(self, model, year):
        base = {p.name: p.capacity for p in model.params.training.programmes}
        return sum(max(0, training.starts(model, name) - base.get(name, 0)) for name in GATEWAY.values())
