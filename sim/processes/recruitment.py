"""Recruitment: from a holder's exit to a substantive successor, with interims and vacancy chains.

A planned exit gives notice and the search starts at once, so a successor who is found and
free before the notice ends takes over with no gap. An abrupt exit (removal, sudden
resignation) leaves the post vacant at once. While a post has no substantive holder an interim
may cover it. A search round takes a gamma-distributed time whose mean grows as the post gets
less attractive (challenged trusts attract fewer candidates, more slowly); at its end the
eligible, ready and willing candidates — plus any external applicants — are scored at interview
and the best is offered the post if appointable; otherwise the search is re-run. A candidate who
holds a post gives notice on it, which opens the next vacancy in the chain.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .. import kernels
from ..decisions import Decisions
from ..entities import GRADE, INTERIM, ORIGIN, PROFESSION, ROLE, SUBSTANTIVE, VACANT
from ..params import PROFESSIONS, RATINGS
from ..rng import key_of, stable_hash
from . import equality
from .entry import CAPABILITY, ETHNICITY, FEMALE, add_people, scored_traits

SENIOR, DIRECTOR, CEO = GRADE["senior_manager"], GRADE["executive_director"], GRADE["chief_executive"]


def level(post) -> str:
    return "chief_executive" if post.is_ceo else "director"


def attractiveness(model, post) -> float:
    """How attractive the post is to candidates (1 = a good trust)."""
    rp = model.params.recruitment
    org = model.orgs[post.org]
    a = rp.attractiveness[RATINGS[org.rating]]
    if org.special_measures:
        a *= rp.special_measures_attractiveness
    return model.decide(Decisions.attractiveness, a, post=post, org=org)


# -- exits ----------------------------------------------------------------------------------------
def start_exit(model, post, cause: str, abrupt: bool, notice: float | None = None) -> None:
    """The holder of ``post`` will leave: now if abrupt, else after notice; the search starts now."""
    now = model.env.now
    post.leaving, post.leave_cause = True, cause
    model.people.leaving[post.holder] = True
    model.people.refresh(post.holder)
    # the search and interim for this succession draw on the leaver's identity, so the same
    # succession draws the same numbers in every scenario, whenever it happens
    post.succession = int(model.people.key[post.holder])
    post.exit_token += 1
    if abrupt:
        depart(model, post, cause)
    else:
        if notice is None:
            notice = model.params.recruitment.notice_years[level(post)]
        post.leave_at = now + notice
        model.recorder.event(now, "notice", person=post.holder, org=post.org, post=post.id, role=post.role,
                             cause=cause, value=notice)
        model.after(notice, _depart_if_holding, post, post.holder, cause)
    if not post.search_open and post.successor < 0:
        open_search(model, post)


REMOVALS = ("removed", "removed_after_inspection")


def _recycled(model, person: int, post) -> bool:
    """Whether a removed executive stays in the market rather than leaving (Smith 2015: ineffective
    leaders moved between organisations, 001:1915)."""
    u = model.streams.keyed("recruitment.recycled").uniform(int(model.people.key[person]), post.id)
    return u < model.params.turnover.recycled_share


def _depart_if_holding(model, post, holder, cause):
    if post.holder == holder:
        depart(model, post, cause)


def depart(model, post, cause: str, handover: bool = False) -> None:
    """The holder leaves the post. A mover keeps going (to their new post or to the market)."""
    people, now = model.people, model.env.now
    h = post.holder
    model.recorder.event(now, "departure", person=h, org=post.org, post=post.id, role=post.role,
                         cause=cause, value=now - post.appointed)
    people.post[h], people.leaving[h] = -1, False
    if cause in REMOVALS:
        people.removals[h] += 1
    if not people.reserved[h]:
        if cause == "move_trust" or (cause in REMOVALS and _recycled(model, h, post)):
            people.unattached_since[h] = now   # in the market: may be appointed elsewhere
        else:
            people.alive[h] = False
            model.recorder.event(now, "exit", person=h, org=post.org, cause=cause, value=float(people.grade[h]))
    people.refresh(h)
    post.holder, post.leaving, post.state = -1, False, VACANT
    post.vacant_since = now
    post.exit_token += 1
    if not handover:
        interim_cover(model, post)


def interim_cover(model, post) -> None:
    """Perhaps find an interim for a post left without a substantive holder (after a delay)."""
    draw = model.streams.keyed("recruitment.interim")
    u = draw.uniform(post.id, post.succession, 0)
    p = model.decide(Decisions.interim_probability, model.params.recruitment.interim_probability[level(post)],
                     post=post)
    if u < p:   # keyed draws: drawing the delay only when it is needed changes no number
        delay = draw.exponential(model.params.recruitment.interim_delay_years, post.id, post.succession, 1)
        model.after(delay, _interim_starts, post)


def _interim_starts(model, post) -> None:
    if post.holder < 0 and post.state == VACANT:
        post.state = INTERIM
        model.recorder.event(model.env.now, "interim_start", org=post.org, post=post.id, role=post.role)


# -- searches ---------------------------------------------------------------------------------------
def open_search(model, post) -> None:
    """Start the search for a successor to ``post``: its first round begins once the current event is
    done (where a new SimPy process would start). Where talent boards exist they may approach nominees
    during the first round, which takes a process (``search``: ``model.place`` waits between approaches);
    otherwise the rounds are chained delayed calls, with the same draws at the same instants and cheaper
    than a process (~11,600 searches a baseline run). Boards change only at the yearly tick, which comes
    before any exit of its instant, so they are the same here as when the first round begins."""
    if model.boards:
        model.process(search, post)
    else:
        model.soon(_round_starts, post, 1, model.params.recruitment)


def search(model, post):
    """Search rounds until someone appointable accepts, whose start is then scheduled. While the first
    round runs, talent boards may approach their nominees (``model.place``): an acceptance ends it."""
    rp = model.params.recruitment   # a search keeps the search times of the year it began
    round_ = 1
    while True:
        a, wait = _begin_round(model, post, round_, rp)
        began = model.env.now
        if round_ == 1:
            placed = yield from model.place(post, wait)
            if placed is not None:
                _offer(model, post, *placed)
                return
        # the round ends at began + wait whatever the boards did (the difference of two nearby times is
        # exact, so the end falls on the same float as without boards)
        yield model.env.timeout(began + wait - model.env.now)
        if _end_round(model, post, a, round_):
            return
        round_ += 1


def _round_starts(model, post, round_: int, rp) -> None:
    """Round ``round_`` of a search without talent boards begins; its end is scheduled."""
    a, wait = _begin_round(model, post, round_, rp)
    model.after(wait, _round_ends, post, a, round_, rp)


def _round_ends(model, post, a: float, round_: int, rp) -> None:
    """The round ends: an offer, or the next round begins at once."""
    if not _end_round(model, post, a, round_):
        _round_starts(model, post, round_ + 1, rp)


def _begin_round(model, post, round_: int, rp) -> tuple[float, float]:
    """A round of the search for ``post`` begins: the post's attractiveness now and the round's length."""
    post.search_open = True
    model.recorder.event(model.env.now, "search_start", org=post.org, post=post.id, role=post.role, value=round_)
    a = attractiveness(model, post)
    mean = model.decide(Decisions.search_time, rp.search_years[level(post)] / a, post=post)
    wait = model.streams.keyed("recruitment.search").gamma(rp.search_shape, mean / rp.search_shape, post.id,
                                                           post.succession, round_)
    return a, wait


def _end_round(model, post, a: float, round_: int) -> bool:
    """The round's candidates are interviewed: whether someone was offered the post."""
    person, score, route, notice = select(model, post, a, round_)
    if person < 0:
        model.recorder.event(model.env.now, "search_failed", org=post.org, post=post.id, role=post.role,
                             value=round_)
        return False
    _offer(model, post, person, score, route, notice)
    return True


