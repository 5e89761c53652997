"""The intervention library: one module per intervention, registered by its ``type`` name."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from .base import Intervention
from .central_cadre import CentralCadre
from .challenged_roles_offer import ChallengedRolesOffer
from .clinical_leadership import ClinicalLeadership
from .equality_action import EqualityAction
from .external_recruitment import ExternalRecruitment
from .graduate_scheme_expansion import GraduateSchemeExpansion
from .intensive_support_withdrawn import IntensiveSupportWithdrawn
from .leadership_programmes import LeadershipProgrammes
from .management_standards import ManagementStandards
from .mentoring import Mentoring
from .mid_career_programme import MidCareerProgramme
from .minimum_term_contracts import MinimumTermContracts
from .national_talent_board import NationalTalentBoard
from .new_deal import NewDeal
from .reduced_burden import ReducedBurden
from .regional_talent_boards import RegionalTalentBoards
from .standard_appraisal import StandardAppraisal

REGISTRY: dict[str, type[Intervention]] = {
    cls.model_fields["type"].default: cls
    for cls in (NewDeal, ChallengedRolesOffer, GraduateSchemeExpansion, RegionalTalentBoards, NationalTalentBoard,
                LeadershipProgrammes, ExternalRecruitment, Mentoring, ClinicalLeadership,
                MinimumTermContracts, ManagementStandards, StandardAppraisal, MidCareerProgramme,
                EqualityAction, ReducedBurden, IntensiveSupportWithdrawn, CentralCadre)
}


class InterventionError(ValueError):
    """One intervention entry is not valid: ``path`` names it, e.g. ``interventions[1].start``."""

    def __init__(self, path: str, expected: str, found: Any):
        self.path, self.expected, self.found = path, expected, found
        super().__init__(f"{path}: expected {expected}, found {found!r}")


def label(item: dict) -> str:
    """The name an intervention entry goes by (later entries with the same name replace earlier)."""
    return item.get("name") or item.get("type") or ""


def parse(items: Any, where: str = "interventions") -> tuple[Intervention, ...]:
    """Validate a list of intervention entries from a scenario file."""
    if not isinstance(items, list):
        raise InterventionError(where, "a list of interventions", items)
    parsed, seen = [], {}
    for i, item in enumerate(items):
        path = f"{where}[{i}]"
        if not isinstance(item, dict):
            raise InterventionError(path, "a mapping with a 'type'", item)
        kind = item.get("type")
        if not isinstance(kind, str) or kind not in REGISTRY:
            raise InterventionError(f"{path}.type", "one of " + ", ".join(REGISTRY), kind)
        try:
            parsed.append(REGISTRY[kind].model_validate(item))
        except ValidationError as exc:
            from ..scenario import describe  # scenario imports this package
            raise InterventionError(*describe(exc, REGISTRY[kind], path)) from None
        name = parsed[-1].name or kind
        if name in seen:  # results are labelled by name: two under one name would be merged in every table
            raise InterventionError(f"{path}.name", f"a name no other intervention here uses ({where}[{seen[name]}] "
                                    f"is already named {name!r})", name)
        seen[name] = i
    return tuple(parsed)


__all__ = ["REGISTRY", "Intervention", "InterventionError", "label", "parse"]
