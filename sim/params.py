"""Model parameters: frozen pydantic models, grouped by process, every field with a unit and a source.

A parameter is declared with :func:`P`, which stores its unit and its source (a citation from
``shared/evidence/published_figures.md`` or the word "assumption") as field metadata, so the
assumptions register and the JSON Schema are generated rather than written by hand. Bounds are
part of each field's type: anything that validates also runs (no zero search times, no endless
inspection loops, no multipliers that overflow). Parameters are never mutated:
:func:`with_overrides` returns a new, validated object.
"""

from __future__ import annotations

from statistics import NormalDist
from typing import Annotated, Any, Literal, Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from .errors import InputError

KF2018 = "KF & NHSP, Leadership in today's NHS, 2018"
ASSUMPTION = "assumption"

ROLES = ("chief_executive", "finance", "medical", "nursing", "operations", "people", "strategy")
CORE_ROLES = ROLES[:5]
RATINGS = ("outstanding", "good", "requires_improvement", "inadequate")
TRUST_TYPES = ("acute", "specialist", "mental_health", "community", "ambulance")
REGIONS = ("london", "south_east", "south_west", "east_of_england", "midlands",
           "north_east_and_yorkshire", "north_west")
GRADES = ("graduate_trainee", "middle_manager", "senior_manager", "executive_director", "chief_executive")
ORIGINS = ("graduate_scheme", "internal_manager", "clinician", "external")
PROFESSIONS = ("non_clinical", "doctor", "nurse", "allied_health", "finance")
CAUSES = ("retire", "leave_nhs", "move_trust", "removed")

Role = Literal["chief_executive", "finance", "medical", "nursing", "operations", "people", "strategy"]
Rating = Literal["outstanding", "good", "requires_improvement", "inadequate"]
TrustType = Literal["acute", "specialist", "mental_health", "community", "ambulance"]
Region = Literal["london", "south_east", "south_west", "east_of_england", "midlands",
                 "north_east_and_yorkshire", "north_west"]
Grade = Literal["graduate_trainee", "middle_manager", "senior_manager", "executive_director", "chief_executive"]
FeederGrade = Literal["graduate_trainee", "middle_manager", "senior_manager"]
ReadyGrade = Literal["middle_manager", "senior_manager", "executive_director"]
ProgrammeGrade = Literal["middle_manager", "senior_manager", "executive_director"]
Origin = Literal["graduate_scheme", "internal_manager", "clinician", "external"]
Profession = Literal["non_clinical", "doctor", "nurse", "allied_health", "finance"]
Clinical = Literal["doctor", "nurse", "allied_health"]
Cause = Literal["retire", "leave_nhs", "move_trust", "removed"]
Level = Literal["chief_executive", "director"]
EqualityGroup = Literal["women", "ethnic_minority"]   # groups whose careers the equality measures follow
Year = Annotated[int, Field(ge=1900, le=2200)]

# Bounded numbers: every time, rate and multiplier has the range its meaning implies.
Share = Annotated[float, Field(ge=0.0, le=1.0)]
Rate = Annotated[float, Field(ge=0.0, le=10.0)]           # per year
Multiplier = Annotated[float, Field(ge=0.0, le=100.0)]
Positive = Annotated[float, Field(gt=0.0, le=1000.0)]
Capability = Annotated[float, Field(ge=-10.0, le=10.0)]   # in SD units
Count = Annotated[int, Field(ge=0, le=1_000_000)]


def P(default: Any, unit: str, source: str, **bounds) -> Any:
    """A parameter field: ``default`` plus its unit and source (shown by ``leadsim params``).

    Numeric bounds (``ge``, ``le``, ``gt``) apply to the field itself; for mappings the value type
    carries them.
    """
    extra = {"unit": unit, "source": source}
    if isinstance(default, (dict, list, tuple)):
        return Field(default_factory=lambda: _copy(default), json_schema_extra=extra, description=unit, **bounds)
    return Field(default, json_schema_extra=extra, description=unit, **bounds)


def _copy(value):
    return dict(value) if isinstance(value, dict) else tuple(value)


class Group(BaseModel):
    """A group of parameters: frozen, no unknown keys, strict types, no NaN or infinity."""
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


def invalid(expected: str, found: Any) -> PydanticCustomError:
    """A check across fields failed: what was expected and what was found (for the one-line error)."""
    return PydanticCustomError("constraint", "expected {expected}", {"expected": expected, "found": found})


def _positive_total(values: Mapping[str, float], what: str) -> None:
    if sum(values.values()) <= 0:
        raise invalid(f"{what} with at least one share above 0", dict(values))


