"""Definitions shared by the model and the measures, so that both mean the same thing by a word."""

from __future__ import annotations

import numpy as np
import pandas as pd

INADEQUATE = "inadequate"
INADEQUATE_INDEX = 3  # rating indices run 0 outstanding … 3 inadequate (params.RATINGS)


def challenged(rating, special_measures):
    """A trust is challenged when rated inadequate or in special measures.

    Works on the model's values (rating index, bool), on a rating's name ("inadequate") and on
    pandas Series or numpy arrays of either (element by element; a missing rating is not
    inadequate, a missing special-measures flag is not special measures)."""
    if isinstance(rating, (pd.Series, pd.Index, np.ndarray)):
        numeric = pd.api.types.is_numeric_dtype(rating) and not pd.api.types.is_bool_dtype(rating)
        values = pd.Series(rating) if not isinstance(rating, pd.Series) else rating
        inadequate = values.eq(INADEQUATE_INDEX if numeric else INADEQUATE).fillna(False).astype(bool)
        flagged = pd.Series(special_measures, index=values.index).fillna(False).astype(bool)
        out = inadequate | flagged
        return out if isinstance(rating, pd.Series) else out.to_numpy()
    inadequate = rating == INADEQUATE if isinstance(rating, str) else rating == INADEQUATE_INDEX
    return bool(special_measures) or bool(inadequate)
