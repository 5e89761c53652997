"""A JSON Schema for scenario files, so editors can complete and check them as you type."""

from __future__ import annotations

import dataclasses
from typing import Any

from .interventions import REGISTRY
from .params import Params, ProgrammeParams
from .scenario import RunSettings


def _leaf(value: Any, meta: dict) -> dict:
    desc = " — ".join(x for x in (meta.get("unit", ""), meta.get("source", "")) if x)
    if isinstance(value, bool):
        out: dict = {"type": "boolean"}
    elif isinstance(value, int):
        out = {"type": "integer"}
    elif isinstance(value, float):
        out = {"type": "number"}
    elif isinstance(value, str):
        out = {"type": "string"}
    else:
        out = {}
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if meta.get("lo") is not None:
            out["minimum"] = meta["lo"]
        if meta.get("hi") is not None:
            out["maximum"] = meta["hi"]
    if desc:
        out["description"] = desc
    out["default"] = value
    return out


def params_schema(obj: Any) -> dict:
    """Schema of a parameter object: nested objects, no unknown keys, ranges from the metadata."""
    props = {}
    for f in dataclasses.fields(obj):
        value, meta = getattr(obj, f.name), dict(f.metadata)
        if dataclasses.is_dataclass(value):
            props[f.name] = params_schema(value)
        elif isinstance(value, tuple) and value and isinstance(value[0], ProgrammeParams):
            props[f.name] = {"type": "object", "additionalProperties": False,
                             "description": "training programmes, by name",
                             "properties": {p.name: params_schema(p) for p in value}}
        elif isinstance(value, dict):
            inner = {str(k): _leaf(v, meta) for k, v in value.items()}
            schema: dict = {"type": "object", "properties": inner, "description": _leaf(0, meta).get("description", "")}
            if all(isinstance(k, int) for k in value):  # keyed by calendar year
                schema["additionalProperties"] = _leaf(next(iter(value.values())), meta)
            else:
                schema["additionalProperties"] = False
            props[f.name] = schema
        else:
            props[f.name] = _leaf(value, meta)
    return {"type": "object", "additionalProperties": False, "properties": props}


def scenario_schema() -> dict:
    """The JSON Schema (draft 2020-12) of a scenario file."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "leadsim scenario",
        "type": "object",
        "additionalProperties": False,
        "required": ["name"],
        "properties": {
            "name": {"type": "string", "minLength": 1, "description": "short name, used for output folders"},
            "description": {"type": "string", "description": "what this scenario represents, for a strategist"},
            "base": {"description": "scenario file(s) this one inherits (relative paths)",
                     "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
            "params": params_schema(Params()),
            "interventions": {"type": "array", "items": {"oneOf": [cls.model_json_schema() for cls in REGISTRY.values()]}},
            "run": RunSettings.model_json_schema(),
        },
    }