class CalendarParams(Group):
    start_year: Year = P(1998, "calendar year", "assumption: warm-up starts 12 years before reporting")
    report_from: Year = P(2010, "calendar year", "assumption: the published figures start in 2011-2014")
    end_year: Year = P(2035, "calendar year (exclusive)", "assumption: horizon long enough for 2030 effects")

    @model_validator(mode="after")
    def _order(self):
        if not self.start_year < self.report_from < self.end_year:
            raise invalid("start_year < report_from < end_year",
                          f"{self.start_year}, {self.report_from}, {self.end_year}")
        return self


POPULATION_SOURCE = (
    "London 46.2% and North East 7.0%: Census 2021 (ONS ethnic group, 4-way, via A Vision of Britain through Time, "
    "University of Portsmouth; London derived as 1 - 4,731,247 White / 8,799,882 residents). Every other value is an "
    "ASSUMPTION (no regional Census 2021 figure found): chosen so that the population-weighted mean is England's "
    "≈19% (derived from 18.3% for England and Wales, ONS 2021) and guided by the West Midlands region's 20.8% in "
    "2011 (ONS) and, in 2021 (Vision of Britain, derived), the West Midlands metropolitan county's 38.6% and West "
    "Yorkshire's 23.4%; north_east_and_yorkshire mixes the North East's 7.0% with an assumed ≈14% for Yorkshire and "
    "the Humber")


class SystemParams(Group):
    trusts_by_type: dict[TrustType, Annotated[int, Field(ge=0, le=1000)]] = P(
        {"acute": 136, "specialist": 18, "mental_health": 54, "community": 15, "ambulance": 10},
        "trusts", "CQC Mar 2017 (136+18 acute); RCPsych (≈50 MH); NHSP 2017 total 233")
    region_shares: dict[Region, Share] = P(
        {"london": 0.17, "south_east": 0.15, "south_west": 0.11, "east_of_england": 0.10, "midlands": 0.19,
         "north_east_and_yorkshire": 0.14, "north_west": 0.14},
        "share of trusts", "assumption: approximate NHS England regional split, 7 regions")
    ethnic_minority_population: dict[Region, Share] = P(
        {"london": 0.462, "south_east": 0.13, "south_west": 0.065, "east_of_england": 0.14, "midlands": 0.20,
         "north_east_and_yorkshire": 0.115, "north_west": 0.14},
        "share of the region's residents in an ethnic group outside the high-level 'White' category (WRES 'BME')",
        POPULATION_SOURCE)
    optional_post_share: dict[Literal["people", "strategy"], Share] = P(
        {"people": 0.6, "strategy": 0.4}, "share of trusts with the post",
        "assumption: 5 voting executives typical (trust board pages)")
    initial_rating_mix: dict[Rating, Share] = P(
        {"outstanding": 0.03, "good": 0.30, "requires_improvement": 0.61, "inadequate": 0.07}, "share of trusts",
        "HSJ 2016, More than half of trusts require improvement")
    size_by_type: dict[TrustType, Annotated[float, Field(gt=0, le=100)]] = P(
        {"acute": 1.0, "specialist": 0.5, "mental_health": 0.6, "community": 0.5, "ambulance": 0.7},
        "mean relative size (staff) of a trust of each type",
        "assumption: acute trusts are the largest employers; sizes place entrants and define 'a larger trust'")
    size_sd: float = P(0.35, "SD of log size within a type", ASSUMPTION, ge=0, le=3)

    @model_validator(mode="after")
    def _totals(self):
        if sum(self.trusts_by_type.values()) <= 0:
            raise invalid("at least one trust", dict(self.trusts_by_type))
        _positive_total(self.region_shares, "region shares")
        _positive_total(self.initial_rating_mix, "a rating mix")
        return self


FINANCE_SHARE_SOURCE = (
    "assumption: clinical managers within management grades; finance professionals ≈ 2/7 of non-clinical managers "
    "(the NHS finance workforce is ≈16,000 of all bands, Future-Focused Finance 2016; no count of finance managers "
    "found). With finance directors drawn from them, 1/6 doubled the finance-director vacancy of the calibrated "
    "baseline to 12% against ≈7% (HFMA 2018); 2/7 gives ≈8%")

ESTABLISHMENT_SOURCE = (
    "NHS workforce statistics (ESR, FTE in trusts and commissioners): 2016 'managers' 20,986 and 'senior managers' "
    "9,606; late 2017 ≈32,000 and ≈10,300 (NHS Digital via the Telegraph, 2018); Dec 2019 22,137 and 10,981, Oct "
    "2022 23,966 and 12,698 (PQ 123839, 2023); ≈25,500 and ≈13,500 (2024, KF via MyHSN); 2010: 35,696 managers "
    "of both groups (KF, 2025) split as in 2016. Constant before 2010 and after 2024 (assumption)")