def _offer(model, post, person: int, score: float, route: str, notice: float) -> None:
    """``person`` accepts ``post`` and the search closes; a holder among them gives notice on their own post."""
    people, now = model.people, model.env.now
    post.search_open, post.successor = False, person
    people.reserved[person] = True
    people.refresh(person)
    model.recorder.event(now, "offer", person=person, org=post.org, post=post.id, role=post.role,
                         cause=route, value=score)
    start = now + notice
    if post.holder >= 0 and post.leaving:
        start = max(start, post.leave_at)
    own = people.post[person]
    if own >= 0:
        model.start_exit(model.posts[own], "move_trust", abrupt=False, notice=notice)
    # the appointee starts after their notice (a delayed call: the same place in the queue as a timeout)
    model.after(start - now, appoint, post, person, route)


def appoint(model, post, person: int, route: str) -> None:
    """``person`` starts as the substantive holder of ``post``."""
    people, now = model.people, model.env.now
    if post.holder >= 0:
        depart(model, post, post.leave_cause, handover=True)
    own = people.post[person]
    if own >= 0:
        depart(model, model.posts[own], "move_trust")
    if post.state == INTERIM:
        model.recorder.event(now, "interim_end", org=post.org, post=post.id, role=post.role)
    gap = now - post.vacant_since if post.state != SUBSTANTIVE else 0.0
    grade = CEO if post.is_ceo else DIRECTOR
    if people.grade[person] != grade:
        people.grade[person], people.grade_since[person], people.ready[person] = grade, now, False
    org = model.orgs[post.org]
    people.post[person], people.appointed[person], people.reserved[person] = post.id, now, False
    people.refresh(person)
    people.org[person], people.region[person] = org.id, org.region
    people.unattached_since[person], people.last_role[person] = np.nan, ROLE[post.role]
    post.holder, post.appointed, post.state = person, now, SUBSTANTIVE
    post.successor, post.leaving, post.vacant_since = -1, False, np.nan
    post.exit_token += 1
    model.recorder.event(now, "appointment", person=person, org=post.org, post=post.id, role=post.role,
                         cause=route, value=gap)
    model.after_appointment(post, person)
    next_tick = math.floor(now + 1e-9) + 1.0
    model.schedule_exits([post], until=next_tick)


