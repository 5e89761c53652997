"""A central cadre of very senior managers on centrally held contracts (Rose 2015 rec R18).

Rose R18 (002:42): "Set minimum term centrally held contracts for some very senior managers
subject to assessment and appraisal". The cadre's members are employed centrally and deployed to
challenged trusts on fixed terms through placement (``sim/processes/placement.py``): they are
employed to go, so they accept almost always; at the end of a term they return to the cadre
rather than leave (``sim/processes/cadre.py``). Each year members whose appraisal falls below
the directors' readiness threshold leave the cadre, and the best-appraised executives join it.
R18 gives no number of members and no term: both are assumptions. The protection of a minimum
term from removal is the separate ``minimum_term_contracts`` intervention.
"""

from typing import ClassVar, Literal

from ..processes import cadre
from .base import Intervention, S, scale_hazards


class CentralCadre(Intervention):
    type: Literal["central_cadre"] = "central_cadre"
    recommendation: ClassVar[str] = "Rose 2015 rec R18 (002:42)"
    mechanism: ClassVar[str] = (
        "Some very senior managers are employed centrally and deployed to chief-executive (or all "
        "executive) posts at challenged trusts for a fixed term, through placement; they accept almost "
        "always, do not move on their own, and return to the cadre at the end of the term; a yearly "
        "review by appraisal decides who stays and who joins.")
    unit: ClassVar[str] = "cadre member-year"

    size: int = S(20, "members", "assumption: 'some very senior managers' (Rose 2015 R18, 002:42)", ge=0, le=2000)
    term_years: float = S(3.0, "years of a deployment",
                          "assumption: R18 gives none; KF 2018: median chief-executive tenure 3 years", gt=0, le=20)
    acceptance: float = S(0.9, "probability a member accepts a deployment", "assumption: employed to go", ge=0, le=1)
    chief_executive_only: bool = S(True, "deployed to chief-executive posts only",
                                   "Rose 2015 R18: 'very senior managers'")
    cost_per_unit: float = S(50_000.0, "£ per member-year (central employment between deployments, contract "
                             "management)", ge=0)

    def yearly(self, model, year):
        size = round(self.size * self.strength(model.env.now))   # the ramp: members
        model.boards[self.label] = cadre.review(model, self.label, size, self.acceptance, self.term_years)
        super().yearly(model, year)

    def stopped(self, model):
        model.boards.pop(self.label, None)
        cadre.release(model)

    def placement_boards(self, boards, *, model, post):
        board = model.boards.get(self.label)
        if board is None or not (post.is_ceo or not self.chief_executive_only):
            return boards
        return boards + [board]

    def exit_hazards(self, rates, *, model, post, org):
        # members move when the cadre deploys them, never on their own
        return scale_hazards(rates, move=0.0) if model.people.cadre[post.holder] else rates

    def units(self, model, year):
        return cadre.members(model)
