"""Management education in clinicians' undergraduate and postgraduate training (Kerr 2018 rec 1.3).

Kerr 1.3 (000:129): "appropriate undergraduate and postgraduate education of clinicians of all
professions … more on systems and management … to raise awareness of and better prepare
clinicians for leadership roles". It changes curricula, so it reaches management only as the
clinicians who had it move into management: nobody for ``education_lag_years`` (the first
postgraduate cohorts to finish), then a share of clinician entrants that rises along the ramp as
ever more of them trained under the new curricula, to all of them. Those exposed enter
management better prepared (capability). The recommendation does not ask for more clinicians
in management; ``inflow_multiplier`` (default 1) is there for a labelled-assumption variant.

Kerr 1.7 (000:145, clinical *trainees* placed in challenged organisations) is not this: clinical
trainees are not in the model, and their effect would be on staffing, not executive careers
(see the cannot-represent table in ``scenarios/README.md``).
"""

from typing import ClassVar, Literal

from .base import Intervention, S, ramp


class ClinicalLeadership(Intervention):
    type: Literal["clinical_leadership"] = "clinical_leadership"
    recommendation: ClassVar[str] = "Kerr 2018 rec 1.3 (000:129)"
    mechanism: ClassVar[str] = (
        "After an education lag, a rising share of the clinicians who move into management had "
        "management education in their training and enter better prepared (higher capability).")
    unit: ClassVar[str] = "clinician entering management who had the new education"

    education_lag_years: float = S(3.0, "years before the first clinicians with the new education enter management",
                                   "assumption: postgraduate curricula (3-8 years); undergraduate change takes 10-15",
                                   ge=0, le=30)
    preparation_gain: float = S(0.2, "capability SD added on entry for an exposed clinician", "assumption", ge=0)
    inflow_multiplier: float = S(1.0, "× clinicians entering senior management",
                                 "assumption: Kerr 1.3 asks for preparation, not numbers (1 = no change)", ge=0)
    ramp_years: float = ramp(10.0, "assumption: years from the first exposed entrants until all clinician entrants "
                                   "trained under the new curricula")
    cost_per_unit: float = S(2_000.0, "£ per exposed clinician entrant (management content in training)",
                             "assumption", ge=0)

    def strength(self, now):
        # the share of clinician entrants exposed: nobody until the first educated cohorts arrive
        return super().strength(now - self.education_lag_years)

    def clinicians_per_year(self, n, *, model, profession):
        return n * self.inflow_multiplier

    def clinician_capability(self, mean, *, model):
        # the exposed share gains the full preparation; the mean of the entrants moves by the share
        # (the phasing in ``decide``) — their spread is otherwise unchanged
        return mean + self.preparation_gain

    def units(self, model, year):
        entrants = sum(model.params.entry.clinicians_per_year.values()) * self.inflow_multiplier
        return entrants * self.strength(model.env.now)
