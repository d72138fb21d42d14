"""The OpenAPI 3.1 document of the public JSON API, made from the same schemas as the forms."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from socialvalue.intake.choices import Choices
from socialvalue.intake.references import PATTERN
from socialvalue.intake.schemas import HONEYPOT, FieldRule, FormSpec

ERRORS = {
    "400": "The body is not a JSON object in UTF-8 (NaN and Infinity are not JSON).",
    "403": "The Origin header is missing or not one of the site's.",
    "413": "The body is larger than the limit (counted as it arrives).",
    "415": "The Content-Type is not application/json.",
    "422": "Some answers break the rules: one error per question, in question order.",
    "429": "Too many POSTs from this address: wait for Retry-After seconds.",
    "503": "The answers could not be saved: try again later.",
}


CONTRACT_NOTES = {
    "reference": "A contract reference on the register, in any case.",
    "commitment": "The id of one of that contract's commitments, in any case; a quantity in a "
    "unit counted whole must then be a whole number.",
    "update": "The id of one of that contract's progress updates, in any case.",
}


def document(specs: Mapping[str, FormSpec], choices: Choices, version: str = "1") -> dict:
    paths: dict[str, Any] = {
        "/healthz": {
            "get": {
                "summary": "Is the service up?",
                "operationId": "health",
                "responses": {"200": _json("It is.", {"$ref": "#/components/schemas/Health"})},
            }
        },
    }
    for spec in specs.values():
        paths[spec.kind.api_path] = {"post": _operation(spec, choices)}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Social Value intake",
            "version": version,
            "description": "Receives pledges, Charter signatures, register requests, progress "
            "updates on contracts and delivery confirmations. "
            "The browser forms post to /forms/{kind} with the same rules.",
        },
        "paths": paths,
        "components": {
            "schemas": _components(),
            "headers": {
                "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}
            },
        },
    }


def _operation(spec: FormSpec, choices: Choices) -> dict[str, Any]:
    error = {"$ref": "#/components/schemas/Error"}
    responses: dict[str, Any] = {
        "201": _json(
            "Stored; the reference is the submitter's receipt.",
            {"$ref": "#/components/schemas/Accepted"},
        ),
    }
    for status, text in ERRORS.items():
        responses[status] = _json(text, error)
    for status in ("429", "503"):
        responses[status]["headers"] = {"Retry-After": {"$ref": "#/components/headers/Retry-After"}}
    return {
        "summary": spec.kind.title,
        "operationId": "submit-" + spec.kind.slug,
        "parameters": [
            {
                "name": "Origin",
                "in": "header",
                "required": True,
                "schema": {"type": "string"},
                "description": "The site's origin, as a browser sends it.",
            }
        ],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": request_schema(spec, choices)}},
        },
        "responses": responses,
    }


def request_schema(spec: FormSpec, choices: Choices) -> dict[str, Any]:
    """JSON Schema of one form's answers (unknown properties are ignored, so allowed)."""
    properties = {rule.name: _property(rule, choices) for rule in spec.fields}
    properties[HONEYPOT] = {
        "type": "string",
        "description": "Leave out. A request with text "
        "here is answered as accepted but is not stored (spam trap).",
    }
    return {
        "type": "object",
        "properties": properties,
        "required": [rule.name for rule in spec.fields if rule.required],
    }


def _property(rule: FieldRule, choices: Choices) -> dict[str, Any]:
    c = rule.constraints
    prop: dict[str, Any] = {"title": rule.label}
    notes = [rule.hint] if rule.hint else []
    if rule.required_when:
        notes.append(
            f"Required when {rule.required_when[0]} is {rule.required_when[1]!r}; "
            "ignored otherwise."
        )
    if rule.contract:
        notes.append(CONTRACT_NOTES[rule.contract])
    ids = sorted(choices.ids(rule.choices)) if rule.choices else None
    if rule.type == "string":
        prop["type"] = "string"
        for key in ("minLength", "maxLength"):
            if key in c:
                prop[key] = c[key]
        if "pattern" in c:
            prop["pattern"] = f"^(?:{c['pattern']})$"
        if "enum" in c or ids is not None:
            prop["enum"] = list(c.get("enum", ids))
    elif rule.type == "number":
        prop["type"] = ["number", "string"]
        prop.update({k: c[k] for k in ("exclusiveMinimum", "minimum", "maximum") if k in c})
        notes.append('A number, or text such as "1,250".')
        if rule.whole_when:
            notes.append(f"A whole number when the {rule.whole_when}'s unit is counted whole.")
    elif rule.type == "date":
        prop.update({"type": "string", "format": "date"})
    elif rule.type == "boolean":
        prop["enum"] = [True, False, *rule.true_values, *rule.false_values]
    else:
        prop.update({"type": "array", "items": {"type": "string"}})
        if ids is not None:
            prop["items"]["enum"] = ids
    if notes:
        prop["description"] = " ".join(notes)
    return prop


def _json(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _components() -> dict[str, Any]:
    return {
        "Accepted": {
            "type": "object",
            "required": ["ok", "reference"],
            "additionalProperties": False,
            "properties": {
                "ok": {"const": True},
                "reference": {
                    "type": "string",
                    "pattern": f"^{PATTERN.pattern}$",
                },
            },
        },
        "Error": {
            "type": "object",
            "required": ["ok", "errors"],
            "additionalProperties": False,
            "properties": {
                "ok": {"const": False},
                "errors": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "required": ["field", "message"],
                        "additionalProperties": False,
                        "properties": {
                            "field": {
                                "type": ["string", "null"],
                                "description": "The question's name; null for the whole request.",
                            },
                            "message": {"type": "string"},
                        },
                    },
                },
            },
        },
        "Health": {"type": "object", "required": ["ok"], "properties": {"ok": {"const": True}}},
    }
