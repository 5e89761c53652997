"""The one kind of input error: a file, a key path in it, what was expected and what was found.

Every reader of user input (scenario, sweep, target and parameter files, parameter overrides,
intervention settings) raises :class:`InputError`, and the command line prints it as one line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


EXCERPT = 60  # characters of a found value shown in a message: never a file's content


class Plain(str):
    """A found value that is a description ("a directory"), shown without quotes."""

    def __repr__(self) -> str:
        return str(self)


def excerpt(found: Any) -> str:
    """A found value as shown in a message: its repr, cut to a short single line."""
    if isinstance(found, str) and found == "nothing":
        return found
    text = repr(found)
    if len(text) > EXCERPT:
        text = text[:EXCERPT - 1] + "…"
    return text.replace("\n", "\\n")


class InputError(ValueError):
    """Something a person wrote is not valid; the message, one line, is meant for them."""

    def __init__(self, file: str | Path, path: str, expected: str, found: Any):
        self.file, self.path, self.expected, self.found = str(file), path, expected, found
        where = f"{file}: {path}" if str(file) else path
        super().__init__(f"{where}: expected {expected}, found {excerpt(found)}")

    def in_file(self, file: str | Path) -> "InputError":
        """The same problem, reported against ``file``."""
        return InputError(file, self.path, self.expected, self.found)
