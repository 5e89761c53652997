"""Plain data: organisations, executive posts and the people of the management pipeline.

Organisations and posts are few (≈230 and ≈1,300), so each is a slotted dataclass. People are
many (≈30,000 alive at once, 100,000+ over a run) and the yearly processes touch all of them at
once, so ``People`` is a column store: a person is a row index, and each attribute is a numpy
column. Nothing here has behaviour beyond adding rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .params.vocabulary import GRADES, ORIGINS, PROFESSIONS, RATINGS, REGIONS, ROLES
from .rng import premix

GRADE = {g: i for i, g in enumerate(GRADES)}
ORIGIN = {o: i for i, o in enumerate(ORIGINS)}
PROFESSION = {p: i for i, p in enumerate(PROFESSIONS)}
RATING = {r: i for i, r in enumerate(RATINGS)}
REGION = {r: i for i, r in enumerate(REGIONS)}
ROLE = {r: i for i, r in enumerate(ROLES)}

# A post's state: who, if anyone, does the job today.
SUBSTANTIVE, INTERIM, VACANT = "substantive", "interim", "vacant"


@dataclass(slots=True)
class Organisation:
    """An NHS trust: its type, region, CQC rating and special-measures status."""
    id: int
    kind: str
    region: int
    rating: int
    quality: float            # latent quality that inspections observe with noise
    long_run_quality: float
    size: float = 1.0         # relative size (staff): where entrants go, and what "a larger trust" means
    minority_population: float = float("nan")   # census share of the region's residents from ethnic minorities
    special_measures: bool = False
    sm_since: float = float("nan")
    challenged_since: float = float("nan")   # when it was last rated inadequate or entered special measures
    next_inspection: float = 0.0
    posts: list = field(default_factory=list)


@dataclass(slots=True)
class Post:
    """An executive post on a trust board, filled substantively, by an interim, or vacant."""
    id: int
    org: int
    role: str
    holder: int = -1          # person row, or -1
    appointed: float = float("nan")
    state: str = VACANT
    leaving: bool = False     # holder has given notice
    leave_at: float = float("nan")
    leave_cause: str = ""
    successor: int = -1       # person appointed but not yet started
    search_open: bool = False
    vacant_since: float = float("nan")
    exit_token: int = 0       # invalidates stale scheduled exits
    succession: int = 0       # identity of the holder being replaced: names the search's and interim's draws

    @property
    def is_ceo(self) -> bool:
        return self.role == "chief_executive"


class People:
    """Column store of everyone who has ever entered the pipeline; a person is a row index."""

    COLUMNS = {
        "alive": bool, "grade": np.int8, "origin": np.int8, "profession": np.int8,
        "capability": np.float64, "region": np.int8, "org": np.int16, "female": bool,
        "ethnic_minority": bool, "post": np.int32, "appointed": np.float64, "grade_since": np.float64,
        "entered": np.float64, "appraisals": np.int16, "ready": bool, "programmes": np.int16,
        "in_programme": np.int8, "programme_end": np.float64, "trainee_end": np.float64,
        "reserved": bool, "unattached_since": np.float64, "last_role": np.int8,
        "key": np.uint64,  # stable identity across scenarios: names this person's random draws
        "keymix": np.uint64,           # the identity premixed for keyed draws (sim.rng.premix)
        "leaving": bool,               # holds a post and has given notice or is about to go
        "born": np.float64,            # calendar time of birth (age = now − born)
        "additional_post": bool,       # a middle manager in a post created for them (outside the establishment)
        "removals": np.int8,           # times removed from an executive post
        "appraisal": np.float64,       # mean of the appraisal scores on record (NaN for none)
        "cadre": np.int8,              # central cadre: 0 not a member, 1 member free to deploy, 2 deployed or committed
        "credited": bool,              # has a challenged posting to their credit (sim/processes/careers.py)
        "available": np.int8,          # grade if alive, not reserved, not leaving and not in a cadre, else -1
    }
    SCORES = 3  # appraisal history kept: the last three yearly scores

    def __init__(self, capacity: int = 1024):
        self.n = 0
        self._cap = capacity
        for name, dtype in self.COLUMNS.items():
            setattr(self, name, np.zeros(capacity, dtype=dtype))
        self.scores = np.full((capacity, self.SCORES), np.nan)
        self._reset_defaults(0, capacity)

    def _reset_defaults(self, lo: int, hi: int) -> None:
        for name in ("post", "org", "in_programme", "last_role", "available"):
            getattr(self, name)[lo:hi] = -1
        for name in ("appointed", "programme_end", "trainee_end", "unattached_since", "appraisal"):
            getattr(self, name)[lo:hi] = np.nan

    def _grow(self, need: int) -> None:
        cap = self._cap
        while cap < need:
            cap *= 2
        for name in self.COLUMNS:
            old = getattr(self, name)
            new = np.zeros(cap, dtype=old.dtype)
            new[: self._cap] = old
            setattr(self, name, new)
        scores = np.full((cap, self.SCORES), np.nan)
        scores[: self._cap] = self.scores
        self.scores = scores
        self._reset_defaults(self._cap, cap)
        self._cap = cap

    def add(self, count: int, **columns) -> np.ndarray:
        """Append ``count`` people with the given column values; returns their row indices."""
        if count <= 0:
            return np.empty(0, dtype=np.int64)
        if self.n + count > self._cap:
            self._grow(self.n + count)
        new = slice(self.n, self.n + count)   # a slice: cheaper to assign than an index array
        for name, value in columns.items():
            getattr(self, name)[new] = value
        if "key" in columns and "keymix" not in columns:
            self.keymix[new] = premix(self.key[new])
        self.alive[new] = True
        self.n += count
        self.refresh(new)
        return np.arange(new.start, new.stop)

    def refresh(self, rows) -> None:
        """Recompute ``available`` for ``rows`` (a row, rows or a slice) after their alive, reserved,
        leaving, cadre or grade changed: searches test one column instead of five. A cadre member is
        never available to an open search: the cadre deploys them."""
        if type(rows) is int or isinstance(rows, np.integer):   # one person (~45,000 calls a run)
            free = self.alive[rows] and not (self.reserved[rows] or self.leaving[rows] or self.cadre[rows])
            self.available[rows] = self.grade[rows] if free else -1
            return
        free = self.alive[rows] & ~self.reserved[rows] & ~self.leaving[rows] & (self.cadre[rows] == 0)
        self.available[rows] = np.where(free, self.grade[rows], -1)

    def view(self, name: str) -> np.ndarray:
        """The used part of a column."""
        return getattr(self, name)[: self.n]

    def record_scores(self, rows: np.ndarray) -> None:
        """Refresh ``appraisal`` (the mean score on record) after ``scores`` changed for ``rows``."""
        self.appraisal[rows] = mean_score(self.scores[rows])


def mean_score(scores: np.ndarray) -> np.ndarray:
    """Mean of each row's appraisal scores on record (NaN for none), from rows of ``People.scores``."""
    columns = scores.T   # a view per score: each step reads one column and makes 1-D temporaries only
    present = ~np.isnan(columns[0])
    total, count = np.where(present, columns[0], 0.0), present.astype(np.int64)
    for column in columns[1:]:   # column by column, the order np.nansum(axis=1) adds in
        present = ~np.isnan(column)
        total += np.where(present, column, 0.0)
        count += present
    with np.errstate(invalid="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def best_first(values: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` highest ``values``, highest first, ties in order of position: the first
    ``k`` of ``np.argsort(-values, kind="stable")``, sorting only the values that can be among them
    (a yearly promotion round takes ~1,000 of ~20,000)."""
    keys = -values
    if 0 < k < len(keys) and not np.isnan(keys).any():
        kth = np.partition(keys, k - 1)[k - 1]
        candidates = np.flatnonzero(keys <= kth)   # in order of position, as the stable sort keeps ties
        return candidates[np.argsort(keys[candidates], kind="stable")[:k]]
    return np.argsort(keys, kind="stable")[:max(k, 0)]
