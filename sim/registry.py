"""What a measure is, the registry that holds every one, and how observations become values.

The measures themselves are declared by domain in the modules ``sim/measures.py`` imports (read its
docstring to add one).
A measure's function turns a run's tables and a period into *observations* in one of three
shapes, and this module reduces them the same way for every consumer:

- ``RATIO`` — columns year, group, num, den. A year's value is Σnum / Σden over that year's
  rows; a period pooled is Σnum / Σden over all its rows.
- ``MEDIAN`` — columns year, group, x. A year's value is the median of its x; pooled, the median
  of every x in the period.
- ``WINDOW`` — columns group, value: one value for the whole period (e.g. a Kaplan–Meier median).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa

LOWER, HIGHER, NEITHER = "lower", "higher", None   # which way is better; NEITHER: no value judgement
RATIO, MEDIAN, WINDOW = "ratio", "median", "window"
POOLED, MEAN_OF_YEARS = "pooled", "mean_of_years"  # how a period of several years becomes one value
APPRAISE = "appraise"  # a headline flag: the option appraisal shows each option's effect on it


@dataclass(frozen=True)
class ByGroup:
    """A better direction that depends on the group: ``directions`` by group, else ``otherwise``."""
    directions: dict[str, str | None]
    otherwise: str | None


@dataclass(frozen=True)
class Headline:
    """A (measure, group) shown first, in the terminal and the report, in the order of ``rank``;
    ``appraise``: a column of the option appraisal too."""
    measure: str
    group: str
    label: str
    rank: int
    appraise: bool = False


@dataclass(frozen=True)
class Setting:
    """A measure option a calibration target may set: one of ``choices``, or a positive number of
    type ``number`` (int or float). ``targets_must_set``: a target has to give it (KPIs use the
    function's default)."""
    choices: tuple = ()
    number: type | None = None
    targets_must_set: bool = False

    def problem(self, value) -> str | None:
        """What was expected, if ``value`` is not allowed; None if it is."""
        if self.choices:
            ok = value in self.choices and isinstance(value, bool) == isinstance(self.choices[0], bool)
            shown = [str(c).lower() if isinstance(c, bool) else str(c) for c in self.choices]  # as YAML spells them
            return None if ok else "one of " + ", ".join(shown)
        number_types = (int, float) if self.number is float else (self.number,)
        if isinstance(value, bool) or not isinstance(value, number_types) or value <= 0:
            return f"a positive {'whole ' if self.number is int else ''}number"
        return None


@dataclass(frozen=True)
class Measure:
    name: str
    unit: str
    better: str | None | ByGroup
    label: str
    definition: str
    groups: tuple[str, ...] | str   # the fixed groups, or a description of open ones ("each intervention")
    reduce: str
    function: Callable = field(repr=False)
    settings: dict[str, Setting] = field(default_factory=dict)
    headline: tuple[Headline, ...] = ()

    def direction(self, group: str) -> str | None:
        """'lower' or 'higher' if one way is better for this group, else None."""
        if isinstance(self.better, ByGroup):
            return self.better.directions.get(group, self.better.otherwise)
        return self.better

    @property
    def fixed_groups(self) -> tuple[str, ...]:
        return self.groups if isinstance(self.groups, tuple) else ()

    def problems(self) -> list[str]:
        """Everything missing or inconsistent in the declaration."""
        out = []
        if not self.unit.strip():
            out.append("a unit")
        if not self.label.strip():
            out.append("a label")
        if not self.definition.strip():
            out.append("a definition (the function's docstring)")
        directions = (list(self.better.directions.values()) + [self.better.otherwise]
                      if isinstance(self.better, ByGroup) else [self.better])
        if any(d not in (LOWER, HIGHER, NEITHER) for d in directions):
            out.append("better = LOWER, HIGHER, NEITHER or ByGroup(...) of them")
        if self.reduce not in (RATIO, MEDIAN, WINDOW):
            out.append("reduce = RATIO, MEDIAN or WINDOW")
        if not self.groups:
            out.append("groups")
        for h in self.headline:
            if self.fixed_groups and h.group not in self.fixed_groups:
                out.append(f"a headline group among its groups, not {h.group!r}")
        accepted = list(inspect.signature(self.function).parameters)[2:]
        if sorted(accepted) != sorted(self.settings):
            out.append(f"settings declared for exactly its keyword arguments {accepted}")
        return out


REGISTRY: dict[str, Measure] = {}


def measure(*, unit: str, better, label: str, groups, reduce: str, headline: dict | None = None,
            settings: dict[str, Setting] | None = None):
    """Declare ``f(run, period, **settings) -> observations`` as a measure; its docstring is the
    definition. ``better`` has no default on purpose: say LOWER, HIGHER or NEITHER. ``headline``:
    group → (rank, label) or (rank, label, APPRAISE)."""
    def register(function):
        name = function.__name__
        m = Measure(name=name, unit=unit, better=better, label=label,
                    definition=" ".join(inspect.cleandoc(function.__doc__ or "").split()),
                    groups=tuple(groups) if not isinstance(groups, str) else groups, reduce=reduce,
                    function=function, settings=dict(settings or {}),
                    headline=tuple(Headline(name, g, text, rank, APPRAISE in flags)
                                   for g, (rank, text, *flags) in (headline or {}).items()))
        problems = m.problems()
        if name in REGISTRY:
            problems.append("a name no other measure has")
        if problems:
            raise ValueError(f"measure {name} needs " + "; ".join(problems))
        REGISTRY[name] = m
        return function
    return register


# -- building observations ----------------------------------------------------------------------
def _mask(mask, n: int) -> np.ndarray:
    if mask is None:
        return np.ones(n, dtype=bool)
    if isinstance(mask, pd.Series):   # a missing flag is False; a plain boolean Series has none to fill
        return mask.to_numpy() if mask.dtype == bool else np.asarray(mask.fillna(False), dtype=bool)
    return np.asarray(mask, dtype=bool)


def _observations(year, num, den, group) -> pd.DataFrame:
    # the arrays are made for this frame alone: no copy into one block (a third of the frame's cost)
    return pd.DataFrame({"year": year, "num": num, "den": den, "group": group}, copy=False)


def _distinct(year: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(year, return_inverse=True)``; for integer years spanning a few centuries at most
    by counting, not sorting (snapshots have tens of thousands of rows and a few dozen years)."""
    if year.dtype.kind not in "iu" or not len(year) or int(year.max()) - int(year.min()) > 1000:
        return np.unique(year, return_inverse=True)
    offset = year.astype(np.int64) - int(year.min())
    present = np.bincount(offset) > 0
    years = (np.flatnonzero(present) + int(year.min())).astype(year.dtype)
    return years, (np.cumsum(present) - 1)[offset]


def ratio(year, num, den=1.0, groups: dict | None = None) -> pd.DataFrame:
    """RATIO observations from rows: each row adds ``num`` and ``den`` (arrays or scalars) to its
    year, in every group whose mask (``groups``: name → boolean mask, or None for all rows) holds."""
    return _observations(*(np.concatenate(column) for column in zip(*_ratio_parts(year, num, den, groups))))


def shares(year, nums: dict, den=1.0) -> pd.DataFrame:
    """RATIO observations of several numerators over the same rows: group name → ``num``, each over
    ``den``; what ``ratio(year, num, den)`` of each, renamed to its group and concatenated, gives."""
    parts = [part for name, num in nums.items() for part in _ratio_parts(year, num, den, {name: None})]
    year, num, den, group = (np.concatenate(column) for column in zip(*parts))
    return _observations(year, num, den, pd.array(group, dtype="str"))


def _ratio_parts(year, num, den, groups: dict | None) -> list[list[np.ndarray]]:
    """``ratio``'s columns (year, num, den, group) for each group, years without a den left out."""
    year = np.asarray(year)
    num = np.broadcast_to(np.asarray(num, dtype=float), year.shape)
    den = np.broadcast_to(np.asarray(den, dtype=float), year.shape)
    years, index = _distinct(year)
    masks = {name: _mask(mask, len(year)) for name, mask in (groups or {"all": None}).items()}
    sums = (_sums_by_membership(index, len(years), num, den, list(masks.values()))
            if 1 < len(masks) <= MEMBERSHIP_GROUPS and _small_counts(num) and _small_counts(den) else None)
    whole = sums is not None or bool(np.all(num == np.round(num)) and np.all(den == np.round(den)))
    fractions = None if whole else _compensated_sums(num, den, years, index, list(masks.values()))
    parts = []
    for g, (name, m) in enumerate(masks.items()):
        if sums is not None:
            group_sums = (years, sums[0][:, g], sums[1][:, g])
        elif whole:  # counts: exact in any order, and bincount is much faster than groupby
            group_sums = (years, np.bincount(index[m], num[m], len(years)), np.bincount(index[m], den[m], len(years)))
        else:
            group_sums = fractions[g]
        kept = group_sums[2] != 0
        parts.append([a[kept] for a in group_sums] + [np.full(kept.sum(), name, dtype=object)])
    return parts


MEMBERSHIP_GROUPS = 10   # up to 2^10 membership patterns a year


def _compensated_sums(num: np.ndarray, den: np.ndarray, years: np.ndarray, index: np.ndarray,
                      masks: list[np.ndarray]) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(years, Σnum, Σden) of each group, the years it has rows in, by pandas' compensated sums, so
    means equal pandas' own .mean() to the last bit: one groupby over every group's rows by their
    cell (group, year), each group's rows in their order (what a groupby per group would add, in
    the same order). ``years`` and ``index`` are ``_distinct(year)``."""
    rows = [np.flatnonzero(m) for m in masks]
    at = np.concatenate(rows)
    cell = np.repeat(np.arange(len(masks)), [len(r) for r in rows]) * len(years) + index[at]
    by = pd.DataFrame({"num": num[at], "den": den[at]}).groupby(cell).sum()
    cells = by.index.to_numpy()
    bounds = np.searchsorted(cells, np.arange(len(masks) + 1) * len(years))
    num_sums, den_sums = by.num.to_numpy(), by.den.to_numpy()
    return [(years[cells[lo:hi] % len(years)], num_sums[lo:hi], den_sums[lo:hi])
            for lo, hi in zip(bounds[:-1], bounds[1:])]


def _small_counts(values: np.ndarray) -> bool:
    """Whole numbers ≥ 0 whose total stays below 2^53: their sums are exact in any order and never −0."""
    return not len(values) or bool(values.min() >= 0 and values.max() * len(values) < 2.0 ** 53
                                   and np.all(values == np.round(values)))


def _sums_by_membership(index: np.ndarray, n_years: int, num: np.ndarray, den: np.ndarray,
                        masks: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Σnum and Σden of each year (rows) in each group (columns), for whole numbers: one count over
    (year, which groups the row is in) and a small product with the groups' membership patterns,
    instead of two counts over each group's rows (several groups over tens of thousands of rows)."""
    pattern = np.zeros(len(index), dtype=np.intp)
    for g, m in enumerate(masks):
        pattern |= m.astype(np.intp) << g
    size = 1 << len(masks)
    cell = index * size + pattern
    member = ((np.arange(size)[:, None] >> np.arange(len(masks))[None, :]) & 1).astype(float)
    return tuple(np.bincount(cell, v, n_years * size).reshape(n_years, size) @ member for v in (num, den))


def totals(wide: pd.DataFrame, years, fill: float | None = 0.0) -> pd.DataFrame:
    """RATIO observations from a table of yearly totals (index year, one column per group), each
    over one per year, so a period pooled gives the mean per year. Years without a total get
    ``fill`` (None: left out)."""
    wide = wide.reindex(years) if fill is None else wide.reindex(years, fill_value=fill)
    return group_totals(wide.columns, wide.to_numpy(dtype=float).T, years)


def group_totals(names, values: np.ndarray, years) -> pd.DataFrame:
    """RATIO observations as ``totals`` makes them, from an array: ``values[g, y]`` is the total of
    group ``names[g]`` in year ``years[y]`` (NaN: left out)."""
    values = np.asarray(values, dtype=float).ravel()
    group = np.repeat(np.asarray([str(n) for n in names], dtype=object), len(years))
    kept = ~np.isnan(values)
    return _observations(np.tile(np.asarray(years), len(names))[kept], values[kept], 1.0, group[kept])


def counts_by_year(codes: np.ndarray, n: int, year: np.ndarray, years: np.ndarray, weights=None) -> np.ndarray:
    """Rows (or their ``weights``: whole numbers, so the sums are exact) of each code 0 … n−1 in each
    of ``years`` (consecutive), as an n × years array; rows with code −1 are left out."""
    known = codes >= 0
    cell = codes[known].astype(np.int64) * len(years) + (np.asarray(year)[known] - years[0])
    weights = None if weights is None else np.asarray(weights)[known]
    return np.bincount(cell, weights, n * len(years)).reshape(n, len(years))


def per_year(values: pd.Series, years, group: str = "all", den: pd.Series | None = None,
             fill: float | None = 0.0) -> pd.DataFrame:
    """RATIO observations from one series of yearly totals: ``values`` (indexed by year) over
    ``den`` per year (1 when None: a count or sum per year, whose pooled value is the mean per
    year). Years without a value get ``fill`` (None: left out)."""
    by_year = values.reindex(years) if fill is None else values.reindex(years, fill_value=fill)
    obs = group_totals([group], by_year.to_numpy(dtype=float)[None, :], years)   # as totals of values.to_frame(group)
    return obs if den is None else obs.assign(den=den.reindex(obs.year).to_numpy(dtype=float))


def samples(year, x, groups: dict | None = None) -> pd.DataFrame:
    """MEDIAN observations: every row's ``x``, in each group whose mask holds."""
    year, x = np.asarray(year), np.asarray(x, dtype=float)
    rows = [np.flatnonzero(_mask(mask, len(year))) for mask in (groups or {"all": None}).values()]
    at = np.concatenate(rows)
    # the group names taken in Arrow: a string object per row would cost more than all the rest
    group = pa.array(list(groups or ["all"]), pa.string()).take(
        np.repeat(np.arange(len(rows)), [len(r) for r in rows]))
    return pd.DataFrame({"year": year[at], "x": x[at], "group": pd.array(group, dtype="str")})


# -- reducing observations ----------------------------------------------------------------------
def _group_order(m: Measure, observed: list[str]) -> list[str]:
    return list(dict.fromkeys([*m.fixed_groups, *observed]))


def yearly(m: Measure, obs: pd.DataFrame, years) -> list[tuple[str, str, int, float]]:
    """(measure, group, year, value) rows: one per group and year (NaN where nothing was observed);
    a WINDOW measure gives one row per group with year −1."""
    if m.reduce == WINDOW:
        labels = obs["group"].tolist()
        values = dict(zip(labels, obs["value"].tolist()))
        return [(m.name, g, -1, float(values.get(g, np.nan))) for g in _group_order(m, labels)]
    years = np.asarray(years)
    if m.reduce == RATIO:   # a row per group and year: plain strings and a dict beat pandas on tables this small
        labels = obs["group"].tolist()
        groups = _group_order(m, labels)
        number = {group: i for i, group in enumerate(groups)}
        g = np.array([number[group] for group in labels], dtype=np.int64)
    else:   # a row per sample (tens of thousands): each distinct group once
        codes, labels = pd.factorize(obs["group"])
        groups = _group_order(m, labels.tolist())
        g = np.array([groups.index(group) for group in labels], dtype=np.int64)[codes]
    # each row's cell (group, year) of the groups × years table; rows of other years are left out
    y = obs["year"].to_numpy() - years[0]
    keep = (y >= 0) & (y < len(years))
    cell = g[keep] * len(years) + y[keep]
    size = len(groups) * len(years)
    if m.reduce == RATIO:
        num = np.bincount(cell, obs["num"].to_numpy(dtype=float)[keep], size)
        den = np.bincount(cell, obs["den"].to_numpy(dtype=float)[keep], size)
        with np.errstate(divide="ignore", invalid="ignore"):
            values = np.where(den != 0, num / np.where(den != 0, den, 1.0), np.nan)
    else:
        values = _medians(cell, obs["x"].to_numpy(dtype=float)[keep], size)
    return [(m.name, g, int(y), float(v))
            for g, row in zip(groups, values.reshape(len(groups), len(years))) for y, v in zip(years, row)]


def _medians(cell: np.ndarray, x: np.ndarray, size: int) -> np.ndarray:
    """The median of the x of each cell 0 … size−1, NaN ones left out (NaN for a cell without any),
    as pandas' groupby median gives it: the middle value, or the mean of the two middle ones. (Of a
    −0 and a +0, which pandas returns is its own choice; the samples of the MEDIAN measures are
    times and ages, never −0.)"""
    known = ~np.isnan(x)
    cell, x = cell[known], x[known]
    # the samples cell by cell: numpy's stable sort of 16-bit integers is a radix sort
    by_cell = x[np.argsort(cell.astype(np.int16) if size <= 2 ** 15 else cell, kind="stable")]
    count = np.bincount(cell, minlength=size)
    start = np.cumsum(count) - count
    out = np.full(size, np.nan)
    for c in np.flatnonzero(count):   # a few dozen cells
        n, half = count[c], count[c] // 2
        middle = np.partition(by_cell[start[c]:start[c] + n], [half - 1, half] if n % 2 == 0 else half)
        out[c] = middle[half] if n % 2 else (middle[half - 1] + middle[half]) / 2
    return out


def pooled(m: Measure, obs: pd.DataFrame, group: str) -> float:
    """One value for ``group`` over the whole period the observations cover."""
    sub = obs[obs.group == group]
    if m.reduce == WINDOW:
        return float(sub.value.iloc[0]) if len(sub) else float("nan")
    if m.reduce == MEDIAN:
        return float(sub.x.median()) if len(sub) else float("nan")
    den = sub.den.sum()
    return float(sub.num.sum() / den) if len(sub) and den else float("nan")


# -- lookups for the consumers ------------------------------------------------------------------
def get(name: str) -> Measure | None:
    return REGISTRY.get(name)


def unit(name: str) -> str:
    """The unit of a measure ('' for a name no measure has, e.g. in results made by older code)."""
    m = REGISTRY.get(name)
    return m.unit if m else ""


def direction(name: str, group: str) -> str | None:
    m = REGISTRY.get(name)
    return m.direction(group) if m else None


def headlines() -> list[Headline]:
    """The headline (measure, group) pairs, in rank order."""
    return sorted((h for m in REGISTRY.values() for h in m.headline), key=lambda h: h.rank)


def appraised() -> list[Headline]:
    """The headlines the option appraisal shows, in rank order."""
    return [h for h in headlines() if h.appraise]


def label(name: str, group: str) -> str:
    """Plain English for a (measure, group): its headline label, else the measure's label and group."""
    m = REGISTRY.get(name)
    if m is None:
        return f"{name} · {group}"
    headline = {h.group: h.label for h in m.headline}
    words = GROUP_WORDS.get(group, group.replace("_", " "))
    return headline.get(group) or (m.label if group == "all" else f"{m.label} · {words}")


GROUP_WORDS = {"challenged": "trusts challenged at the time", "challenged_cohort": "trusts challenged when the "
               "options start", "special_measures": "trusts in special measures"}

