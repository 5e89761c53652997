"""What if the intensive support and interim management teams were withdrawn? The counterfactual
to Smith 2015 rec 4.

Smith 4 (001:88, 001:488): "NHS Interim Management and Support (NHS IMAS) comprises the Intensive
Support Teams (ISTs) and a core team … These reporting arrangements should continue" — a
recommendation to *keep* teams that existed (IMAS since 2008; the ISTs jointly governed since
January 2015), not to add a service. They are in the baseline: its interim cover and its
special-measures support were calibrated on 2014-2017, when the teams were working, and
Messenger still cites "good work already in train through NHS Intensive Support Teams" (004:347).
Smith's package therefore changes nothing for rec 4.

The option left is the decision Smith advised against: withdraw the teams. At challenged trusts a
share of the interim cover (IMAS's) is lost, and the special-measures support loses the ISTs'
share; the saving is booked as a negative cost. Comparing this scenario with the baseline values
keeping the teams. Both shares and the saving are assumptions (no published split of interim
cover or of the support between IMAS and other sources). Interim cover shows in the vacant and
interim measures reported separately, not in the combined vacant-or-interim one.
"""

from typing import ClassVar, Literal

from ..processes.performance import challenged
from .base import Intervention, S, ramp


class IntensiveSupportWithdrawn(Intervention):
    type: Literal["intensive_support_withdrawn"] = "intensive_support_withdrawn"
    recommendation: ClassVar[str] = "Smith 2015 rec 4 (001:88), as its counterfactual"
    mechanism: ClassVar[str] = (
        "The national intensive-support and interim teams close: challenged trusts lose IMAS's share "
        "of interim cover and the ISTs' share of special-measures support; the saving is booked as a "
        "negative cost.")
    unit: ClassVar[str] = "challenged trust-year no longer supported (a saving)"

    interim_share: float = S(0.3, "share of interim cover at challenged trusts that IMAS provides (lost)",
                             "assumption; IMAS: 750 managers and clinicians on its books, 140 live assignments "
                             "(HSJ 2013)", ge=0, le=1)
    support_share: float = S(0.3, "share of the special-measures support that the ISTs provide (lost)",
                             "assumption", ge=0, le=1)
    ramp_years: float = ramp(1.0, "assumption: the teams wind down over a year")
    cost_per_unit: float = S(250_000.0, "£ saved per challenged trust-year", "assumption", ge=0)

    def interim_probability(self, p, *, model, post):
        return p * (1.0 - self.interim_share) if challenged(model.orgs[post.org]) else p

    def special_measures_support(self, support, *, model, org):
        return support * (1.0 - self.support_share)

    def yearly(self, model, year):
        saved = sum(challenged(org) for org in model.orgs) * self.strength(model.env.now)
        self.book(model, -saved * self.cost_per_unit)
