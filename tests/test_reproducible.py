"""Same scenario and seed → byte-identical result files; a different seed → different results."""

import filecmp
from pathlib import Path

from sim import runner
from sim.scenario import from_params, load
from conftest import small_params

ROOT = Path(__file__).resolve().parents[1]
PARQUET = [*runner.OUTPUT_FILES, "kpis.parquet"]


def _write(scenario, out, seed):
    runner.write(runner.run_one(scenario, seed=seed), out, (2017,))


def test_baseline_is_byte_identical_for_the_same_seed(tmp_path):
    scenario = load(ROOT / "scenarios" / "baseline.yaml")
    _write(scenario, tmp_path / "a", 4)
    _write(scenario, tmp_path / "b", 4)
    for name in PARQUET:
        assert filecmp.cmp(tmp_path / "a" / name, tmp_path / "b" / name, shallow=False), name


def test_different_seed_differs(tmp_path):
    scenario = from_params(small_params())
    _write(scenario, tmp_path / "a", 1)
    _write(scenario, tmp_path / "b", 2)
    assert not filecmp.cmp(tmp_path / "a" / "events.parquet", tmp_path / "b" / "events.parquet", shallow=False)