# -- candidates -------------------------------------------------------------------------------------
def rebuild_pools(model) -> None:
    """The yearly lists of people a search can draw from (validity is re-checked at use).

    Each year a share of the people in post are open to a move (``open_to_move``); executives
    without a post are always looking. Only they are in the pools, and each applies to a suitable
    vacancy with probability willingness ÷ that share, so the chance of applying to any one post
    is the willingness, while the work per search is a fraction of the grade.
    """
    people = model.people
    alive, grade, ready = people.view("alive"), people.view("grade"), people.view("ready")
    prof, last_role = people.view("profession"), people.view("last_role")
    year = int(np.floor(model.env.now + 1e-9))
    share = model.params.recruitment.open_to_move
    looking = model.streams.keyed("recruitment.market").uniform(year, first=people.view("keymix")) < share
    looking |= (grade >= DIRECTOR) & (people.view("post") < 0)
    seniors = alive & (grade == SENIOR) & ready & looking
    directors = alive & (grade == DIRECTOR) & looking
    model.pools = {
        "senior:any": np.flatnonzero(seniors),
        "senior:doctor": np.flatnonzero(seniors & (prof == PROFESSION["doctor"])),
        "senior:nurse": np.flatnonzero(seniors & (prof == PROFESSION["nurse"])),
        "senior:finance": np.flatnonzero(seniors & (prof == PROFESSION["finance"])),
        "senior:non_clinical": np.flatnonzero(seniors & np.isin(prof, NON_CLINICAL)),
        "director:ready": np.flatnonzero(directors & ready),
        "chief_executive": np.flatnonzero(alive & (grade == CEO) & looking),
    }
    for role, idx in ROLE.items():
        model.pools[f"director:{role}"] = np.flatnonzero(directors & (last_role == idx))


NON_CLINICAL = [PROFESSION["non_clinical"], PROFESSION["finance"]]
REQUIRED_PROFESSION = {"medical": PROFESSION["doctor"], "nursing": PROFESSION["nurse"],
                       "finance": PROFESSION["finance"]}


