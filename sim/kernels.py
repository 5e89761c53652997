"""Compiled loops for the few places where a replication spends its time on small arrays.

A search looks at every member of a field (a few hundred people) to find the few percent who
apply. Done with numpy that is some thirty array operations per field, each costing more in call
overhead than in arithmetic; ``sim/_kernels.c`` does the same rule in one loop. It is built when
the package is installed (a C compiler is needed; without one the install still succeeds) and does
exactly the 64-bit integer and floating-point operations of the numpy rule below, so results are
the same bit for bit either way — ``tests/test_kernels.py`` checks the two against each other.
``LEADSIM_KERNELS=numpy`` forces the numpy rule (for checking, or to time the difference).
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtri

from .compiled import loops as _compiled
from .rng import MASK, _mix_array

COMPILED = _compiled is not None


def applicants(people, fields, h: int, need: int | None, group: tuple[float, float] | None,
               other_region: float, h_score: int) -> tuple[np.ndarray, list[int], np.ndarray]:
    """Who applies for a post from each of ``fields``: (their rows, field after field; how many came
    from each field; their interview draws, standard normal).

    A field is (rows, grade, w, w_free, free, home). Someone applies if they are available in
    ``grade``, of profession ``need`` (if any), and their keyed uniform (folded parts ``h``) is below
    their probability of applying: ``w`` (``w_free`` for executives without a post, when ``free``),
    × their group's rate (``group``: women, ethnic minority) unless None, × ``other_region`` outside
    region ``home`` unless None. Their interview draw is a second keyed uniform (folded parts
    ``h_score``) turned normal.
    """
    size = sum(len(f[0]) for f in fields)
    out, score, counts, n = np.empty(size, dtype=np.int64), np.empty(size), [], 0
    for rows, grade, w, w_free, free, home in fields:
        if _compiled is None:
            r, u = _field_numpy(people, rows, h, grade, need, w, w_free, free, group, home, other_region, h_score)
            out[n:n + len(r)], score[n:n + len(r)], end = r, u, n + len(r)
        else:
            women, minority = group if group is not None else (1.0, 1.0)
            end = _compiled.applicants(rows, people.keymix, h, people.available, grade, people.profession,
                                       -1 if need is None else need, people.post, w, w_free, free, people.female,
                                       people.ethnic_minority, women, minority, group is not None, people.region,
                                       -1 if home is None else home, other_region, h_score, out, score, n)
        counts.append(end - n)
        n = end
    return out[:n], counts, ndtri(score[:n])


def _uniforms(keymix: np.ndarray, h: int) -> np.ndarray:
    """``Keyed.uniform(*parts, first=keymix)`` for folded parts ``h``."""
    words = _mix_array(keymix + np.uint64(h & MASK))
    return ((words >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0 ** -53


def _field_numpy(people, rows, h, grade, need, w, w_free, free, group, home, other_region, h_score):
    """One field's applicants and their interview uniforms, by array operations: what the compiled
    loop does, and what it is checked against."""
    rows = rows[people.available[rows] == grade]
    if need is not None:
        rows = rows[people.profession[rows] == need]
    if free:
        w = np.where(people.post[rows] < 0, w_free, w)
    if group is not None:
        w = w * (np.where(people.female[rows], group[0], 1.0) * np.where(people.ethnic_minority[rows], group[1], 1.0))
    if home is not None:
        w = np.where(people.region[rows] == home, w, w * other_region)
    rows = rows[_uniforms(people.keymix[rows], h) < w]
    return rows, _uniforms(people.keymix[rows], h_score)
