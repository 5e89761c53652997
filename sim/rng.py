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
from statistics import NormalDist

import numpy as np
from scipy.special import gammaincinv, ndtri

MASK = (1 << 64) - 1
_G = 0x9E3779B97F4A7C15   # 2^64 / golden ratio: spreads consecutive integers across the word
_M1, _M2 = 0xBF58476D1CE4E5B9, 0x94D049BB133111EB   # SplitMix64's finaliser (Steele et al. 2014)
_NORMAL = NormalDist()


def stable_hash(name: str) -> int:
    """A 64-bit hash of ``name`` that is the same on every machine and Python run."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "little")


def _mix(x: int) -> int:
    x = ((x ^ (x >> 30)) * _M1) & MASK
    x = ((x ^ (x >> 27)) * _M2) & MASK
    return x ^ (x >> 31)


def _mix_array(x: np.ndarray) -> np.ndarray:
    x = (x ^ (x >> np.uint64(30))) * np.uint64(_M1)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(_M2)
    return x ^ (x >> np.uint64(31))


def _fold(base: int, parts: tuple) -> int | np.ndarray:
    """Hash ``parts`` (integers or integer arrays, broadcast together) into 64-bit words."""
    if not any(isinstance(p, np.ndarray) for p in parts):
        h = base
        for p in parts:
            h = _mix((h + (int(p) & MASK) * _G) & MASK)
        return h
    h = np.uint64(base)
    with np.errstate(over="ignore"):
        for p in parts:
            h = _mix_array(h + np.asarray(p).astype(np.uint64) * np.uint64(_G))
    return h


def key_of(label: str, index) -> int | np.ndarray:
    """A stable identity for the ``index``-th entity created under ``label`` (e.g. the 7th
    graduate of the 2021 cohort): the same in every scenario that creates it."""
    return _fold(stable_hash(label), (index,))


class Keyed:
    """Draws that are pure functions of (stream, parts): ``uniform(person, post, year)``."""

    def __init__(self, base: int):
        self.base = base

    def uniform(self, *parts):
        """Uniform on (0, 1): a float for integer parts, an array if any part is an array."""
        h = _fold(self.base, parts)
        if isinstance(h, np.ndarray):
            return ((h >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0 ** -53
        return ((h >> 11) + 0.5) * 2.0 ** -53

    def normal(self, *parts):
        """Standard normal, by inversion of a keyed uniform."""
        u = self.uniform(*parts)
        return ndtri(u) if isinstance(u, np.ndarray) else _NORMAL.inv_cdf(u)

    def exponential(self, mean: float, *parts) -> float:
        return -mean * float(np.log1p(-self.uniform(*parts)))

    def gamma(self, shape: float, scale: float, *parts) -> float:
        return float(gammaincinv(shape, self.uniform(*parts))) * scale

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
