"""Career reward: a challenged posting that lasts, or sees the trust improve, counts for its holder later.

A posting is challenged from the later of the holder's appointment and the moment the trust was
rated inadequate or entered special measures. It is credited to the holder (``people.credited``,
and a ``career_credit`` event) once it has lasted ``placement.credit_years``, or when the trust
stops being challenged after the holder has been there ``placement.improvement_credit_years``.
At interview a credited person scores ``placement.reward_bonus`` more (``recruitment.select``,
through ``Decisions.career_reward``, so that an intervention can raise it): Messenger 2022 rec 7
(004:349) "strategically place talented managers and clinicians into organisations and reward
them with upward career progression"; Kerr 2018 rec 1.8b (000:150) "Improve how the NHS
recognises improvements in performance". The baseline bonus is none (see the parameter's source).
"""

from __future__ import annotations

import math

from ..definitions import INADEQUATE_INDEX, challenged


def start(model) -> None:
    """At the start of the run: trusts already challenged, and their leaders' postings."""
    for org in model.orgs:
        if challenged(org.rating, org.special_measures):
            org.challenged_since = model.env.now
            for post in _held(model, org):
                _credit_after(model, post, post.holder, post.appointed, model.env.now)


def appointed(model, post, person: int) -> None:
    """``person`` starts in ``post``: at a challenged trust, a challenged posting starts."""
    org = model.orgs[post.org]
    if org.special_measures or org.rating == INADEQUATE_INDEX:   # challenged, inlined: every appointment asks
        _credit_after(model, post, person, post.appointed, model.env.now)


def after_inspection(model, org, was_challenged: bool) -> None:
    """The trust's rating or special measures changed: postings there may start being challenged, or
    be credited because the trust improved."""
    now = model.env.now
    is_challenged = challenged(org.rating, org.special_measures)
    if is_challenged and not was_challenged:
        org.challenged_since = now
        for post in _held(model, org):
            _credit_after(model, post, post.holder, post.appointed, now)
    elif was_challenged and not is_challenged:
        least = model.params.placement.improvement_credit_years
        for post in _held(model, org):
            began = post.appointed if math.isnan(org.challenged_since) else max(post.appointed, org.challenged_since)
            if now - began >= least:
                _credit(model, post, "improvement", began)
        org.challenged_since = math.nan


def _held(model, org) -> list:
    return [model.posts[i] for i in org.posts if model.posts[i].holder >= 0]


def _credit_after(model, post, person: int, appointed: float, began: float) -> None:
    """Credit the posting if ``person`` still holds ``post`` (the same spell) after credit_years: a
    delayed call, not a process, as there is one for every challenged posting."""
    model.after(model.params.placement.credit_years, _credit_if_held, post, person, appointed, began)


def _credit_if_held(model, post, person: int, appointed: float, began: float) -> None:
    if post.holder == person and post.appointed == appointed:
        _credit(model, post, "tenure", began)


def _credit(model, post, how: str, began: float) -> None:
    now = model.env.now
    model.people.credited[post.holder] = True
    model.recorder.event(now, "career_credit", person=post.holder, org=post.org, post=post.id, role=post.role,
                         cause=how, value=now - began)
