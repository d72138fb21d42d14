"""The form rules, read from the intake Table Schemas (``register/schemas/intake/``).

The same rules drive the server's check (``forms.py``), the browser's check (``rules_json``,
embedded in each form) and the OpenAPI document: the form rules cannot drift from each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from socialvalue.intake.choices import Choices
from socialvalue.register.problems import format_text
from socialvalue.register.yamlfile import read_yaml

HONEYPOT = "comments"
CONTRACT_ROLES = ("reference", "commitment", "update")
TYPES = ("string", "number", "date", "boolean", "array")
KNOWN_CONSTRAINTS = {
    "required",
    "unique",
    "pattern",
    "enum",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
}
KNOWN_MESSAGES = {
    "required",
    "type",
    "pattern",
    "enum",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "choice",
    "whole",
    "notBefore",
    "welcomed",
    "contract",
    "organisation",
    "future",
    "early",
}


class SchemaError(Exception):
    """An intake schema uses something the intake cannot check: a bug in the schema file."""


@dataclass(frozen=True)
class Kind:
    """One of the forms."""

    slug: str
    letter: str
    schema: str
    api_path: str
    title: str


KINDS: tuple[Kind, ...] = (
    Kind("pledge", "P", "pledge.schema.yaml", "/api/pledges", "Pledge a measure"),
    Kind(
        "charter",
        "C",
        "charter-signature.schema.yaml",
        "/api/charter-signatures",
        "Sign the Suppliers Charter",
    ),
    Kind(
        "register-request",
        "R",
        "register-request.schema.yaml",
        "/api/register-requests",
        "Ask to join or update the register",
    ),
    Kind(
        "progress-update",
        "U",
        "progress-update.schema.yaml",
        "/api/progress-updates",
        "Report progress on a contract",
    ),
    Kind(
        "delivery-confirmation",
        "D",
        "delivery-confirmation.schema.yaml",
        "/api/delivery-confirmations",
        "Confirm or dispute a delivery",
    ),
)
KIND_BY_SLUG: Mapping[str, Kind] = {kind.slug: kind for kind in KINDS}


@dataclass(frozen=True)
class FieldRule:
    """One question and everything needed to check its answer."""

    name: str
    type: str
    label: str
    hint: str
    constraints: Mapping[str, Any]
    messages: Mapping[str, str]
    labels: Mapping[str, str]
    true_values: tuple[str, ...] = ("yes",)
    false_values: tuple[str, ...] = ("no",)
    choices: str | None = None
    required_when: tuple[str, str] | None = None
    not_before: str | None = None
    whole_when: str | None = None
    welcomed_by: str | None = None
    normalise: tuple[str, ...] = ()
    contract: str | None = None  # looked up in the register's contracts (``delivery.py``)

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required"))


@dataclass(frozen=True)
class FormSpec:
    kind: Kind
    fields: tuple[FieldRule, ...]

    def field(self, name: str) -> FieldRule:
        for rule in self.fields:
            if rule.name == name:
                return rule
        raise KeyError(name)


def load_specs(schemas_dir: Path) -> dict[str, FormSpec]:
    """Every form's rules, keyed by kind slug."""
    return {kind.slug: load_spec(kind, schemas_dir) for kind in KINDS}


def load_spec(kind: Kind, schemas_dir: Path) -> FormSpec:
    path = schemas_dir / kind.schema
    doc, problems = read_yaml(path, path.as_posix())
    if doc is None or not isinstance(doc.value, dict):
        raise SchemaError("; ".join(format_text(p) for p in problems) or f"{path}: not a schema")
    descriptor = doc.value
    fields = tuple(_field(path, raw) for raw in descriptor["fields"])
    return FormSpec(kind, fields)


def _field(path: Path, raw: Mapping[str, Any]) -> FieldRule:
    name = raw["name"]
    where = f"{path.name}: {name}"
    if raw["type"] not in TYPES:
        raise SchemaError(f"{where}: type {raw['type']!r} is not one the intake checks")
    constraints = dict(raw.get("constraints", {}))
    if unknown := set(constraints) - KNOWN_CONSTRAINTS:
        raise SchemaError(f"{where}: constraints {sorted(unknown)} are not checked by the intake")
    messages = dict(raw.get("sv:messages", {}))
    if unknown := set(messages) - KNOWN_MESSAGES:
        raise SchemaError(f"{where}: messages {sorted(unknown)} match no rule")
    when = raw.get("sv:requiredWhen")
    return FieldRule(
        name=name,
        type=raw["type"],
        label=raw.get("title", name),
        hint=" ".join(str(raw.get("description", "")).split()),
        constraints=constraints,
        messages=messages,
        labels={str(k): str(v) for k, v in raw.get("sv:labels", {}).items()},
        true_values=tuple(raw.get("trueValues", ("yes",))),
        false_values=tuple(raw.get("falseValues", ("no",))),
        choices=raw.get("sv:choices"),
        required_when=(when["field"], str(when["value"])) if when else None,
        not_before=raw.get("sv:notBefore"),
        whole_when=raw.get("sv:wholeWhen"),
        welcomed_by=raw.get("sv:welcomedBy"),
        normalise=tuple(raw.get("sv:normalise", ())),
        contract=_contract_role(where, raw.get("sv:contract")),
    )


def _contract_role(where: str, role: Any) -> str | None:
    if role is not None and role not in CONTRACT_ROLES:
        raise SchemaError(f"{where}: sv:contract {role!r} is not one of {CONTRACT_ROLES}")
    return role


def rules_json(spec: FormSpec, choices: Choices) -> dict[str, Any]:
    """The rules as plain JSON, for ``forms.js`` (embedded by the templates) and the templates."""
    fields: dict[str, Any] = {}
    for rule in spec.fields:
        entry: dict[str, Any] = {
            "type": rule.type,
            "label": rule.label,
            "hint": rule.hint,
            "constraints": dict(rule.constraints),
            "messages": dict(rule.messages),
        }
        if rule.labels:
            entry["labels"] = dict(rule.labels)
        if rule.type == "boolean":
            entry["trueValues"] = list(rule.true_values)
            entry["falseValues"] = list(rule.false_values)
        if rule.choices:
            entry["choices"] = sorted(choices.ids(rule.choices))
        if rule.required_when:
            entry["requiredWhen"] = {"field": rule.required_when[0], "value": rule.required_when[1]}
        for key, value in (
            ("notBefore", rule.not_before),
            ("wholeWhen", rule.whole_when),
            ("welcomedBy", rule.welcomed_by),
            ("normalise", list(rule.normalise)),
            ("contract", rule.contract),
        ):
            if value:
                entry[key] = value
        fields[rule.name] = entry
    return {
        "kind": spec.kind.slug,
        "order": [rule.name for rule in spec.fields],  # Jinja's tojson sorts the keys
        "honeypot": HONEYPOT,
        "wholeMeasures": list(choices.whole_measures()),
        "fields": fields,
    }
