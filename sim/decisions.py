"""The decisions an intervention may adjust: one typed method each, with explicit keyword arguments.

The model asks at each decision point, e.g.::

    rates = model.decide(Decisions.exit_hazards, rates, post=post, org=org)

and every active intervention that overrides ``exit_hazards`` may return an adjusted value, in
the order the scenario lists them. The default method returns the value unchanged. Naming the
method (not a string) means a misspelt decision fails at once and an editor can follow the call;
``tests/test_decisions.py`` checks every call site's keywords and every override's signature
against this class. Interventions never change parameters or one another.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

Rates = tuple[float, float, float, float]   # yearly hazards: retire, leave_nhs, move_trust, removed


class Offer(NamedTuple):
    """What comes with a placement into a challenged trust besides the post (placement.acceptance)."""
    support: bool = False            # a support package for the post (Kerr 2018 rec 1.6's new deal)
    pay_premium: float = 0.0         # extra pay, as a share of the salary
    guaranteed_return: bool = False  # a post of the same grade afterwards, should the placement fail


class Decisions:
    """Every adjustable decision, with its default (no change)."""

    def exit_hazards(self, rates: Rates, *, model, post, org) -> Rates:
        """Yearly hazards (retire, leave_nhs, move_trust, removed) of the holder of ``post``."""
        return rates

    def attractiveness(self, a: float, *, model, post, org) -> float:
        """How attractive ``post`` is to applicants (1 = a good trust)."""
        return a

    def willingness(self, w: float, *, model, post, pool: str) -> float:
        """Probability that a member of candidate pool ``pool`` applies for ``post``."""
        return w

    def candidate_fields(self, fields: list, *, model, post, attractiveness: float) -> list:
        """The applicant fields a search for ``post`` draws from (talent pools may be added)."""
        return fields

    def search_time(self, mean: float, *, model, post) -> float:
        """Mean years of one search round for ``post``."""
        return mean

    def interim_probability(self, p: float, *, model, post) -> float:
        """Probability that an interim covers ``post`` while it has no substantive holder."""
        return p

    def selection_bias(self, bias: float, *, model, stage: str) -> float:
        """Score shift against ethnic-minority staff at ``stage``: "appraisal" or "interview"."""
        return bias

    def external_applicants(self, n: float, *, model, post) -> float:
        """Mean number of applicants from outside the NHS per search for ``post``."""
        return n

    def graduate_intake(self, n: float, *, model) -> float:
        """Trainees starting the graduate scheme this year (the published intake × its multiplier)."""
        return n

    def graduate_scheme_years(self, years: float, *, model, stream: str) -> float:
        """Years in the graduate scheme of a cohort starting now, on ``stream`` ("general" or "finance")."""
        return years

    def graduate_job_at_completion(self, p: float, *, model) -> float:
        """Probability that a graduate trainee gets a post at completion."""
        return p

    def graduate_early_leave_rate(self, rate: float, *, model) -> float:
        """Extra yearly leaving rate of graduates in their first years after the scheme."""
        return rate

    def clinicians_per_year(self, n: float, *, model, profession: str) -> float:
        """Clinicians of ``profession`` entering senior management this year."""
        return n

    def clinician_capability(self, mean: float, *, model) -> float:
        """Mean capability of clinicians entering management."""
        return mean

    def feeder_leave_rate(self, rate: float, *, model, grade: str) -> float:
        """Yearly leaving rate of feeder grade ``grade``."""
        return rate

    def appraisal_noise(self, sd, *, model, rows: np.ndarray):
        """Standard deviation of appraisal noise for each of ``rows`` (a number, or one per row)."""
        return sd

    def readiness(self, ready: np.ndarray, *, model, rows: np.ndarray) -> np.ndarray:
        """Who of ``rows`` is judged ready for the next grade."""
        return ready

    def programmes(self, programmes: tuple, *, model) -> tuple:
        """The training programmes in force this year."""
        return programmes

    def leadership_feedback(self, strength: float, *, model) -> float:
        """Strength of the leadership → trust quality feedback."""
        return strength

    def special_measures_support(self, support: float, *, model, org) -> float:
        """Quality gain per year of trust ``org`` while in special measures."""
        return support

    def quality_support(self, support: float, *, model, org) -> float:
        """Extra quality gain per year of trust ``org``."""
        return support

    def placement_boards(self, boards: list, *, model, post) -> list:
        """The talent boards (``placement.Board``) that nominate people for ``post``, a post at a
        challenged trust whose search is starting; a board adds itself if it covers the post."""
        return boards

    def placement_offer(self, offer: Offer, *, model, post, person: int) -> Offer:
        """What is offered to ``person``, a nominee approached for ``post``."""
        return offer

    def career_reward(self, bonus: float, *, model, post) -> float:
        """Interview-score bonus (capability SD) of people credited with a challenged posting, at a
        search for ``post``."""
        return bonus


DECISIONS: tuple[str, ...] = tuple(name for name, value in vars(Decisions).items()
                                   if callable(value) and not name.startswith("_"))


def overrides(obj: Any) -> tuple[str, ...]:
    """The decisions ``obj``'s class changes from the default."""
    cls = type(obj)
    return tuple(name for name in DECISIONS if getattr(cls, name) is not getattr(Decisions, name))
