"""Placement: talent boards nominate people for posts at challenged trusts and approach them in turn.

A talent board — regional boards, the national board, a central cadre, each switched on by its
intervention — keeps a pool of people, most suitable (best appraised) first, refreshed at each
1 January, and a capacity: approaches it can make in the year. When the search for a post at a
challenged trust (rated inadequate or in special measures) starts — the post is vacant or its
holder has given notice — every board covering the post nominates the pool members who could
take it now (free to move; a step up from the grade below or a sideways move in the same role;
of the profession the post requires), in order of suitability, up to
``placement.nominees_per_post`` each: a cadre first, then the national board, then the
region's. While the first round of the open search runs, the nominees are approached one at a
time: an approach takes ``placement.approach_years`` and uses one of the board's approaches. A
nominee accepts with a probability that rises with what is offered (a support package, a pay
premium, a guaranteed return: ``Decisions.placement_offer``) and for a step up to the next
grade, and falls for a post outside their home region. The first to accept is offered the post
(route ``placement``) and the open search ends; if nobody accepts before the round ends, the
open search goes on exactly as it would have without a board. A central cadre's members are
employed to go: they accept with the cadre's own probability and serve a fixed term
(``sim/processes/cadre.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..decisions import Decisions, Offer
from ..definitions import challenged
from ..entities import GRADE, ROLE
from .recruitment import NON_CLINICAL, notice_of, required_profession

DIRECTOR, CEO = GRADE["executive_director"], GRADE["chief_executive"]
PAY_STEP = 0.10   # placement.pay_odds is per 10% of salary
UNLIMITED = math.inf   # a board without a limit on approaches
# board ranks: a cadre is employed to go; the national board plans the top posts and local
# arrangements the level below (Smith 2015 rec 13, 001:618-620)
CADRE, NATIONAL, REGIONAL = 0, 1, 2


@dataclass(eq=False)
class Board:
    """A talent board's state for the year, kept in ``model.boards[key]`` by its intervention."""
    key: str                         # where it is kept: a search that runs into the next year finds the new one
    name: str                        # the intervention's label: cause of its nomination and approach events
    pool: np.ndarray                 # people rows, most suitable first
    approaches_left: float           # approaches it may still make this year (math.inf: no limit)
    rank: int = 0                    # boards covering one post nominate in this order (lowest first)
    acceptance: float | None = None  # a fixed probability of accepting (a cadre); None: from the offer
    term: float | None = None        # years of a fixed-term deployment (a cadre); None: an ordinary post



def best_ready(model, mask: np.ndarray, size: int) -> np.ndarray:
    """Rows of the ``size`` best-appraised people among ``mask`` who are ready for the next grade and
    free to move (alive, not reserved, not leaving, not in a cadre), best first."""
    people = model.people
    rows = np.flatnonzero(mask & people.view("ready") & (people.view("available") >= 0))
    order = np.argsort(-people.appraisal[rows], kind="stable")
    return rows[order[:size]]


def eligible(model, board: Board, post, rows: np.ndarray | None = None) -> np.ndarray:
    """The people of ``rows`` (default: the board's pool) who could take ``post`` now, in order."""
    people = model.people
    rows = board.pool if rows is None else rows
    if board.term is None:
        grade = people.available[rows]                       # −1 unless free to move
    else:                                                    # a cadre deploys its free members
        free = (people.cadre[rows] == 1) & people.alive[rows] & ~people.leaving[rows]
        grade = np.where(free, people.grade[rows], -1)
    target = CEO if post.is_ceo else DIRECTOR
    step_up, sideways = grade == target - 1, grade == target
    if not post.is_ceo:
        sideways &= people.last_role[rows] == ROLE[post.role]
        # the professions the open search's fields allow (recruitment.required_profession)
        need = required_profession(model, post.role)
        if need is not None:
            step_up &= people.profession[rows] == need
            sideways &= people.profession[rows] == need
        elif post.role == "finance":
            step_up &= np.isin(people.profession[rows], NON_CLINICAL)
    return rows[step_up | sideways]


def acceptance(model, person: int, post, offer: Offer) -> float:
    """Probability that ``person`` accepts ``post`` with ``offer``: the odds of accepting a sideways
    move in the home region with nothing offered, times an odds ratio for a step up, for a post
    outside the home region, for support, for each 10% of pay premium and for a guaranteed return."""
    pp, people = model.params.placement, model.people
    if pp.acceptance >= 1.0:
        return 1.0
    odds = pp.acceptance / (1.0 - pp.acceptance)
    if people.grade[person] < (CEO if post.is_ceo else DIRECTOR):
        odds *= pp.step_up_odds
    if people.region[person] != model.orgs[post.org].region:
        odds *= pp.other_region_odds
    if offer.support:
        odds *= pp.support_odds
    if offer.pay_premium:
        odds *= pp.pay_odds ** (offer.pay_premium / PAY_STEP)
    if offer.guaranteed_return:
        odds *= pp.return_odds
    return odds / (1.0 + odds)


def place(model, post, within: float):
    """Nominate and approach people for ``post`` during the first ``within`` years of its search (a
    SimPy sub-process of ``recruitment.search``). Returns (person, suitability, "placement", notice)
    for the first nominee who accepts, or None — at once, using no time, if no board covers the post."""
    if not model.boards:
        return None
    org = model.orgs[post.org]
    if not challenged(org.rating, org.special_measures):
        return None
    boards = sorted(model.decide(Decisions.placement_boards, [], post=post), key=lambda b: b.rank)
    nominees = _nominate(model, post, boards)
    if not nominees:
        return None
    pp, people, env = model.params.placement, model.people, model.env
    deadline = env.now + within
    draw = model.streams.keyed("placement.accept")
    for person, board in nominees:
        if env.now + pp.approach_years > deadline:
            break                      # the open round ends first
        board = model.boards.get(board.key, board)    # this year's capacity, if the year has turned
        if board.approaches_left < 1 or person in model.approaching \
                or not len(eligible(model, board, post, np.array([person]))):
            continue                   # out of approaches, already considering another post, or taken
        board.approaches_left -= 1
        model.approaching.add(person)
        yield env.timeout(pp.approach_years)
        model.approaching.discard(person)
        still = len(eligible(model, board, post, np.array([person]))) > 0   # not taken by an open search meanwhile
        offer = model.decide(Decisions.placement_offer, Offer(), post=post, person=person)
        p = board.acceptance if board.acceptance is not None else acceptance(model, person, post, offer)
        yes = still and draw.uniform(int(people.key[person]), post.id, post.succession) < p
        model.recorder.event(env.now, "approach", person=person, org=post.org, post=post.id, role=post.role,
                             cause=board.name, value=float(yes))
        if yes:
            if board.term is not None:
                people.cadre[person] = 2
                model.fixed_terms[person] = board.term
            return person, float(people.appraisal[person]), "placement", notice_of(model, person)
    return None


def _nominate(model, post, boards: list[Board]) -> list[tuple[int, Board]]:
    """Each board's most suitable eligible pool members (someone nominated twice is approached once)."""
    nominees, seen = [], set()
    limit = model.params.placement.nominees_per_post
    now, people = model.env.now, model.people
    for board in boards:
        if board.approaches_left < 1:
            continue
        taken = 0
        for person in eligible(model, board, post).tolist():
            if taken >= limit:
                break
            if person in seen:
                continue
            seen.add(person)
            taken += 1
            nominees.append((person, board))
            model.recorder.event(now, "nomination", person=person, org=post.org, post=post.id, role=post.role,
                                 cause=board.name, value=float(people.appraisal[person]))
    return nominees

