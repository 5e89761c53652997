"""Turnover: who leaves, when and why.

Executives face competing risks while in post — retirement (by age), leaving the NHS, moving
trust and removal — with yearly hazards that depend on role, tenure, the trust's rating and
special measures, and (for removal) the holder's appraisal. Hazards are re-evaluated at every
1 January, whenever a post changes hands and whenever the trust's rating or special-measures
status changes; they are constant in between (a piecewise-constant hazard, so each exponential
draw is exact). An inspection that puts a trust into special measures, or newly rates it
inadequate, may also lead the board or regulator to remove its leaders. Feeder-grade staff retire
by age and leave at yearly rates; unplaced executives give up after a while.
"""

from __future__ import annotations

import bisect
import math

import numpy as np

from ..decisions import Decisions
from ..entities import GRADE, ORIGIN
from ..params import CAUSES, RATINGS
from . import equality

TRAINEE, MIDDLE, SENIOR = GRADE["graduate_trainee"], GRADE["middle_manager"], GRADE["senior_manager"]
DIRECTOR = GRADE["executive_director"]
AGE_BANDS = (50.0, 55.0, 60.0, 65.0)   # lower edges of 50_to_54, 55_to_59, 60_to_64, 65_and_over
FEEDER_CAUSES = ("no_executive_post", "retire", "leave_nhs")   # why feeder-grade staff leave


def retirement_rate(model, age):
    """Yearly retirement hazard at ``age`` (a number or an array)."""
    rates = _this_year(model).retirement
    if isinstance(age, np.ndarray):
        return np.array(rates)[age_band(age)]
    return rates[bisect.bisect_right(AGE_BANDS, age)]


def age_band(age: np.ndarray) -> np.ndarray:
    """Each age's band, as ``np.searchsorted(AGE_BANDS, age, side="right")`` numbers them (NaN in the
    last), by one comparison per edge: a binary search per person cost five times more (~30,000
    feeder-grade people a year)."""
    band = np.zeros(len(age), dtype=np.int8)
    for edge in AGE_BANDS:
        band += ~(age < edge)   # at or above the edge; NaN is above every edge, as searchsorted sorts it
    return band


class _Constants:
    """This year's turnover parameters as plain Python numbers and tuples.

    Hazards are evaluated ~60,000 times a replication (every holder at each 1 January, each new
    holder, each inspected trust's leaders); reading them from the parameters (frozen pydantic
    models and their dicts) each time cost more than the arithmetic.
    """

    __slots__ = ("params", "retirement", "rating", "special_measures", "early_years", "early", "role",
                 "ready", "appraisal_effect", "leave_nhs", "move_trust", "removed", "abrupt", "group")

    def __init__(self, params):
        tp = params.turnover
        self.params = params   # what these were read from (see ``_this_year``)
        r = tp.retirement
        self.retirement = (r["under_50"], r["50_to_54"], r["55_to_59"], r["60_to_64"], r["65_and_over"])
        self.rating = tuple(tp.rating_multiplier[name] for name in RATINGS)   # by rating index
        self.special_measures = tp.special_measures_multiplier
        self.early_years, self.early = tp.early_tenure_years, tp.early_tenure_multiplier
        self.role = dict(tp.role_multiplier)
        self.ready = params.appraisal.ready_threshold["executive_director"]
        self.appraisal_effect = tp.removal_appraisal_effect
        h = tp.hazard
        self.leave_nhs, self.move_trust, self.removed = h["leave_nhs"], h["move_trust"], h["removed"]
        self.abrupt = dict(tp.abrupt_share)
        self.group = equality.leave_ratios(params)   # (women, ethnic minority), or None: neutral


def _this_year(model) -> _Constants:
    """The turnover constants of ``model.params``, read again whenever the parameters change (each
    1 January, or when a test sets them)."""
    c = model.__dict__.get("_turnover_constants")
    if c is None or c.params is not model.params:
        c = model._turnover_constants = _Constants(model.params)
    return c


def hazards(model, post) -> tuple[float, float, float, float]:
    """Yearly hazard of each exit cause (in the order of CAUSES) for the holder of ``post``."""
    return _hazards(model, post, _this_year(model), model.env.now)


