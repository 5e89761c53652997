"""A graduate scheme ten times the size Rose had in front of it, three years long, with a job at the
end for those who pass (Rose 2015 rec R6).

Rose R6 (002:27): "Review, refresh and extend (x10) the NHS graduate scheme; establish career
pathways, a greater variety of placements and a guaranteed job after three years' training
(quality and assessment permitting)."

- *×10 of what.* The scheme in front of Rose took about 150 trainees a year (the published intakes
  in ``params.entry.graduate_intake``: 150 from 2010 to 2017), so the target is an absolute
  1,500 a year — not ten times whatever the intake happens to be later (it grew to 200 in 2019
  and 250 in 2023 without Rose's expansion; the baseline holds those real intakes). The intake
  moves from the published figure to the target along the ramp.
- *Three years.* Read literally: trainees spend three years in the scheme (the general stream
  is two years today; the finance stream keeps its extra half-year for the accountancy
  qualification — an assumption). The other reading — two years of placements and a supported
  first year in post — is ``scheme_years: 2`` with a lower early-leaving multiplier.
- *A conditional guarantee.* "Quality and assessment permitting": completers who pass get a post
  (``job_at_completion``, an assumption below 1) instead of the 89% who found an NHS job in 2010.
- *Career pathways* lower the extra early leaving of graduates after the scheme (assumption).

Cost: trainee-years actually run in the year beyond what the published scheme would run, × the
cost of a trainee-year. The extra trainees are the members of each cohort beyond the published
intake (a cohort's members are its first *n* identities, the same people in every scenario), and
the published scheme's trainees add the years by which the scheme is now longer. Trainees leave
only at the 1 January tick or on completing, so the year's trainee-years are known at the tick.
"""

from typing import ClassVar, Literal

import numpy as np

from ..entities import GRADE, ORIGIN
from ..processes.entry import published_intake
from .base import Intervention, S, ramp

TRAINEE = GRADE["graduate_trainee"]


class GraduateSchemeExpansion(Intervention):
    type: Literal["graduate_scheme_expansion"] = "graduate_scheme_expansion"
    recommendation: ClassVar[str] = "Rose 2015 rec R6 (002:27)"
    mechanism: ClassVar[str] = (
        "The graduate-scheme intake rises to an absolute target (ten times the ≈150 a year Rose had in "
        "front of it); trainees spend three years in the scheme; completers who pass assessment get a "
        "post; career pathways cut early leaving after the scheme.")
    unit: ClassVar[str] = "extra trainee-year"
    unphased: ClassVar[frozenset[str]] = frozenset({"graduate_scheme_years"})   # a cohort's length is all or nothing

    target_intake: float = S(1500.0, "trainees a year (England; scaled by entry.graduate_intake_multiplier)",
                             "Rose 2015 R6 (002:27): 'extend (x10)' the scheme of ≈150 a year (published intakes "
                             "2010-2017, params.entry.graduate_intake)", ge=0, le=20_000)
    scheme_years: float = S(3.0, "years in the scheme (general stream; finance keeps its extra half-year)",
                            "Rose 2015 R6 (002:27): 'a guaranteed job after three years' training'", gt=0, le=10)
    job_at_completion: float = S(0.95, "probability a completer passes assessment and gets the guaranteed post",
                                 "assumption; Rose 2015 R6 (002:27): 'quality and assessment permitting'",
                                 ge=0, le=1)
    early_leave_multiplier: float = S(0.5, "× graduates' extra early leaving after the scheme",
                                      "assumption (Rose R6 career pathways)", ge=0)
    ramp_years: float = ramp(4.0, "assumption: four intakes to reach the target (the real scheme grew from 150 to "
                                  "200 over 2017-2019)")
    cost_per_unit: float = S(50_000.0, "£ per trainee-year (2010 prices, not uprated)",
                             "Hansard 11 Jan 2010: £100,000 per trainee over two years", ge=0)

    def graduate_intake(self, n, *, model):
        return self.target_intake * model.params.entry.graduate_intake_multiplier

    def graduate_scheme_years(self, years, *, model, stream):
        return years + self.scheme_years - model.params.entry.graduate_length

    def graduate_job_at_completion(self, p, *, model):
        return self.job_at_completion

    def graduate_early_leave_rate(self, r, *, model):
        return r * self.early_leave_multiplier

    def units(self, model, year):
        return extra_trainee_years(model, year, self)


def extra_trainee_years(model, year: int, iv: GraduateSchemeExpansion) -> float:
    """Trainee-years the scheme runs from this tick to the next beyond what the published scheme
    would run with the same people."""
    people = model.people
    graduates = np.flatnonzero(people.view("origin") == ORIGIN["graduate_scheme"])
    entered = people.entered[graduates]
    in_scheme = people.alive[graduates] & (people.grade[graduates] == TRAINEE)
    end = people.trainee_end[graduates]
    run = np.clip(end - year, 0.0, 1.0)
    # the published scheme: the first `published_intake` members of each cohort, for its length
    published = np.zeros(len(graduates), dtype=bool)
    extension = np.zeros(len(graduates))
    for cohort in np.unique(entered[in_scheme]):
        members = entered == cohort
        if not iv.active(float(cohort)):   # started before the intervention: the published scheme
            published |= members
            continue
        ep = model.plan.at(int(cohort)).entry
        published |= members & (graduates < graduates[members].min() + published_intake(ep, int(cohort)))
        extension[members] = iv.scheme_years - ep.graduate_length
    would_run = np.clip(end - extension - year, 0.0, 1.0)
    return float(np.sum(run[in_scheme]) - np.sum(would_run[in_scheme & published]))
