"""A national talent board that places people into chief-executive posts at challenged trusts (Smith
2015 rec 13; Kerr 2018 rec 1.1a).

Smith 13 (001:618): "a nationally co-ordinated talent management programme to ensure effective
succession planning for the most senior roles across the health system which could include c.
the top 200 posts. This programme should be relatively small and focused". Kerr 1.1a (000:123):
"The National Talent Board should … annually review leadership across the country and hold the
regions to account for developing their leadership pipelines".

Each 1 January the board reviews leadership nationally — it names the best-appraised ready
executive directors (about one for each of the top 200 posts) as its pool — and, when a
chief-executive post at a challenged trust anywhere in England falls vacant or its holder gives
notice, it nominates pool members and approaches them in turn (``sim/processes/placement.py``),
within a yearly number of approaches. Not represented: succession planning for top posts at trusts
that are not challenged, top posts outside trusts, and holding the regions to account.
"""

from typing import ClassVar, Literal

from ..entities import GRADE
from ..processes.placement import NATIONAL, Board, best_ready
from .base import Intervention, S


class NationalTalentBoard(Intervention):
    type: Literal["national_talent_board"] = "national_talent_board"
    recommendation: ClassVar[str] = "Smith 2015 rec 13 (001:618); Kerr 2018 rec 1.1a (000:123)"
    mechanism: ClassVar[str] = (
        "Each year a national board names the best-appraised ready executive directors (about 200) as "
        "its pool; when a chief-executive post at a challenged trust anywhere in England falls vacant or "
        "its holder gives notice, it nominates pool members and approaches them in turn (placement), "
        "within a yearly number of approaches.")
    unit: ClassVar[str] = "pool member-year"

    pool_size: int = S(200, "executive directors in the national pool",
                       "assumption: one for each of 'c. the top 200 posts' (Smith 2015 rec 13, 001:618)", ge=0)
    approaches_per_year: int = S(24, "approaches the board can make a year", "assumption: about two a month", ge=0)
    cost_per_unit: float = S(10_000.0, "£ per pool member-year (assessment and development)", ge=0)

    def yearly(self, model, year):
        pool = best_ready(model, model.people.view("grade") == GRADE["executive_director"], self.pool_size)
        approaches = round(self.approaches_per_year * self.strength(model.env.now))   # the ramp: capacity
        model.boards[self.label] = Board(self.label, self.label, pool, approaches, rank=NATIONAL)
        super().yearly(model, year)

    def stopped(self, model):
        model.boards.pop(self.label, None)

    def placement_boards(self, boards, *, model, post):
        board = model.boards.get(self.label)
        return boards + [board] if post.is_ceo and board is not None else boards

    def units(self, model, year):
        board = model.boards.get(self.label)
        return len(board.pool) if board is not None else 0
