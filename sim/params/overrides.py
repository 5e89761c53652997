"""Reading and changing parameters by dotted path: overrides merged into a new validated object,
one-line descriptions of what was wrong, the assumptions register and plain forms for manifests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

from pydantic import BaseModel, ValidationError

from ..errors import InputError
from .schedules import Series
from .system import Programme
from .vocabulary import Group

if TYPE_CHECKING:
    from . import Params


class ParamError(InputError):
    """A parameter override names a parameter that does not exist or gives it a value it cannot take."""

    def __init__(self, path: str, expected: str, found: Any):
        super().__init__("", path, expected, found)


def with_overrides(params: Params, overrides: Mapping[str, Any], where: str = "params") -> Params:
    """A new ``Params`` with nested ``overrides`` merged into ``params`` and validated as a whole.

    Mappings merge key by key; programmes are overridden by name. Raises :class:`ParamError` naming
    the key path (``where`` + dotted path), what was expected and what was found.
    """
    if not isinstance(overrides, Mapping):
        raise ParamError(where, "a mapping of parameter names", overrides)
    overrides = dict(overrides)
    schedules = {path: Series.model_validate(raw) if not isinstance(raw, Series) else raw
                 for path, raw in params.schedules.items()}
    for path, raw in _scheduled(overrides.pop("schedules", {}) or {}, where):
        overrides = _deep_set(overrides, path, raw)
    overrides, found, plain = _extract_series(overrides, "")
    for path in plain:
        schedules.pop(path, None)   # a plain value replaces a schedule
    for path, raw in found.items():
        try:
            series = Series.model_validate(raw)
        except ValidationError as exc:
            raise ParamError(*describe_params(exc, f"{where}.{path}", raw)) from None
        schedules[path] = series
        overrides = _deep_set(overrides, path, _as_leaf(params, path, series.value(float("-inf"))))
    merged = _merge(params.model_dump(exclude={"schedules"}), overrides, where, type(params))
    merged["schedules"] = {}
    try:
        result = type(params).model_validate(merged)
    except ValidationError as exc:
        raise ParamError(*describe_params(exc, where, merged)) from None
    for path, series in schedules.items():  # every value of a series must be valid where it lands
        for year, value in series.series.items():
            try:
                with_overrides(result, nest({path: _as_leaf(result, path, value)}), where)
            except ParamError as exc:
                raise ParamError(f"{where}.{path}.series.{year}", exc.expected, exc.found) from None
    return result.model_copy(update={"schedules": schedules}) if schedules else result


def _replaced(node: Any, parts: list[str], value: Any) -> Any:
    """A copy of ``node`` with ``value`` at the path ``parts`` (no validation: the value is known good)."""
    if not parts:
        return value
    head, rest = parts[0], parts[1:]
    if isinstance(node, BaseModel):
        return node.model_copy(update={head: _replaced(getattr(node, head), rest, value)})
    if isinstance(node, dict):
        key = int(head) if head.lstrip("-").isdigit() and int(head) in node else head
        return {**node, key: _replaced(node[key], rest, value)}
    if isinstance(node, tuple):  # programmes, by name
        return tuple(_replaced(p, rest, value) if p.name == head else p for p in node)
    raise KeyError(head)


def _as_leaf(params: "Params", path: str, value: Any) -> Any:
    """A series value in the type of the parameter it sets (whole numbers stay whole)."""
    try:
        current = get(params, path)
    except KeyError:
        return value
    if isinstance(current, int) and not isinstance(current, bool) and not isinstance(value, bool):
        return int(round(value))
    return value


def _scheduled(raw: Any, where: str):
    if not isinstance(raw, Mapping):
        raise ParamError(f"{where}.schedules", "a mapping of parameter path to {series: …}", raw)
    for path, series in raw.items():
        yield str(path), series.model_dump() if isinstance(series, Series) else series


def _extract_series(value: Any, path: str) -> tuple[Any, dict, list]:
    """Split ``{series: …}`` leaves out of an override mapping: (the rest, {path: series}, plain paths)."""
    if isinstance(value, Mapping) and "series" in value:
        return None, {path: dict(value)}, []
    if isinstance(value, Mapping):
        rest, found, plain = {}, {}, []
        for key, item in value.items():
            sub = f"{path}.{key}" if path else str(key)
            r, f, p = _extract_series(item, sub)
            found.update(f)
            plain += p
            if not f or r:
                rest[key] = r if r is not None else item
        return rest, found, plain
    return value, {}, [path]


def _deep_set(mapping: Mapping, path: str, value: Any) -> dict:
    """A copy of ``mapping`` with ``value`` at the dotted ``path`` (year keys become integers)."""
    out = dict(mapping)
    head, _, rest = path.partition(".")
    key: Any = int(head) if head.lstrip("-").isdigit() else head
    out[key] = _deep_set(out.get(key) or {}, rest, value) if rest else value
    return out


def nest(values: Mapping[str, Any]) -> dict:
    """{'a.b.c': 1} → {'a': {'b': {'c': 1}}}, merging all paths (year keys become integers)."""
    out: dict = {}
    for path, value in values.items():
        out = _deep_set(out, path, value)
    return out


def _merge(current: Any, value: Any, path: str, model: Any) -> Any:
    """``value`` merged into the plain form ``current`` of a parameter (checked key by key)."""
    if isinstance(current, dict) and isinstance(value, Mapping):
        fields = getattr(model, "model_fields", None)
        out = dict(current)
        for key, item in value.items():
            sub = f"{path}.{key}"
            if fields is not None and key not in fields:
                raise ParamError(sub, "one of " + ", ".join(fields), key)
            child = fields[key].annotation if fields is not None else None
            out[key] = _merge(current.get(key), item, sub, child) if key in current else item
        return out
    if isinstance(current, tuple) and current and isinstance(current[0], dict):  # programmes, by name
        if not isinstance(value, Mapping):
            raise ParamError(path, "a mapping of programme name to settings", value)
        names = {p["name"]: i for i, p in enumerate(current)}
        out = list(current)
        for name, settings in value.items():
            if name not in names:
                raise ParamError(f"{path}.{name}", "one of " + ", ".join(names), name)
            if not isinstance(settings, Mapping):
                raise ParamError(f"{path}.{name}", "a mapping of programme settings", settings)
            for key in settings:
                if key not in Programme.model_fields or key == "name":
                    raise ParamError(f"{path}.{name}.{key}", "one of " + ", ".join(
                        k for k in Programme.model_fields if k != "name"), key)
            out[names[name]] = {**current[names[name]], **settings}
        return tuple(out)
    return value


_EXPECTED = {
    "float_type": "a number", "float_parsing": "a number", "int_type": "a whole number",
    "int_parsing": "a whole number", "int_from_float": "a whole number", "bool_type": "true or false",
    "bool_parsing": "true or false", "string_type": "text", "dict_type": "a mapping", "tuple_type": "a list",
    "finite_number": "a finite number", "missing": "a value",
}


def describe_params(exc: ValidationError, where: str = "params", doc: Any = None) -> tuple[str, str, Any]:
    """(key path, what was expected, what was found) for the first problem in a parameter document
    (``doc``, when given, names programmes in the path instead of their position)."""
    err = exc.errors()[0]
    loc, node = [], doc
    for part in err["loc"]:
        if part in ("[key]", "float", "bool", "int"):  # pydantic's names for the members of a union
            continue
        if isinstance(node, (tuple, list)) and isinstance(part, int) and part < len(node):
            node = node[part]
            loc.append(str(node.get("name", part)) if isinstance(node, dict) else str(part))
            continue
        node = node.get(part) if isinstance(node, dict) else None
        loc.append(str(part))
    path = ".".join([where, *loc]) if loc else where
    kind, ctx = err["type"], err.get("ctx") or {}
    found = err.get("input")
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        sign = {"greater_than_equal": "≥", "less_than_equal": "≤", "greater_than": ">", "less_than": "<"}[kind]
        bound = next(iter(ctx.values()))
        expected = f"a number {sign} {bound:g}"
    elif kind == "literal_error":
        expected = "one of " + str(ctx.get("expected", "")).replace("'", "")
        if err["loc"] and err["loc"][-1] == "[key]":
            found = err["loc"][-2] if len(err["loc"]) >= 2 else found
    elif kind == "extra_forbidden":
        expected, found = "a known parameter name", err["loc"][-1]
    elif kind == "string_pattern_mismatch":
        expected = "a name of lower-case letters, digits and _"
    elif kind == "constraint":
        expected, found = ctx["expected"], ctx["found"]
    else:
        expected = _EXPECTED.get(kind, err["msg"])
    return path, expected, found


def to_dict(params: Any) -> Any:
    """Plain nested dict/list form of a parameter object (for manifests and JSON)."""
    if isinstance(params, BaseModel):
        return {name: to_dict(getattr(params, name)) for name in type(params).model_fields}
    if isinstance(params, (tuple, list)):
        return [to_dict(p) for p in params]
    if isinstance(params, dict):
        return {str(k): to_dict(v) for k, v in params.items()}
    return params


def register(params: BaseModel, prefix: str = "") -> list[dict]:
    """Every leaf parameter with its value, unit and source: the assumptions register. A parameter
    that changes with the calendar shows its series."""
    rows = []
    schedules = getattr(params, "schedules", {}) if not prefix else {}
    for name, info in type(params).model_fields.items():
        if name == "schedules":
            continue
        value = getattr(params, name)
        path = f"{prefix}{name}"
        extra = info.json_schema_extra or {}
        if isinstance(value, Group):
            rows += register(value, path + ".")
        elif isinstance(value, tuple) and value and isinstance(value[0], Programme):
            for p in value:
                rows.append({"parameter": f"{path}.{p.name}", "value": to_dict(p), "unit": "programme",
                             "source": p.source})
        else:
            rows.append({"parameter": path, "value": to_dict(value), "unit": extra.get("unit", ""),
                         "source": extra.get("source", "")})
    if schedules:
        by_path = {row["parameter"]: row for row in rows}
        for path, series in schedules.items():
            row = by_path.get(path) or next((r for r in rows if path.startswith(r["parameter"] + ".")), None)
            shown = {"series": {str(y): v for y, v in sorted(series.series.items())},
                     "interpolation": series.interpolation}
            if row is not None and row["parameter"] == path:
                row["value"] = shown
            else:
                rows.append({"parameter": path, "value": shown, "unit": row["unit"] if row else "",
                             "source": row["source"] if row else ""})
    return rows


def get(params: BaseModel, path: str) -> Any:
    """The value at a dotted parameter path (``KeyError`` if there is none); programmes by name."""
    node: Any = params
    for part in path.split("."):
        if isinstance(node, BaseModel):
            if part not in type(node).model_fields:
                raise KeyError(path)
            node = getattr(node, part)
        elif isinstance(node, dict):
            key = int(part) if part.lstrip("-").isdigit() and int(part) in node else part
            if key not in node:
                raise KeyError(path)
            node = node[key]
        elif isinstance(node, tuple):
            node = next((p for p in node if getattr(p, "name", None) == part), None)
            if node is None:
                raise KeyError(path)
        else:
            raise KeyError(path)
    return node
