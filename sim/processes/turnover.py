"""Turnover: who leaves, when and why.

Executives face competing risks while in post — retirement, leaving the NHS, moving trust and
removal — with yearly hazards that depend on role, tenure, the trust's rating and special
measures. Hazards are re-evaluated at every 1 January and whenever a post changes hands, and
are constant in between (a piecewise-constant hazard, so the exponential draw is exact).
Feeder-grade staff leave at yearly rates; unplaced executives give up after a while.
"""

from __future__ import annotations

import math

import numpy as np

from ..decisions import Decisions
from ..entities import GRADE, ORIGIN
from ..params import CAUSES, RATINGS

TRAINEE, MIDDLE, SENIOR = GRADE["graduate_trainee"], GRADE["middle_manager"], GRADE["senior_manager"]
DIRECTOR = GRADE["executive_director"]


def hazards(model, post) -> tuple[float, float, float, float]:
    """Yearly hazard of each exit cause (in the order of CAUSES) for the holder of ``post``."""
    tp = model.params.turnover
    org = model.orgs[post.org]
    risk = tp.rating_multiplier[RATINGS[org.rating]]
    leave = tp.special_measures_multiplier if org.special_measures else 1.0
    if model.env.now - post.appointed < tp.early_tenure_years:
        leave *= tp.early_tenure_multiplier
    role = tp.role_multiplier[post.role]
    h = tp.hazard
    rates = (h["retire"] * role, h["leave_nhs"] * role * risk * leave, h["move_trust"] * role * risk,
             h["removed"] * role * risk * leave)
    return model.decide(Decisions.exit_hazards, rates, post=post, org=org)


def schedule_exits(model, posts, until: float) -> None:
    """Draw, for each holder, whether and when before ``until`` they leave, and why.

    Three uniforms per holder (time, cause, abrupt or not), keyed by (holder, post, year): the
    same person in the same post faces the same draws in every scenario.
    """
    held = [p for p in posts if p.holder >= 0 and not p.leaving]
    if not held:
        return
    now = model.env.now
    keys = model.people.key[[p.holder for p in held]]
    ids = np.array([p.id for p in held], dtype=np.uint64)
    draw = model.streams.keyed("turnover.exit")
    year = int(np.floor(now + 1e-9))
    uniforms = np.stack([draw.uniform(keys, ids, year, k) for k in range(3)], axis=1).tolist()
    abrupt_share = model.params.turnover.abrupt_share
    for post, (u_time, u_cause, u_abrupt) in zip(held, uniforms):
        rates = hazards(model, post)
        total = sum(rates)
        if total <= 0:
            continue
        wait = -math.log1p(-u_time) / total
        if now + wait >= until:
            continue
        k, acc = 0, rates[0]
        while u_cause * total >= acc and k < len(CAUSES) - 1:
            k += 1
            acc += rates[k]
        cause = CAUSES[k]
        model.process(_exit_at, post, post.exit_token, wait, cause, u_abrupt < abrupt_share[cause])


def _exit_at(model, post, token, delay, cause, abrupt):
    yield model.env.timeout(delay)
    if post.exit_token == token and post.holder >= 0 and not post.leaving:
        model.start_exit(post, cause, abrupt)


def feeder_leavers(model, year: int) -> None:
    """Trainees and managers leave the NHS at yearly rates; unplaced executives give up."""
    people, now = model.people, model.env.now
    rates = model.params.workforce.leave_rate
    alive = people.view("alive") & ~people.view("reserved")
    grade = people.view("grade")
    rate = np.zeros(people.n)
    for name in ("graduate_trainee", "middle_manager", "senior_manager"):
        rate[grade == GRADE[name]] = model.decide(Decisions.feeder_leave_rate, rates[name], grade=name)
    ep = model.params.entry
    recent_grad = (people.view("origin") == ORIGIN["graduate_scheme"]) & (grade == MIDDLE) \
        & (now - people.view("trainee_end") < ep.graduate_early_years)
    rate[recent_grad] += model.decide(Decisions.graduate_early_leave_rate, ep.graduate_early_leave_rate)
    unplaced = (grade >= DIRECTOR) & (people.view("post") < 0)
    rate[unplaced] = model.params.recruitment.unattached_drop_rate
    at_risk = np.flatnonzero(alive & (rate > 0))
    u = model.streams.keyed("turnover.feeder").uniform(people.key[at_risk], year)
    rows = at_risk[u < rate[at_risk]]
    people.alive[rows] = False
    causes = np.where(unplaced[rows], "no_executive_post", "leave_nhs")
    model.recorder.events_bulk(now, "exit", rows, org=people.org[rows], cause=causes,
                               value=people.grade[rows].astype(float))