def _hazards(model, post, c: _Constants, now: float) -> tuple[float, float, float, float]:
    people = model.people
    org = model.orgs[post.org]
    holder = post.holder
    risk = c.rating[org.rating]
    leave = c.special_measures if org.special_measures else 1.0
    if now - post.appointed < c.early_years:
        leave *= c.early
    role = c.role[post.role]
    # weaker appraisals, higher removal risk; measured against a fixed reference (the directors'
    # readiness threshold), not this year's executives, so one trust's change moves no one else's risk
    score = people.appraisal.item(holder)   # Python floats: numpy scalars are slow one at a time
    z = score - c.ready if math.isfinite(score) else 0.0
    performance = math.exp(-c.appraisal_effect * z)
    # by sex and ethnicity (neutral by default): equality.leave_multiplier with this year's ratios
    group = 1.0 if c.group is None else equality.by_group(people, holder, *c.group)
    age = now - people.born.item(holder)
    rates = (c.retirement[bisect.bisect_right(AGE_BANDS, age)], c.leave_nhs * role * risk * leave * group,
             c.move_trust * role * risk, c.removed * role * risk * leave * performance)
    return model.decide(Decisions.exit_hazards, rates, post=post, org=org)


def _base_rates(model, held: list, c: _Constants, now: float) -> np.ndarray:
    """``_hazards`` before interventions for many holders at once, an (n, 4) array: the same
    products in the same order, and exp by Python's math as one at a time (numpy's may differ in
    the last bit), so every rate is the same number."""
    people, orgs = model.people, model.orgs
    holder = np.array([p.holder for p in held])
    org = np.array([p.org for p in held])   # trusts' factors worked out once a trust (~230), not once a holder
    risk = np.array([c.rating[o.rating] for o in orgs])[org]
    leave = np.array([c.special_measures if o.special_measures else 1.0 for o in orgs])[org]
    early = now - np.array([p.appointed for p in held]) < c.early_years
    leave = np.where(early, leave * c.early, leave)
    role = np.array([c.role[p.role] for p in held])
    score = people.appraisal[holder]
    z = np.where(np.isfinite(score), score - c.ready, 0.0)
    performance = np.array([math.exp(-c.appraisal_effect * v) for v in z.tolist()])
    group = equality.leave_multiplier(model, holder)
    retire = np.array(c.retirement)[age_band(now - people.born[holder])]
    return np.stack([retire, c.leave_nhs * role * risk * leave * group, c.move_trust * role * risk,
                     c.removed * role * risk * leave * performance], axis=1)


BATCH = 32   # holders from which drawing their exits at once pays (the yearly redraw of every executive)


def schedule_exits(model, posts, until: float) -> None:
    """Draw, for each holder, whether and when before ``until`` they leave, and why.

    Three uniforms per holder (time, cause, abrupt or not), keyed by (holder, post, the moment of
    the draw): the same person in the same post faces the same draws in every scenario.
    """
    held = [p for p in posts if p.holder >= 0 and not p.leaving]
    if not held:
        return
    now = model.env.now
    draw = model.streams.keyed("turnover.exit")
    moment = int(round(now * 1_000_000))
    c = _this_year(model)
    if len(held) < BATCH:   # an appointment's holder, a trust's leaders: one at a time (the same draws)
        key = model.people.key
        for post in held:
            u_time, u_cause, u_abrupt = draw.uniforms(3, key.item(post.holder), post.id, moment)
            _draw_exit(model, post, _hazards(model, post, c, now), u_time, u_cause, u_abrupt, now, until, c)
        return
    keys = model.people.key[[p.holder for p in held]]
    ids = np.array([p.id for p in held], dtype=np.uint64)
    uniforms = draw.uniforms(3, keys, ids, moment)
    if not model.deciding(Decisions.exit_hazards):
        # every holder's rates at once; only those whose exit may fall before ``until`` (about one
        # in seven) go on one by one, where the exact test is made
        rates = _base_rates(model, held, c, now)
        total = ((rates[:, 0] + rates[:, 1]) + rates[:, 2]) + rates[:, 3]   # sum()'s order
        with np.errstate(divide="ignore"):
            wait = -np.log1p(-uniforms[:, 0]) / total
        maybe = np.flatnonzero((total > 0) & (now + wait < until + 1e-9))   # slack for numpy's log1p
        for i, r, u in zip(maybe.tolist(), rates[maybe].tolist(), uniforms[maybe].tolist()):
            _draw_exit(model, held[i], tuple(r), *u, now, until, c)
        return
    for post, (u_time, u_cause, u_abrupt) in zip(held, uniforms.tolist()):
        _draw_exit(model, post, _hazards(model, post, c, now), u_time, u_cause, u_abrupt, now, until, c)


