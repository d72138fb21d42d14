"""A JSON Schema (draft 2020-12) for one organisation file, generated from its Table Schema.

Editors read it through the first line of every organisation file
(`# yaml-language-server: $schema=../schemas/organisation.schema.json`), so a contributor gets
autocomplete for area, measure and offer type ids and a warning as they type. The Table Schema in
`register/schemas/organisations.schema.yaml` stays the one source: `python build.py schema`
regenerates this file, and a test keeps the committed copy in step.

Editors use YAML 1.2, where `2026-03-31` is text, so dates are strings in the JSON Schema.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .register.model import Register
from .register.rules import CONTACT_KEYS, EMAIL, PHONE

DRAFT = "https://json-schema.org/draft/2020-12/schema"
TABLE = "organisations"
OUTPUT = Path("schemas") / "organisation.schema.json"  # inside the register folder
WEBSITE = r"https?://[^\s/.][^\s/]*\.[^\s/]+(?:/\S*)?"
TITLES = {"org_id": "Organisation identifier", "id": "Id (the file name)"}

Choices = Mapping[str, Mapping[str, str]]  # list field -> {id: label}


def _anchored(pattern: str) -> str:
    """Table Schema patterns match the whole value; JSON Schema patterns search, so anchor them."""
    return f"^(?:{pattern})$"


def _title(field: dict[str, Any]) -> str:
    name = str(field["name"])
    return str(field.get("title") or TITLES.get(name) or name.replace("_", " ").capitalize())


def contact_schema() -> dict[str, Any]:
    """The contact routes the register's rules accept (see rules.py), with the same patterns."""
    routes = {
        "email": {
            "type": "string",
            "format": "email",
            "pattern": _anchored(EMAIL.pattern),
            "description": "A public, organisational email address, like info@example.org.",
        },
        "website": {
            "type": "string",
            "format": "uri",
            "pattern": _anchored(WEBSITE),
            "description": "The organisation's website, starting with https://",
        },
        "phone": {
            "type": "string",
            "pattern": _anchored(PHONE.pattern),
            "description": "A public phone number, like 01603 000 123.",
        },
    }
    properties = {key: {"title": key.capitalize(), **routes[key]} for key in CONTACT_KEYS}
    return {"type": "object", "properties": properties, "additionalProperties": False}


def _property(field: dict[str, Any], choices: Choices) -> dict[str, Any]:
    kind = str(field.get("type", "string"))
    constraints = field.get("constraints", {})
    spec: dict[str, Any] = {"title": _title(field)}
    if field.get("description"):
        spec["description"] = str(field["description"])
    if kind == "date":
        spec.update(type="string", format="date", pattern="^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
    elif kind == "array":
        items: dict[str, Any] = {"type": "string"}
        options = choices.get(field["name"])
        if options:
            ordered = sorted(options)
            items.update(enum=ordered, enumDescriptions=[options[i] for i in ordered])
        spec.update(type="array", items=items, uniqueItems=True)
        if constraints.get("required"):
            spec["minItems"] = 1
    elif kind == "object" and field["name"] == "contact":
        spec.update(contact_schema())
    else:
        spec["type"] = (
            kind if kind in ("string", "integer", "number", "boolean", "object") else "string"
        )
    if "pattern" in constraints:
        spec["pattern"] = _anchored(str(constraints["pattern"]))
    for key in ("minLength", "maxLength", "minimum", "maximum", "enum"):
        if key in constraints:
            spec[key] = constraints[key]
    return spec


def organisation_json_schema(
    table_schema: dict[str, Any], choices: Choices | None = None
) -> dict[str, Any]:
    """The JSON Schema for one organisation file; `choices` lists the ids allowed in list fields."""
    fields = table_schema.get("fields", [])
    return {
        "$schema": DRAFT,
        "$comment": "Made by `python build.py schema` from organisations.schema.yaml: do not edit.",
        "title": "Organisation on the Social Value register",
        "description": "One voluntary, community or social enterprise organisation (VCSE) "
        "that welcomes an approach from suppliers. See CONTRIBUTING.md.",
        "type": "object",
        "required": [f["name"] for f in fields if f.get("constraints", {}).get("required")],
        "properties": {f["name"]: _property(f, choices or {}) for f in fields},
        "additionalProperties": False,
    }


def register_choices(register: Register) -> dict[str, dict[str, str]]:
    """{list field: {id: label}} for an organisation's areas, measures and offers."""
    return {
        "areas": {a.id: a.name for a in register.areas},
        "measures": {m.id: m.title for m in register.measures},
        "offers": {o.id: o.title for o in register.offer_types},
    }


def render(table_schema: dict[str, Any], register: Register) -> str:
    """The schema file's exact text: sorted keys, two-space indent, one newline at the end."""
    schema = organisation_json_schema(table_schema, register_choices(register))
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
