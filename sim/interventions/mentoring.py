"""Formal buddying and mentoring for the cohorts of talent, focused on leaders from diverse
backgrounds (Kerr 2018 rec 1.5).

Kerr 1.5 (000:133): "Formal buddying and mentoring schemes … as part of regional talent management
(to increase the support offer to the cohorts of talent referenced in 1.1 to 1.4), with a
particular focus on ensuring this supports leaders from a diverse range of backgrounds."

Who is mentored: executives in their first years in post who belong to one of those cohorts —
completers of an executive-development programme (the programmes and talent pools of 1.1-1.2
draw on them), appointees from outside the NHS (1.4) and clinicians who came into management
(1.3) — and, for the diversity focus, every ethnic-minority executive in their first years (the
only dimension of background the model holds besides sex). Their leave and removal hazards fall.
Kerr places the schemes within regional talent management; here they run on their own.
"""

from typing import ClassVar, Literal

import numpy as np

from ..entities import ORIGIN
from ..processes import training
from .base import Intervention, S, ramp, scale_hazards

TALENT_ORIGINS = (ORIGIN["external"], ORIGIN["clinician"])


class Mentoring(Intervention):
    type: Literal["mentoring"] = "mentoring"
    recommendation: ClassVar[str] = "Kerr 2018 rec 1.5 (000:133)"
    mechanism: ClassVar[str] = (
        "New executives from the talent cohorts (executive-programme completers, external and "
        "clinician entrants) and every new ethnic-minority executive have a mentor in their first "
        "years in post: their leave and removal hazards fall.")
    unit: ClassVar[str] = "mentored executive-year"

    hazard_multiplier: float = S(0.8, "× leave and removal hazards of a mentored executive", "assumption; range "
                                 "0.7-1.0", ge=0)
    diverse_focus: bool = S(True, "every new ethnic-minority executive is mentored, in a talent cohort or not",
                            "Kerr 2018 1.5 (000:133): 'a particular focus on … leaders from a diverse range of "
                            "backgrounds'")
    ramp_years: float = ramp(1.0, "assumption: mentors are recruited and matched over a year")
    cost_per_unit: float = S(6_000.0, "£ per mentored executive-year", "assumption", ge=0)

    def _mentored(self, model, post) -> bool:
        if model.env.now - post.appointed >= model.params.turnover.early_tenure_years:
            return False
        people, h = model.people, post.holder
        if self.diverse_focus and people.ethnic_minority[h]:
            return True
        if people.origin[h] in TALENT_ORIGINS:
            return True
        rows = np.array([h])
        return any(training.completed(model, name, rows)[0] for name, (_, prog)
                   in model.programme_catalogue.items() if prog.grants_readiness)

    def exit_hazards(self, rates, *, model, post, org):
        if not self._mentored(model, post):
            return rates
        m = self.hazard_multiplier
        return scale_hazards(rates, leave=m, removed=m)

    def units(self, model, year):
        mentored = sum(1 for p in model.posts if p.holder >= 0 and self._mentored(model, p))
        return mentored * self.strength(model.env.now)