class WorkforceParams(Group):
    middle_managers: int = P(20986, "posts (establishment of the middle-manager grade; a calendar series by "
                             "default)", ESTABLISHMENT_SOURCE, ge=0, le=200_000)
    senior_managers: int = P(9606, "posts (establishment of the senior-manager grade; a calendar series by "
                             "default)", ESTABLISHMENT_SOURCE, ge=0, le=100_000)
    graduate_displacement: float = P(
        0.5, "share of graduates placed at completion who take a post a lateral entrant would otherwise have "
        "filled (the rest hold additional posts)",
        "assumption: no evidence on how far trusts would create posts for a larger scheme; vary 0–1", ge=0, le=1)
    women_share: dict[Profession, Share] = P(
        {"non_clinical": 0.62, "finance": 0.62, "doctor": 0.30, "nurse": 0.89, "allied_health": 0.70},
        "share of entrants of each profession who are women (doctors: a calendar series by default)",
        "finance: 62% of the NHS finance workforce (Future-Focused Finance 2016; 61% in the HFMA finance staff census "
        "2017); nurses: 89% of nurses and health visitors (NHS Digital, Mar 2018 and 2019); doctors: women among "
        "consultants, 30% in 2009 and 36% in 2017 (NHS Digital, Mar 2018); allied health: ≈70% (Eddison & Leslie, "
        "IHM 2022); non-clinical managers: assumption, as the finance workforce, between very senior managers (47%) "
        "and the whole NHS workforce (77%) (NHS Digital, Mar 2018)")
    ethnic_minority_share: float = P(
        0.177, "share of the whole NHS trust workforce from ethnic minorities (a calendar series by default): the "
        "national reference for entrants, adjusted by profession and region",
        "WRES indicator 1: 17.7% (2016), 18% (2017), 19.7% (2019), 22.4% (2021), 24.2% (2022), 26.4% (2023), 28.6% "
        "(2024) (HSJ Jobs 2023; BMJ 2020;368:m618; NHS Employers 2025); constant before 2016 (assumption)", ge=0, le=1)
    ethnic_minority_odds_ratio: dict[Profession, Multiplier] = P(
        {"non_clinical": 1.0, "finance": 1.0, "doctor": 2.27, "nurse": 1.29, "allied_health": 0.56},
        "× the odds that an entrant of the profession is from an ethnic minority, relative to the whole workforce",
        "derived: doctors 42% and nurses 29.2% against 24.2% of the workforce (WRES 2022): odds 0.724/0.319 and "
        "0.412/0.319; allied health 12.2% against 19.9% (Eddison & Leslie, IHM 2022): 0.139/0.248; non-clinical and "
        "finance 1 (assumption: no published figure)")
    ethnic_minority_regional_elasticity: float = P(
        1.0, "power of (odds of the region's population / odds of England's) in an entrant's odds; 0: region "
        "makes no difference, 1: entrants' odds follow the local population's",
        "assumption: staff are recruited from the local population (Kerr 2018 1.1b compares boards with it)",
        ge=0, le=3)
    leave_rate_ratio: dict[EqualityGroup, Multiplier] = P(
        {"women": 1.0, "ethnic_minority": 1.0},
        "× yearly leaving rates (feeder grades; executives leaving the NHS) for the group, retirement excepted",
        "neutral: no published leaving rates of managers by sex or ethnicity found; IFS 2022 (Kelly, Stoye & Warner) "
        "finds leaving rates of consultants and nurses differ by sex and nationality")
    profession_mix: dict[Profession, Share] = P(
        {"non_clinical": 0.50, "finance": 0.20, "doctor": 0.08, "nurse": 0.17, "allied_health": 0.05},
        "share of senior managers", FINANCE_SHARE_SOURCE)
    middle_profession_mix: dict[Profession, Share] = P(
        {"non_clinical": 0.65, "finance": 0.20, "doctor": 0.0, "nurse": 0.10, "allied_health": 0.05},
        "share of middle managers", "assumption: few clinicians among middle managers; finance as for senior "
        "managers")
    ceo_profession_mix: dict[Profession, Share] = P(
        {"non_clinical": 0.67, "doctor": 0.067, "nurse": 0.22, "allied_health": 0.043},
        "share of chief executives at the start of the warm-up",
        "NHSP & NHS Leadership Academy, Clinician to chief executive, 2018: ≈1/3 clinical, of whom ≈2/3 nurses, "
        "≈1/5 doctors")
    initial_executive_origins: dict[Literal["graduate_scheme", "internal_manager", "external"], Share] = P(
        {"graduate_scheme": 0.25, "internal_manager": 0.65, "external": 0.10},
        "share of non-clinical executives at the start of the warm-up, by entry route", ASSUMPTION)
    initial_tenure_years: float = P(3.0, "mean years in post of executives at the start of the warm-up "
                                    "(exponential)", "assumption; KF 2018: median CEO tenure 3 years", gt=0, le=30)
    initial_tenure_cap: float = P(15.0, "longest years in post at the start of the warm-up", ASSUMPTION, ge=0, le=50)
    initial_years_in_grade: dict[Literal["middle_manager", "senior_manager"], Annotated[float, Field(ge=0, le=40)]] = P(
        {"middle_manager": 6.0, "senior_manager": 8.0},
        "longest years in grade of managers at the start of the warm-up (uniform)", ASSUMPTION)
    leave_rate: dict[FeederGrade, Share] = P(
        {"graduate_trainee": 0.025, "middle_manager": 0.065, "senior_manager": 0.06},
        "per year, for reasons other than retirement (retirement follows age)",
        "NHS workforce statistics 2014: 8.3% leavers, of which ≈2 points retirement (assumption); GMTS Payback "
        "2011: 97.5% retained yr 1")
    entry_age: dict[Origin, Annotated[float, Field(ge=18, le=70)]] = P(
        {"graduate_scheme": 24.0, "internal_manager": 33.0, "clinician": 42.0, "external": 40.0},
        "mean age (years) on entering the management pipeline, by route",
        "assumption; NHS employees' mean age 43 (Weyman, Buckingham & Roy, Ulster University)")
    external_executive_entry_age: float = P(48.0, "mean age (years) of executives hired from outside the NHS",
                                            ASSUMPTION, ge=18, le=70)
    entry_age_sd: float = P(5.0, "SD of age on entry (years)", ASSUMPTION, ge=0, le=20)
    initial_age_sd: float = P(7.0, "SD of age (years) at the start of the warm-up",
                              "assumption: wide enough to avoid a retirement wave of the starting cohort", ge=0, le=20)
    initial_age: dict[Literal["middle_manager", "senior_manager", "executive_director", "chief_executive"],
                      Annotated[float, Field(ge=18, le=70)]] = P(
        {"middle_manager": 40.0, "senior_manager": 45.0, "executive_director": 50.0, "chief_executive": 52.0},
        "mean age (years) at the start of the warm-up", "assumption: settles during the warm-up")
    capability_growth: float = P(0.03, "SD of capability per year", ASSUMPTION, ge=0, le=1)
    initial_capability: dict[Literal["middle_manager", "senior_manager", "executive_director", "chief_executive"],
                             Capability] = P(
        {"middle_manager": 0.1, "senior_manager": 0.7, "executive_director": 2.2, "chief_executive": 3.0},
        "mean capability (SD units) at the start of warm-up",
        "assumption: near the steady state of a 55-year baseline run, so warm-up is short")
    initial_programme_share: dict[Literal["middle_manager", "senior_manager", "executive_director",
                                          "chief_executive"], Share] = P(
        {"middle_manager": 0.15, "senior_manager": 0.2, "executive_director": 0.55, "chief_executive": 0.7},
        "share who completed the programme of the grade below", "assumption: near the steady state of a 55-year "
        "baseline run")
    capability_sd: float = P(1.0, "SD", "assumption: capability is standardised at entry", gt=0, le=10)

    @model_validator(mode="after")
    def _mixes(self):
        for name in ("profession_mix", "middle_profession_mix", "ceo_profession_mix", "initial_executive_origins"):
            _positive_total(getattr(self, name), name)
        return self


