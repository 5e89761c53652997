"""Parameters of careers: how posts are recruited to, why holders leave, how trusts perform and
are rated, and how talent boards place people into challenged trusts."""

from __future__ import annotations

from statistics import NormalDist
from typing import Annotated, Literal, Mapping

from pydantic import Field

from .vocabulary import (ASSUMPTION, ROLES, Cause, EqualityGroup, Group, Level, Multiplier, P, Rate, Rating, Role,
                         Share)


class RecruitmentParams(Group):
    search_years: dict[Level, Annotated[float, Field(ge=0.01, le=10)]] = P(
        {"chief_executive": 0.40, "director": 0.33}, "mean years per search round",
        "assumption; KF 2014: nursing director posts vacant ≈9 months on average")
    search_shape: float = P(4.0, "gamma shape (large: nearly fixed search times)", ASSUMPTION, ge=0.1, le=1e7)
    attractiveness: dict[Rating, Annotated[float, Field(ge=0.01, le=100)]] = P(
        {"outstanding": 1.2, "good": 1.0, "requires_improvement": 0.85, "inadequate": 0.6},
        "× applicants, ÷ search time", "Kerr 2018: challenged trusts seen as a professional risk; assumption")
    special_measures_attractiveness: float = P(0.8, "× attractiveness", ASSUMPTION, ge=0.01, le=100)
    willingness: dict[Literal["senior_manager", "executive_director", "chief_executive", "unattached"], Share] = P(
        {"senior_manager": 0.02, "executive_director": 0.03, "chief_executive": 0.01, "unattached": 0.5},
        "probability an eligible ready person applies", ASSUMPTION)
    other_region_factor: float = P(0.3, "× willingness for a post outside own region", ASSUMPTION, ge=0, le=1)
    open_to_move: float = P(0.25, "share of people in post who are open to a move in a given year (re-drawn "
                            "each year); willingness is the chance of applying for any one post",
                            "assumption: applications concentrate among those looking", gt=0, le=1)
    external_applicants: dict[Level, Annotated[float, Field(ge=0, le=50)]] = P(
        {"chief_executive": 0.4, "director": 0.6}, "mean applicants per search",
        "assumption; Kerr 1.4: little external recruitment")
    interview_noise_sd: float = P(0.6, "SD", ASSUMPTION, ge=0, le=10)
    appointable_score: float = P(0.6, "observed score", ASSUMPTION, ge=-100, le=100)
    ethnic_minority_interview_bias: float = P(
        -0.5, "interview score shift for ethnic-minority applicants (capability SD)",
        "WRES indicator 2: white shortlisted applicants 1.45-1.61 times as likely to be appointed (2016-2022, HSJ "
        "Jobs 2023); the value gives the baseline a ratio of ≈1.5 (to be fitted by calibration)", ge=-5, le=5)
    application_rate: dict[EqualityGroup, dict[Role, Multiplier]] = P(
        {"women": {r: 1.0 for r in ROLES}, "ethnic_minority": {r: 1.0 for r in ROLES}},
        "× the probability of applying for an executive post of each role, for members of the group",
        "neutral: no published application rates by sex or ethnicity for board posts; Future-Focused Finance 2016: "
        "women in NHS finance 28% more likely than men to report barriers that stopped them applying for promotion")
    women_application: float = P(
        1.0, "× the probability that a woman applies for an executive post of any role, relative to a man (on top of "
        "application_rate)", "fitted by calibration to women's share of chief executives and directors (Sealy 2017); "
        "Future-Focused Finance 2016: women in NHS finance 28% more likely than men to report barriers that stopped "
        "them applying for promotion", gt=0, le=10)
    finance_profession_required: bool = P(
        True, "whether the finance-director post needs a finance professional (else any non-clinical manager)",
        "assumption: trust finance directors are qualified accountants; HFMA 2017: 28% of finance directors women "
        "against 61% of the finance workforce")
    interim_probability: dict[Level, Share] = P(
        {"chief_executive": 0.85, "director": 0.6}, "probability of interim cover", ASSUMPTION)
    interim_delay_years: float = P(0.08, "mean years to find an interim", ASSUMPTION, ge=0, le=10)
    notice_years: dict[Literal["chief_executive", "director", "senior_manager", "unattached"],
                       Annotated[float, Field(ge=0, le=5)]] = P(
        {"chief_executive": 0.5, "director": 0.5, "senior_manager": 0.25, "unattached": 0.0}, "years",
        "assumption: 3-6 month notice periods")
    unattached_drop_rate: float = P(0.7, "per year: unplaced executives who leave", ASSUMPTION, ge=0, le=1)


