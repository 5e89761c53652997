"""Definitions shared by the model and the measures, so that each is written once."""

from __future__ import annotations

import numpy as np

INADEQUATE = 3  # rating index (0 outstanding … 3 inadequate)


def challenged(rating, special_measures):
    """A trust is challenged when rated inadequate or in special measures.

    Takes model values (a rating index and a bool), a rating name, or pandas Series of either.
    """
    if isinstance(rating, (int, np.integer)):
        return bool(special_measures) or rating == INADEQUATE
    if isinstance(rating, str):
        return bool(special_measures) or rating == "inadequate"
    bad = rating == INADEQUATE if rating.dtype.kind in "iu" else rating.astype(str) == "inadequate"
    return special_measures.astype(bool) | bad