class EntryParams(Group):
    graduate_intake: dict[Year, Annotated[int, Field(ge=0, le=10_000)]] = P(
        {1998: 170, 2004: 173, 2005: 183, 2006: 213, 2007: 210, 2008: 196, 2009: 245, 2010: 150, 2018: 100,
         2019: 200, 2023: 250},
        "trainees per year (step function of calendar year)",
        "GP Online 2009; Guardian 2009; HSJ 2010; NHS Leadership Academy; 1998-2003 assumption",
        min_length=1)
    graduate_intake_multiplier: float = P(1.0, "× intake", "lever; 1 = published intake", ge=0, le=20)
    graduate_length: float = P(2.0, "years", "NHS Leadership Academy: 2 years (finance 2.5)", gt=0, le=10)
    graduate_finance_length: float = P(2.5, "years (finance stream)", "NHS Leadership Academy: finance 2.5 years",
                                       gt=0, le=10)
    graduate_finance_share: float = P(0.2, "share of cohort on the finance stream", ASSUMPTION, ge=0, le=1)
    graduate_job_at_completion: float = P(0.89, "probability", "HSJ 2010: 89% of 2008 cohort had an NHS job",
                                          ge=0, le=1)
    graduate_capability_mean: float = P(0.3, "SD above internal managers", "assumption: selective scheme",
                                        ge=-10, le=10)
    graduate_early_leave_rate: float = P(0.06, "per year, in the first years after completion",
                                         "assumption; Smith 2015 anecdote that many do not intend to stay", ge=0, le=1)
    graduate_early_years: float = P(3.0, "years after completion the early leaving rate applies",
                                    "assumption: the Smith 2015 concern is about leaving soon after the scheme",
                                    ge=0, le=20)
    clinicians_per_year: dict[Clinical, Annotated[int, Field(ge=0, le=10_000)]] = P(
        {"doctor": 120, "nurse": 350, "allied_health": 80}, "clinicians entering senior management per year",
        ASSUMPTION)
    external_senior_share: float = P(0.25, "share of senior-manager gap filled from outside the NHS", ASSUMPTION,
                                     ge=0, le=1)
    external_finance_share: float = P(0.29, "share of senior managers hired from outside the NHS who are finance "
                                      "professionals", "assumption: as among non-clinical senior managers", ge=0, le=1)
    external_capability: dict[Literal["senior_manager", "executive_director", "chief_executive"], Capability] = P(
        {"senior_manager": 0.4, "executive_director": 0.8, "chief_executive": 1.0},
        "mean capability (SD units) of applicants from outside the NHS",
        "assumption; Kerr 2018: few leaders recruited from other sectors")
    clinician_capability: float = P(0.2, "mean capability (SD units) of clinicians entering management",
                                    ASSUMPTION, ge=-10, le=10)