class TurnoverParams(Group):
    hazard: dict[Literal["leave_nhs", "move_trust", "removed"], Rate] = P(
        {"leave_nhs": 0.05, "move_trust": 0.05, "removed": 0.02},
        "per year at a good trust", "assumption; KF 2018: median CEO tenure 3 years")
    retirement: dict[Literal["under_50", "50_to_54", "55_to_59", "60_to_64", "65_and_over"], Rate] = P(
        {"under_50": 0.0, "50_to_54": 0.02, "55_to_59": 0.08, "60_to_64": 0.3, "65_and_over": 1.0},
        "retirements per person-year by age, every grade",
        "assumption anchored on NHS Pension Scheme normal pension ages 60 (1995 section) and 65 (2008 section) "
        "(NHSBSA) and an average retirement age of 58 in administrative groups, 1994-99 (Hansard, 20 Nov 2000)")
    removal_appraisal_effect: float = P(
        0.3, "log of the removal-hazard ratio per unit (capability SD) of the holder's mean appraisal score below "
        "the directors' readiness threshold",
        "assumption: weaker performers are more likely to be removed", ge=0, le=5)
    removal_after_inspection: dict[Level, Share] = P(
        {"chief_executive": 0.35, "director": 0.10},
        "probability the holder is removed when the trust enters special measures or is newly rated inadequate",
        "HSJ 2014 on the Monitor/TDA progress report: 5 chief executives and 29 other directors replaced at the "
        "14 special-measures trusts within about seven months of entry (includes ordinary turnover)")
    removal_after_inspection_years: float = P(0.5, "longest delay (years) from the inspection to the removal "
                                              "(uniform)", "HSJ 2014: within about seven months", ge=0, le=5)
    recycled_share: float = P(
        0.3, "share of removed executives who stay in the market and may be appointed elsewhere",
        "assumption; Smith 2015 annex F (001:1915) reports 'transferring ineffective leaders from one NHS "
        "organisation to another', with no number; the fit and proper person test (Sep 2023) aims to stop it, "
        "so the default schedule halves the share from 2024", ge=0, le=1)
    rating_multiplier: dict[Rating, Multiplier] = P(
        {"outstanding": 0.5, "good": 0.8, "requires_improvement": 1.1, "inadequate": 2.2},
        "× non-retirement hazards", "HSJ 2017: median CEO tenure 11 months inadequate vs 7 years outstanding")
    special_measures_multiplier: float = P(1.5, "× leave and removal hazards", ASSUMPTION, ge=0, le=100)
    role_multiplier: dict[Role, Multiplier] = P(
        {"chief_executive": 1.0, "finance": 0.9, "medical": 1.0, "nursing": 1.0, "operations": 1.25,
         "people": 1.1, "strategy": 1.2}, "× hazard",
        "HSJ Jul 2018: highest vacancy operations and strategy, lowest CEO and finance")
    early_tenure_years: float = P(2.0, "years", ASSUMPTION, ge=0, le=40)
    early_tenure_multiplier: float = P(1.3, "× removal and leave hazards in early tenure", ASSUMPTION, ge=0, le=100)
    abrupt_share: dict[Cause, Share] = P(
        {"retire": 0.0, "leave_nhs": 0.3, "move_trust": 0.0, "removed": 1.0}, "share of exits with no notice",
        "assumption; removal after an inspection is always abrupt")


class PerformanceParams(Group):
    persistence: float = P(0.8, "AR(1) coefficient of trust quality per year", ASSUMPTION, ge=0, le=0.99)
    between_trust_sd: float = P(0.6, "SD of long-run trust quality", ASSUMPTION, ge=0, le=10)
    innovation_sd: float = P(0.5, "SD per year", ASSUMPTION, ge=0, le=10)
    inspection_noise_sd: float = P(0.3, "SD", ASSUMPTION, ge=0, le=10)
    inspection_interval: dict[Rating, Annotated[float, Field(ge=0.1, le=20)]] = P(
        {"outstanding": 3.0, "good": 3.0, "requires_improvement": 2.0, "inadequate": 1.0},
        "mean years to next inspection", "assumption: CQC risk-based inspection frequency")
    inspection_jitter: float = P(0.25, "± share of the interval by which an inspection comes early or late "
                                 "(uniform)", ASSUMPTION, ge=0, le=0.9)
    wellled_inadequate_given_inadequate: float = P(0.8, "probability", "HSJ 2016 well-led mix; assumption",
                                                   ge=0, le=1)
    special_measures_from: float = P(2013.5, "calendar time the special-measures regime began (trusts then "
                                     "rated inadequate enter it at once; none before)",
                                     "July 2013, after the Keogh review of 14 trusts (NHSP, Special measures: "
                                     "five years on, 2018)", ge=1900, le=2200)
    special_measures_support: float = P(0.35, "quality SD per year while in special measures",
                                        "assumption; NHSP 2017: average 20-24 months in special measures",
                                        ge=0, le=10)
    leadership_feedback: float = P(0.05, "quality SD per year per unit leadership index",
                                   "Janke, Propper & Sadun 2019: ≤0.1 SD; default small, wide range", ge=0, le=10)


