"""Random numbers for common random numbers: named streams, and draws keyed by entity.

Two kinds of randomness, both seeded from (root seed, replication, a stable hash of a name):

- ``Streams.get(name)`` — a sequential ``numpy.random.Generator``, for draws whose number never
  depends on what a scenario changes (building the trusts and the starting population, each
  trust's own inspections).
- ``Streams.keyed(name)`` — a :class:`Keyed` stream: every draw is a pure function of the
  stream and integer *parts* naming what it is for — e.g. (person, post, year, draw number). A
  person's draws do not depend on how many draws were made before, so a change confined to one
  trust leaves every other person's, post's and trust's draws aligned across scenarios, and
  filtering candidates before drawing changes nothing.

There is no global random state anywhere in the package.
"""

from __future__ import annotations

import hashlib
import math

import numpy as np
from scipy.special import ndtri
# the same functions as scipy's ufuncs (the same bits), for one Python float without a ufunc call's overhead
from scipy.special.cython_special import gammaincinv as _gammaincinv, ndtri as _ndtri

from .compiled import loops as _compiled

MASK = (1 << 64) - 1
_G = 0x9E3779B97F4A7C15   # 2^64 / golden ratio: spreads consecutive integers across the word
_M1, _M2 = 0xBF58476D1CE4E5B9, 0x94D049BB133111EB   # SplitMix64's finaliser (Steele et al. 2014)


def stable_hash(name: str) -> int:
    """A 64-bit hash of ``name`` that is the same on every machine and Python run."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "little")


def _mix(x: int) -> int:
    x = ((x ^ (x >> 30)) * _M1) & MASK
    x = ((x ^ (x >> 27)) * _M2) & MASK
    return x ^ (x >> 31)


_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
_UM1, _UM2, _UG = np.uint64(_M1), np.uint64(_M2), np.uint64(_G)


def _mix_array(x: np.ndarray) -> np.ndarray:
    x = x ^ (x >> _S30)   # a new array (``x`` is left as it was); the rest works in it in place
    x *= _UM1
    x ^= x >> _S27
    x *= _UM2
    x ^= x >> _S31
    return x


def _fold(base: int, parts: tuple, first: np.ndarray | None = None) -> int | np.ndarray:
    """Hash ``parts`` (integers or integer arrays, broadcast together) into 64-bit words.

    Each part is mixed with its position, the results are summed and mixed once more: the same
    numbers whether a part comes as an integer or inside an array, and only one array pass per
    array part (scalar parts are combined in plain Python first). ``first``, if given, is the first
    part already mixed (``premix``), so a person's identity is mixed once, not at every draw.
    """
    h, arrays, size = base, [], 0
    i = 0 if first is None else 1
    for p in parts:
        if isinstance(p, np.ndarray):
            arrays.append((i, p))
            size = max(size, p.size)
        else:
            h = (h + _mix(((int(p) & MASK) + (i + 1) * _G) & MASK)) & MASK
        i += 1
    if first is not None:
        size = max(size, first.size)
    elif not arrays:
        return _mix(h)
    if size <= 8 and all(a.ndim <= 1 for _, a in arrays) and (first is None or first.ndim <= 1):
        return _fold_small(h, arrays, first, size)
    acc = np.uint64(h) if first is None else first + np.uint64(h)
    for i, p in arrays:
        acc = acc + _mix_array(p.astype(np.uint64, copy=False) + np.uint64(((i + 1) * _G) & MASK))
    return _mix_array(acc)


def _fold_small(h: int, arrays: list, first: np.ndarray | None, size: int) -> np.ndarray:
    """``_fold``'s last steps for a few elements, one by one in plain Python (faster there)."""
    columns = [([int(v) for v in a.tolist()] * (size if a.size == 1 else 1), ((i + 1) * _G) & MASK)
               for i, a in arrays]
    heads = [int(v) for v in first.tolist()] * (size if first.size == 1 else 1) if first is not None else [0] * size
    out = []
    for k in range(size):
        acc = (h + heads[k]) & MASK
        for values, salt in columns:
            acc = (acc + _mix(((values[k] & MASK) + salt) & MASK)) & MASK
        out.append(_mix(acc))
    return np.array(out, dtype=np.uint64)


def premix(keys: np.ndarray) -> np.ndarray:
    """Identities mixed as a first part, for ``Keyed`` draws with ``first=``."""
    return _mix_array(keys.astype(np.uint64, copy=False) + np.uint64(_G))


_SALTS = tuple(((i + 1) * _G) & MASK for i in range(32))
_SCALE = 2.0 ** -53
_S11 = np.uint64(11)
_COUNT_SALTS = tuple(_mix(s) for s in _SALTS)   # the k-th of several uniforms for the same parts


def _fold_ints(h: int, parts: tuple) -> int:
    """``_fold`` for integer parts only, inlined: the common case of one draw for one event."""
    for p, salt in zip(parts, _SALTS):
        x = (int(p) + salt) & MASK   # = ((p mod 2^64) + salt) mod 2^64
        x = ((x ^ (x >> 30)) * _M1) & MASK
        x = ((x ^ (x >> 27)) * _M2) & MASK
        h += x ^ (x >> 31)
    x = h & MASK
    x = ((x ^ (x >> 30)) * _M1) & MASK
    x = ((x ^ (x >> 27)) * _M2) & MASK
    return x ^ (x >> 31)


