"""Kerr's new deal: a starting package agreed with an incoming chief executive of a challenged
trust, in a few high-profile cases (Kerr 2018 rec 1.6).

Kerr 1.6 (000:139-143): "national bodies, STP/ICS lead, incoming Chief Executive, Chair and
Non-Executive Directors agree to a 'starting package'" (000:139) with a shared plan, "realistic
timescales … (and exit strategy)" (000:141), "an agreed support package over a specified
timescale … for an agreed period of time … practical improvement support and capital" (000:142),
"'space' … and firm back[ing] from ALBs", "championed in a few high-profile cases" (000:143).

What happens to whom:
- A *deal* is made when a new chief executive starts at a trust that is challenged (rated
  inadequate or in special measures) and fewer than ``max_deals`` deals are in force nationally
  (the ramp raises that number from 0). Incumbents never get one; other executives are not
  covered; a trust has at most one deal at a time.
- While deals are on offer, a chief-executive search at a challenged trust without one is more
  attractive (``deal_attractiveness``): candidates know a package comes with the post; a talent
  board's nominee for it is offered the package (``placement_offer``: support).
- For ``deal_years`` from the appointment, whatever the trust's rating does: the chief executive
  is less likely to be removed ("space", "firm backing") or to leave, and the trust gets
  improvement support — a share of the calibrated special-measures support, so never more than
  the whole special-measures regime gives; it adds to that regime if the trust is also in it.
  The chief executive's protection ends if they leave; the trust's support runs its period.
- Cost: a one-off capital sum per deal, and the support for each deal-year, booked in the years
  it runs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar, Literal

from ..decisions import DECISIONS
from ..processes.performance import challenged
from .base import Intervention, S, ramp, scale_hazards


@dataclass(frozen=True)
class Deal:
    """A starting package: with whom (person, post), from when to when."""
    person: int
    post: int
    start: float
    end: float


class NewDeal(Intervention):
    type: Literal["new_deal"] = "new_deal"
    recommendation: ClassVar[str] = "Kerr 2018 rec 1.6 (000:139-143)"
    mechanism: ClassVar[str] = (
        "A few deals: when a new chief executive starts at a challenged trust and a deal is free, a "
        "starting package runs for a fixed period whatever the rating — the chief executive is less "
        "likely to be removed or to leave, the trust gets improvement support (a share of the "
        "calibrated special-measures support) and capital; while deals are on offer, chief-executive "
        "searches at challenged trusts attract more candidates, and a talent board's nominee for such a "
        "post is offered the package (placement).")
    unit: ClassVar[str] = "deal-year (support); capital is booked per deal"
    unphased: ClassVar[frozenset[str]] = frozenset(DECISIONS)   # the ramp is in the number of deals

    max_deals: int = S(5, "deals in force at once, England", "assumption; Kerr 2018 1.6c (000:143): 'a few "
                       "high-profile cases'", ge=0, le=233)
    deal_years: float = S(3.0, "years a deal runs from the appointment (not tied to the rating)",
                          "assumption; Kerr 2018 1.6b (000:142): 'an agreed period of time'; special-measures spells "
                          "average 20-24 months (NHSP 2017)", gt=0, le=10)
    deal_attractiveness: float = S(1.2, "× attractiveness of a chief-executive post at a challenged trust while a "
                                   "deal is on offer", "assumption", ge=0)
    removal_multiplier: float = S(0.5, "× removal hazard of a chief executive with a deal",
                                  "assumption; Kerr 2018 1.6c (000:143): 'space' and 'firm back from ALBs'", ge=0)
    leave_multiplier: float = S(0.8, "× leave-NHS hazard of a chief executive with a deal", "assumption", ge=0)
    support_share: float = S(0.5, "trust quality support per deal-year, as a share of the calibrated "
                             "special-measures support (0-1)", "assumption; Kerr 2018 1.6b (000:142): 'practical "
                             "improvement support'; bounded by the whole special-measures regime", ge=0, le=1)
    capital_per_deal: float = S(5_000_000.0, "£ per deal, once (digital, data, estates, equipment)",
                                "assumption; Kerr 2018 1.6b (000:142) names capital without a figure", ge=0, le=1e9)
    ramp_years: float = ramp(1.0, "assumption: the first deals are agreed within a year")
    cost_per_unit: float = S(500_000.0, "£ per deal-year (improvement support and organisational development)",
                             "assumption", ge=0)

    # -- the deals in force ---------------------------------------------------------------------------
    def _deals(self, model) -> dict[int, Deal]:
        """The deals made so far, by trust (the latest one of each trust)."""
        return model.intervention_state.setdefault(self.label, {})

    def _in_force(self, model, org_id: int) -> Deal | None:
        deal = self._deals(model).get(org_id)
        return deal if deal is not None and deal.start <= model.env.now < deal.end else None

    def _free(self, model) -> bool:
        now = model.env.now
        cap = math.floor(self.max_deals * self.strength(now) + 1e-9)
        return sum(d.start <= now < d.end for d in self._deals(model).values()) < cap

    def _offers_deal(self, model, post) -> bool:
        """Whether a search for ``post`` comes with a deal: a chief-executive post at a challenged
        trust without a deal, while one is free."""
        org = model.orgs[post.org]
        return post.is_ceo and challenged(org) and self._in_force(model, org.id) is None and self._free(model)

    def appointed(self, model, post, person):
        if not self._offers_deal(model, post):
            return
        now = model.env.now
        deal = Deal(person=person, post=post.id, start=now, end=now + self.deal_years)
        self._deals(model)[post.org] = deal
        model.recorder.event(now, "deal", person=person, org=post.org, post=post.id, role=post.role,
                             cause=self.label, value=self.deal_years)
        # capital now, and support for the rest of this calendar year (the tick books later years)
        self.book(model, self.capital_per_deal + self.cost_per_unit * _overlap(deal, now, math.floor(now) + 1.0))

    # -- what a deal changes ----------------------------------------------------------------------------
    def attractiveness(self, a, *, model, post, org):
        return a * self.deal_attractiveness if self._offers_deal(model, post) else a

    def exit_hazards(self, rates, *, model, post, org):
        deal = self._in_force(model, org.id)
        if deal is None or post.holder != deal.person:
            return rates
        return scale_hazards(rates, leave=self.leave_multiplier, removed=self.removal_multiplier)

    def placement_offer(self, offer, *, model, post, person):
        # a talent board's nominee for a post that comes with a deal is offered the package
        return offer._replace(support=True) if self._offers_deal(model, post) else offer

    def quality_support(self, value, *, model, org):
        if self._in_force(model, org.id) is None:
            return value
        return value + self.support_share * model.params.performance.special_measures_support

    def units(self, model, year):
        return sum(_overlap(d, year, year + 1.0) for d in self._deals(model).values())


def _overlap(deal: Deal, start: float, end: float) -> float:
    """Years of ``deal`` between ``start`` and ``end``."""
    return max(0.0, min(deal.end, end) - max(deal.start, start))