class Programme(Group):
    """A training programme: who is eligible, how many places, how they are chosen, what it does."""
    name: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$", description="programme name (unique)")
    eligible_grade: ProgrammeGrade = Field(description="the grade that may take part")
    capacity: int = Field(ge=0, le=100_000, description="places a year")
    duration: float = Field(gt=0, le=10, description="years")
    cost_per_place: float = Field(ge=0, le=1e7, description="£ per place")
    capability_gain: float = Field(ge=0, le=5, description="capability SD gained on completion")
    selection: Literal["pull", "push"] = Field(description="pull: applicants ranked by score; push: the best "
                                                           "appraised of the grade are sent")
    apply_rate: float = Field(ge=0, le=1, description="share of the eligible who apply (pull)")
    grants_readiness: bool = Field(description="completion counts towards readiness for the next grade")
    source: str = Field(description="evidence for the programme's size and cost")


def _default_programmes() -> tuple:
    return (
        Programme(name="senior_manager", eligible_grade="middle_manager", capacity=500, duration=2.0,
                  cost_per_place=12_000.0, capability_gain=0.15, selection="pull", apply_rate=0.10,
                  grants_readiness=False,
                  source="EGA/Mary Seacole (NHS Leadership Academy c.2015: 1,500 EGA starts); cost assumption"),
        Programme(name="executive_readiness", eligible_grade="senior_manager", capacity=175, duration=1.0,
                  cost_per_place=15_000.0, capability_gain=0.20, selection="pull", apply_rate=0.10,
                  grants_readiness=True,
                  source="Nye Bevan: 524 started since 2012 (NHS Leadership Academy); cost assumption"),
        Programme(name="aspiring_chief_executive", eligible_grade="executive_director", capacity=14, duration=1.0,
                  cost_per_place=30_000.0, capability_gain=0.25, selection="pull", apply_rate=0.15,
                  grants_readiness=True,
                  source="Aspiring Chief Executive programme: ≈14 a cohort, 12 months; cost assumption"),
    )


class TrainingParams(Group):
    programmes: tuple[Programme, ...] = Field(default_factory=_default_programmes, max_length=15,
                                              json_schema_extra={"unit": "programmes", "source": "see each programme"})

    @model_validator(mode="after")
    def _unique(self):
        names = [p.name for p in self.programmes]
        if len(set(names)) != len(names):
            raise invalid("programmes with different names", names)
        return self


class AppraisalParams(Group):
    noise_sd: float = P(0.8, "SD of score around capability", "assumption; Messenger 2022: appraisal inconsistent",
                        ge=0, le=10)
    ethnic_minority_bias: float = P(-0.15, "appraisal score shift for ethnic-minority staff (capability SD)",
                                    "assumption; Messenger 2022: appraisal inconsistent and open to bias", ge=-5, le=5)
    ready_threshold: dict[ReadyGrade, Capability] = P(
        {"middle_manager": 0.8, "senior_manager": 1.0, "executive_director": 1.2},
        "mean appraisal score (capability SD)", ASSUMPTION)
    min_years_in_grade: dict[ReadyGrade, Annotated[float, Field(ge=0, le=40)]] = P(
        {"middle_manager": 3, "senior_manager": 3, "executive_director": 2}, "years", ASSUMPTION)
    programme_readiness_credit: float = P(0.3, "threshold reduction after a readiness programme", ASSUMPTION,
                                          ge=0, le=10)


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


