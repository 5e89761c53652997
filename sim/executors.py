"""Where runs execute: in this process, in local worker processes, or on a Dask cluster.

Every executor maps a picklable function over tasks and yields results as they finish, in any
order; results do not depend on the executor because each run's randomness comes only from its
own (seed, replication) streams. Ctrl-C (or SIGTERM, which the command line turns into Ctrl-C)
cancels what has not started and stops the workers; runs already saved are kept.

Local workers die with their parent: they are born with SIGINT blocked (so a Ctrl-C while one is
still starting prints no traceback), ask Linux to kill them when the parent dies (PR_SET_PDEATHSIG), and
a watchdog thread exits them if their parent changes (other systems, or a parent that ends while
they start).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing as mp
import os
import re
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Callable, Iterable, Iterator

PR_SET_PDEATHSIG = 1   # linux/prctl.h
WATCH_SECONDS = 1.0    # how often a worker checks that its parent is alive


class ExecutorError(ValueError):
    """Runs cannot be executed as asked (e.g. an unreachable scheduler); meant for the user."""


def worker_start(parent: int) -> None:
    """In each worker: leave Ctrl-C to the parent, and die with it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="leadsim-parent-watch").start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)  # orphaned: nobody will read our results


@contextlib.contextmanager
def sigint_blocked():
    """Processes this thread starts inside inherit SIGINT blocked (the mask survives exec), so a
    Ctrl-C that reaches a worker still importing cannot print a traceback; the parent still gets
    its Ctrl-C (delivered on leaving, if not already to another thread)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextlib.contextmanager
def _sigint_ignored():
    """Like ``sigint_blocked`` for processes other threads start (Dask's nannies): SIGINT is
    ignored process-wide meanwhile, and children inherit that (Python keeps an inherited SIG_IGN)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class Sequential:
    """Runs tasks one after another in this process."""
    name = "sequential"

    def map(self, fn: Callable, tasks: Iterable) -> Iterator:
        for task in tasks:
            yield fn(task)

    def close(self, cancel: bool = False) -> None:
        pass


class Processes:
    """A pool of local worker processes (spawned, so no state leaks in from the parent)."""

    def __init__(self, jobs: int):
        self.jobs = jobs
        self.name = f"{jobs} local processes"
        self._pool = ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("spawn"),
                                         initializer=worker_start, initargs=(os.getpid(),))

    def map(self, fn: Callable, tasks: Iterable) -> Iterator:
        with sigint_blocked():  # workers are spawned by submit, in this thread
            futures = [self._pool.submit(fn, t) for t in tasks]
        try:
            for fut in as_completed(futures):
                yield fut.result()
        except BaseException:
            for fut in futures:
                fut.cancel()
            raise

    def close(self, cancel: bool = False) -> None:
        """Wait for the workers to finish; with ``cancel`` (after Ctrl-C, an error, or when every
        result is in) stop them now: whatever they are making would not be saved."""
        if cancel:
            # ProcessPoolExecutor has no public way to stop running work
            workers = list((getattr(self._pool, "_processes", None) or {}).values())
            self._pool.shutdown(wait=False, cancel_futures=True)
            for proc in workers:
                with contextlib.suppress(Exception):
                    proc.terminate()
            for proc in workers:
                with contextlib.suppress(Exception):
                    proc.join(10)
        self._pool.shutdown(wait=True, cancel_futures=True)


# Measured with benchmarks/bench_experiment.py: Dask's default MALLOC_TRIM_THRESHOLD_=65536 for
# workers and its 10 ms statistical profiler each make this allocation-heavy, pure-Python model
# ~10-20% slower than in a plain process. Local workers run without them.
LOCAL_WORKER_CONFIG = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
                       "distributed.worker.profile.enabled": False}


class Dask:
    """A Dask distributed cluster: an existing scheduler, or a local cluster on loopback."""

    def __init__(self, scheduler: str, jobs: int, dashboard: str | None = None):
        import dask
        from dask.distributed import Client, LocalCluster
        self._cluster = None
        if scheduler == "local":
            # No dashboard unless asked. Dask's scheduler always opens an HTTP port (8787 by
            # default) for its routes; without a dashboard it serves none, on a free loopback port.
            config = {**LOCAL_WORKER_CONFIG, **({} if dashboard else {"distributed.scheduler.http.routes": []})}
            quiet = {} if dashboard else {"scheduler_kwargs": {"dashboard_address": "127.0.0.1:0"}}
            with dask.config.set(config), _sigint_ignored():
                self._cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                             host="127.0.0.1", dashboard_address=dashboard,
                                             silence_logs=logging.ERROR, **quiet)
            self._client = Client(self._cluster)
            self.name = f"Dask local cluster ({jobs} workers)"
            if dashboard:
                self.name += f", dashboard {self._client.dashboard_link}"
        else:
            try:
                # how long to try: Dask's connect timeout (30 s; DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT)
                self._client = Client(scheduler, timeout=dask.config.get("distributed.comm.timeouts.connect"))
            except (OSError, TimeoutError, ValueError) as exc:
                raise ExecutorError(f"--scheduler: cannot reach the Dask scheduler at {scheduler}: "
                                    f"{str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__}") from None
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

    def close(self, cancel: bool = False) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


MAX_JOBS = 256
SCHEDULER = re.compile(r"^(tcp|tls)://[A-Za-z0-9_.\-\[\]:]+:\d{1,5}$")


def make(jobs: int | None = None, scheduler: str | None = None, dashboard: str | None = None):
    """The executor for ``--jobs`` and ``--scheduler`` (default: one process per core)."""
    if jobs is not None and not 1 <= jobs <= MAX_JOBS:
        raise ExecutorError(f"--jobs: expected a whole number from 1 to {MAX_JOBS}, found {jobs}")
    jobs = jobs or os.cpu_count() or 1
    if scheduler:
        if scheduler != "local" and not SCHEDULER.match(scheduler):
            raise ExecutorError(f"--scheduler: expected 'local', tcp://HOST:PORT or tls://HOST:PORT, "
                                f"found {scheduler!r}")
        return Dask(scheduler, jobs, dashboard)
    return Sequential() if jobs == 1 else Processes(jobs)
