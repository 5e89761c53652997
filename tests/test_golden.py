"""A golden regression test: the KPIs of a short baseline run with a fixed seed, stored.

Any change to the model's behaviour changes them, and must update ``tests/golden/
baseline_kpis.csv`` deliberately (``.venv/bin/python tests/golden/regenerate.py``) in the same
commit, with the reason in the message. Values are compared to 1e-9 relative, so the test is
indifferent to the last bits of floating-point sums but not to any change in what happened.
"""

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))
from regenerate import FILE, golden_kpis  # noqa: E402


def test_the_short_baseline_reproduces_the_stored_kpis():
    stored = pd.read_csv(FILE, keep_default_na=False, na_values=[""])
    now = golden_kpis().reset_index(drop=True)
    keys = ["kpi", "group", "year"]
    assert list(now.kpi + now.group.astype(str)) == list(stored.kpi + stored.group.astype(str)), \
        "the set or order of KPI rows changed: regenerate the golden file if that was intended"
    assert (now.year.to_numpy() == stored.year.to_numpy()).all()
    differ = ~np.isclose(now.value.to_numpy(dtype=float), stored.value.to_numpy(dtype=float), rtol=1e-9, atol=0,
                         equal_nan=True)
    changed = now.loc[differ, keys].assign(stored=stored.value[differ].to_numpy(), now=now.value[differ].to_numpy())
    assert not differ.any(), f"{differ.sum()} KPI values changed, e.g.\n{changed.head(10).to_string()}"
