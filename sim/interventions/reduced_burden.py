"""A leaner, risk-adjusted approach to performance management and information requests
(Kerr 2018 rec 3.1; Rose 2015 recs R12, R14, R16).

Kerr 3.1 (000:266): "A new leaner, risk adjusted approach to performance management and assurance
… memorandum of understanding", with rules for issuing and reviewing requests (000:268-294), for
"executive leaders" (000:15). Rose R12 (002:35), R14 (002:37) and R16 (002:39) ask for the same
rationalisation of data demands. Neither gives evidence that the burden drives exits, so the
effect — executives a little less likely to leave the NHS — is an assumption whose range reaches
no effect at all. It covers executives only, as Kerr does. Rose R13 (merging the TDA and Monitor,
002:36) happened in April 2016 and R15 (a scorecard for the organisation, 002:38) is about
oversight, not burden: neither is here.
"""

from typing import ClassVar, Literal

from .base import Intervention, S, ramp, scale_hazards


class ReducedBurden(Intervention):
    type: Literal["reduced_burden"] = "reduced_burden"
    recommendation: ClassVar[str] = "Kerr 2018 rec 3.1 (000:266); Rose 2015 recs R12, R14, R16 (002:35-39)"
    mechanism: ClassVar[str] = "Less duplicative reporting: executives' leave-NHS hazard falls a little."
    unit: ClassVar[str] = "trust-year"

    executive_leave_multiplier: float = S(0.85, "× executives' leave-NHS hazard", "assumption; range 0.7-1.0", ge=0)
    ramp_years: float = ramp(2.0, "assumption: new request rules and the memorandum take two years to bed in")
    cost_per_unit: float = S(10_000.0, "£ per trust-year (net cost of streamlining; savings not counted)",
                             "assumption", ge=0)

    def exit_hazards(self, rates, *, model, post, org):
        return scale_hazards(rates, leave=self.executive_leave_multiplier)

    def units(self, model, year):
        return len(model.orgs) * self.strength(model.env.now)
