"""Compiled loops for the few places where a replication spends its time on small arrays.

A search looks at every member of a field (a few hundred people) to find the few percent who
apply; done with numpy that is some forty array operations per search, each costing more in call
overhead than in arithmetic. Here the same rule is one loop, compiled by numba. Each kernel does
exactly the floating-point and 64-bit integer operations of the numpy code it replaces (no fast-math,
so no reordering), and ``tests/test_kernels.py`` checks it against that numpy code on random
inputs. With ``NUMBA_DISABLE_JIT=1`` the same functions run as plain Python.
"""

from __future__ import annotations

import numpy as np
from numba import njit

_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)   # as sim.rng (SplitMix64)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_SCALE = 2.0 ** -53


@njit(cache=True)
def _uniform(mixed_key, h):
    """``Keyed.uniform(*parts, first=premix(key))`` for one person: ``h`` is the folded parts."""
    x = mixed_key + h
    x = (x ^ (x >> _S30)) * _M1
    x = (x ^ (x >> _S27)) * _M2
    x = x ^ (x >> _S31)
    return (np.float64(x >> _S11) + 0.5) * _SCALE


@njit(cache=True)
def applicants(rows, keymix, h, available, grade, profession, need, post, w, w_free, free,
               female, minority, women_rate, minority_rate, by_group, region, home, other_region, h_score):
    """Those of ``rows`` who apply (``recruitment._applicants``), and a second keyed uniform for each
    (folded parts ``h_score``: their interview draw). An applicant is available in ``grade``, of
    profession ``need`` (unless -1), and their keyed uniform (``h``) is below their probability of
    applying: ``w`` (``w_free`` for executives without a post when ``free``), × their group's rate if
    ``by_group``, × ``other_region`` outside region ``home`` (unless ``home`` is -1)."""
    out = np.empty(len(rows), np.int64)
    score = np.empty(len(rows), np.float64)
    n = 0
    for j in range(len(rows)):
        r = rows[j]
        if available[r] != grade or (need >= 0 and profession[r] != need):
            continue
        p = w_free if free and post[r] < 0 else w
        if by_group:
            p = p * ((women_rate if female[r] else 1.0) * (minority_rate if minority[r] else 1.0))
        if home >= 0 and region[r] != home:
            p = p * other_region
        if _uniform(keymix[r], h) < p:
            out[n] = r
            score[n] = _uniform(keymix[r], h_score)
            n += 1
    return out[:n], score[:n]
