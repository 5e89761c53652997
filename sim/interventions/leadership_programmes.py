"""Executive programmes with enhanced modules for leading challenged organisations
(Kerr 2018 rec 1.2; Smith 2015 rec 13).

Kerr 1.2 (000:127) asks for *content* in the existing executive programmes ("e.g. the aspiring
chief executive programme"): systems leadership, operational management, and "enhanced modules to
support leaders to develop the skills and capabilities required to lead the most challenged NHS
organisations". Smith 13 (001:622) lists "how to lead turnaround within distressed organisations"
among the priorities of the nationally commissioned programmes. Neither gives a number of places,
so the programmes keep their baseline sizes.

What happens to whom: people who complete the executive-readiness or aspiring-chief-executive
programme from the start gain a little more capability (the module), and when they lead a
challenged trust they are less likely to leave or be removed. The effect builds up by itself as
cohorts complete and reach challenged posts. "Operational management … to prevent unnecessary
escalation" has no counterpart in the model (there is no escalation of work).
"""

from typing import ClassVar, Literal

import numpy as np

from ..processes import training
from ..processes.performance import challenged
from .base import Intervention, S, ramp, scale_hazards

WITH_MODULE = ("executive_readiness", "aspiring_chief_executive")


class LeadershipProgrammes(Intervention):
    type: Literal["leadership_programmes"] = "leadership_programmes"
    recommendation: ClassVar[str] = "Kerr 2018 rec 1.2 (000:127); Smith 2015 rec 13 (001:622)"
    mechanism: ClassVar[str] = (
        "The executive-readiness and aspiring-chief-executive programmes add modules on leading "
        "challenged organisations: completers gain a little more capability, and at a challenged "
        "trust they are less likely to leave or be removed. Places stay as in the baseline.")
    unit: ClassVar[str] = "programme place with the module"

    module_capability_gain: float = S(0.05, "capability SD added to the programmes' gain", "assumption; range 0-0.1",
                                      ge=0)
    challenged_hazard_multiplier: float = S(0.8, "× leave and removal hazards of module completers at challenged "
                                            "trusts", "assumption; range 0.7-1.0", ge=0)
    ramp_years: float = ramp(0.0, "none: the effect builds up as cohorts complete the programmes")
    cost_per_unit: float = S(3_000.0, "£ per place (the module's share of the programme)", "assumption", ge=0)

    def programmes(self, progs, *, model):
        return tuple(p.model_copy(update={"capability_gain": p.capability_gain + self.module_capability_gain})
                     if p.name in WITH_MODULE else p for p in progs)

    def exit_hazards(self, rates, *, model, post, org):
        if challenged(org) and self._completed_module(model, post.holder):
            m = self.challenged_hazard_multiplier
            return scale_hazards(rates, leave=m, removed=m)
        return rates

    def _completed_module(self, model, person: int) -> bool:
        """Completed a programme with the module: one of them, finished on or after the start (a
        person's ``programme_end`` is the end of their latest programme)."""
        rows = np.array([person])
        done = any(training.completed(model, name, rows)[0] for name in WITH_MODULE)
        end = model.people.programme_end[person]
        return done and self.start <= end <= model.env.now + 1e-9

    def units(self, model, year):
        return sum(training.starts(model, name) for name in WITH_MODULE)
