"""A central cadre: very senior managers employed centrally and deployed to challenged trusts on fixed terms.

Members are in one of three states (``people.cadre``): 1 — free to deploy, either still in the
post they held when they joined or between deployments, employed by the centre (then ``reserved``,
so they are in no market and do not give up looking); 2 — committed to or serving a deployment.
Deployment goes through placement (``sim/processes/placement.py``): the cadre is a board whose
members accept with the cadre's own probability. A deployment ends ``term`` years after it
starts: the member gives notice (cause ``cadre_return``) so that a successor can be found, and
returns to the cadre rather than leaving. Each year the cadre is reviewed: members who died,
were removed from a deployment, or whose appraisal fell below the bar leave it ("subject to
assessment and appraisal", Rose 2015 R18, 002:42); members between deployments may retire; new
members join from the best-appraised executives until the cadre is full.
"""

from __future__ import annotations

import numpy as np

from ..entities import GRADE
from .placement import CADRE, UNLIMITED, Board
from .recruitment import level
from .turnover import retirement_rate

DIRECTOR, CEO = GRADE["executive_director"], GRADE["chief_executive"]
FREE, DEPLOYED = 1, 2
CADRE_RETURN = "cadre_return"


def review(model, name: str, size: int, acceptance: float, term: float) -> Board:
    """The yearly review (see the module's docstring); returns the cadre's board for the year."""
    people, now = model.people, model.env.now
    bar = model.params.appraisal.ready_threshold["executive_director"]
    members = np.flatnonzero(people.view("cadre") != 0)
    people.cadre[members[~people.alive[members]]] = 0
    members = members[people.alive[members]]
    state, post, reserved = people.cadre[members], people.post[members], people.reserved[members]
    removed = (state == DEPLOYED) & (post < 0) & ~reserved       # removed from a deployment, in the market
    weak = ~(people.appraisal[members] >= bar) & ~people.leaving[members] \
        & ((state == FREE) | ((post >= 0) & ~reserved))              # not while committed to a move
    _leave(model, members[removed | weak])
    between = np.flatnonzero((people.view("cadre") == FREE) & (people.view("post") < 0))
    age = now - people.born[between]
    u = model.streams.keyed("cadre.retire").uniform(people.key[between], int(np.floor(now + 1e-9)))
    _retire(model, between[u < retirement_rate(model, age)])
    members = np.flatnonzero(people.view("cadre") != 0)
    grade = people.view("grade")
    candidates = (people.view("available") >= 0) & (((grade == DIRECTOR) & people.view("ready"))
                                                     | ((grade == CEO) & (people.view("appraisal") >= bar)))
    rows = np.flatnonzero(candidates)
    joining = rows[np.argsort(-people.appraisal[rows], kind="stable")[:max(0, size - len(members))]]
    people.cadre[joining] = FREE
    people.reserved[joining] = people.post[joining] < 0          # employed centrally while without a post
    people.refresh(joining)
    members = np.concatenate([members, joining])
    pool = members[np.argsort(-people.appraisal[members], kind="stable")]
    return Board(name, name, pool, UNLIMITED, rank=CADRE, acceptance=acceptance, term=term)


def members(model) -> int:
    return int(np.count_nonzero(model.people.view("cadre") != 0))


def release(model) -> None:
    """The cadre is wound up: every member becomes an ordinary executive (a deployment in progress
    runs on as an ordinary post)."""
    _leave(model, np.flatnonzero(model.people.view("cadre") != 0))


def _leave(model, rows: np.ndarray) -> None:
    people = model.people
    between = rows[(people.post[rows] < 0) & (people.cadre[rows] == FREE)]
    people.reserved[between] = False                   # into the market, as an executive without a post
    people.unattached_since[between] = model.env.now
    people.cadre[rows] = 0
    people.refresh(rows)


def _retire(model, rows: np.ndarray) -> None:
    people = model.people
    people.alive[rows], people.reserved[rows], people.cadre[rows] = False, False, 0
    people.refresh(rows)
    model.recorder.events_bulk(model.env.now, "exit", rows, org=people.org[rows], cause="retire",
                               value=people.grade[rows].astype(float))


def appointed(model, post, person: int) -> None:
    """A member deployed on a fixed term starts: they return to the cadre when it ends."""
    term = model.fixed_terms.pop(person, None)
    if term is not None:
        model.process(_term_end, post, person, post.appointed, term)


def _term_end(model, post, person: int, appointed: float, term: float):
    notice = model.params.recruitment.notice_years[level(post)]
    yield model.env.timeout(max(0.0, term - notice))
    people = model.people
    if post.holder != person or post.appointed != appointed or post.leaving or people.cadre[person] != DEPLOYED:
        return
    people.cadre[person], people.reserved[person] = FREE, True   # held by the cadre: departure is no exit
    model.start_exit(post, CADRE_RETURN, abrupt=False, notice=min(notice, term))
