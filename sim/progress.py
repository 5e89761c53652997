"""Progress bars on stderr (tqdm): redrawn in place on a terminal, a plain line now and then in
logs; and the stderr handler that shows the library's log messages without breaking a bar."""

from __future__ import annotations

import logging
import sys

from tqdm import tqdm

LOG_EVERY = 60.0  # seconds between lines when stderr is not a terminal (a log file, CI)


class _Lines:
    """A stream for tqdm that turns its carriage-return redraws into whole lines, for log files."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> None:
        line = text.strip("\r\n")
        if line.strip():
            self.stream.write(line + "\n")

    def flush(self) -> None:
        self.stream.flush()


def bar(total: float | None, enabled: bool = True, **options) -> tqdm:
    """A tqdm bar on stderr; ``options`` go to tqdm (desc, unit, bar_format, …). Off when
    ``enabled`` is false or there is nothing to count."""
    stream = sys.stderr
    tty = hasattr(stream, "isatty") and stream.isatty()
    where = {"file": stream, "dynamic_ncols": True} if tty else {
        "file": _Lines(stream), "mininterval": LOG_EVERY, "maxinterval": LOG_EVERY, "ncols": 100}
    return tqdm(total=total, disable=not enabled or total == 0, **where, **options)


class _Stderr(logging.Handler):
    """Writes each record as a plain line on the current stderr, above any progress bar."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            tqdm.write(self.format(record), file=sys.stderr)
        except Exception:  # logging must never take the program down
            self.handleError(record)


def log_to_stderr(level: int = logging.INFO) -> None:
    """Show the messages of leadsim's modules (logger ``sim``) on stderr, as the command line does."""
    logger = logging.getLogger("sim")
    if not any(isinstance(h, _Stderr) for h in logger.handlers):
        logger.addHandler(_Stderr())
    logger.setLevel(level)
    logger.propagate = False
