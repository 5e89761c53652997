"""Regional talent boards that place people into challenged trusts (Kerr 2018 rec 1.1b; Messenger 2022
rec 5).

Kerr 1.1b (000:124): "Regional Directors will be given responsibility for developing local
leadership pipelines through Regional Talent Boards … There should be kitemarks for championing
diversity/ensuring the diversity of the cohort of leaders is proportional to the local
population". Messenger 5 (004:309-325): a regional career and talent management function to
"plan – give structure to succession planning wider than can be achieved in individual
organisations or systems; including moving people with the right skills and experience to where
they are needed most" (004:321) and "manage talent … matching skills to role and need" (004:324).

Each region's board keeps a pool of its best-appraised ready senior managers and directors
(refreshed each 1 January) and nominates them for posts at challenged trusts in the region
(``sim/processes/placement.py``), up to a number of approaches a year; a search ends early only
when a nominee accepts. Not represented: career advice for every manager (004:322), regional data
on all managers (004:323), discouraging talent-hoarding (004:324). The kitemark is represented
for now as less bias in selection, not as a pool proportional to the local population.
"""

from typing import ClassVar, Literal

import numpy as np

from ..entities import GRADE
from ..params.vocabulary import REGIONS
from ..processes.placement import REGIONAL, Board, best_ready
from .base import Intervention, S


class RegionalTalentBoards(Intervention):
    type: Literal["regional_talent_boards"] = "regional_talent_boards"
    recommendation: ClassVar[str] = "Kerr 2018 rec 1.1b (000:124); Messenger 2022 rec 5 (004:309-325)"
    mechanism: ClassVar[str] = (
        "Each year every region's board keeps a pool of its best-appraised ready senior managers and "
        "directors; when a post at a challenged trust in the region falls vacant or its holder gives "
        "notice, the board nominates pool members and approaches them in turn (placement), within a "
        "yearly number of approaches; an optional diversity kitemark reduces bias in selection.")
    unit: ClassVar[str] = "region-year"

    pool_per_region: int = S(80, "people in each regional pool", ge=0)
    approaches_per_region: int = S(12, "approaches each regional board can make a year",
                                   "assumption: about one a month", ge=0)
    diversity_kitemark: bool = S(False, "kitemark for diverse leadership cohorts", "Kerr 2018 rec 1.1b (000:124)")
    kitemark_bias_multiplier: float = S(0.5, "× ethnic-minority selection bias under the kitemark", ge=0)
    cost_per_unit: float = S(1_000_000.0, "£ per region-year (board and talent team)", ge=0)

    def _key(self, region: int) -> str:
        return f"{self.label}:{region}"

    def yearly(self, model, year):
        people = model.people
        grades = np.isin(people.view("grade"), (GRADE["senior_manager"], GRADE["executive_director"]))
        approaches = round(self.approaches_per_region * self.strength(model.env.now))   # the ramp: capacity
        for region in range(len(REGIONS)):
            pool = best_ready(model, grades & (people.view("region") == region), self.pool_per_region)
            model.boards[self._key(region)] = Board(self._key(region), self.label, pool, approaches, rank=REGIONAL)
        super().yearly(model, year)

    def stopped(self, model):
        for region in range(len(REGIONS)):
            model.boards.pop(self._key(region), None)

    def placement_boards(self, boards, *, model, post):
        board = model.boards.get(self._key(model.orgs[post.org].region))
        return boards + [board] if board is not None else boards

    def selection_bias(self, bias, *, model, stage):
        return bias * self.kitemark_bias_multiplier if self.diversity_kitemark else bias

    def units(self, model, year):
        return len(REGIONS)
