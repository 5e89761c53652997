"""A strategy to recruit experienced leaders from other sectors, with a support package
(Kerr 2018 rec 1.4).

Kerr 1.4 (000:131): "Develop a recruitment strategy … to attract experienced and talented
individuals … from other sectors to take up executive leadership positions in the NHS,
accompanied by an appropriate support package." More applicants from outside the NHS apply for
executive posts as the strategy takes hold (the ramp); every external appointee receives the
support package, which is what the cost pays for.

The support package is not modelled as lowering external appointees' early exits: the baseline
gives them no extra early-exit risk — none is published (Kerr gives no figure; Messenger's
"lateral entrants are often inadequately inducted", 004:163, is qualitative) — so a reduction
would make them less likely to leave than the internal appointees beside them. Its part in the
model is in drawing applicants, inside ``applicants_multiplier``.
"""

from typing import ClassVar, Literal

import numpy as np

from ..entities import ORIGIN
from .base import Intervention, S, ramp


class ExternalRecruitment(Intervention):
    type: Literal["external_recruitment"] = "external_recruitment"
    recommendation: ClassVar[str] = "Kerr 2018 rec 1.4 (000:131)"
    mechanism: ClassVar[str] = (
        "More experienced leaders from other sectors apply for executive posts, each appointee with "
        "a support package (which helps draw them; their exits are as in the baseline).")
    unit: ClassVar[str] = "external appointee with the support package"

    applicants_multiplier: float = S(2.5, "× external applicants per executive search", "assumption", ge=0)
    ramp_years: float = ramp(3.0, "assumption: a recruitment strategy is developed, then takes hold")
    cost_per_unit: float = S(40_000.0, "£ per external appointee (induction and support package)", "assumption",
                             ge=0)

    def external_applicants(self, n, *, model, post):
        return n * self.applicants_multiplier

    def units(self, model, year):
        # appointees of the year just ended, booked at its end
        people = model.people
        appointed = people.view("appointed")
        new = (people.view("origin") == ORIGIN["external"]) & (people.view("post") >= 0) \
            & (appointed >= max(year - 1, self.start)) & (appointed < year)
        return int(np.sum(new & people.view("alive")))
