"""Buddying and mentoring of new executives, focused on diverse leaders (Kerr 2018 rec 1.5)."""

from typing import ClassVar, Literal

from .base import Intervention, S, scale_hazards


class Mentoring(Intervention):
    type: Literal["mentoring"] = "mentoring"
    recommendation: ClassVar[str] = "Kerr 2018 rec 1.5"
    mechanism: ClassVar[str] = (
        "Executives in their first years in post have a mentor: their leave and removal hazards fall, "
        "more so for ethnic-minority leaders.")
    unit: ClassVar[str] = "mentored executive-year"

    hazard_multiplier: float = S(0.8, "× leave and removal hazards in early tenure", ge=0)
    ethnic_minority_multiplier: float = S(0.85, "further × for ethnic-minority executives", ge=0)
    cost_per_unit: float = S(6_000.0, "£ per mentored executive-year", ge=0)

    def _mentored(self, model, post) -> bool:
        return model.env.now - post.appointed < model.params.turnover.early_tenure_years

    def exit_hazards(self, rates, *, model, post, org):
        if not self._mentored(model, post):
            return rates
        m = self.hazard_multiplier
        if model.people.ethnic_minority[post.holder]:
            m *= self.ethnic_minority_multiplier
        return scale_hazards(rates, leave=m, removed=m)

    def units(self, model, year):
        return sum(1 for p in model.posts if p.holder >= 0 and self._mentored(model, p))
