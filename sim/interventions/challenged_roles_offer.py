"""A wider package of support and incentives for everyone who leads a challenged trust
(Messenger 2022 rec 7).

Messenger 7 (004:343): "Improve the package of support and incentives in place to enable the best
leaders and managers to take on some of the most difficult roles". It "builds on … Kerr's …
'new deal'" (004:345) but is wider: "an improved and more widespread offer is needed" than the
Intensive Support Teams (004:347); support networks, "peer mentoring, coaching" (004:350);
"accepting that failure is a normal component of service improvement" (004:351); "funding to
improve the quality of digital, estates, and equipment" (004:352); "flexibility in available terms
and conditions … including relocation support" (004:353).

What happens to whom, at every trust while it is challenged (rated inadequate or in special
measures), for every executive post — not only a few incoming chief executives as in Kerr's deal:
- posts attract more candidates (terms and conditions, relocation: 004:353);
- holders are less likely to be removed ("freedom to fail": 004:351) and to leave (peer
  mentoring and coaching: 004:350);
- a trust not in special measures gets improvement support, a share of the calibrated
  special-measures support (a trust in special measures already has that regime), so the offer
  reaches further than special measures without exceeding what that regime gives (004:347);
- "reward them with upward career progression" (004:349): anyone credited with a challenged
  posting (one that lasted, or saw the trust improve: ``processes/careers.py``) scores
  ``career_reward_bonus`` more at interview for any later executive post. Messenger's "strategically
  place talented managers" in the same sentence is the talent boards' placement, not this offer.
Relocation to rural and coastal areas cannot be targeted: trusts have no such attribute.
"""

from typing import ClassVar, Literal

from ..processes.performance import challenged
from .base import Intervention, S, ramp, scale_hazards


class ChallengedRolesOffer(Intervention):
    type: Literal["challenged_roles_offer"] = "challenged_roles_offer"
    recommendation: ClassVar[str] = "Messenger 2022 rec 7 (004:343-353)"
    mechanism: ClassVar[str] = (
        "At every challenged trust, for every executive post: better terms make posts more attractive; "
        "holders are less likely to be removed (freedom to fail) or to leave (mentoring, coaching); "
        "challenged trusts outside special measures get improvement support up to a share of the "
        "special-measures regime's; a challenged posting that lasted or saw the trust improve counts at "
        "later interviews (career reward).")
    unit: ClassVar[str] = "supported trust-year"

    terms_attractiveness: float = S(1.15, "× attractiveness of executive posts at challenged trusts",
                                    "assumption; Messenger 2022 (004:353): terms and conditions, relocation support",
                                    ge=0)
    removal_multiplier: float = S(0.7, "× removal hazard of executives at challenged trusts",
                                  "assumption; Messenger 2022 (004:351): 'freedom to fail'", ge=0)
    leave_multiplier: float = S(0.85, "× leave-NHS hazard of executives at challenged trusts",
                                "assumption; Messenger 2022 (004:350): peer mentoring, coaching", ge=0)
    support_share: float = S(0.5, "quality support per year of a challenged trust outside special measures, as a "
                             "share of the calibrated special-measures support (0-1)",
                             "assumption; Messenger 2022 (004:347): 'a more widespread offer' than the ISTs", ge=0,
                             le=1)
    career_reward_bonus: float = S(0.2, "interview-score bonus (capability SD) of people credited with a challenged "
                                   "posting, at any later executive search",
                                   "assumption; Messenger 2022 (004:349): 'reward them with upward career "
                                   "progression'", ge=0, le=2)
    ramp_years: float = ramp(2.0, "assumption: no delivery found; Messenger's own timetable FY2023/24 (004:366)")
    cost_per_unit: float = S(1_000_000.0, "£ per supported trust-year (support, terms, and funding for digital, "
                             "estates and equipment, 004:352)", "assumption", ge=0)

    def attractiveness(self, a, *, model, post, org):
        return a * self.terms_attractiveness if challenged(org) else a

    def exit_hazards(self, rates, *, model, post, org):
        if not challenged(org):
            return rates
        return scale_hazards(rates, leave=self.leave_multiplier, removed=self.removal_multiplier)

    def quality_support(self, value, *, model, org):
        if challenged(org) and not org.special_measures:
            return value + self.support_share * model.params.performance.special_measures_support
        return value

    def career_reward(self, bonus, *, model, post):
        return bonus + self.career_reward_bonus

    def units(self, model, year):
        return sum(challenged(org) for org in model.orgs) * self.strength(model.env.now)