def rating_thresholds(mix: Mapping[str, float], total_sd: float) -> tuple[float, float, float]:
    """Quality cut-points (inadequate|RI, RI|good, good|outstanding) giving ``mix`` in a normal population.

    A rating with no share gets an empty band (a cut-point at ±infinity or equal to its neighbour).
    """
    nd = NormalDist(0.0, max(total_sd, 1e-9))
    total = sum(mix.values())  # published shares are rounded and may not sum to 1
    cumulative = []
    acc = 0.0
    for rating in ("inadequate", "requires_improvement", "good"):
        acc += mix[rating] / total
        cumulative.append(acc)

    def cut(c: float) -> float:
        if c <= 0.0:
            return float("-inf")
        if c >= 1.0 - 1e-12:
            return float("inf")
        return nd.inv_cdf(c)
    c1, c2, c3 = (cut(c) for c in cumulative)
    return c1, c2, c3


KERR_RISK = ("Kerr 2018 (000:93): 'the level of professional risk served as a disincentive'; (000:101) 'very few "
             "incentives'; Messenger 2022 (004:345) 'little or no incentives'")


class PlacementParams(Group):
    """How talent boards place people into challenged trusts, and how a challenged posting is rewarded."""
    nominees_per_post: int = P(3, "nominees each board puts forward for one post", "assumption: a shortlist",
                               ge=0, le=50)
    approach_years: float = P(0.1, "years from approaching a nominee to their answer",
                              "assumption: about five weeks", ge=0, le=2)
    acceptance: Share = P(0.2, "probability a nominee accepts a sideways move to a challenged trust in their "
                          "home region when nothing extra is offered", f"assumption; {KERR_RISK}")
    step_up_odds: float = P(3.0, "× odds of accepting when the post is a step up to the next grade",
                            "assumption: promotion is the usual reward of a move (Messenger 2022, 004:349: "
                            "'reward them with upward career progression')", ge=0, le=100)
    other_region_odds: float = P(0.3, "× odds of accepting a post outside the nominee's home region",
                                 "assumption, as recruitment.other_region_factor; NHS Providers governance survey "
                                 "2024: candidates 'more reluctant to accept roles outside their current area'",
                                 ge=0, le=100)
    support_odds: float = P(2.0, "× odds of accepting when a support package (a new deal) comes with the post",
                            "assumption; Kerr 2018 (000:95): a 'new deal' would be key to encouraging more "
                            "leaders to take on these posts", ge=0, le=100)
    pay_odds: float = P(1.5, "× odds of accepting per 10% pay premium",
                        "assumption; Messenger 2022 (004:353): flexibility in terms and conditions", ge=0, le=100)
    return_odds: float = P(2.0, "× odds of accepting when a return to a post of the same grade is guaranteed",
                           f"assumption; the risk is of failure: {KERR_RISK}", ge=0, le=100)
    credit_years: float = P(2.0, "years in a challenged posting after which it is credited to the holder",
                            "assumption; about a special-measures spell (NHSP 2017: 20-24 months on average)",
                            ge=0, le=40)
    improvement_credit_years: float = P(0.5, "least years in a challenged posting for the trust's improvement "
                                        "(no longer inadequate or in special measures) to be credited to the holder",
                                        "assumption: time for a new leader to have a hand in the outcome",
                                        ge=0, le=40)
    reward_bonus: float = P(0.0, "interview-score bonus (capability SD) of people credited with a challenged "
                            "posting",
                            "assumption: none in the baseline ('very few incentives', Kerr 2018 000:101; 'little "
                            "or no incentives', Messenger 2022 004:345); the professional risk Kerr describes "
                            "(000:93) is the risk of failure, already in the higher removal hazard of challenged "
                            "trusts, so a penalty on credited (successful) postings would count it twice",
                            ge=-2, le=2)