def required_profession(model, role: str) -> int | None:
    """The profession a holder of ``role`` must have, if any (finance: when the parameter says so)."""
    if role == "finance" and not model.params.recruitment.finance_profession_required:
        return None
    return REQUIRED_PROFESSION.get(role)


def _senior_pool(model, role: str) -> str:
    need = required_profession(model, role)
    if need is not None:
        return f"senior:{PROFESSIONS[need]}"
    return "senior:non_clinical" if role == "finance" else "senior:any"


class RoleRules(NamedTuple):
    """What a search round for a post of one role reads from the parameters."""
    need: int | None                           # the profession required (``required_profession``)
    senior_pool: str                           # the pool of senior managers who may step up
    director_pool: str                         # the pool of directors who may move across
    application_rates: tuple[float, float] | None   # × applying, women and ethnic minority (None: 1, 1)
    rates: tuple[float, float]                 # the same, as numbers
    external_scale: float                      # ``equality.external_scale``


def role_rules(model, role: str) -> RoleRules:
    """The ``RoleRules`` of ``role`` under ``model.params``: worked out once for each set of
    parameters (they change each 1 January), not at each of ~12,000 search rounds."""
    cache = model.__dict__.get("_role_rules")
    if cache is None or cache[0] is not model.params:
        cache = model._role_rules = (model.params, {})
    rules = cache[1].get(role)
    if rules is None:
        rules = cache[1][role] = RoleRules(required_profession(model, role), _senior_pool(model, role),
                                           f"director:{role}", equality.application_rates(model, role),
                                           equality.rates(model, role), equality.external_scale(model, role))
    return rules


class Field(NamedTuple):
    """A group of potential applicants for a post, and how willing they are to apply."""
    route: str             # how an appointee from this field is recorded
    rows: np.ndarray       # people in the field (validity is re-checked)
    grade: int             # the grade they must still hold
    w: float               # probability of applying, for someone in post or in a feeder grade
    w_free: float = 0.0    # probability for an unplaced executive (looking for a post)
    regional: bool = True  # whether other_region_factor applies outside their region
    open_only: bool = True  # members are those open to a move this year: w is divided by that share


def candidate_fields(model, post, a: float) -> list[Field]:
    """The fields a search for ``post`` draws from; interventions may add talent pools."""
    rp, pools = model.params.recruitment, model.pools

    def w(key):
        return model.decide(Decisions.willingness, rp.willingness[key] * a, post=post, pool=key)

    if post.is_ceo:
        fields = [Field("internal_promotion", pools["director:ready"], DIRECTOR, w("executive_director"),
                        w("unattached")),
                  Field("lateral_move", pools["chief_executive"], CEO, w("chief_executive"), w("unattached"))]
    else:
        rules = role_rules(model, post.role)
        fields = [Field("internal_promotion", pools[rules.senior_pool], SENIOR, w("senior_manager")),
                  Field("lateral_move", pools[rules.director_pool], DIRECTOR, w("executive_director"),
                        w("unattached"))]
    return model.decide(Decisions.candidate_fields, fields, post=post, attractiveness=a)


