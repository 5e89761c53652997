"""Parameters of the system and its people: the calendar, the trusts, the management workforce,
how people enter the pipeline, the training programmes and appraisal."""

from __future__ import annotations

from typing import Annotated, Literal, Mapping

from pydantic import Field, model_validator

from .vocabulary import (ASSUMPTION, Capability, Clinical, EqualityGroup, FeederGrade, Group, Multiplier, Origin, P,
                         Profession, ProgrammeGrade, Rating, ReadyGrade, Region, Share, TrustType, Year, invalid)


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

