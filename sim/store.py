"""The results store: one directory per experiment, one file per finished run, written atomically.

    DIR/experiment.json                 what was asked: scenarios (resolved), factor values, seed, code version
    DIR/runs/<scenario>.<key>/r000007.parquet   KPI rows of replication 7 (yearly and whole-window)
    DIR/events/<scenario>.<key>/r000007.parquet event log of that run (only with keep_events)
    DIR/failures.json                   runs that raised, with scenario, seed and the error
    DIR/kpis.parquet                    every run's KPI rows together (rewritten at the end)

``key`` hashes the resolved scenario and the code version, so a changed scenario or changed code
gets a fresh folder: stale runs are never reused, and a resumed experiment finds exactly the runs
it still needs.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from . import files
from .runner import code_version, git_commit
from .scenario import Scenario


def run_key(scenario: Scenario, version: str) -> str:
    blob = json.dumps({"scenario": scenario.resolved(), "code": version}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:12]


class Store:
    """Reads and writes one experiment's directory."""

    def __init__(self, root: str | Path, scenarios: list[Scenario], seed: int, *, kind: str = "compare",
                 factors: dict[str, dict] | None = None, baseline: str | None = None, fresh: bool = False):
        self.root = Path(root)
        self.version = code_version()
        self.scenarios = {s.name: s for s in scenarios}
        self.keys = {s.name: run_key(s, self.version) for s in scenarios}
        if fresh and self.root.exists():
            for sub in ("runs", "events"):
                shutil.rmtree(self.root / sub, ignore_errors=True)
        self.root.mkdir(parents=True, exist_ok=True)
        self.stale = self._stale_folders()
        files.write_json(self.root / "experiment.json", {
            "kind": kind, "baseline": baseline, "seed": seed, "code_version": self.version,
            "order": list(self.scenarios),  # the JSON keys below get sorted; this keeps the user's order
            "git_commit": git_commit(), "updated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "scenarios": {name: {"key": self.keys[name], "file": s.path, "factors": (factors or {}).get(name, {}),
                                 "resolved": s.resolved()} for name, s in self.scenarios.items()},
        })

    def _folder(self, kind: str, name: str) -> Path:
        return self.root / kind / f"{name}.{self.keys[name]}"

    def _stale_folders(self) -> list[Path]:
        current = {f"{name}.{key}" for name, key in self.keys.items()}
        runs = self.root / "runs"
        return sorted(p for p in runs.iterdir() if p.name not in current) if runs.exists() else []

    def path(self, name: str, replication: int, kind: str = "runs") -> Path:
        return self._folder(kind, name) / f"r{replication:06d}.parquet"

    def done(self, name: str, replication: int) -> bool:
        return self.path(name, replication).exists()

    def save(self, name: str, replication: int, seed: int, kpis: pd.DataFrame, events: pa.Table | None) -> None:
        """Store one finished run (events first, so a run counts as done only when all is written)."""
        if events is not None:
            files.write_parquet(self.path(name, replication, "events"), events)
        table = kpis.assign(scenario=name, replication=replication, seed=seed)
        files.write_parquet(self.path(name, replication), pa.Table.from_pandas(table, preserve_index=False))

    def kpis(self, names: list[str] | None = None, years: tuple[int, int] | None = None) -> pd.DataFrame:
        """Every stored run's KPI rows (optionally only window rows and years in ``years``)."""
        frames = []
        for name in names or list(self.scenarios):
            for path in sorted(self._folder("runs", name).glob("r*.parquet")):
                table = pq.read_table(path)
                if years is not None:
                    df = table.to_pandas()
                    df = df[(df.year < 0) | ((df.year >= years[0]) & (df.year <= years[1]))]
                else:
                    df = table.to_pandas()
                frames.append(df)
        if not frames:
            return pd.DataFrame(columns=["kpi", "group", "year", "value", "scenario", "replication", "seed"])
        return pd.concat(frames, ignore_index=True)

    def write_failures(self, failures: list[dict]) -> None:
        path = self.root / "failures.json"
        if failures:
            files.write_json(path, failures)
        elif path.exists():
            path.unlink()

    def consolidate(self) -> Path:
        """Write every run's KPI rows into one kpis.parquet, one run at a time (bounded memory)."""
        out = self.root / "kpis.parquet"
        paths = [p for name in self.scenarios for p in sorted(self._folder("runs", name).glob("r*.parquet"))]
        if not paths:
            return out

        def write(fh):
            writer = None
            for path in paths:
                table = pq.read_table(path)
                if writer is None:
                    writer = pq.ParquetWriter(fh, table.schema, compression="zstd")
                writer.write_table(table.cast(writer.schema))
            writer.close()
        files.atomic(out, write)
        return out


def read(root: str | Path) -> tuple[dict, pd.DataFrame]:
    """An experiment's manifest and all its stored KPI rows, for reports (no scenario objects needed)."""
    root = Path(root)
    manifest_path = root / "experiment.json"
    if not manifest_path.exists():
        raise FileNotFoundError(f"{root} is not a results folder of leadsim compare or sweep "
                                "(no experiment.json)")
    manifest = json.loads(manifest_path.read_text())
    order = manifest.get("order") or list(manifest["scenarios"])
    frames = [pq.read_table(path).to_pandas() for name in order
              for path in sorted((root / "runs" / f"{name}.{manifest['scenarios'][name]['key']}").glob("r*.parquet"))]
    kpis = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["kpi", "group", "year", "value", "scenario", "replication", "seed"])
    return manifest, kpis