def _draw_exit(model, post, rates, u_time: float, u_cause: float, u_abrupt: float, now: float, until: float,
               c: _Constants) -> None:
    """Whether, when and why the holder of ``post`` leaves before ``until``, from their hazards
    ``rates`` and their three uniforms; a due exit is scheduled."""
    total = sum(rates)
    if total <= 0:
        return
    wait = -math.log1p(-u_time) / total
    if now + wait >= until:
        return
    k, acc = 0, rates[0]
    while u_cause * total >= acc and k < len(CAUSES) - 1:
        k += 1
        acc += rates[k]
    cause = CAUSES[k]
    model.after(wait, _exit, post, post.exit_token, cause, u_abrupt < c.abrupt[cause])


def _exit(model, post, token, cause, abrupt):
    """A drawn exit comes due: it happens unless the post changed hands or the draw was voided."""
    if post.exit_token == token and post.holder >= 0 and not post.leaving:
        model.start_exit(post, cause, abrupt)


def after_inspection(model, org, triggered: bool) -> None:
    """A trust's rating or special-measures status has changed: its leaders' hazards change from now.

    ``triggered`` (entry into special measures, or a new inadequate rating) may also lead to the
    removal of the chief executive and, less often, other executives, within a few months.
    """
    now = model.env.now
    posts = [model.posts[i] for i in org.posts]
    removing = set()
    if triggered:
        tp = model.params.turnover
        draw = model.streams.keyed("turnover.inspection")
        moment = int(round(now * 1_000_000))
        for post in posts:
            if post.holder < 0 or post.leaving:
                continue
            key = int(model.people.key[post.holder])
            p = tp.removal_after_inspection["chief_executive" if post.is_ceo else "director"]
            if draw.uniform(key, post.id, moment, 0) < p:
                delay = tp.removal_after_inspection_years * draw.uniform(key, post.id, moment, 1)
                post.exit_token += 1
                model.after(delay, _exit, post, post.exit_token, "removed_after_inspection", True)
                removing.add(post.id)
    rest = [p for p in posts if p.id not in removing and p.holder >= 0 and not p.leaving]
    for post in rest:   # they face the new hazards from now: their earlier draws are void
        post.exit_token += 1
    model.schedule_exits(rest, until=float(math.floor(now + 1e-9) + 1.0))


def feeder_leavers(model, year: int) -> None:
    """Trainees and managers leave the NHS at yearly rates (by sex and ethnicity where the
    parameters say so); unplaced executives give up."""
    people, now = model.people, model.env.now
    rates = model.params.workforce.leave_rate
    # the living only: by the 2030s three rows in four are people who have left
    live = np.flatnonzero(people.view("alive") & ~people.view("reserved"))
    grade = people.grade[live]
    rate_of = np.zeros(len(GRADE))   # by grade code: one lookup, not a comparison and a masked store a grade
    for name in ("graduate_trainee", "middle_manager", "senior_manager"):
        rate_of[GRADE[name]] = model.decide(Decisions.feeder_leave_rate, rates[name], grade=name)
    rate = rate_of[grade]
    ep = model.params.entry
    recent_grad = (people.origin[live] == ORIGIN["graduate_scheme"]) & (grade == MIDDLE) \
        & (now - people.trainee_end[live] < ep.graduate_early_years)
    rate[recent_grad] += model.decide(Decisions.graduate_early_leave_rate, ep.graduate_early_leave_rate)
    rate *= equality.leave_multiplier(model, live)
    unplaced = (grade >= DIRECTOR) & (people.post[live] < 0)
    rate[unplaced] = model.params.recruitment.unattached_drop_rate
    feeder = grade <= SENIOR
    retire = np.zeros(len(live))
    retire[feeder] = retirement_rate(model, now - people.born[live[feeder]])
    risk = rate + retire
    at_risk = np.flatnonzero(risk > 0)   # positions in ``live``
    u = model.streams.keyed("turnover.feeder").uniform(year, first=people.keymix[live[at_risk]])
    leaves = u < np.minimum(1.0, risk[at_risk])
    leaving = at_risk[leaves]
    retired = u[leaves] < retire[leaving]   # the share of the risk that is retirement
    rows = live[leaving]
    people.alive[rows] = False
    people.refresh(rows)
    cause = np.where(unplaced[leaving], 0, np.where(retired, 1, 2))   # of FEEDER_CAUSES
    model.recorder.events_bulk(now, "exit", rows, org=people.org[rows], cause=(FEEDER_CAUSES, cause),
                               value=people.grade[rows].astype(float))
