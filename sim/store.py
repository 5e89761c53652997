"""The results store: one directory per experiment, one file per finished run, written atomically.

    DIR/experiment.json                 what was asked: scenarios (resolved), factor values, seed, code version
    DIR/runs/<scenario>.<key>/r000007.parquet   KPI rows of replication 7 (yearly and whole-window)
    DIR/events/<scenario>.<key>/r000007.parquet event log of that run (only with keep_events)
    DIR/failures.json                   runs that raised, with scenario, seed and the error
    DIR/kpis.parquet                    every run's KPI rows together (rewritten at the end)
    DIR/damaged/…                       run files that failed their check, moved aside (then recomputed)
    DIR/.lock                           held (flock) while a compare or sweep writes here

``key`` hashes the resolved scenario and the code version, so a changed scenario or changed code
gets a fresh folder: stale runs are never reused, and a resumed experiment finds exactly the runs
it still needs. Every run file also carries its scenario, key, replication and seed in its Parquet
metadata; a file is reused only if it reads back whole and that metadata matches the run asked for
(a truncated, garbage or swapped file is moved aside and the run is made again). A folder holds one
experiment (kind, scenarios, baseline, seed): another is refused unless ``fresh``.
"""

from __future__ import annotations

import hashlib
import json
import os
import logging
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from . import files
from .inputs import safe_name
from .runner import code_version, git_commit
from .scenario import Scenario

log = logging.getLogger(__name__)


RUN_META = ("scenario", "key", "replication", "seed")  # stored as b"leadsim.<field>" in each run file
EMPTY_COLUMNS = ["kpi", "group", "year", "value", "scenario", "replication", "seed"]
IDENTITY = ("kind", "baseline", "seed", "order")          # what makes two experiments the same one
STORE_FILES = ("runs", "events", "damaged", "kpis.parquet", "failures.json")  # what --fresh deletes


class StoreError(ValueError):
    """The results folder cannot be used as asked; the message is meant for the user."""


def run_key(scenario: Scenario, version: str) -> str:
    blob = json.dumps({"scenario": scenario.defining(), "code": version}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:12]


