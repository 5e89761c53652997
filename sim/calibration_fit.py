"""The calibration fit a report shows: found through the baseline's ``base:`` chain when an
experiment starts, and kept in the experiment's folder, so a report needs nothing but that folder.

``leadsim calibrate`` writes the fitted values (``calibrated.yaml``) with ``provenance.fit`` naming
the fit summary beside it (``fit.json``: every target's published value, tolerance and the
model's interval). A scenario that inherits such a file — as ``scenarios/baseline.yaml`` inherits
``calibration/calibrated.yaml`` — is a calibrated scenario; ``record`` copies the summary into
RESULTS/calibration_fit.json.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pandas as pd
import yaml

from . import files

FILE = "calibration_fit.json"
log = logging.getLogger(__name__)


def source(scenario_file: str | Path | None) -> Path | None:
    """The fit summary named by the first calibration file in a scenario's ``base:`` chain (the
    scenario itself, then its bases, the later ones first as they take precedence)."""
    if not scenario_file:
        return None
    todo, seen = [Path(scenario_file)], set()
    while todo:
        path = todo.pop(0).resolve()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        try:
            doc = yaml.safe_load(path.read_text())
        except (OSError, yaml.YAMLError):
            continue  # loading the scenario has already reported any problem with its files
        if not isinstance(doc, dict):
            continue
        provenance = doc.get("provenance")
        fit = provenance.get("fit") if isinstance(provenance, dict) else None
        if isinstance(fit, str):
            return path.parent / fit
        bases = doc.get("base") or []
        todo += [path.parent / b for b in reversed([bases] if isinstance(bases, str) else bases) if isinstance(b, str)]
    return None


def record(scenario, folder: str | Path) -> Path | None:
    """Copy the fit summary of ``scenario``'s calibration into ``folder`` (or remove a copy that no
    longer applies); returns the copy's path."""
    out = Path(folder) / FILE
    found = source(getattr(scenario, "path", None))
    if found is None or not found.is_file():
        if found is not None:
            log.info(f"note: {scenario.path} inherits a calibration whose fit summary {found} is missing; "
                     "the report will have no calibration chart")
        if out.exists():
            out.unlink()
        return None
    files.write_text(out, found.read_text())
    return out


def read(results: str | Path, fit: str | Path | None = None) -> pd.DataFrame | None:
    """The fit table (one row per target) from ``fit`` if given, else from the results folder;
    None when the experiment's baseline was not calibrated."""
    path = Path(fit) if fit else Path(results) / FILE
    if fit and not path.is_file():
        raise FileNotFoundError(f"{path}: no such calibration fit summary")
    if not path.is_file():
        return None
    return pd.DataFrame(json.loads(path.read_text())["targets"])
