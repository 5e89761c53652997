"""A national talent board and pool for the top posts (Kerr 2018 rec 1.1a; Smith 2015 rec 13)."""

from typing import ClassVar, Literal

from ..entities import GRADE
from ..processes.performance import challenged
from .base import Intervention, S
from .talent_pool import best_ready, pool_field


class NationalTalentBoard(Intervention):
    type: Literal["national_talent_board"] = "national_talent_board"
    recommendation: ClassVar[str] = "Kerr 2018 rec 1.1a; Smith 2015 rec 13"
    mechanism: ClassVar[str] = (
        "Each year a national board names the best-appraised ready executive directors (about 200) "
        "as the pool for chief-executive posts anywhere in England; members are approached for "
        "chief-executive vacancies whatever their region, more so for challenged trusts.")
    unit: ClassVar[str] = "pool member-year"

    pool_size: int = S(200, "executive directors in the national pool", "Smith 2015 rec 13: about the top 200 posts",
                       ge=0)
    pool_willingness: float = S(0.08, "probability a pool member applies for a chief-executive post", ge=0, le=1)
    challenged_matching: float = S(1.5, "× that probability for challenged trusts", ge=0)
    cost_per_unit: float = S(10_000.0, "£ per pool member-year (assessment and development)", ge=0)

    def yearly(self, model, year):
        model.pools["talent:national"] = best_ready(
            model, model.people.view("grade") == GRADE["executive_director"], self.pool_size)
        super().yearly(model, year)

    def candidate_fields(self, fields, *, model, post, attractiveness):
        pool = model.pools.get("talent:national")
        if not post.is_ceo or pool is None:
            return fields
        org = model.orgs[post.org]
        w = self.pool_willingness * attractiveness * (self.challenged_matching if challenged(org) else 1.0)
        field = pool_field(model, pool, post, w)
        return fields + [field] if field else fields

    def units(self, model, year):
        return len(model.pools.get("talent:national", ()))