class Store:
    """Reads and writes one experiment's directory; holds its lock until ``close``."""

    def __init__(self, root: str | Path, scenarios: list[Scenario], seed: int, *, kind: str = "compare",
                 factors: dict[str, dict] | None = None, baseline: str | None = None, fresh: bool = False):
        self.root = Path(root)
        self.version = code_version()
        for s in scenarios:
            if not safe_name(s.name):
                raise StoreError(f"scenario name {s.name!r} cannot name a folder (letters, digits, '_', '-', '.')")
        self.scenarios = {s.name: s for s in scenarios}
        self.keys = {s.name: run_key(s, self.version) for s in scenarios}
        self.damaged: list[tuple[Path, str]] = []  # (where the file went, why)
        if self.root.exists() and not self.root.is_dir():
            raise StoreError(f"cannot write {self.root}: not a directory")
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock = _lock(self.root)
        try:
            manifest = {"kind": kind, "baseline": baseline, "seed": seed, "code_version": self.version,
                        "order": list(self.scenarios),  # JSON keys get sorted; this keeps the user's order
                        "git_commit": git_commit(),
                        "updated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                        "scenarios": {name: {"key": self.keys[name], "file": s.path,
                                             "factors": (factors or {}).get(name, {}), "resolved": s.resolved()}
                                      for name, s in self.scenarios.items()}}
            self._claim(manifest, fresh)
            self.stale = self._stale_folders()
            files.write_json(self.root / "experiment.json", manifest)
        except BaseException:
            self.close()
            raise

    def _claim(self, manifest: dict, fresh: bool) -> None:
        """Refuse a folder of another experiment (or of anything else); ``fresh`` clears ours."""
        path = self.root / "experiment.json"
        if not path.exists():
            others = sorted(p.name for p in self.root.iterdir() if p.name != ".lock")
            if others:
                raise StoreError(f"{self.root} is not empty and holds no leadsim experiment (found "
                                 f"{', '.join(others[:3])}{', …' if len(others) > 3 else ''}); choose a new or "
                                 "empty folder for --out")
            return
        try:
            old = json.loads(path.read_text())
            differs = [k for k in IDENTITY if old.get(k) != manifest[k]]
        except (OSError, ValueError, AttributeError):
            old, differs = None, ["experiment.json unreadable"]
        if differs and not fresh:
            what = ", ".join(f"{k} {old.get(k)!r} → {manifest[k]!r}" if old else k for k in differs)
            raise StoreError(f"{self.root} holds a different experiment ({what}); choose another --out, or add "
                             "--fresh to delete its runs and start again")
        if fresh:
            for name in STORE_FILES:
                target = self.root / name
                shutil.rmtree(target, ignore_errors=True) if target.is_dir() else target.unlink(missing_ok=True)

    def close(self) -> None:
        """Release the folder for other experiments (also released if this process dies)."""
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _folder(self, kind: str, name: str) -> Path:
        return self.root / kind / f"{name}.{self.keys[name]}"

    def _stale_folders(self) -> list[Path]:
        current = {f"{name}.{key}" for name, key in self.keys.items()}
        runs = self.root / "runs"
        return sorted(p for p in runs.iterdir() if p.name not in current) if runs.exists() else []

    def path(self, name: str, replication: int, kind: str = "runs") -> Path:
        return self._folder(kind, name) / f"r{replication:06d}.parquet"

    def _meta(self, name: str, replication: int, seed: int) -> dict[bytes, bytes]:
        values = (name, self.keys[name], replication, seed)
        return {f"leadsim.{k}".encode(): str(v).encode() for k, v in zip(RUN_META, values)}

    def done(self, name: str, replication: int, seed: int) -> bool:
        """True if this run is stored and its file checks out; a file that does not is moved aside."""
        path = self.path(name, replication)
        if not path.exists():
            return False
        problem = self._check(path, self._meta(name, replication, seed))
        if problem is None:
            return True
        self._move_aside(path, problem)
        return False

    @staticmethod
    def _check(path: Path, expected: dict[bytes, bytes]) -> str | None:
        """Why the run file at ``path`` cannot be reused, or None if it can."""
        try:
            table = pq.read_table(path)
        except Exception as exc:  # pyarrow raises several types for damaged files
            return f"unreadable ({type(exc).__name__})"
        meta = table.schema.metadata or {}
        wrong = [k.decode().removeprefix("leadsim.") for k, v in expected.items() if meta.get(k) != v]
        if wrong:
            return "made for another run (" + ", ".join(wrong) + " differ)"
        if table.num_rows == 0:
            return "empty"
        return None

    def _move_aside(self, path: Path, reason: str) -> None:
        target = self.root / "damaged" / path.relative_to(self.root).parent / f"{path.name}.{os.getpid()}"
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        self.damaged.append((target, reason))

    def save(self, name: str, replication: int, seed: int, kpis: pd.DataFrame, events: pa.Table | None) -> None:
        """Store one finished run (events first, so a run counts as done only when all is written)."""
        if events is not None:
            files.write_parquet(self.path(name, replication, "events"), events)
        table = pa.Table.from_pandas(kpis.assign(scenario=name, replication=replication, seed=seed),
                                     preserve_index=False)
        meta = {**(table.schema.metadata or {}), **self._meta(name, replication, seed)}
        files.write_parquet(self.path(name, replication), table.replace_schema_metadata(meta))

    def _paths(self, names: list[str] | None, replications: int | None) -> list[Path]:
        """Stored run files of ``names``, replications 0 … ``replications`` − 1 (default: all)."""
        out = []
        for name in names or list(self.scenarios):
            found = sorted(self._folder("runs", name).glob("r*.parquet"))
            if replications is not None:
                wanted = {self.path(name, r).name for r in range(replications)}
                found = [p for p in found if p.name in wanted]
            out += found
        return out

    def kpis(self, names: list[str] | None = None, years: tuple[int, int] | None = None,
             replications: int | None = None) -> pd.DataFrame:
        """Stored runs' KPI rows: replications below ``replications`` only, and with ``years`` only the
        whole-window rows and yearly rows inside those years."""
        frames = []
        for path in self._paths(names, replications):
            df = pq.read_table(path).to_pandas()
            if years is not None:
                df = df[(df.year < 0) | ((df.year >= years[0]) & (df.year <= years[1]))]
            frames.append(df)
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=EMPTY_COLUMNS)

    def write_failures(self, failures: list[dict]) -> None:
        path = self.root / "failures.json"
        if failures:
            files.write_json(path, failures)
        elif path.exists():
            path.unlink()

    def consolidate(self, replications: int | None = None) -> Path:
        """Write the runs' KPI rows into one kpis.parquet, one run at a time (bounded memory)."""
        out = self.root / "kpis.parquet"
        paths = self._paths(None, replications)
        if not paths:
            out.unlink(missing_ok=True)
            return out

        def write(fh):
            writer = None
            for path in paths:
                table = pq.read_table(path)
                table = table.replace_schema_metadata(None)
                if writer is None:
                    writer = pq.ParquetWriter(fh, table.schema, compression="zstd")
                writer.write_table(table.cast(writer.schema))
            writer.close()
        files.atomic(out, write)
        return out