class Series(Group):
    """A parameter that changes with the calendar: values by year, as steps or linear in between.

    Before the first year the first value holds; after the last, the last. Values apply from each
    1 January (the model reads parameters once a year).
    """
    series: dict[Year, float | bool] = Field(min_length=1, max_length=200, description="value by calendar year")
    interpolation: Literal["step", "linear"] = Field("step", description="step: hold each value until the "
                                                     "next year given; linear: straight line between them")

    def value(self, year: float):
        years = sorted(self.series)
        past = [y for y in years if y <= year]
        if not past:
            return self.series[years[0]]
        y0 = past[-1]
        later = [y for y in years if y > year]
        v0 = self.series[y0]
        if self.interpolation == "step" or not later or isinstance(v0, bool):
            return v0
        y1 = later[0]
        return v0 + (self.series[y1] - v0) * (year - y0) / (y1 - y0)


DEFAULT_SCHEDULES = {
    # the feeder grades' establishment follows the published workforce statistics (ESTABLISHMENT_SOURCE)
    "workforce.middle_managers": Series(series={2010: 24487, 2016: 20986, 2017: 21700, 2019: 22137, 2022: 23966,
                                                2024: 25500}, interpolation="linear"),
    "workforce.senior_managers": Series(series={2010: 11209, 2016: 9606, 2017: 10300, 2019: 10981, 2022: 12698,
                                                2024: 13500}, interpolation="linear"),
    "turnover.recycled_share": Series(series={1998: 0.3, 2024: 0.15}),
    # who enters: the workforce's ethnic mix (WRES indicator 1) and women among consultants (NHS Digital)
    "workforce.ethnic_minority_share": Series(series={2016: 0.177, 2017: 0.18, 2019: 0.197, 2021: 0.224, 2022: 0.242,
                                                      2023: 0.264, 2024: 0.286}, interpolation="linear"),
    "workforce.women_share.doctor": Series(series={2009: 0.30, 2017: 0.36}, interpolation="linear"),
}


class Params(Group):
    calendar: CalendarParams = Field(default_factory=CalendarParams)
    system: SystemParams = Field(default_factory=SystemParams)
    workforce: WorkforceParams = Field(default_factory=WorkforceParams)
    entry: EntryParams = Field(default_factory=EntryParams)
    training: TrainingParams = Field(default_factory=TrainingParams)
    appraisal: AppraisalParams = Field(default_factory=AppraisalParams)
    recruitment: RecruitmentParams = Field(default_factory=RecruitmentParams)
    turnover: TurnoverParams = Field(default_factory=TurnoverParams)
    performance: PerformanceParams = Field(default_factory=PerformanceParams)
    placement: PlacementParams = Field(default_factory=PlacementParams)
    schedules: dict[str, Series] = Field(default_factory=lambda: dict(DEFAULT_SCHEDULES),
                                         description="parameters that change with the calendar, by dotted path "
                                                     "(written in a scenario as {series: …})")

    def at(self, year: int) -> "Params":
        """These parameters as they stand in ``year`` (every scheduled value applied)."""
        if not self.schedules:
            return self
        result = self
        for path, series in self.schedules.items():  # values were validated when the schedule was set
            result = _replaced(result, path.split("."), _as_leaf(self, path, series.value(year)))
        return result


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


# -- overrides ------------------------------------------------------------------------------------
class ParamError(InputError):
    """A parameter override names a parameter that does not exist or gives it a value it cannot take."""

    def __init__(self, path: str, expected: str, found: Any):
        super().__init__("", path, expected, found)


def with_overrides(params: Params, overrides: Mapping[str, Any], where: str = "params") -> Params:
    """A new ``Params`` with nested ``overrides`` merged into ``params`` and validated as a whole.

    Mappings merge key by key; programmes are overridden by name. Raises :class:`ParamError` naming
    the key path (``where`` + dotted path), what was expected and what was found.
    """
    if not isinstance(overrides, Mapping):
        raise ParamError(where, "a mapping of parameter names", overrides)
    overrides = dict(overrides)
    schedules = {path: Series.model_validate(raw) if not isinstance(raw, Series) else raw
                 for path, raw in params.schedules.items()}
    for path, raw in _scheduled(overrides.pop("schedules", {}) or {}, where):
        overrides = _deep_set(overrides, path, raw)
    overrides, found, plain = _extract_series(overrides, "")
    for path in plain:
        schedules.pop(path, None)   # a plain value replaces a schedule
    for path, raw in found.items():
        try:
            series = Series.model_validate(raw)
        except ValidationError as exc:
            raise ParamError(*describe_params(exc, f"{where}.{path}", raw)) from None
        schedules[path] = series
        overrides = _deep_set(overrides, path, _as_leaf(params, path, series.value(float("-inf"))))
    merged = _merge(params.model_dump(exclude={"schedules"}), overrides, where, type(params))
    merged["schedules"] = {}
    try:
        result = Params.model_validate(merged)
    except ValidationError as exc:
        raise ParamError(*describe_params(exc, where, merged)) from None
    for path, series in schedules.items():  # every value of a series must be valid where it lands
        for year, value in series.series.items():
            try:
                with_overrides(result, nest({path: _as_leaf(result, path, value)}), where)
            except ParamError as exc:
                raise ParamError(f"{where}.{path}.series.{year}", exc.expected, exc.found) from None
    return result.model_copy(update={"schedules": schedules}) if schedules else result


