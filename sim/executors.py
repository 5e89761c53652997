"""Where runs execute: in this process, in local worker processes, or on a Dask cluster.

Every executor maps a picklable function over tasks and yields results as they finish, in any
order; results do not depend on the executor because each run's randomness comes only from its
own (seed, replication) streams. Ctrl-C cancels what has not started and lets running tasks end.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import signal
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Callable, Iterable, Iterator


def _ignore_sigint() -> None:
    # Workers leave Ctrl-C to the parent, which cancels cleanly instead of breaking the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Sequential:
    """Runs tasks one after another in this process."""
    name = "sequential"

    def map(self, fn: Callable, tasks: Iterable) -> Iterator:
        for task in tasks:
            yield fn(task)

    def close(self) -> None:
        pass


class Processes:
    """A pool of local worker processes (spawned, so no state leaks in from the parent)."""

    def __init__(self, jobs: int):
        self.jobs = jobs
        self.name = f"{jobs} local processes"
        self._pool = ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("spawn"),
                                         initializer=_ignore_sigint)

    def map(self, fn: Callable, tasks: Iterable) -> Iterator:
        futures = [self._pool.submit(fn, t) for t in tasks]
        try:
            for fut in as_completed(futures):
                yield fut.result()
        except BaseException:
            for fut in futures:
                fut.cancel()
            raise

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


# Measured with benchmarks/bench_experiment.py: Dask's default MALLOC_TRIM_THRESHOLD_=65536 for
# workers and its 10 ms statistical profiler each make this allocation-heavy, pure-Python model
# ~10-20% slower than in a plain process. Local workers run without them.
LOCAL_WORKER_CONFIG = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
                       "distributed.worker.profile.enabled": False}


class Dask:
    """A Dask distributed cluster: an existing scheduler, or a local cluster on loopback."""

    def __init__(self, scheduler: str, jobs: int):
        import dask
        from dask.distributed import Client, LocalCluster
        self._cluster = None
        if scheduler == "local":
            with dask.config.set(LOCAL_WORKER_CONFIG):
                self._cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                             host="127.0.0.1", dashboard_address=None, silence_logs=logging.ERROR)
            self._client = Client(self._cluster)
            self.name = f"Dask local cluster ({jobs} workers)"
        else:
            self._client = Client(scheduler, timeout="30s")
            self.name = f"Dask cluster at {scheduler}"

    def map(self, fn: Callable, tasks: Iterable) -> Iterator:
        from dask.distributed import as_completed as dask_completed
        futures = self._client.map(fn, list(tasks), pure=False)
        try:
            for fut in dask_completed(futures):
                yield fut.result()
        except BaseException:
            self._client.cancel(futures)
            raise

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def make(jobs: int | None = None, scheduler: str | None = None):
    """The executor for ``--jobs`` and ``--scheduler`` (default: one process per core)."""
    jobs = jobs or os.cpu_count() or 1
    if scheduler:
        return Dask(scheduler, jobs)
    return Sequential() if jobs == 1 else Processes(jobs)
