"""New deal for leaders of challenged trusts (Kerr 2018 rec 1.6; Messenger 2022 rec 7)."""

from typing import ClassVar, Literal

from ..processes.performance import challenged
from .base import Intervention, S, scale_hazards


class NewDeal(Intervention):
    type: Literal["new_deal"] = "new_deal"
    recommendation: ClassVar[str] = "Kerr 2018 rec 1.6; Messenger 2022 rec 7"
    mechanism: ClassVar[str] = (
        "At trusts rated inadequate or in special measures: the chief executive's post (or every "
        "executive post) becomes more attractive — more applicants, shorter searches; the leaders' "
        "removal and leave hazards fall; the trust receives improvement support that raises its quality; "
        "a talent board's nominee for a supported post is offered the support (placement).")
    unit: ClassVar[str] = "supported trust-year"

    attractiveness_multiplier: float = S(1.4, "× attractiveness of supported posts", ge=0)
    removal_multiplier: float = S(0.5, "× removal hazard of supported leaders", ge=0)
    leave_multiplier: float = S(0.8, "× leave-NHS hazard of supported leaders", ge=0)
    chief_executive_only: bool = S(True, "support covers the chief executive only (Kerr: 'an incoming chief executive')",
                                   "Kerr 2018 rec 1.6")
    recovery_support: float = S(0.15, "trust quality SD per year while supported", "assumption (Kerr 1.6 support package)",
                                ge=0)
    cost_per_unit: float = S(500_000.0, "£ per supported trust-year",
                             "assumption: improvement support and leadership package", ge=0)

    def _covers(self, post, org) -> bool:
        return challenged(org) and (post.is_ceo or not self.chief_executive_only)

    def attractiveness(self, a, *, model, post, org):
        return a * self.attractiveness_multiplier if self._covers(post, org) else a

    def exit_hazards(self, rates, *, model, post, org):
        if not self._covers(post, org):
            return rates
        return scale_hazards(rates, leave=self.leave_multiplier, removed=self.removal_multiplier)

    def placement_offer(self, offer, *, model, post, person):
        # a nominee approached by a talent board is offered the deal's support with the post
        return offer._replace(support=True) if self._covers(post, model.orgs[post.org]) else offer

    def quality_support(self, value, *, model, org):
        return value + self.recovery_support if challenged(org) else value

    def units(self, model, year):
        return sum(challenged(org) for org in model.orgs)