def _replaced(node: Any, parts: list[str], value: Any) -> Any:
    """A copy of ``node`` with ``value`` at the path ``parts`` (no validation: the value is known good)."""
    if not parts:
        return value
    head, rest = parts[0], parts[1:]
    if isinstance(node, BaseModel):
        return node.model_copy(update={head: _replaced(getattr(node, head), rest, value)})
    if isinstance(node, dict):
        key = int(head) if head.lstrip("-").isdigit() and int(head) in node else head
        return {**node, key: _replaced(node[key], rest, value)}
    if isinstance(node, tuple):  # programmes, by name
        return tuple(_replaced(p, rest, value) if p.name == head else p for p in node)
    raise KeyError(head)


def _as_leaf(params: "Params", path: str, value: Any) -> Any:
    """A series value in the type of the parameter it sets (whole numbers stay whole)."""
    try:
        current = get(params, path)
    except KeyError:
        return value
    if isinstance(current, int) and not isinstance(current, bool) and not isinstance(value, bool):
        return int(round(value))
    return value


def _scheduled(raw: Any, where: str):
    if not isinstance(raw, Mapping):
        raise ParamError(f"{where}.schedules", "a mapping of parameter path to {series: …}", raw)
    for path, series in raw.items():
        yield str(path), series.model_dump() if isinstance(series, Series) else series


def _extract_series(value: Any, path: str) -> tuple[Any, dict, list]:
    """Split ``{series: …}`` leaves out of an override mapping: (the rest, {path: series}, plain paths)."""
    if isinstance(value, Mapping) and "series" in value:
        return None, {path: dict(value)}, []
    if isinstance(value, Mapping):
        rest, found, plain = {}, {}, []
        for key, item in value.items():
            sub = f"{path}.{key}" if path else str(key)
            r, f, p = _extract_series(item, sub)
            found.update(f)
            plain += p
            if not f or r:
                rest[key] = r if r is not None else item
        return rest, found, plain
    return value, {}, [path]


def _deep_set(mapping: Mapping, path: str, value: Any) -> dict:
    """A copy of ``mapping`` with ``value`` at the dotted ``path`` (year keys become integers)."""
    out = dict(mapping)
    head, _, rest = path.partition(".")
    key: Any = int(head) if head.lstrip("-").isdigit() else head
    out[key] = _deep_set(out.get(key) or {}, rest, value) if rest else value
    return out


def nest(values: Mapping[str, Any]) -> dict:
    """{'a.b.c': 1} → {'a': {'b': {'c': 1}}}, merging all paths (year keys become integers)."""
    out: dict = {}
    for path, value in values.items():
        out = _deep_set(out, path, value)
    return out


def _merge(current: Any, value: Any, path: str, model: Any) -> Any:
    """``value`` merged into the plain form ``current`` of a parameter (checked key by key)."""
    if isinstance(current, dict) and isinstance(value, Mapping):
        fields = getattr(model, "model_fields", None)
        out = dict(current)
        for key, item in value.items():
            sub = f"{path}.{key}"
            if fields is not None and key not in fields:
                raise ParamError(sub, "one of " + ", ".join(fields), key)
            child = fields[key].annotation if fields is not None else None
            out[key] = _merge(current.get(key), item, sub, child) if key in current else item
        return out
    if isinstance(current, tuple) and current and isinstance(current[0], dict):  # programmes, by name
        if not isinstance(value, Mapping):
            raise ParamError(path, "a mapping of programme name to settings", value)
        names = {p["name"]: i for i, p in enumerate(current)}
        out = list(current)
        for name, settings in value.items():
            if name not in names:
                raise ParamError(f"{path}.{name}", "one of " + ", ".join(names), name)
            if not isinstance(settings, Mapping):
                raise ParamError(f"{path}.{name}", "a mapping of programme settings", settings)
            for key in settings:
                if key not in Programme.model_fields or key == "name":
                    raise ParamError(f"{path}.{name}.{key}", "one of " + ", ".join(
                        k for k in Programme.model_fields if k != "name"), key)
            out[names[name]] = {**current[names[name]], **settings}
        return tuple(out)
    return value


