"""Compiled loops for the few places where a replication spends its time on small arrays.

A search round looks at every member of its fields (a few hundred people) to find the few percent
who apply, and interviews them. Done with numpy that is some forty array operations per round, each
costing more in call overhead than in arithmetic; ``sim/_kernels.c`` does the same rule in one
loop, calling scipy's own ``ndtri`` (through ``scipy.special.cython_special``) for the interview
draws. It is built when the package is installed (a C compiler is needed; without one the install
still succeeds) and does exactly the 64-bit integer and floating-point operations of the numpy rule
below, so results are the same bit for bit either way — ``tests/test_kernels.py`` checks the two
against each other. ``LEADSIM_KERNELS=numpy`` forces the numpy rule (for checking, or to time the
difference).
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtri

from .compiled import loops as _compiled
from .rng import MASK, _mix_array

if _compiled is not None:
    try:   # scipy's own ndtri, as a C function: the compiled interview scores keep numpy's bits
        from scipy.special.cython_special import __pyx_capi__ as _scipy_c
        _compiled.use_ndtri(_scipy_c["ndtri"])
    except (ImportError, KeyError, TypeError):   # another scipy: keep the numpy rule
        _compiled = None
COMPILED = _compiled is not None
# a search round's applicants from outside the NHS: the loop of recruitment._external_applicants,
# compiled (None where it is not built: that loop runs instead)
outsiders = _compiled.outsiders if COMPILED else None


def interview(people, fields, h: int, need: int | None, group: tuple[float, float] | None, other_region: float,
              h_score: int, sd: float, bias: float, reward: float) -> tuple[int, int, int, float, int]:
    """A search round's interviews among ``fields``: (how many applied; the best scorer's row, the index
    of the field they came by and their score; how many applicants are from an ethnic minority). With
    nobody applying the row and field are -1 and the score -inf.

    A field is (rows, grade, w, w_free, free, home). Someone applies if they are available in
    ``grade``, of profession ``need`` (if any), and their keyed uniform (folded parts ``h``) is below
    their probability of applying: ``w`` (``w_free`` for executives without a post, when ``free``),
    × their group's rate (``group``: women, ethnic minority) unless None, × ``other_region`` outside
    region ``home`` unless None; someone in two fields applies once, by the first. Their score is
    capability + ``sd`` × a normal draw (a second keyed uniform, folded parts ``h_score``, through
    scipy's ``ndtri``) + ``bias`` if from an ethnic minority (+ ``reward`` if credited with a
    challenged posting, unless ``reward`` is 0). The first of equal best scores wins.
    """
    women, minority = group if group is not None else (1.0, 1.0)
    if _compiled is not None:
        return _compiled.interview(
            (people.keymix, people.available, people.profession, people.post, people.female, people.ethnic_minority,
             people.region, people.capability, people.credited),
            [(rows, grade, w, w_free, free, -1 if home is None else home) for rows, grade, w, w_free, free, home in fields],
            h, h_score, -1 if need is None else need, group is not None, women, minority, other_region, sd, bias, reward)
    found = [_field_numpy(people, rows, h, grade, need, w, w_free, free, group, home, other_region, h_score)
             for rows, grade, w, w_free, free, home in fields]
    rows = np.concatenate([r for r, _ in found]) if found else np.empty(0, dtype=np.int64)
    if len(rows) == 0:
        return 0, -1, -1, -np.inf, 0
    field = np.repeat(np.arange(len(found)), [len(r) for r, _ in found])
    u = np.concatenate([u for _, u in found])
    if len({f[1] for f in fields}) < len(fields):   # fields of one grade may share people (added pools)
        first = np.sort(np.unique(rows, return_index=True)[1])   # someone in two fields applies once
        rows, field, u = rows[first], field[first], u[first]
    noise = ndtri(u)
    em = people.ethnic_minority[rows]
    scores = people.capability[rows] + sd * noise + bias * em
    if reward:
        scores = scores + reward * people.credited[rows]
    best = int(np.argmax(scores))
    return len(rows), int(rows[best]), int(field[best]), float(scores[best]), int(np.count_nonzero(em))


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
