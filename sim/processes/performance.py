"""Trust performance: latent quality, CQC inspections, ratings and special measures.

Each trust has a latent quality that follows an AR(1) process around its own long-run level.
An inspection observes it with noise and maps it to a rating through fixed cut-points chosen
so that the stationary rating mix equals the published mid-2016 mix. A trust rated inadequate
(and, with a probability, inadequate for well-led) enters special measures, receives improvement
support, and leaves at the first re-inspection rated requires-improvement or better.

Leadership feeds back into quality with strength ``performance.leadership_feedback``: the
evidence (Janke, Propper & Sadun 2019) is that chief executives move hospital performance very
little, so the default is small and the parameter is exposed for sensitivity analysis.
"""

from __future__ import annotations

import math

import numpy as np

from ..decisions import Decisions
from ..entities import RATING, Organisation, Post, SUBSTANTIVE
from ..definitions import challenged as is_challenged
from ..params import RATINGS, REGIONS, ROLES, rating_thresholds

INADEQUATE = RATING["inadequate"]


def quality_sd(p) -> float:
    """Standard deviation of observed quality across trusts in the stationary state."""
    within = p.innovation_sd / math.sqrt(max(1e-9, 1 - p.persistence ** 2))
    return math.sqrt(p.between_trust_sd ** 2 + within ** 2 + p.inspection_noise_sd ** 2)


def rate(model, observed: float) -> int:
    """Rating index (0 outstanding … 3 inadequate) for an observed quality."""
    c_inad, c_ri, c_good = model.thresholds
    if observed < c_inad:
        return 3
    if observed < c_ri:
        return 2
    if observed < c_good:
        return 1
    return 0


def build_organisations(model) -> None:
    """Create the trusts, their executive posts, starting ratings and inspection dates."""
    sp, pp = model.params.system, model.params.performance
    rng = model.streams.get("system")
    model.thresholds = rating_thresholds(sp.initial_rating_mix, quality_sd(pp))
    shares = np.array([sp.region_shares[r] for r in REGIONS], dtype=float)
    within_sd = pp.innovation_sd / math.sqrt(max(1e-9, 1 - pp.persistence ** 2))
    for kind, count in sp.trusts_by_type.items():
        for _ in range(int(count)):
            region = int(rng.choice(len(REGIONS), p=shares / shares.sum()))
            mu = rng.normal(0.0, pp.between_trust_sd)
            q = mu + rng.normal(0.0, within_sd)
            size = sp.size_by_type[kind] * float(np.exp(rng.normal(0.0, sp.size_sd) - sp.size_sd ** 2 / 2))
            org = Organisation(id=len(model.orgs), kind=kind, region=region, rating=0, quality=q,
                               long_run_quality=mu, size=size,
                               minority_population=sp.ethnic_minority_population[REGIONS[region]])
            org.rating = rate(model, q + rng.normal(0.0, pp.inspection_noise_sd))
            interval = pp.inspection_interval[RATINGS[org.rating]]
            org.next_inspection = model.env.now + rng.uniform(0.0, interval)
            model.orgs.append(org)
            for role in ROLES:
                optional = sp.optional_post_share.get(role)
                if optional is not None and rng.random() >= optional:
                    continue
                post = Post(id=len(model.posts), org=org.id, role=role)
                org.posts.append(post.id)
                model.posts.append(post)


def leadership_index(model) -> np.ndarray:
    """Per trust: board capability (relative to all boards) minus the vacant-or-interim share."""
    # lists of the posts' fields and one gather of capabilities: one numpy scalar store per post
    # (~1,400 a year) cost more than the arithmetic
    posts, n_orgs = model.posts, len(model.orgs)
    n_posts = np.bincount(np.array([p.org for p in posts], dtype=np.int64), minlength=n_orgs)
    held = [p for p in posts if p.state == SUBSTANTIVE]
    org_of = np.array([p.org for p in held], dtype=np.int64)
    caps = model.people.capability[np.array([p.holder for p in held], dtype=np.int64)]
    filled = ~np.isnan(caps)
    org_of, caps = org_of[filled], caps[filled]
    n_filled = np.bincount(org_of, minlength=n_orgs)
    centre = caps.mean() if len(caps) else 0.0
    cap_sum = np.bincount(org_of, weights=caps - centre, minlength=n_orgs)
    mean_cap = np.divide(cap_sum, n_filled, out=np.zeros(n_orgs), where=n_filled > 0)
    return mean_cap - (1 - n_filled / np.maximum(n_posts, 1))


