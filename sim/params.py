"""Model parameters: frozen, grouped by process, every field with a unit and a source.

A parameter is declared with :func:`P`, which stores its unit and its source (a citation
from ``shared/evidence/published_figures.md`` or the word "assumption") as dataclass field
metadata, so the assumptions register can be generated rather than written by hand.
Parameters are never mutated: :func:`with_overrides` returns a new object.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any, Mapping

KF2018 = "KF & NHSP, Leadership in today's NHS, 2018"
KF2014 = "KF (Janjua), Leadership vacancies in the NHS, 2014"
ASSUMPTION = "assumption"


def P(default: Any, unit: str, source: str, lo: float | None = 0.0, hi: float | None = None):
    """A parameter field: ``default`` plus its unit, source and allowed range as metadata.

    Numbers (and the values of a mapping) must lie in [lo, hi]; ``lo=None`` allows negatives.
    """
    meta = {"unit": unit, "source": source, "lo": lo, "hi": hi}
    if isinstance(default, (dict, list)):
        return field(default_factory=lambda: _copy(default), metadata=meta)
    return field(default=default, metadata=meta)


def _copy(value):
    return dict(value) if isinstance(value, dict) else list(value)


ROLES = ("chief_executive", "finance", "medical", "nursing", "operations", "people", "strategy")
CORE_ROLES = ROLES[:5]
RATINGS = ("outstanding", "good", "requires_improvement", "inadequate")
TRUST_TYPES = ("acute", "specialist", "mental_health", "community", "ambulance")
REGIONS = ("london", "south_east", "south_west", "east_of_england", "midlands",
           "north_east_and_yorkshire", "north_west")
GRADES = ("graduate_trainee", "middle_manager", "senior_manager", "executive_director", "chief_executive")
ORIGINS = ("graduate_scheme", "internal_manager", "clinician", "external")
PROFESSIONS = ("non_clinical", "doctor", "nurse", "allied_health")


@dataclass(frozen=True)
class CalendarParams:
    start_year: int = P(1998, "calendar year", "assumption: warm-up starts 12 years before reporting")
    report_from: int = P(2010, "calendar year", "assumption: the published figures start in 2011-2014")
    end_year: int = P(2035, "calendar year (exclusive)", "assumption: horizon long enough for 2030 effects")


@dataclass(frozen=True)
class SystemParams:
    trusts_by_type: dict = P({"acute": 136, "specialist": 18, "mental_health": 54, "community": 15,
                              "ambulance": 10},
                             "trusts", "CQC Mar 2017 (136+18 acute); RCPsych (≈50 MH); NHSP 2017 total 233", hi=1000)
    region_shares: dict = P({"london": 0.17, "south_east": 0.15, "south_west": 0.11,
                             "east_of_england": 0.10, "midlands": 0.19,
                             "north_east_and_yorkshire": 0.14, "north_west": 0.14},
                            "share of trusts", "assumption: approximate NHS England regional split, 7 regions", hi=1.0)
    optional_post_share: dict = P({"people": 0.6, "strategy": 0.4}, "share of trusts with the post",
                                  "assumption: 5 voting executives typical (trust board pages)", hi=1.0)
    initial_rating_mix: dict = P({"outstanding": 0.03, "good": 0.30, "requires_improvement": 0.61,
                                  "inadequate": 0.07}, "share of trusts",
                                 "HSJ 2016, More than half of trusts require improvement", hi=1.0)


@dataclass(frozen=True)
class WorkforceParams:
    middle_managers: int = P(20000, "people", "NHS workforce statistics 2016: 'managers' 20,986 FTE", hi=1_000_000)
    senior_managers: int = P(9600, "people", "NHS workforce statistics 2016: 'senior managers' 9,606 FTE", hi=1_000_000)
    women_share: float = P(0.55, "share of entrants", "assumption: between board (44.7%) and workforce", hi=1.0)
    ethnic_minority_share: float = P(0.20, "share of entrants", "HSJ on WRES 2018: ≈20% of NHS workforce", hi=1.0)
    profession_mix: dict = P({"non_clinical": 0.70, "doctor": 0.08, "nurse": 0.17, "allied_health": 0.05},
                             "share of senior managers", "assumption: clinical managers within management grades", hi=1.0)
    leave_rate: dict = P({"graduate_trainee": 0.025, "middle_manager": 0.083, "senior_manager": 0.08},
                         "per year", "NHS workforce statistics 2014: 8.3% leavers; GMTS Payback 2011: 97.5% retained yr 1", hi=1.0)
    capability_growth: float = P(0.03, "SD of capability per year", ASSUMPTION)
    initial_capability: dict = P({"middle_manager": 0.1, "senior_manager": 0.7, "executive_director": 2.2,
                                  "chief_executive": 3.0}, "mean capability (SD units) at the start of warm-up",
                                 "assumption: near the steady state of a 55-year baseline run, so warm-up is short",
                                 lo=None)
    initial_programme_share: dict = P({"middle_manager": 0.15, "senior_manager": 0.2, "executive_director": 0.55,
                                       "chief_executive": 0.7}, "share who completed the programme of the grade below",
                                      "assumption: near the steady state of a 55-year baseline run", hi=1.0)
    capability_sd: float = P(1.0, "SD", "assumption: capability is standardised at entry")


@dataclass(frozen=True)
class EntryParams:
    graduate_intake: dict = P({1998: 170, 2004: 173, 2005: 183, 2006: 213, 2007: 210, 2008: 196,
                               2009: 245, 2010: 150, 2018: 100, 2019: 200, 2023: 250},
                              "trainees per year (step function of calendar year)",
                              "GP Online 2009; Guardian 2009; HSJ 2010; NHS Leadership Academy; 1998-2003 assumption", hi=100_000)
    graduate_intake_multiplier: float = P(1.0, "× intake", "lever; 1 = published intake")
    graduate_length: float = P(2.0, "years", "NHS Leadership Academy: 2 years (finance 2.5)")
    graduate_finance_share: float = P(0.2, "share of cohort on the 2.5-year finance stream", ASSUMPTION, hi=1.0)
    graduate_job_at_completion: float = P(0.89, "probability", "HSJ 2010: 89% of 2008 cohort had an NHS job", hi=1.0)
    graduate_capability_mean: float = P(0.3, "SD above internal managers", "assumption: selective scheme", lo=None)
    graduate_early_leave_rate: float = P(0.06, "per year, first 3 years after completion",
                                         "assumption; Smith 2015 anecdote that many do not intend to stay", hi=1.0)
    clinicians_per_year: dict = P({"doctor": 120, "nurse": 350, "allied_health": 80},
                                  "clinicians entering senior management per year", ASSUMPTION, hi=100_000)
    external_senior_share: float = P(0.25, "share of senior-manager gap filled from outside the NHS", ASSUMPTION, hi=1.0)
    external_capability: dict = P({"senior_manager": 0.4, "executive_director": 0.8, "chief_executive": 1.0},
                                  "mean capability (SD units) of applicants from outside the NHS",
                                  "assumption; Kerr 2018: few leaders recruited from other sectors", lo=None)
    clinician_capability: float = P(0.2, "mean capability (SD units) of clinicians entering management",
                                    ASSUMPTION, lo=None)


@dataclass(frozen=True)
class ProgrammeParams:
    name: str
    eligible_grade: str
    capacity: int
    duration: float
    cost_per_place: float
    capability_gain: float
    selection: str  # "pull": applicants ranked by score; "push": mandated top of the grade
    apply_rate: float
    grants_readiness: bool
    source: str


def _default_programmes() -> tuple:
    return (
        ProgrammeParams("senior_manager", "middle_manager", 500, 2.0, 12_000.0, 0.15, "pull", 0.10, False,
                        "EGA/Mary Seacole (NHS Leadership Academy c.2015: 1,500 EGA starts); cost assumption"),
        ProgrammeParams("executive_readiness", "senior_manager", 175, 1.0, 15_000.0, 0.20, "pull", 0.10, True,
                        "Nye Bevan: 524 started since 2012 (NHS Leadership Academy); cost assumption"),
        ProgrammeParams("aspiring_chief_executive", "executive_director", 14, 1.0, 30_000.0, 0.25, "pull",
                        0.15, True, "Aspiring Chief Executive programme: ≈14 a cohort, 12 months; cost assumption"),
    )


@dataclass(frozen=True)
class TrainingParams:
    programmes: tuple = field(default_factory=_default_programmes,
                              metadata={"unit": "programmes", "source": "see each programme"})


@dataclass(frozen=True)
class AppraisalParams:
    noise_sd: float = P(0.8, "SD of score around capability", "assumption; Messenger 2022: appraisal inconsistent")
    ethnic_minority_bias: float = P(-0.15, "score shift", "assumption; WRES: lower appointment from shortlisting", lo=None)
    ready_threshold: dict = P({"middle_manager": 0.8, "senior_manager": 1.0, "executive_director": 1.2},
                              "mean appraisal score (capability SD)", "assumption")
    min_years_in_grade: dict = P({"middle_manager": 3, "senior_manager": 3, "executive_director": 2},
                                 "years", ASSUMPTION)
    programme_readiness_credit: float = P(0.3, "threshold reduction after a readiness programme", ASSUMPTION)


@dataclass(frozen=True)
class RecruitmentParams:
    search_years: dict = P({"chief_executive": 0.40, "director": 0.33}, "mean years per search round",
                           "assumption; KF 2014: nursing director posts vacant ≈9 months on average")
    search_shape: float = P(4.0, "gamma shape", ASSUMPTION)
    attractiveness: dict = P({"outstanding": 1.2, "good": 1.0, "requires_improvement": 0.85,
                              "inadequate": 0.6}, "× applicants, ÷ search time",
                             "Kerr 2018: challenged trusts seen as a professional risk; assumption")
    special_measures_attractiveness: float = P(0.8, "× attractiveness", ASSUMPTION)
    willingness: dict = P({"senior_manager": 0.02, "executive_director": 0.03, "chief_executive": 0.01,
                           "unattached": 0.5}, "probability an eligible ready person applies", ASSUMPTION, hi=1.0)
    other_region_factor: float = P(0.3, "× willingness for a post outside own region", ASSUMPTION, hi=1.0)
    external_applicants: dict = P({"chief_executive": 0.4, "director": 0.6}, "mean applicants per search",
                                  "assumption; Kerr 1.4: little external recruitment")
    interview_noise_sd: float = P(0.6, "SD", ASSUMPTION)
    appointable_score: float = P(0.6, "observed score", ASSUMPTION, lo=None)
    interim_probability: dict = P({"chief_executive": 0.85, "director": 0.6}, "probability of interim cover",
                                  ASSUMPTION, hi=1.0)
    interim_delay_years: float = P(0.08, "mean years to find an interim", ASSUMPTION)
    notice_years: dict = P({"chief_executive": 0.5, "director": 0.5, "senior_manager": 0.25,
                            "unattached": 0.0}, "years", "assumption: 3-6 month notice periods")
    unattached_drop_rate: float = P(0.7, "per year: unplaced executives who leave", ASSUMPTION, hi=1.0)


@dataclass(frozen=True)
class TurnoverParams:
    hazard: dict = P({"retire": 0.035, "leave_nhs": 0.05, "move_trust": 0.05, "removed": 0.02},
                     "per year at a good trust", "assumption; KF 2018: median CEO tenure 3 years")
    rating_multiplier: dict = P({"outstanding": 0.5, "good": 0.8, "requires_improvement": 1.1,
                                 "inadequate": 2.2}, "× non-retirement hazards",
                                "HSJ 2017: median CEO tenure 11 months inadequate vs 7 years outstanding")
    special_measures_multiplier: float = P(1.5, "× leave and removal hazards", ASSUMPTION)
    role_multiplier: dict = P({"chief_executive": 1.0, "finance": 0.9, "medical": 1.0, "nursing": 1.0,
                               "operations": 1.25, "people": 1.1, "strategy": 1.2}, "× hazard",
                              "HSJ Jul 2018: highest vacancy operations and strategy, lowest CEO and finance")
    early_tenure_years: float = P(2.0, "years", ASSUMPTION)
    early_tenure_multiplier: float = P(1.3, "× removal and leave hazards in early tenure", ASSUMPTION)
    abrupt_share: dict = P({"retire": 0.0, "leave_nhs": 0.3, "move_trust": 0.0, "removed": 1.0},
                           "share of exits with no notice", ASSUMPTION, hi=1.0)


@dataclass(frozen=True)
class PerformanceParams:
    persistence: float = P(0.8, "AR(1) coefficient of trust quality per year", ASSUMPTION, hi=0.99)
    between_trust_sd: float = P(0.6, "SD of long-run trust quality", ASSUMPTION)
    innovation_sd: float = P(0.5, "SD per year", ASSUMPTION)
    inspection_noise_sd: float = P(0.3, "SD", ASSUMPTION)
    inspection_interval: dict = P({"outstanding": 3.0, "good": 3.0, "requires_improvement": 2.0,
                                   "inadequate": 1.0}, "mean years to next inspection",
                                  "assumption: CQC risk-based inspection frequency")
    wellled_inadequate_given_inadequate: float = P(0.8, "probability", "HSJ 2016 well-led mix; assumption", hi=1.0)
    special_measures_support: float = P(0.35, "quality SD per year while in special measures",
                                        "assumption; NHSP 2017: average 20-24 months in special measures")
    leadership_feedback: float = P(0.05, "quality SD per year per unit leadership index",
                                   "Janke, Propper & Sadun 2019: ≤0.1 SD; default small, wide range")


@dataclass(frozen=True)
class Params:
    calendar: CalendarParams = field(default_factory=CalendarParams)
    system: SystemParams = field(default_factory=SystemParams)
    workforce: WorkforceParams = field(default_factory=WorkforceParams)
    entry: EntryParams = field(default_factory=EntryParams)
    training: TrainingParams = field(default_factory=TrainingParams)
    appraisal: AppraisalParams = field(default_factory=AppraisalParams)
    recruitment: RecruitmentParams = field(default_factory=RecruitmentParams)
    turnover: TurnoverParams = field(default_factory=TurnoverParams)
    performance: PerformanceParams = field(default_factory=PerformanceParams)


def rating_thresholds(mix: Mapping[str, float], total_sd: float) -> tuple[float, float, float]:
    """Quality cut-points (inadequate|RI, RI|good, good|outstanding) giving ``mix`` in a normal population."""
    nd = NormalDist(0.0, total_sd)
    total = sum(mix.values())  # published shares are rounded and may not sum to 1
    c1 = mix["inadequate"] / total
    c2 = c1 + mix["requires_improvement"] / total
    c3 = c2 + mix["good"] / total
    return nd.inv_cdf(c1), nd.inv_cdf(c2), nd.inv_cdf(c3)


class OverrideError(ValueError):
    """An override names a parameter that does not exist or gives it the wrong type."""

    def __init__(self, path: str, expected: str, found: Any):
        self.path, self.expected, self.found = path, expected, found
        super().__init__(f"{path}: expected {expected}, found {found!r}")


def with_overrides(params: Any, overrides: Mapping[str, Any], _path: str = "params") -> Any:
    """Return a copy of ``params`` with nested ``overrides`` applied; types are checked."""
    if not isinstance(overrides, Mapping):
        raise OverrideError(_path, "a mapping of parameter names", overrides)
    fields = {f.name: f for f in dataclasses.fields(params)}
    changes = {}
    for key, value in overrides.items():
        path = f"{_path}.{key}"
        if key not in fields:
            raise OverrideError(path, "one of " + ", ".join(sorted(fields)), key)
        current = getattr(params, key)
        meta = fields[key].metadata
        changes[key] = _coerce(current, value, path, meta.get("lo", 0.0), meta.get("hi"))
    return dataclasses.replace(params, **changes)


def _check_range(value, path: str, lo, hi):
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        lo_s = "" if lo is None else f"≥ {lo:g}"
        hi_s = "" if hi is None else f"≤ {hi:g}"
        raise OverrideError(path, "a number " + " and ".join(x for x in (lo_s, hi_s) if x), value)
    return value


def _coerce(current: Any, value: Any, path: str, lo=0.0, hi=None) -> Any:
    if dataclasses.is_dataclass(current):
        return with_overrides(current, value, path)
    if isinstance(current, bool):
        if not isinstance(value, bool):
            raise OverrideError(path, "true or false", value)
        return value
    if isinstance(current, int) and not isinstance(current, bool):
        if isinstance(value, bool) or not isinstance(value, int):
            raise OverrideError(path, "a whole number", value)
        return _check_range(value, path, lo, hi)
    if isinstance(current, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise OverrideError(path, "a number", value)
        if value != value or value in (float("inf"), float("-inf")):
            raise OverrideError(path, "a finite number", value)
        return float(_check_range(value, path, lo, hi))
    if isinstance(current, dict):
        if not isinstance(value, Mapping):
            raise OverrideError(path, "a mapping", value)
        merged = dict(current)
        for k, v in value.items():
            if k not in current and not isinstance(k, int):
                raise OverrideError(f"{path}.{k}", "one of " + ", ".join(map(str, current)), k)
            ref = current.get(k, next(iter(current.values())))
            merged[k] = _coerce(ref, v, f"{path}.{k}", lo, hi)
        return merged
    if isinstance(current, tuple):  # programmes: override by name
        if not isinstance(value, Mapping):
            raise OverrideError(path, "a mapping of programme name to settings", value)
        names = {p.name: p for p in current}
        for k in value:
            if k not in names:
                raise OverrideError(f"{path}.{k}", "one of " + ", ".join(names), k)
        return tuple(with_overrides(p, value[p.name], f"{path}.{p.name}") if p.name in value else p
                     for p in current)
    if isinstance(current, str):
        if not isinstance(value, str):
            raise OverrideError(path, "text", value)
        return value
    raise OverrideError(path, type(current).__name__, value)


def to_dict(params: Any) -> Any:
    """Plain nested dict/list form of a parameter object (for manifests)."""
    if dataclasses.is_dataclass(params):
        return {f.name: to_dict(getattr(params, f.name)) for f in dataclasses.fields(params)}
    if isinstance(params, tuple):
        return [to_dict(p) for p in params]
    if isinstance(params, dict):
        return {str(k): to_dict(v) for k, v in params.items()}
    return params


def register(params: Any, prefix: str = "") -> list[dict]:
    """Every leaf parameter with its value, unit and source: the assumptions register."""
    rows = []
    for f in dataclasses.fields(params):
        value = getattr(params, f.name)
        name = f"{prefix}{f.name}"
        if dataclasses.is_dataclass(value):
            rows += register(value, name + ".")
        elif isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
            for p in value:
                rows.append({"parameter": f"{name}.{p.name}", "value": to_dict(p), "unit": "programme",
                             "source": p.source})
        else:
            rows.append({"parameter": name, "value": to_dict(value), "unit": f.metadata.get("unit", ""),
                         "source": f.metadata.get("source", "")})
    return rows
