"""Turnover: who leaves, when and why.

Executives face competing risks while in post — retirement, leaving the NHS, moving trust and
removal — with yearly hazards that depend on role, tenure, the trust's rating and special
measures. Hazards are re-evaluated at every 1 January and whenever a post changes hands, and
are constant in between (a piecewise-constant hazard, so the exponential draw is exact).
Feeder-grade staff leave at yearly rates; unplaced executives give up after a while.
"""

from __future__ import annotations

import numpy as np

from ..entities import GRADE, ORIGIN
from ..params import RATINGS
from . import recruitment

CAUSES = ("retire", "leave_nhs", "move_trust", "removed")
TRAINEE, MIDDLE, SENIOR = GRADE["graduate_trainee"], GRADE["middle_manager"], GRADE["senior_manager"]
DIRECTOR = GRADE["executive_director"]
GRADUATE_EARLY_YEARS = 3.0  # the Smith 2015 concern: graduates who leave soon after the scheme


def hazards(model, posts) -> np.ndarray:
    """Yearly hazard of each exit cause (columns: CAUSES) for the holders of ``posts``."""
    tp = model.params.turnover
    n = len(posts)
    base = np.array([tp.hazard[c] for c in CAUSES])
    h = np.tile(base, (n, 1))
    now = model.env.now
    for i, post in enumerate(posts):
        org = model.orgs[post.org]
        risk = tp.rating_multiplier[RATINGS[org.rating]]
        leave = 1.0
        if org.special_measures:
            leave *= tp.special_measures_multiplier
        if now - post.appointed < tp.early_tenure_years:
            leave *= tp.early_tenure_multiplier
        role = tp.role_multiplier[post.role]
        h[i, 0] *= role
        h[i, 1] *= role * risk * leave
        h[i, 2] *= role * risk
        h[i, 3] *= role * risk * leave
    return model.hook("exit_hazards", h, posts=posts)


def schedule_exits(model, posts, until: float) -> None:
    """Draw, for each holder, whether and when before ``until`` they leave, and why."""
    held = [p for p in posts if p.holder >= 0 and not p.leaving]
    if not held:
        return
    rng = model.streams.get("turnover")
    h = hazards(model, held)
    total = h.sum(axis=1)
    u_time, u_cause, u_abrupt = rng.random(len(held)), rng.random(len(held)), rng.random(len(held))
    with np.errstate(divide="ignore"):
        wait = np.where(total > 0, -np.log1p(-u_time) / total, np.inf)
    now = model.env.now
    abrupt_share = model.params.turnover.abrupt_share
    for i in np.flatnonzero(now + wait < until):
        post = held[i]
        cause = CAUSES[int(np.searchsorted(np.cumsum(h[i]) / total[i], u_cause[i], side="right"))]
        abrupt = u_abrupt[i] < abrupt_share[cause]
        model.process(_exit_at, post, post.exit_token, float(wait[i]), cause, bool(abrupt))


def _exit_at(model, post, token, delay, cause, abrupt):
    yield model.env.timeout(delay)
    if post.exit_token == token and post.holder >= 0 and not post.leaving:
        recruitment.start_exit(model, post, cause, abrupt)


def feeder_leavers(model, year: int) -> None:
    """Trainees and managers leave the NHS at yearly rates; unplaced executives give up."""
    people, now = model.people, model.env.now
    rates = model.params.workforce.leave_rate
    rng = model.streams.get("turnover.feeder")
    alive = people.view("alive") & ~people.view("reserved")
    grade = people.view("grade")
    rate = np.zeros(people.n)
    for name in ("graduate_trainee", "middle_manager", "senior_manager"):
        rate[grade == GRADE[name]] = model.hook("feeder_leave_rate", rates[name], grade=name)
    recent_grad = (people.view("origin") == ORIGIN["graduate_scheme"]) & (grade == MIDDLE) \
        & (now - people.view("trainee_end") < GRADUATE_EARLY_YEARS)
    rate[recent_grad] += model.params.entry.graduate_early_leave_rate
    unplaced = (grade >= DIRECTOR) & (people.view("post") < 0)
    rate[unplaced] = model.params.recruitment.unattached_drop_rate
    leave = alive & (rng.random(people.n) < rate)
    rows = np.flatnonzero(leave)
    people.alive[rows] = False
    causes = np.where(unplaced[rows], "no_executive_post", "leave_nhs")
    model.recorder.events_bulk(now, "exit", rows, org=people.org[rows], cause=causes)
