"""Minimum-term contracts for chief executives (Rose 2015 rec R18).

Rose R18 (002:42): "Set minimum term centrally held contracts for some very senior managers
subject to assessment and appraisal". This intervention represents only the minimum term, for
every chief executive (optionally every executive) from their appointment — wider than "some",
and not conditional on appraisal: an assumption variant. The centrally held contracts of "some
very senior managers", deployed and reviewed by appraisal, are the ``central_cadre``.
"""

from typing import ClassVar, Literal

from .base import Intervention, S, scale_hazards


class MinimumTermContracts(Intervention):
    type: Literal["minimum_term_contracts"] = "minimum_term_contracts"
    recommendation: ClassVar[str] = "Rose 2015 rec R18 (002:42)"
    mechanism: ClassVar[str] = (
        "Chief executives (optionally all executives) hold a contract for a minimum term: in that "
        "term they are less likely to leave or move, and — the possible downside — less likely to "
        "be removed.")
    unit: ClassVar[str] = "contract-year"

    term_years: float = S(3.0, "years of the minimum term", ge=0)
    chief_executive_only: bool = S(True, "contracts for chief executives only", "Rose 2015 R18: 'some very senior managers'")
    leave_multiplier: float = S(0.5, "× leave and move hazards within the term", ge=0)
    removal_multiplier: float = S(0.7, "× removal hazard within the term", ge=0)
    cost_per_unit: float = S(5_000.0, "£ per contract-year (central contract management)", ge=0)

    def _covered(self, model, post) -> bool:
        return (post.is_ceo or not self.chief_executive_only) \
            and model.env.now - post.appointed < self.term_years

    def exit_hazards(self, rates, *, model, post, org):
        if not self._covered(model, post):
            return rates
        return scale_hazards(rates, leave=self.leave_multiplier, move=self.leave_multiplier,
                             removed=self.removal_multiplier)

    def units(self, model, year):
        return sum(1 for p in model.posts if p.holder >= 0 and self._covered(model, p))