def _lock(root: Path):
    """An exclusive lock on ``root`` (flock: released by the kernel even if this process is killed)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no locking
        return None
    fh = open(root / ".lock", "a+")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.seek(0)
        holder = fh.read().strip() or "another process"
        fh.close()
        raise StoreError(f"{root} is in use by another leadsim compare or sweep ({holder}); wait for it to "
                         "finish or choose another --out") from None
    fh.seek(0)
    fh.truncate()
    fh.write(f"pid {os.getpid()}\n")
    fh.flush()
    return fh


def read_manifest(root: str | Path) -> dict:
    """A results folder's experiment.json, checked enough to find its runs (``order`` filled in)."""
    path = Path(root) / "experiment.json"
    if not path.is_file():
        raise FileNotFoundError(f"{root} is not a results folder of leadsim compare or sweep (no experiment.json)")
    try:
        manifest = json.loads(path.read_text())
        manifest["order"] = manifest.get("order") or list(manifest["scenarios"])
        for name in manifest["order"]:
            if not safe_name(name) or not isinstance(manifest["scenarios"][name]["key"], str):
                raise ValueError(name)
    except (ValueError, KeyError, TypeError, AttributeError):
        raise StoreError(f"{path}: not a manifest written by leadsim; rerun the experiment") from None
    return manifest


def read(root: str | Path) -> tuple[dict, pd.DataFrame]:
    """An experiment's manifest and its stored KPI rows, for reports (no scenario objects needed).
    Run files that do not check out are left out and named on stderr."""
    root = Path(root)
    manifest = read_manifest(root)
    order = manifest["order"]
    keys = {name: manifest["scenarios"][name]["key"] for name in order}
    frames, skipped = [], []
    for name in order:
        for path in sorted((root / "runs" / f"{name}.{keys[name]}").glob("r*.parquet")):
            replication = int(path.stem[1:]) if path.stem[1:].isdigit() else -1
            seed = manifest.get("seed")
            expected = {f"leadsim.{k}".encode(): str(v).encode()
                        for k, v in zip(RUN_META, (name, keys[name], replication, seed))}
            problem = Store._check(path, expected)
            if problem:
                skipped.append(f"{path.relative_to(root)}: {problem}")
            else:
                frames.append(pq.read_table(path).to_pandas())
    if skipped:
        log.warning(f"note: {len(skipped)} run file(s) left out: " + "; ".join(skipped[:3])
                    + ("; …" if len(skipped) > 3 else "") + " (rerun the experiment to recompute them)")
    kpis = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=EMPTY_COLUMNS)
    return manifest, kpis
