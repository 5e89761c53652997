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
metadata; a file is reused only if its footer reads back and that metadata matches the run asked for
(a truncated, garbage or swapped file is moved aside and the run is made again), and its rows are
read once, by one ``pyarrow.dataset`` scan of every file not read before, filtered to the years
asked for (a file whose rows do not read back is moved aside too). A precision loop that adds
replications reads only the new runs. A folder holds one experiment (kind, scenarios, baseline,
seed): another is refused unless ``fresh``. Temporary files a killed writer left are deleted when
the folder is opened again.
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
import pyarrow.compute as pc
import pyarrow.dataset as ds
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
        self._checked: set[Path] = set()           # run files whose footer checked out (or that we wrote)
        self._read: tuple = (None, set(), [])      # KPI rows already read: (years, files, tables)
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
            _remove_half_written(self.root)
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
        if path in self._checked:
            return True
        if not path.exists():
            return False
        problem = self._check(path, self._meta(name, replication, seed))
        if problem is None:
            self._checked.add(path)
            return True
        self._move_aside(path, problem)
        return False

    @staticmethod
    def _check(path: Path, expected: dict[bytes, bytes]) -> str | None:
        """Why the run file at ``path`` cannot be reused, or None if it can (its footer is read: its
        rows are checked when they are read, ``_read``)."""
        try:
            footer = pq.read_metadata(path)
        except Exception as exc:  # pyarrow raises several types for damaged files
            return f"unreadable ({type(exc).__name__})"
        meta = footer.metadata or {}
        wrong = [k.decode().removeprefix("leadsim.") for k, v in expected.items() if meta.get(k) != v]
        if wrong:
            return "made for another run (" + ", ".join(wrong) + " differ)"
        if footer.num_rows == 0:
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
        path = self.path(name, replication)
        files.write_parquet(path, table.replace_schema_metadata(meta))
        self._checked.add(path)
        if path in self._read[1]:  # its old rows are stale (cannot happen in a compare: it was done)
            self._read = (None, set(), [])

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
        whole-window rows and yearly rows inside those years. Files read by an earlier call with the
        same ``years`` are not read again; one whose rows do not read back is moved aside (``damaged``)."""
        if years != self._read[0]:
            self._read = (years, set(), [])
        _, seen, tables = self._read
        paths = self._paths(names, replications)
        new = [p for p in paths if p not in seen]
        table, good = _read(new, years, self._unreadable)
        seen.update(good)
        if table is not None:
            tables.append(table)
        if not tables:
            return pd.DataFrame(columns=EMPTY_COLUMNS)
        rows = pa.concat_tables(tables, promote_options="permissive")
        order = pa.array(names or list(self.scenarios))
        wanted = pc.is_in(rows["scenario"], order)
        if replications is not None:
            wanted = pc.and_(wanted, pc.less(rows["replication"], replications))
        rows = rows.filter(wanted)
        # runs in the order of the files (scenarios as asked, then replications), however they were read
        rank = pc.index_in(rows["scenario"], order)
        rows = rows.take(pc.sort_indices(pa.table({"s": rank, "r": rows["replication"]}),
                                         sort_keys=[("s", "ascending"), ("r", "ascending")]))
        return rows.to_pandas()

    def _unreadable(self, path: Path, reason: str) -> None:
        self._checked.discard(path)
        self._move_aside(path, reason)

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
            scanner = ds.dataset([str(p) for p in paths], format="parquet").scanner()
            with pq.ParquetWriter(fh, scanner.projected_schema.remove_metadata(), compression="zstd") as writer:
                for batch in scanner.to_batches():   # streamed: bounded memory, whatever the number of runs
                    writer.write_batch(batch)
        files.atomic(out, write)
        return out


def _remove_half_written(root: Path) -> None:
    """Delete the temporary files of writes a killed process left behind (``files.atomic`` names
    them ``.NAME.*.tmp``); we hold the lock, so no other process is writing them."""
    for tmp in [*root.glob(".*.tmp"), *root.glob("*/*/.*.tmp")]:
        tmp.unlink(missing_ok=True)


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
    good, skipped = [], []
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
                good.append(path)
    table, _ = _read(good, None, lambda path, problem: skipped.append(f"{path.relative_to(root)}: {problem}"))
    if skipped:
        log.warning(f"note: {len(skipped)} run file(s) left out: " + "; ".join(skipped[:3])
                    + ("; …" if len(skipped) > 3 else "") + " (rerun the experiment to recompute them)")
    return manifest, table.to_pandas() if table is not None else pd.DataFrame(columns=EMPTY_COLUMNS)


def _read(paths: list[Path], years: tuple[int, int] | None, damaged) -> tuple[pa.Table | None, list[Path]]:
    """The KPI rows of the run files ``paths`` (with ``years``: whole-window rows and yearly rows of
    those years) by one dataset scan, and the files read. If the scan fails, file by file:
    ``damaged(path, why)`` is told of each file whose rows do not read back."""
    if not paths:
        return None, []
    where = None if years is None else \
        (ds.field("year") < 0) | ((ds.field("year") >= years[0]) & (ds.field("year") <= years[1]))
    try:
        return ds.dataset([str(p) for p in paths], format="parquet").to_table(filter=where), list(paths)
    except (pa.ArrowException, OSError):  # a damaged file: find it
        tables, good = [], []
        for path in paths:
            try:
                tables.append(ds.dataset(str(path), format="parquet").to_table(filter=where))
                good.append(path)
            except (pa.ArrowException, OSError) as exc:
                damaged(path, f"rows unreadable ({type(exc).__name__})")
        return (pa.concat_tables(tables, promote_options="permissive") if tables else None), good
