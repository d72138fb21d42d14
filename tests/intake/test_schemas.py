"""The intake schemas are valid Table Schemas, complete, and agree with the register's."""

from __future__ import annotations

from pathlib import Path

import frictionless
import pytest
import yaml

from socialvalue.intake.config import REPO_ROOT
from socialvalue.intake.schemas import KINDS, SchemaError, load_spec

from .support import (
    valid_charter,
    valid_confirmation,
    valid_pledge,
    valid_request,
    valid_update,
)

INTAKE = REPO_ROOT / "register" / "schemas" / "intake"
SAMPLES = {
    "pledge": valid_pledge,
    "charter": valid_charter,
    "register-request": valid_request,
    "progress-update": valid_update,
    "delivery-confirmation": valid_confirmation,
}
SHARED = (
    "name",
    "org_id",
    "description",
    "areas",
    "measures",
    "offers",
    "welcomes",
    "how_to_approach",
    "town",
    "safeguarding",
)


def descriptor(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.slug)
def test_each_schema_is_a_table_schema_a_valid_answer_passes(kind) -> None:
    schema = descriptor(INTAKE / kind.schema)
    sample = SAMPLES[kind.slug]()
    header = [field["name"] for field in schema["fields"]]
    row = [_cell(sample.get(name)) for name in header]
    resource = frictionless.Resource.from_descriptor(
        {
            "$schema": "https://datapackage.org/profiles/2.0/dataresource.json",
            "name": kind.slug.replace("-", "_"),
            "type": "table",
            "data": [header, row],
            "schema": schema,
        }
    )
    report = resource.validate()
    assert report.flatten(["rowNumber", "fieldName", "type", "note"]) == []


def _cell(value: object) -> object:
    if isinstance(value, list):
        return value
    return value if value not in (None, "") else None


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.slug)
def test_every_rule_has_its_message_and_every_question_its_label(kind) -> None:
    for field in descriptor(INTAKE / kind.schema)["fields"]:
        messages = field.get("sv:messages", {})
        constraints = field.get("constraints", {})
        needed = {key for key in constraints if key != "unique" and constraints[key] is not False}
        if field["type"] in ("number", "date"):
            needed.add("type")
        if "sv:choices" in field:
            needed.add("choice")
        if "sv:requiredWhen" in field:
            needed.add("required")
        for key, rule in (("sv:wholeWhen", "whole"), ("sv:notBefore", "notBefore")):
            if key in field:
                needed.add(rule)
        assert (field["name"], sorted(needed - set(messages))) == (field["name"], [])
        assert field.get("title"), field["name"]


def test_an_organisation_request_shares_the_register_rules() -> None:
    request = {f["name"]: f for f in descriptor(INTAKE / "register-request.schema.yaml")["fields"]}
    register = {
        f["name"]: f
        for f in descriptor(REPO_ROOT / "register" / "schemas" / "organisations.schema.yaml")[
            "fields"
        ]
    }
    for name in SHARED:
        assert (name, request[name]["type"], request[name].get("constraints")) == (
            name,
            register[name]["type"],
            register[name].get("constraints"),
        )


def test_every_field_a_request_shares_by_name_is_checked() -> None:
    request = {f["name"] for f in descriptor(INTAKE / "register-request.schema.yaml")["fields"]}
    register = {
        f["name"]
        for f in descriptor(REPO_ROOT / "register" / "schemas" / "organisations.schema.yaml")[
            "fields"
        ]
    }
    assert sorted(request & register) == sorted(SHARED)


def test_a_rule_the_intake_cannot_check_stops_it_at_start(tmp_path: Path) -> None:
    (tmp_path / "pledge.schema.yaml").write_text(
        "fields:\n  - {name: x, type: string, constraints: {format: email}}\n"
    )
    with pytest.raises(SchemaError, match="not checked by the intake"):
        load_spec(KINDS[0], tmp_path)