def update_quality(model, year: int) -> None:
    """Yearly drift of every trust's latent quality, with support and leadership feedback."""
    pp = model.params.performance
    ids = np.arange(len(model.orgs), dtype=np.uint64)
    shocks = pp.innovation_sd * model.streams.keyed("performance.quality").normal(ids, year)
    feedback = model.decide(Decisions.leadership_feedback, pp.leadership_feedback)
    lead = leadership_index(model) * feedback
    for org, shock, lift in zip(model.orgs, shocks, lead):
        support = model.decide(Decisions.special_measures_support, pp.special_measures_support, org=org) \
            if org.special_measures else 0.0
        support += model.decide(Decisions.quality_support, 0.0, org=org)
        org.quality = (org.long_run_quality + pp.persistence * (org.quality - org.long_run_quality)
                       + shock + lift + support)


def inspections(model, org: Organisation):
    """CQC inspections of one trust for the whole run (a SimPy process)."""
    rng = model.streams.get(f"performance.inspection.{org.id}")
    rec = model.recorder
    while True:
        yield model.env.timeout(max(0.0, org.next_inspection - model.env.now))
        now = model.env.now
        pp = model.params.performance   # this year's: a scenario may schedule them
        # what rng.normal(0, sd), rng.uniform(-1, 1) and rng.random() return, in that order, to the
        # bit (numpy computes 0 + sd·z and −1 + 2·u), without their argument handling (~4,000 a run)
        noise = pp.inspection_noise_sd * rng.standard_normal()
        jitter, wellled = -1.0 + 2.0 * rng.random(), rng.random()
        old, was_in = org.rating, org.special_measures
        org.rating = rate(model, org.quality + noise)
        rec.event(now, "inspection", org=org.id, value=float(org.rating), cause=RATINGS[old])
        if not org.special_measures and org.rating == INADEQUATE and now >= pp.special_measures_from - 1e-9 \
                and wellled < pp.wellled_inadequate_given_inadequate:
            enter_special_measures(model, org)
        elif org.special_measures and org.rating < INADEQUATE:
            rec.event(now, "special_measures_exit", org=org.id, value=now - org.sm_since)
            org.special_measures, org.sm_since = False, float("nan")
        if org.rating != old or org.special_measures != was_in:
            newly_inadequate = org.rating == INADEQUATE and old != INADEQUATE
            model.after_inspection(org, triggered=newly_inadequate or (org.special_measures and not was_in),
                                   was_challenged=is_challenged(old, was_in))
        interval = pp.inspection_interval[RATINGS[org.rating]]
        org.next_inspection = now + interval * (1.0 + pp.inspection_jitter * jitter)


def enter_special_measures(model, org: Organisation) -> None:
    org.special_measures, org.sm_since = True, model.env.now
    model.recorder.event(model.env.now, "special_measures_entry", org=org.id)


def special_measures_begin(model):
    """The special-measures regime begins (July 2013, after the Keogh review): trusts then rated
    inadequate (and, with a probability, inadequate for well-led) enter it at once (a SimPy process)."""
    pp = model.params.performance
    yield model.env.timeout(max(0.0, pp.special_measures_from - model.env.now))
    draw = model.streams.keyed("performance.regime")
    for org in model.orgs:
        if org.rating == INADEQUATE and not org.special_measures \
                and draw.uniform(org.id) < pp.wellled_inadequate_given_inadequate:
            enter_special_measures(model, org)
            model.after_inspection(org, triggered=True, was_challenged=True)   # already rated inadequate


def challenged(org: Organisation) -> bool:
    """Rated inadequate or in special measures."""
    return is_challenged(org.rating, org.special_measures)

