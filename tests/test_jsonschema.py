"""The editor's JSON Schema stays in step with the organisations' Table Schema and the register.

Files are validated as an editor sees them: editors read YAML 1.2, where a date is text, so the
dates PyYAML turns into `date` objects are turned back into their ISO text first.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from fixtures import SAMPLE_REGISTER, TODAY
from jsonschema import Draft202012Validator, FormatChecker

from socialvalue.cli import main
from socialvalue.editor_schema import OUTPUT, organisation_json_schema, register_choices, render
from socialvalue.register.check import check
from socialvalue.register.files import load
from socialvalue.register.rules import CONTACT_KEYS

COMMITTED = SAMPLE_REGISTER / OUTPUT
FIRST_LINE = "# yaml-language-server: $schema=../schemas/organisation.schema.json"


def as_editor_sees(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: as_editor_sees(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_editor_sees(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def validator() -> Draft202012Validator:
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=FormatChecker())


def errors_of(text: str) -> list[tuple[str, str]]:
    """(location, failed keyword) for every error, like ("areas/0", "enum")."""
    data = as_editor_sees(yaml.safe_load(text))
    found = validator().iter_errors(data)
    return sorted(("/".join(map(str, e.absolute_path)), str(e.validator)) for e in found)


def rendered(root: Path) -> str:
    checked = check(root, today=TODAY)
    return render(checked.tables["organisations"].schema, checked.register)


def run_schema_command(*argv: str) -> int:
    return main(["schema", "--today", TODAY.isoformat(), *argv])


def test_the_committed_schema_is_what_the_register_generates() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == rendered(SAMPLE_REGISTER), (
        "register/schemas/organisation.schema.json is stale: run `python build.py schema`"
    )


def test_the_committed_file_is_sorted_and_ends_with_one_newline() -> None:
    text = COMMITTED.read_text(encoding="utf-8")
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_it_is_a_valid_draft_2020_12_schema() -> None:
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_every_table_schema_field_appears_with_its_rules() -> None:
    table = load(SAMPLE_REGISTER).tables["organisations"].schema
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    fields = {f["name"]: f for f in table["fields"]}
    assert set(schema["properties"]) == set(fields)
    assert schema["additionalProperties"] is False
    required = [name for name, f in fields.items() if f.get("constraints", {}).get("required")]
    assert schema["required"] == required
    for name, field in fields.items():
        spec, rules = schema["properties"][name], field.get("constraints", {})
        assert spec["title"]
        assert spec.get("description") == field.get("description"), name
        for key in ("maxLength", "minLength"):
            assert spec.get(key) == rules.get(key), (name, key)
        if "pattern" in rules:
            assert spec["pattern"] == f"^(?:{rules['pattern']})$", name


def test_list_fields_offer_the_register_ids_with_their_names() -> None:
    raw = load(SAMPLE_REGISTER)
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    for field, table, label in (
        ("areas", "areas", "name"),
        ("measures", "measures", "title"),
        ("offers", "offer-types", "title"),
    ):
        rows = {row.data.get("id"): row.data.get(label) for row in raw.tables[table].rows}
        items = schema["properties"][field]["items"]
        assert items["enum"] == sorted(rows)
        assert items["enumDescriptions"] == [rows[i] for i in items["enum"]]


def test_the_contact_routes_are_the_ones_the_check_accepts() -> None:
    contact = json.loads(COMMITTED.read_text(encoding="utf-8"))["properties"]["contact"]
    assert tuple(contact["properties"]) == tuple(sorted(CONTACT_KEYS))
    assert contact["additionalProperties"] is False


def test_choices_come_from_the_register_passed_in(minimal_register) -> None:
    root = minimal_register()
    raw = load(root)
    register = check(root, today=TODAY).register
    schema = organisation_json_schema(
        raw.tables["organisations"].schema, register_choices(register)
    )
    assert schema["properties"]["measures"]["items"]["enum"] == [
        "cc-youth-volunteering",
        "env-green-spaces",
        "pc-safe-spaces",
        "rh-advice-for-victim-vcses",
    ]
    plain = organisation_json_schema(raw.tables["organisations"].schema)
    assert plain["properties"]["areas"]["items"] == {"type": "string"}


@pytest.mark.parametrize(
    "path", sorted((SAMPLE_REGISTER / "organisations").glob("*.yaml")), ids=lambda p: p.stem
)
def test_each_sample_organisation_file_validates(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == FIRST_LINE
    assert errors_of(text) == []


GOOD = (SAMPLE_REGISTER / "organisations" / "dereham-youth-kitchen.yaml").read_text(
    encoding="utf-8"
)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("areas: [breckland]", "areas: [brekland]", [("areas/0", "enum")]),
        ("areas: [breckland]", "areas: []", [("areas", "minItems")]),
        ("areas: [breckland]", "areas: [breckland, breckland]", [("areas", "uniqueItems")]),
        ("town: Dereham", "twon: Dereham", [("", "additionalProperties")]),
        (
            "reviewed: 2026-07-15",
            "reviewed: 15/07/2026",
            [("reviewed", "format"), ("reviewed", "pattern")],
        ),
        ("reviewed: 2026-07-15\n", "", [("", "required")]),
        ("org_id: GB-COH-10000002", "org_id: 10000002", [("org_id", "type")]),
        ("id: dereham-youth-kitchen", "id: Dereham_Youth_Kitchen", [("id", "pattern")]),
        ("  phone: 01362 000 105", "  phone: call us", [("contact/phone", "pattern")]),
        ("  phone: 01362 000 105", "  fax: 01362 000 105", [("contact", "additionalProperties")]),
        (
            "email: kitchen@",
            "email: kitchen.at.",
            [("contact/email", "format"), ("contact/email", "pattern")],
        ),
        ("sample: true", "sample: yes please", [("sample", "type")]),
    ],
)
def test_a_broken_file_fails(old: str, new: str, expected: list[tuple[str, str]]) -> None:
    assert old in GOOD
    assert errors_of(GOOD.replace(old, new, 1)) == expected


def test_schema_check_fails_when_stale_and_writing_fixes_it(minimal_register) -> None:
    register = minimal_register()  # its schemas/ folder holds the repository's generated file
    target = register / OUTPUT
    assert target.read_text(encoding="utf-8") != rendered(register)  # other ids
    assert run_schema_command("--register", str(register), "--check") == 1
    assert run_schema_command("--register", str(register)) == 0
    assert target.read_text(encoding="utf-8") == rendered(register)
    assert run_schema_command("--register", str(register), "--check") == 0
