"""Named random streams: one independent generator per decision, for common random numbers.

Each stream is seeded from (root seed, replication, a stable hash of its name), so adding
draws to one stream — or a new stream for an intervention — never shifts the draws of
another. There is no global random state anywhere in the package.
"""

from __future__ import annotations

import hashlib

import numpy as np


def stable_hash(name: str) -> int:
    """A 64-bit hash of ``name`` that is the same on every machine and Python run."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "little")


class Streams:
    """Lazily created, named ``numpy.random.Generator`` objects for one replication."""

    def __init__(self, seed: int, replication: int = 0):
        if seed < 0 or replication < 0:
            raise ValueError(f"seed and replication must be ≥ 0, got seed={seed}, replication={replication}")
        self.seed = int(seed)
        self.replication = int(replication)
        self._streams: dict[str, np.random.Generator] = {}

    def get(self, name: str) -> np.random.Generator:
        """The generator for ``name``, created on first use."""
        gen = self._streams.get(name)
        if gen is None:
            h = stable_hash(name)
            ss = np.random.SeedSequence([self.seed, self.replication, h & 0xFFFFFFFF, h >> 32])
            gen = self._streams[name] = np.random.Generator(np.random.PCG64(ss))
        return gen

    def names(self) -> list[str]:
        return sorted(self._streams)
