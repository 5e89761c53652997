"""A progress line on stderr: runs done of total, rate, time left, and what just finished."""

from __future__ import annotations

import sys
import time


class Progress:
    """Counts finished runs; redraws in place on a terminal, prints now and then otherwise."""

    def __init__(self, total: int, label: str = "runs", enabled: bool = True, stream=None):
        self.total, self.label, self.enabled = total, label, enabled and total > 0
        self.stream = stream or sys.stderr
        self.done = self.failed = 0
        self.start = time.perf_counter()
        self._last_print = 0.0
        self._tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def step(self, what: str = "", failed: bool = False) -> None:
        self.done += 1
        self.failed += failed
        if not self.enabled:
            return
        now = time.perf_counter()
        if self._tty or now - self._last_print >= 10 or self.done == self.total:
            self._last_print = now
            self._draw(what, now)

    def _draw(self, what: str, now: float) -> None:
        elapsed = now - self.start
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate > 0 else float("nan")
        width = 24
        filled = int(width * self.done / self.total)
        bar = "█" * filled + "·" * (width - filled)
        fail = f" · {self.failed} failed" if self.failed else ""
        eta = _clock(left) if left == left else "?"
        text = (f"{bar} {self.done}/{self.total} {self.label} · {rate:.2f}/s · {_clock(elapsed)} elapsed"
                f" · {eta} left{fail} · {what}")
        end = "\r" if self._tty and self.done < self.total else "\n"
        self.stream.write(("\r\x1b[2K" if self._tty else "") + text + end)
        self.stream.flush()


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
