"""Talent pools: the best-appraised ready people, kept by a talent board and offered to searches."""

from __future__ import annotations

import numpy as np

from ..entities import GRADE
from ..processes.recruitment import Field

SENIOR, DIRECTOR = GRADE["senior_manager"], GRADE["executive_director"]


def best_ready(model, mask: np.ndarray, size: int) -> np.ndarray:
    """Rows of the ``size`` best-appraised ready, available people among ``mask``."""
    people = model.people
    rows = np.flatnonzero(mask & people.view("alive") & people.view("ready") & ~people.view("reserved"))
    order = np.argsort(-people.appraisal[rows], kind="stable")
    return rows[order[:size]]


def pool_field(model, pool: np.ndarray, post, willingness: float) -> Field | None:
    """The members of ``pool`` one grade below ``post`` as an applicant field (no region penalty:
    the board approaches them)."""
    grade = DIRECTOR if post.is_ceo else SENIOR
    rows = pool[model.people.grade[pool] == grade]
    if len(rows) == 0:
        return None
    return Field("talent_pool", rows, grade, min(1.0, willingness), regional=False, open_only=False)