def key_of(label: str, index) -> int | np.ndarray:
    """A stable identity for the ``index``-th entity created under ``label`` (e.g. the 7th
    graduate of the 2021 cohort): the same in every scenario that creates it."""
    return _fold(stable_hash(label), (index,))


class Keyed:
    """Draws that are pure functions of (stream, parts): ``uniform(person, post, year)``."""

    def __init__(self, base: int):
        self.base = base

    def uniform(self, *parts, first: np.ndarray | None = None):
        """Uniform on (0, 1): a float for integer parts, an array if any part is an array.
        ``first`` replaces a first part of identities with their ``premix``."""
        if first is None:
            if _compiled is not None:   # the same arithmetic in C (None unless every part is an int)
                u = _compiled.keyed_uniform_ints(self.base, parts)
                if u is not None:
                    return u
            for p in parts:   # a loop, not any(generator): this runs ~100,000 times a replication
                if isinstance(p, np.ndarray):
                    break
            else:
                return ((_fold_ints(self.base, parts) >> 11) + 0.5) * _SCALE
        else:   # identities and integer parts (a field's applicants): ``_fold``'s arithmetic, inlined
            h = self.base
            for p, salt in zip(parts, _SALTS[1:]):
                if isinstance(p, np.ndarray):
                    break
                h = (h + _mix((int(p) + salt) & MASK)) & MASK
            else:
                return ((_mix_array(first + np.uint64(h)) >> _S11).astype(np.float64) + 0.5) * _SCALE
        h = _fold(self.base, parts, first)
        if isinstance(h, np.ndarray):
            return ((h >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0 ** -53
        return ((h >> 11) + 0.5) * 2.0 ** -53

    def folded(self, *parts) -> int:
        """The integer ``parts`` hashed as ``uniform(*parts, first=…)`` hashes them before adding each
        identity: for a compiled loop that makes those draws itself (``sim.kernels``)."""
        if _compiled is not None:
            h = _compiled.keyed_folded(self.base, parts)
            if h is not None:
                return h
        h = self.base
        for p, salt in zip(parts, _SALTS[1:]):
            h = (h + _mix((int(p) + salt) & MASK)) & MASK
        return h

    def uniforms(self, count: int, *parts):
        """``count`` independent uniforms for the same parts: a list, or an array with a last axis
        of length ``count`` if any part is an array."""
        if _compiled is not None and count <= len(_COUNT_SALTS):
            u = _compiled.keyed_uniforms_ints(self.base, parts, _COUNT_SALTS[:count])
            if u is not None:
                return u
        for p in parts:
            if isinstance(p, np.ndarray):
                break
        else:
            h = _fold_ints(self.base, parts)
            return [((_mix(h ^ _COUNT_SALTS[k]) >> 11) + 0.5) * _SCALE for k in range(count)]
        h = _fold(self.base, parts)
        if isinstance(h, np.ndarray):
            salt = np.array(_COUNT_SALTS[:count], dtype=np.uint64)
            words = _mix_array(h[..., None] ^ salt)
            return ((words >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0 ** -53
        return [((_mix(h ^ _COUNT_SALTS[k]) >> 11) + 0.5) * _SCALE for k in range(count)]

    def normal(self, *parts, first: np.ndarray | None = None):
        """Standard normal, by inversion of a keyed uniform."""
        u = self.uniform(*parts, first=first)
        return ndtri(u) if isinstance(u, np.ndarray) else _ndtri(u)

    def exponential(self, mean: float, *parts) -> float:
        return -mean * math.log1p(-self.uniform(*parts))

    def gamma(self, shape: float, scale: float, *parts) -> float:
        return _gammaincinv(shape, self.uniform(*parts)) * scale

    def poisson(self, lam: float, *parts) -> int:
        """Poisson count by inversion (the means here are small)."""
        u, k = self.uniform(*parts), 0
        p = cdf = float(np.exp(-lam))
        while u > cdf and k < 10_000:
            k += 1
            p *= lam / k
            cdf += p
        return k


class Streams:
    """Lazily created named streams for one replication: sequential and keyed."""

    def __init__(self, seed: int, replication: int = 0):
        if seed < 0 or replication < 0:
            raise ValueError(f"seed and replication must be ≥ 0, got seed={seed}, replication={replication}")
        self.seed = int(seed)
        self.replication = int(replication)
        self._streams: dict[str, np.random.Generator] = {}
        self._keyed: dict[str, Keyed] = {}

    def get(self, name: str) -> np.random.Generator:
        """The sequential generator for ``name``, created on first use."""
        gen = self._streams.get(name)
        if gen is None:
            h = stable_hash(name)
            ss = np.random.SeedSequence([self.seed & MASK, self.replication, h & 0xFFFFFFFF, h >> 32])
            gen = self._streams[name] = np.random.Generator(np.random.PCG64(ss))
        return gen

    def keyed(self, name: str) -> Keyed:
        """The keyed stream for ``name``."""
        stream = self._keyed.get(name)
        if stream is None:
            base = _fold(stable_hash(f"keyed:{name}"), (self.seed, self.replication))
            stream = self._keyed[name] = Keyed(base)
        return stream

    def names(self) -> list[str]:
        return sorted(self._streams) + sorted(f"keyed:{n}" for n in self._keyed)