def select(model, post, a: float, round_: int = 1):
    """Interview the field for ``post``; returns (person, score, route, notice) or (-1, …).

    Each member of a field applies with the field's probability (× other_region_factor outside their
    region for regional fields; × their group's application rate), by a draw keyed on (person,
    search): the same person faces the same draw in every scenario, so eligibility can be checked
    before drawing. The loop over the fields is compiled (``sim.kernels.interview``); applicants
    from outside the NHS are scored here.
    """
    rp, people, rules = model.params.recruitment, model.people, role_rules(model, post.role)
    search = (post.id, post.succession, round_)
    need = rules.need
    fields = candidate_fields(model, post, a)
    home = int(model.orgs[post.org].region)
    bias = equality.interview_bias(model)
    n, row, field, score, n_minority = kernels.interview(
        people,
        [(f.rows, f.grade, min(1.0, f.w / rp.open_to_move) if f.open_only else f.w, f.w_free,
          f.grade >= DIRECTOR,   # executives without a post apply more readily
          home if f.regional else None) for f in fields],
        model.streams.keyed("recruitment.apply").folded(*search), need,
        rules.application_rates, rp.other_region_factor,
        model.streams.keyed("recruitment.interview").folded(*search), rp.interview_noise_sd, bias,
        model.decide(Decisions.career_reward, model.params.placement.reward_bonus, post=post))
    grade = "chief_executive" if post.is_ceo else "executive_director"
    prof = PROFESSION["non_clinical"] if need is None else need
    label, n_ext, n_ext_minority, ext, ext_score = _external_applicants(model, post, a, search, bias, grade, prof,
                                                                        rules)
    if n + n_ext == 0:
        return -1, np.nan, "", 0.0
    equality.record_shortlist(model, post, n + n_ext, n_minority + n_ext_minority)
    if ext_score > score:   # an external hire joins the pipeline at offer (the first of equal scores wins)
        if ext_score < rp.appointable_score:
            return -1, np.nan, "", 0.0
        person = int(add_people(model, label, 1, first=ext, grade=GRADE[grade], origin=ORIGIN["external"],
                                capability_mean=model.params.entry.external_capability[grade], profession=prof,
                                time=model.env.now, age_mean=model.params.workforce.external_executive_entry_age,
                                record=False, org=post.org)[0])
        model.recorder.event(model.env.now, "entry", person=person, org=post.org, cause="external",
                             value=float(GRADE[grade]))
        return person, ext_score, "external", rp.notice_years["senior_manager"]
    if score < rp.appointable_score:
        return -1, np.nan, "", 0.0
    route = "unattached" if people.post[row] < 0 and people.grade[row] >= DIRECTOR else fields[field].route
    return row, score, route, notice_of(model, row)


def notice_of(model, person: int) -> float:
    """Years before ``person`` can start a new post: the notice on their own post, if they hold one."""
    rp, people = model.params.recruitment, model.people
    if people.post[person] >= 0:
        return rp.notice_years[level(model.posts[people.post[person]])]
    return rp.notice_years["unattached"] if people.grade[person] >= DIRECTOR else rp.notice_years["senior_manager"]


def _external_applicants(model, post, a: float, search: tuple, bias: float, grade: str, prof: int,
                         rules: RoleRules):
    """Applicants from outside the NHS in a round, scored on the traits they would join with: (their
    batch label, how many apply, how many of them are from an ethnic minority, the index in the batch
    of the best scorer — the first of equal scores — and their score; -1 and -inf if nobody applies).
    A group more (less) willing to apply raises (thins) the Poisson stream of applicants. The loop is
    compiled where ``sim.kernels`` is (``_kernels.outsiders``: the same draws, the same bits)."""
    rp = model.params.recruitment
    interview = model.streams.keyed("recruitment.interview")
    lam = model.decide(Decisions.external_applicants, rp.external_applicants[level(post)] * a, post=post)
    scale = rules.external_scale
    count = interview.poisson(lam * scale, *search)
    if count == 0:
        return "", 0, 0, -1, -np.inf
    label = f"external:{post.id}:{post.succession}:{search[2]}"
    mean = model.params.entry.external_capability[grade]
    if kernels.outsiders is not None:
        women, minority = equality.entry_shares(model)
        return (label, *kernels.outsiders(
            count, stable_hash(label), model.streams.keyed("traits").base,
            model.streams.keyed("recruitment.apply").base, interview.base, search, CAPABILITY, ETHNICITY, FEMALE,
            mean, model.params.workforce.capability_sd, minority[prof, model.org_region[post.org]], women[prof],
            *rules.rates, scale, rp.interview_noise_sd, bias))
    n, n_minority, best_k, best = 0, 0, -1, -np.inf
    for k in range(count):
        key = key_of(label, k)
        capability, em, female = scored_traits(model, key, mean, prof, post.org)
        if not equality.applies(model, key, search, female, em, post.role, scale):
            continue
        score = capability + rp.interview_noise_sd * interview.normal(key, *search) + bias * em
        n, n_minority = n + 1, n_minority + int(em)
        if best_k < 0 or score > best:
            best_k, best = k, score
    return label, n, n_minority, best_k, float(best)
