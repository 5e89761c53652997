"""Equality, diversity and inclusion as every leader's responsibility (Messenger 2022 rec 2)."""

from typing import ClassVar, Literal

from .base import Intervention, S


class EqualityAction(Intervention):
    type: Literal["equality_action"] = "equality_action"
    recommendation: ClassVar[str] = "Messenger 2022 rec 2"
    mechanism: ClassVar[str] = (
        "Fair-opportunity standards remove (a share of) the bias against ethnic-minority staff in "
        "appraisal and at interview (so the WRES ratio of appointment from shortlisting falls).")
    unit: ClassVar[str] = "trust-year"

    bias_removed: float = S(1.0, "share of the group bias removed", ge=0, le=1)
    cost_per_unit: float = S(20_000.0, "£ per trust-year (EDI leadership and monitoring)", ge=0)

    def selection_bias(self, bias, *, model, stage):
        return bias * (1.0 - self.bias_removed)

    def units(self, model, year):
        return len(model.orgs)
