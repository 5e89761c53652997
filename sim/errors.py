"""The one kind of input error: a file, a key path in it, what was expected and what was found.

Every reader of user input (scenario, sweep, target and parameter files, parameter overrides,
intervention settings) raises :class:`InputError`, and the command line prints it as one line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class InputError(ValueError):
    """Something a person wrote is not valid; the message is meant for them."""

    def __init__(self, file: str | Path, path: str, expected: str, found: Any):
        self.file, self.path, self.expected, self.found = str(file), path, expected, found
        shown = found if isinstance(found, str) and found in ("nothing",) else repr(found)
        where = f"{file}: {path}" if str(file) else path
        super().__init__(f"{where}: expected {expected}, found {shown}")

    def in_file(self, file: str | Path) -> "InputError":
        """The same problem, reported against ``file``."""
        return InputError(file, self.path, self.expected, self.found)
