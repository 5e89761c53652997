"""A national mid-career programme for middle managers (Messenger 2022 rec 1b).

Messenger 1b (004:50, 004:227): "A new, national mid-career programme for managers across health
and social care", "targeted at middle managers … 3 to 5 days and in person" (004:244); "What is
needed here does not currently exist" (004:234). Its aim is "collaborative leadership, broader
cross-sector awareness" and behaviour (004:34), which the model cannot see; what it can see is a
small gain in capability (an assumption whose range includes none). The review gives no cohort
size: places are sized so that each middle manager takes part once in ``years_between_places``
years, growing along the ramp. Managers are sent (push). Only NHS managers are modelled, though
the programme is for social care and local government too. Messenger 1a, the induction "for all
who join" (004:48), is in the cannot-represent table.
"""

from typing import ClassVar, Literal

from ..params.system import Programme
from ..processes import training
from .base import Intervention, S, ramp


class MidCareerProgramme(Intervention):
    type: Literal["mid_career_programme"] = "mid_career_programme"
    recommendation: ClassVar[str] = "Messenger 2022 rec 1b (004:227, 004:244)"
    mechanism: ClassVar[str] = (
        "A short in-person programme (3–5 days) to which middle managers are sent (push), each about "
        "once in their time in the grade, adding a little capability; its effect counts from the next "
        "1 January.")
    unit: ClassVar[str] = "place"

    years_between_places: float = S(10.0, "years over which every middle manager takes part once (places = "
                                    "middle-manager establishment ÷ this)", "assumption: about once in a middle "
                                    "manager's time in the grade", gt=0, le=100)
    capability_gain: float = S(0.05, "capability SD gained", "assumption; range 0-0.1", ge=0)
    ramp_years: float = ramp(3.0, "assumption: a new programme ('does not currently exist', 004:234) is built up")
    cost_per_unit: float = S(1_500.0, "£ per place (3–5 days in person)", "assumption", ge=0)

    def programmes(self, progs, *, model):
        places = int(round(model.params.workforce.middle_managers / self.years_between_places))
        return progs + (Programme(name="mid_career", eligible_grade="middle_manager", capacity=places,
                                  duration=1.0, cost_per_place=self.cost_per_unit, capability_gain=self.capability_gain,
                                  selection="push", apply_rate=1.0, grants_readiness=False,
                                  source="Messenger 2022 rec 1b (004:244)"),)

    def units(self, model, year):
        return training.starts(model, "mid_career")
