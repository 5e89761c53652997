"""Who gets on: where sex and ethnicity act in the pipeline, and what is recorded to measure it.

- **Entry.** An entrant is a woman with the share of women in their profession (finance,
  nursing and medicine differ), and from an ethnic minority with odds that follow the whole NHS
  workforce's (a calendar series, WRES indicator 1), × their profession's odds ratio (doctors and
  nurses are more often from ethnic minorities, allied health professionals less), × (the odds of
  their trust's region's population ÷ England's) to a stated power. Both are thresholds on the
  entrant's keyed draws (``entry.traits``), so a person keeps their draws in every scenario.
- **Applying.** Each group's probability of applying for an executive post is a multiple of
  everyone else's, by the post's role (neutral unless evidence); applicants from outside the NHS
  are thinned (or their stream raised) the same way.
- **Interview.** Ethnic-minority applicants' interview scores are shifted by a bias (equality
  action and the talent boards' kitemark shrink it). Every applicant interviewed in a round
  counts as shortlisted: readiness is the model's paper sift, and directors and chief executives
  moving across already hold the grade. Each round's shortlist by group is recorded
  (``shortlist`` events), so the WRES relative likelihood of appointment from shortlisting can be
  measured from the offers that follow.
- **Appraisal.** The appraisal bias against ethnic-minority staff (``appraisal.py``).
- **Leaving.** Each group's leaving rates other than retirement are a multiple of everyone
  else's (feeder grades, and executives leaving the NHS; neutral unless evidence).
"""

from __future__ import annotations

import numpy as np

from ..decisions import Decisions
from ..params import PROFESSIONS, REGIONS

CENSUS_REGIONS = len(REGIONS)


# -- entry ------------------------------------------------------------------------------------------
def entry_shares(model) -> tuple[np.ndarray, np.ndarray]:
    """This year's chance that an entrant is a woman (by profession code) and from an ethnic
    minority (by profession code and region), recomputed when the parameters change."""
    cached = model.entry_shares
    if cached is not None and cached[0] is model.params:
        return cached[1], cached[2]
    wf = model.params.workforce
    women = np.array([wf.women_share[p] for p in PROFESSIONS])
    share = wf.ethnic_minority_share
    ratio = np.outer([wf.ethnic_minority_odds_ratio[p] for p in PROFESSIONS], regional_odds_ratio(model))
    if share >= 1.0:
        minority = np.ones_like(ratio)
    else:
        odds = share / (1.0 - share) * ratio
        # an odds ratio of exactly one leaves the national share as it is (no rounding through odds)
        minority = np.where(ratio == 1.0, share, odds / (1.0 + odds))
    model.entry_shares = (model.params, women, minority)
    return women, minority


def _odds(p):
    return p / np.maximum(1.0 - p, 1e-12)


def regional_odds_ratio(model) -> np.ndarray:
    """By region: (odds of the region's population being from an ethnic minority ÷ England's) to
    the power of the regional elasticity. England's share is the mean over regions weighted by the
    trusts' staff, so that the national share of entrants stays close to the workforce's."""
    wf, system = model.params.workforce, model.params.system
    population = np.array([system.ethnic_minority_population[r] for r in REGIONS])
    if wf.ethnic_minority_regional_elasticity == 0.0:
        return np.ones(CENSUS_REGIONS)
    staff = np.bincount(model.org_region, weights=[o.size for o in model.orgs], minlength=CENSUS_REGIONS)
    england = float(staff @ population / staff.sum())
    return (_odds(population) / _odds(england)) ** wf.ethnic_minority_regional_elasticity


# -- applying ---------------------------------------------------------------------------------------
def rates(model, role: str) -> tuple[float, float]:
    """× the probability of applying for a post of ``role`` for (women, ethnic-minority staff)."""
    rp = model.params.recruitment
    return rp.application_rate["women"][role] * rp.women_application, rp.application_rate["ethnic_minority"][role]


def application_rates(model, role: str) -> tuple[float, float] | None:
    """× the probability of applying for a post of ``role`` for (women, ethnic-minority staff); None
    when both are 1."""
    women, minority = rates(model, role)
    return None if women == 1.0 and minority == 1.0 else (women, minority)


def external_scale(model, role: str) -> float:
    """How much the stream of applicants from outside the NHS for ``role`` is raised so that the
    group most willing to apply can be thinned to its rate (1 unless some group's rate exceeds 1)."""
    women, minority = rates(model, role)
    return max(1.0, women, minority, women * minority)


def applies(model, key: int, search: tuple, female: bool, minority: bool, role: str, scale: float) -> bool:
    """Whether an applicant from outside the NHS with identity ``key`` applies in ``search``: with
    probability (their group's rate ÷ ``scale``), by a keyed draw like everyone else's."""
    women, em = rates(model, role)
    m = (women if female else 1.0) * (em if minority else 1.0)
    return m >= scale or model.streams.keyed("recruitment.apply").uniform(key, *search) < m / scale


# -- interview --------------------------------------------------------------------------------------
def interview_bias(model) -> float:
    """Interview score shift for ethnic-minority applicants (after interventions)."""
    return model.decide(Decisions.selection_bias, model.params.recruitment.ethnic_minority_interview_bias,
                        stage="interview")


def record_shortlist(model, post, n: int, n_minority: int) -> None:
    """One ``shortlist`` event per group with applicants among the ``n`` in the round: value = how many."""
    now, event = model.env.now, model.recorder.event
    if n > n_minority:
        event(now, "shortlist", org=post.org, post=post.id, role=post.role, cause="white",
              value=float(n - n_minority))
    if n_minority:
        event(now, "shortlist", org=post.org, post=post.id, role=post.role, cause="ethnic_minority",
              value=float(n_minority))


# -- leaving ----------------------------------------------------------------------------------------
def leave_multiplier(model, rows) -> np.ndarray | float:
    """× leaving rates other than retirement for ``rows`` (a row or an array): 1 when neutral."""
    ratios = leave_ratios(model.params)
    return 1.0 if ratios is None else by_group(model.people, rows, *ratios)


def leave_ratios(params) -> tuple[float, float] | None:
    """× leaving rates other than retirement for (women, ethnic-minority staff); None when both are 1
    (what ``turnover`` keeps for the year, as ``leave_multiplier`` applies it)."""
    ratio = params.workforce.leave_rate_ratio
    women, minority = ratio["women"], ratio["ethnic_minority"]
    return None if women == 1.0 and minority == 1.0 else (women, minority)


def by_group(people, rows, women: float, minority: float):
    """``women`` for women, × ``minority`` for ethnic-minority staff, 1 otherwise (each of ``rows``)."""
    return np.where(people.female[rows], women, 1.0) * np.where(people.ethnic_minority[rows], minority, 1.0)
