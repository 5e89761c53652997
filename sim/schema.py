"""A JSON Schema for scenario files, so editors can complete and check them as you type."""

from __future__ import annotations

import copy
from typing import Any

from .interventions import REGISTRY
from .params import Params
from .scenario import RunSettings


def _describe(node: Any) -> None:
    """Every parameter's description reads "unit — source"; overrides are partial, so nothing is required."""
    if isinstance(node, dict):
        if "unit" in node and "source" in node:
            node["description"] = f"{node.pop('unit')} — {node.pop('source')}"
        node.pop("required", None)
        node.pop("title", None)
        for value in node.values():
            _describe(value)
    elif isinstance(node, list):
        for value in node:
            _describe(value)


def params_schema() -> dict:
    """Schema of the ``params:`` block: nested objects, no unknown keys, ranges from the fields.
    Programmes are overridden by name, so they appear as an object keyed by programme name."""
    schema = copy.deepcopy(Params.model_json_schema())
    defs = schema.pop("$defs")
    programme = defs.pop("Programme")
    programme["properties"].pop("name")
    defs["TrainingParams"]["properties"]["programmes"] = {
        "type": "object", "additionalProperties": False, "description": "training programmes, by name",
        "properties": {p.name: {"$ref": "#/$defs/Programme"} for p in Params().training.programmes}}
    defs["Programme"] = programme
    schema["$defs"] = defs
    _describe(schema)
    return schema


def scenario_schema() -> dict:
    """The JSON Schema (draft 2020-12) of a scenario file."""
    params = params_schema()
    defs = params.pop("$defs")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "leadsim scenario",
        "type": "object",
        "additionalProperties": False,
        "required": ["name"],
        "$defs": defs,
        "properties": {
            "name": {"type": "string", "minLength": 1, "description": "short name, used for output folders"},
            "title": {"type": "string", "description": "what a steering group calls it (default: the name)"},
            "description": {"type": "string", "description": "what this scenario represents, for a strategist"},
            "base": {"description": "scenario file(s) this one inherits (relative paths)",
                     "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
            "params": params,
            "interventions": {"type": "array", "items": {"oneOf": [cls.model_json_schema() for cls in REGISTRY.values()]}},
            "run": RunSettings.model_json_schema(),
            "provenance": {"type": "object", "description": "how a generated file was made (not used by the model)"},
        },
    }


