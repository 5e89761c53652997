"""Management education for clinicians, and clinicians into challenged trusts
(Kerr 2018 recs 1.3 and 1.7)."""

from typing import ClassVar, Literal

from ..processes.performance import challenged
from .base import Intervention, S

CLINICAL_POSTS = {"medical", "nursing"}


class ClinicalLeadership(Intervention):
    type: Literal["clinical_leadership"] = "clinical_leadership"
    recommendation: ClassVar[str] = "Kerr 2018 recs 1.3, 1.7"
    mechanism: ClassVar[str] = (
        "More clinicians move into management, better prepared (higher capability on entry); "
        "clinical director posts at challenged trusts attract more applicants.")
    unit: ClassVar[str] = "extra clinician entering management"

    inflow_multiplier: float = S(1.5, "× clinicians entering senior management", ge=0)
    preparation_gain: float = S(0.2, "capability SD added on entry", ge=0)
    challenged_attractiveness: float = S(1.2, "× attractiveness of medical and nursing posts at challenged trusts",
                                         ge=0)
    cost_per_unit: float = S(10_000.0, "£ per extra clinician (management education)", ge=0)

    def clinicians_per_year(self, n, *, model, profession):
        return n * self.inflow_multiplier

    def clinician_capability(self, mean, *, model):
        return mean + self.preparation_gain

    def attractiveness(self, a, *, model, post, org):
        if post.role in CLINICAL_POSTS and challenged(org):
            return a * self.challenged_attractiveness
        return a

    def units(self, model, year):
        return sum(model.params.entry.clinicians_per_year.values()) * max(0.0, self.inflow_multiplier - 1.0)