_EXPECTED = {
    "float_type": "a number", "float_parsing": "a number", "int_type": "a whole number",
    "int_parsing": "a whole number", "int_from_float": "a whole number", "bool_type": "true or false",
    "bool_parsing": "true or false", "string_type": "text", "dict_type": "a mapping", "tuple_type": "a list",
    "finite_number": "a finite number", "missing": "a value",
}


def describe_params(exc: ValidationError, where: str = "params", doc: Any = None) -> tuple[str, str, Any]:
    """(key path, what was expected, what was found) for the first problem in a parameter document
    (``doc``, when given, names programmes in the path instead of their position)."""
    err = exc.errors()[0]
    loc, node = [], doc
    for part in err["loc"]:
        if part in ("[key]", "float", "bool", "int"):  # pydantic's names for the members of a union
            continue
        if isinstance(node, (tuple, list)) and isinstance(part, int) and part < len(node):
            node = node[part]
            loc.append(str(node.get("name", part)) if isinstance(node, dict) else str(part))
            continue
        node = node.get(part) if isinstance(node, dict) else None
        loc.append(str(part))
    path = ".".join([where, *loc]) if loc else where
    kind, ctx = err["type"], err.get("ctx") or {}
    found = err.get("input")
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        sign = {"greater_than_equal": "≥", "less_than_equal": "≤", "greater_than": ">", "less_than": "<"}[kind]
        bound = next(iter(ctx.values()))
        expected = f"a number {sign} {bound:g}"
    elif kind == "literal_error":
        expected = "one of " + str(ctx.get("expected", "")).replace("'", "")
        if err["loc"] and err["loc"][-1] == "[key]":
            found = err["loc"][-2] if len(err["loc"]) >= 2 else found
    elif kind == "extra_forbidden":
        expected, found = "a known parameter name", err["loc"][-1]
    elif kind == "string_pattern_mismatch":
        expected = "a name of lower-case letters, digits and _"
    elif kind == "constraint":
        expected, found = ctx["expected"], ctx["found"]
    else:
        expected = _EXPECTED.get(kind, err["msg"])
    return path, expected, found


def to_dict(params: Any) -> Any:
    """Plain nested dict/list form of a parameter object (for manifests and JSON)."""
    if isinstance(params, BaseModel):
        return {name: to_dict(getattr(params, name)) for name in type(params).model_fields}
    if isinstance(params, (tuple, list)):
        return [to_dict(p) for p in params]
    if isinstance(params, dict):
        return {str(k): to_dict(v) for k, v in params.items()}
    return params


def register(params: BaseModel, prefix: str = "") -> list[dict]:
    """Every leaf parameter with its value, unit and source: the assumptions register. A parameter
    that changes with the calendar shows its series."""
    rows = []
    schedules = getattr(params, "schedules", {}) if not prefix else {}
    for name, info in type(params).model_fields.items():
        if name == "schedules":
            continue
        value = getattr(params, name)
        path = f"{prefix}{name}"
        extra = info.json_schema_extra or {}
        if isinstance(value, Group):
            rows += register(value, path + ".")
        elif isinstance(value, tuple) and value and isinstance(value[0], Programme):
            for p in value:
                rows.append({"parameter": f"{path}.{p.name}", "value": to_dict(p), "unit": "programme",
                             "source": p.source})
        else:
            rows.append({"parameter": path, "value": to_dict(value), "unit": extra.get("unit", ""),
                         "source": extra.get("source", "")})
    if schedules:
        by_path = {row["parameter"]: row for row in rows}
        for path, series in schedules.items():
            row = by_path.get(path) or next((r for r in rows if path.startswith(r["parameter"] + ".")), None)
            shown = {"series": {str(y): v for y, v in sorted(series.series.items())},
                     "interpolation": series.interpolation}
            if row is not None and row["parameter"] == path:
                row["value"] = shown
            else:
                rows.append({"parameter": path, "value": shown, "unit": row["unit"] if row else "",
                             "source": row["source"] if row else ""})
    return rows


def get(params: BaseModel, path: str) -> Any:
    """The value at a dotted parameter path (``KeyError`` if there is none); programmes by name."""
    node: Any = params
    for part in path.split("."):
        if isinstance(node, BaseModel):
            if part not in type(node).model_fields:
                raise KeyError(path)
            node = getattr(node, part)
        elif isinstance(node, dict):
            key = int(part) if part.lstrip("-").isdigit() and int(part) in node else part
            if key not in node:
                raise KeyError(path)
            node = node[key]
        elif isinstance(node, tuple):
            node = next((p for p in node if getattr(p, "name", None) == part), None)
            if node is None:
                raise KeyError(path)
        else:
            raise KeyError(path)
    return node
