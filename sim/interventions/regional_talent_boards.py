"""Regional talent boards (Kerr 2018 rec 1.1b; Messenger 2022 rec 5)."""

from typing import ClassVar, Literal

import numpy as np

from ..entities import GRADE
from ..processes.performance import challenged
from .base import Intervention, S
from .talent_pool import best_ready, pool_field


class RegionalTalentBoards(Intervention):
    type: Literal["regional_talent_boards"] = "regional_talent_boards"
    recommendation: ClassVar[str] = "Kerr 2018 rec 1.1b; Messenger 2022 rec 5"
    mechanism: ClassVar[str] = (
        "Each year every region's board keeps a pool of its best-appraised ready senior managers and "
        "directors; pool members are approached for posts in their region (more likely still at "
        "challenged trusts); succession planning shortens the search for planned departures; an "
        "optional diversity kitemark reduces bias in selection.")
    unit: ClassVar[str] = "region-year"

    pool_per_region: int = S(80, "people in each regional pool", ge=0)
    pool_willingness: float = S(0.15, "probability a pool member applies for a post in the region", ge=0, le=1)
    challenged_matching: float = S(1.5, "× that probability for challenged trusts", "assumption (Messenger 5)", ge=0)
    succession_search_multiplier: float = S(0.7, "× search time after a planned exit", ge=0)
    diversity_kitemark: bool = S(False, "kitemark for diverse leadership cohorts", "Kerr 2018 rec 1.1b")
    kitemark_bias_multiplier: float = S(0.5, "× ethnic-minority selection bias under the kitemark", ge=0)
    cost_per_unit: float = S(1_000_000.0, "£ per region-year (board and talent team)", ge=0)

    def yearly(self, model, year):
        people = model.people
        eligible = np.isin(people.view("grade"), (GRADE["senior_manager"], GRADE["executive_director"]))
        for region in range(len(model.params.system.region_shares)):
            model.pools[f"talent:region:{region}"] = best_ready(
                model, eligible & (people.view("region") == region), self.pool_per_region)
        super().yearly(model, year)

    def candidate_fields(self, fields, *, model, post, attractiveness):
        org = model.orgs[post.org]
        pool = model.pools.get(f"talent:region:{org.region}")
        if pool is None:
            return fields
        w = self.pool_willingness * attractiveness * (self.challenged_matching if challenged(org) else 1.0)
        field = pool_field(model, pool, post, w)
        return fields + [field] if field else fields

    def search_time(self, mean, *, model, post):
        return mean * self.succession_search_multiplier if post.leaving else mean

    def selection_bias(self, bias, *, model, stage):
        return bias * self.kitemark_bias_multiplier if self.diversity_kitemark else bias

    def units(self, model, year):
        return len(model.params.system.region_shares)
