"""Reading input files safely, and the one error a person sees when an input is wrong.

Every input file (scenarios, sweeps, calibration targets and parameters) goes through
``read_yaml``: the file must be a regular file of at most ``MAX_BYTES``, UTF-8, YAML without
duplicate keys, nested at most ``MAX_DEPTH`` deep and at most ``MAX_NODES`` values once aliases
are expanded. Any failure — decoding, parsing, a tag that cannot be built such as
``!!int abc`` — becomes one ``InputError`` (``sim/errors.py``): ``FILE: KEY.PATH: expected X,
found Y``, where ``found`` is a short excerpt, never the file's content.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, Plain

MAX_BYTES = 1_000_000       # the largest shipped file is ~10 KB
MAX_DEPTH = 40              # scenario documents nest ~6 deep
MAX_NODES = 200_000         # values after expanding aliases (a "billion laughs" stops here)

# Names become folder and file names: letters, digits, '_', '-' and '.', never a path ('/').
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$"
NAME_RULE = "a name of at most 80 letters, digits, '_', '-' and '.', starting with a letter or digit"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,119}")  # sweep points add a suffix to a name


def located(exc: Exception, file: str | Path, prefix: str = "") -> InputError:
    """An error carrying ``path``, ``expected`` and ``found`` (an ``InputError`` without a file,
    an ``InterventionError``) as an ``InputError`` naming ``file``; with ``prefix`` the key path
    reads ``PREFIX (PATH)`` (a sweep factor that a scenario rejects)."""
    path = f"{prefix} ({exc.path})" if prefix else exc.path
    return InputError(file, path, exc.expected, exc.found)


def safe_name(value: object) -> bool:
    """True if ``value`` can be a folder name inside a results folder (no path, no '..')."""
    return isinstance(value, str) and _NAME.fullmatch(value) is not None


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys and deep nesting (PyYAML's composer recurses)."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise yaml.YAMLError(f"nesting deeper than {MAX_DEPTH} levels")
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                key = self.construct_object(key_node, deep=deep)
                try:
                    duplicate = key in seen
                except TypeError:
                    continue  # unhashable keys are reported by SafeLoader itself
                if duplicate:
                    mark = key_node.start_mark
                    raise _Duplicate(f"line {mark.line + 1}, column {mark.column + 1}", key)
                seen.add(key)
        return super().construct_mapping(node, deep)


class _Duplicate(Exception):
    def __init__(self, where: str, key: Any):
        super().__init__(where)
        self.where, self.key = where, key


def _count(value: Any, budget: int, depth: int = 0) -> int:
    """Remaining budget after counting ``value``'s nodes with aliases expanded; negative when
    there are too many or they nest too deep (aliases can nest, even into themselves)."""
    budget -= 1
    if budget < 0 or depth > MAX_DEPTH:
        return -1
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for child in children:
        budget = _count(child, budget, depth + 1)
        if budget < 0:
            return budget
    return budget


def _kind(path: Path) -> str:
    """What a path that is not a regular file is, for the message."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return exc.strerror or "an unreadable path"
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    return "not a regular file"


def read_yaml(path: str | Path, what: str = "YAML file") -> Any:
    """The YAML document in ``path``, or an ``InputError`` naming the file (see the module doc)."""
    path = Path(path)
    readable = f"a readable {what}"
    try:
        regular = path.is_file()
    except (OSError, ValueError):
        regular = False
    if not regular:
        raise InputError(path, "(file)", readable, Plain(_kind(path)))
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(path, "(file)", readable, Plain(exc.strerror or type(exc).__name__)) from None
    if len(data) > MAX_BYTES:
        raise InputError(path, "(file)", f"a {what} of at most {MAX_BYTES:,} bytes", Plain("a larger file"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"byte {exc.start}", "UTF-8 text", f"byte 0x{data[exc.start]:02x}") from None
    try:
        doc = yaml.load(text, Loader=_Loader)  # noqa: S506 — _Loader is a SafeLoader
    except _Duplicate as exc:
        raise InputError(path, exc.where, "each key once in a mapping", exc.key) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(document)"
        raise InputError(path, where, "valid YAML", exc.problem or exc.context or "a syntax error") from None
    except yaml.YAMLError as exc:
        raise InputError(path, "(document)", "valid YAML", str(exc)) from None
    except (ValueError, TypeError, IndexError, OverflowError, RecursionError, MemoryError) as exc:
        # a tag SafeLoader cannot build, e.g. `!!int abc`, `!!int ''` or `!!timestamp 2020-13-45`
        found = Plain(f"a value its tag cannot build ({type(exc).__name__})")
        raise InputError(path, "(document)", "valid YAML values", found) from None
    if _count(doc, MAX_NODES) < 0:
        raise InputError(path, "(document)", f"at most {MAX_NODES:,} values nested at most {MAX_DEPTH} deep "
                         "(aliases expanded)", Plain("more"))
    return doc


def describe_type(value: Any) -> Plain:
    """'a list', 'text', … — what a document is, without quoting it (it may be any file)."""
    names = {dict: "a mapping", list: "a list", str: "text", type(None): "an empty document", bool: "true or false",
             int: "a number", float: "a number"}
    return Plain(names.get(type(value), type(value).__name__))
