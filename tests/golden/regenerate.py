"""Write the golden KPI summary of a short baseline run (tests/test_golden.py compares with it).

Run this only when a change to the model's behaviour is intended, and commit the new file in the
same commit as the change, saying why in the message:

    .venv/bin/python tests/golden/regenerate.py
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

SEED, REPLICATION = 11, 0
SHORT = {"run": {"end_year": 2016}}          # warm-up 1998-2009, reported 2010-2015
FILE = HERE / "baseline_kpis.csv"


def golden_kpis():
    """The KPI rows of replication 0 of the calibrated baseline, seed 11, to 2016."""
    from sim.runner import run_one
    from sim.scenario import load
    scenario = load(ROOT / "scenarios" / "baseline.yaml", overrides=SHORT)
    return run_one(scenario, replication=REPLICATION, seed=SEED).kpis


if __name__ == "__main__":
    kpis = golden_kpis()
    FILE.write_text(kpis.to_csv(index=False, float_format="%.17g"))
    print(f"wrote {FILE} ({len(kpis)} rows)")
