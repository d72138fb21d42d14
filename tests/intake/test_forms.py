"""The form rules: a table of answers -> exactly the field and message expected."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from socialvalue.intake.choices import Choices, load_choices
from socialvalue.intake.config import REPO_ROOT
from socialvalue.intake.forms import prefill, raw_from_form, raw_from_json, validate
from socialvalue.intake.schemas import FormSpec, load_specs

from .support import valid_charter, valid_pledge, valid_request

VALID = {"pledge": valid_pledge, "charter": valid_charter, "register-request": valid_request}
EMAIL = "Enter a work email address in the correct format, like name@example.org"

# (kind, changed answers (None removes one), the one error expected: (field, message))
CASES: list[tuple[str, dict[str, Any], tuple[str, str]]] = [
    ("pledge", {"measure": None}, ("measure", "Select the measure you are pledging")),
    ("pledge", {"measure": "  "}, ("measure", "Select the measure you are pledging")),
    ("pledge", {"measure": "made-up"}, ("measure", "Select a measure from the list")),
    (
        "pledge",
        {"organisation": "nobody"},
        (
            "organisation",
            'Select an organisation from the register, or "Not for a particular organisation"',
        ),
    ),
    ("pledge", {"quantity": ""}, ("quantity", "Enter the quantity you are pledging")),
    ("pledge", {"quantity": "twelve"}, ("quantity", "Enter the quantity as a number, like 12")),
    ("pledge", {"quantity": "NaN"}, ("quantity", "Enter the quantity as a number, like 12")),
    ("pledge", {"quantity": "inf"}, ("quantity", "Enter the quantity as a number, like 12")),
    ("pledge", {"quantity": "1e5"}, ("quantity", "Enter the quantity as a number, like 12")),
    ("pledge", {"quantity": "9" * 41}, ("quantity", "Enter the quantity as a number, like 12")),
    ("pledge", {"quantity": "0"}, ("quantity", "The quantity must be more than 0")),
    ("pledge", {"quantity": "-4"}, ("quantity", "The quantity must be more than 0")),
    (
        "pledge",
        {"quantity": "1000000001"},
        ("quantity", "The quantity must be 1,000,000,000 or less"),
    ),
    ("pledge", {"quantity": "2.5"}, ("quantity", "Enter the quantity as a whole number, like 12")),
    ("pledge", {"supplier_name": ""}, ("supplier_name", "Enter your organisation's name")),
    (
        "pledge",
        {"supplier_name": "x" * 151},
        ("supplier_name", "Your organisation's name must be 150 characters or fewer"),
    ),
    ("pledge", {"contact_name": "\x00\x01"}, ("contact_name", "Enter your full name")),
    ("pledge", {"contact_email": "jo.example.org"}, ("contact_email", EMAIL)),
    ("pledge", {"contact_email": "jo@example"}, ("contact_email", EMAIL)),
    ("pledge", {"contact_email": "jo @example.org"}, ("contact_email", EMAIL)),
    (
        "pledge",
        {"contact_email": "a@b." + "c" * 260},
        ("contact_email", "Your work email address must be 254 characters or fewer"),
    ),
    (
        "pledge",
        {"contract_reference": None},
        ("contract_reference", "Enter the contract reference"),
    ),
    ("pledge", {"period_start": ""}, ("period_start", "Enter the date the pledge starts")),
    (
        "pledge",
        {"period_start": "2026-02-30"},
        ("period_start", "The start date must be a real date, like 1 4 2026"),
    ),
    (
        "pledge",
        {"period_start": "1/4/2026"},
        ("period_start", "The start date must be a real date, like 1 4 2026"),
    ),
    (
        "pledge",
        {"period_start": "0026-04-01"},
        ("period_start", "The start date must be a real date, like 1 4 2026"),
    ),
    (
        "pledge",
        {"period_end": "2026-03-31"},
        ("period_end", "The end date must be the same as or after the start date"),
    ),
    (
        "pledge",
        {"period_end": "2026-13-01"},
        ("period_end", "The end date must be a real date, like 31 3 2027"),
    ),
    (
        "pledge",
        {"additionality": "x" * 1001},
        ("additionality", "The description must be 1000 characters or fewer"),
    ),
    (
        "charter",
        {"companies_house": "1234567"},
        (
            "companies_house",
            "Enter the Companies House number as 8 letters and numbers, like 01234567",
        ),
    ),
    (
        "charter",
        {"companies_house": "SC12345!"},
        (
            "companies_house",
            "Enter the Companies House number as 8 letters and numbers, like 01234567",
        ),
    ),
    (
        "charter",
        {"commitments_scope": ""},
        (
            "commitments_scope",
            "Select whether you sign all the commitments or only the ones you choose",
        ),
    ),
    (
        "charter",
        {"commitments_scope": "some"},
        (
            "commitments_scope",
            "Select whether you sign all the commitments or only the ones you choose",
        ),
    ),
    (
        "charter",
        {"commitments_scope": "chosen"},
        ("commitments", "Select the commitments your organisation signs up to"),
    ),
    (
        "charter",
        {"commitments_scope": "chosen", "commitments": ["ch-living-wage", "ch-bogus"]},
        ("commitments", "Select commitments from the list"),
    ),
    (
        "charter",
        {"listed": ""},
        ("listed", "Select yes if we can list your organisation as a signatory"),
    ),
    (
        "charter",
        {"listed": "maybe"},
        ("listed", "Select yes if we can list your organisation as a signatory"),
    ),
    ("charter", {"contact_email": ""}, ("contact_email", "Enter your work email address")),
    (
        "register-request",
        {"request_type": "leave"},
        ("request_type", "Select whether you want to join the register or update an entry"),
    ),
    (
        "register-request",
        {"request_type": "update"},
        ("organisation", "Select the entry you want to update"),
    ),
    (
        "register-request",
        {"request_type": "update", "organisation": "nobody"},
        ("organisation", "Select an entry from the register"),
    ),
    (
        "register-request",
        {"org_id": "CHC 1234567"},
        ("org_id", "Enter the identifier in the correct format, like GB-CHC-1234567"),
    ),
    (
        "register-request",
        {"description": "Too short."},
        ("description", "Describe what your organisation does in at least 20 characters"),
    ),
    (
        "register-request",
        {"description": "x" * 1501},
        ("description", "The description must be 1500 characters or fewer"),
    ),
    ("register-request", {"areas": []}, ("areas", "Select the areas your organisation works in")),
    ("register-request", {"areas": ["atlantis"]}, ("areas", "Select areas from the list")),
    (
        "register-request",
        {"measures": ["", " "]},
        ("measures", "Select the measures you would welcome help with"),
    ),
    (
        "register-request",
        {"offers": ["money", "gold"]},
        ("offers", "Select kinds of help from the list"),
    ),
    (
        "register-request",
        {"contact_website": "not a site"},
        ("contact_website", "Enter a website address in the correct format, like www.example.org"),
    ),
    (
        "register-request",
        {"contact_phone": "call me"},
        ("contact_phone", "Enter a phone number, like 01603 123456"),
    ),
    (
        "register-request",
        {"contact_email": "info@"},
        ("contact_email", "Enter an email address in the correct format, like info@example.org"),
    ),
    (
        "register-request",
        {"safeguarding": "perhaps"},
        ("safeguarding", "Select yes if your location must be kept private"),
    ),
    (
        "register-request",
        {"town": "y" * 81},
        ("town", "The town or village must be 80 characters or fewer"),
    ),
    (
        "register-request",
        {"requester_email": None},
        ("requester_email", "Enter your email address"),
    ),
]


@pytest.fixture(scope="module")
def specs() -> dict[str, FormSpec]:
    return load_specs(REPO_ROOT / "register" / "schemas" / "intake")


@pytest.fixture
def choices(register_dir: Path) -> Choices:
    return load_choices(register_dir)


def answers(kind: str, changes: dict[str, Any]) -> dict[str, Any]:
    raw = VALID[kind]()
    for key, value in changes.items():
        if value is None:
            raw.pop(key, None)
        else:
            raw[key] = value
    return raw


@pytest.mark.parametrize(
    ("kind", "changes", "expected"),
    CASES,
    ids=[f"{k}-{'-'.join(c)}-{i}" for i, (k, c, _) in enumerate(CASES)],
)
def test_a_bad_answer_gives_exactly_its_error(
    specs: dict[str, FormSpec],
    choices: Choices,
    kind: str,
    changes: dict[str, Any],
    expected: tuple[str, str],
) -> None:
    outcome = validate(specs[kind], answers(kind, changes), choices)
    assert [(e.field, e.message) for e in outcome.errors] == [expected]


@pytest.mark.parametrize("kind", list(VALID))
def test_valid_answers_pass_and_are_cleaned(
    specs: dict[str, FormSpec], choices: Choices, kind: str
) -> None:
    outcome = validate(specs[kind], VALID[kind](), choices)
    assert outcome.errors == ()
    assert outcome.ok


def test_cleaning_is_lenient_about_how_things_are_typed(
    specs: dict[str, FormSpec], choices: Choices
) -> None:
    pledge = validate(
        specs["pledge"],
        valid_pledge(
            quantity=" 1,250 ",
            measure="pc-safe-spaces",
            organisation="",
            supplier_name="  Acme\r\nLtd  ",
            period_end="2026-4-1",
        ),
        choices,
    )
    assert pledge.errors == ()
    assert (pledge.data["quantity"], pledge.data["supplier_name"], pledge.data["period_end"]) == (
        1250,
        "Acme\nLtd",
        "2026-04-01",
    )
    assert (
        validate(
            specs["pledge"],
            valid_pledge(quantity="2.5", measure="pc-safe-spaces", organisation=""),
            choices,
        ).data["quantity"]
        == 2.5
    )
    charter = validate(specs["charter"], valid_charter(companies_house=" sc 123456 "), choices)
    assert charter.data["companies_house"] == "SC123456"
    assert charter.data["commitments"] == ["ch-living-wage", "ch-prompt-payment"]
    assert charter.data["listed"] is True


def test_conditional_questions_are_ignored_unless_their_condition_holds(
    specs: dict[str, FormSpec], choices: Choices
) -> None:
    join = validate(specs["register-request"], valid_request(organisation="nobody"), choices)
    assert join.errors == () and "organisation" not in join.data
    chosen = validate(
        specs["charter"],
        valid_charter(
            commitments_scope="chosen", commitments=["ch-prompt-payment", "ch-prompt-payment"]
        ),
        choices,
    )
    assert chosen.data["commitments"] == ["ch-prompt-payment"]


def test_many_errors_come_one_per_question_in_question_order(
    specs: dict[str, FormSpec], choices: Choices
) -> None:
    outcome = validate(specs["pledge"], {"quantity": "lots", "period_end": "2026-01-01"}, choices)
    assert [e.field for e in outcome.errors] == [
        "measure",
        "quantity",
        "supplier_name",
        "contact_name",
        "contact_email",
        "contract_status",
        "period_start",
        "additionality",
    ]


def test_form_fields_make_dates_from_their_parts(specs: dict[str, FormSpec]) -> None:
    raw = raw_from_form(
        specs["pledge"],
        [
            ("period_start-day", "1"),
            ("period_start-month", "4"),
            ("period_start-year", "2026"),
            ("period_end-day", ""),
            ("period_end-month", ""),
            ("period_end-year", ""),
            ("measure", "pc-jobs"),
            ("measure", "second value ignored"),
            ("comments", ""),
        ],
    )
    assert raw["period_start"] == "2026-4-1"
    assert raw["period_end"] == ""
    assert raw["period_start-day"] == "1"
    assert raw["measure"] == "pc-jobs"


def test_form_fields_collect_checkbox_lists(specs: dict[str, FormSpec]) -> None:
    raw = raw_from_form(
        specs["register-request"], [("areas", "norwich"), ("areas", "broadland"), ("name", "X")]
    )
    assert raw["areas"] == ["norwich", "broadland"]
    assert raw["measures"] == []


def test_json_values_of_the_wrong_type_are_field_errors(specs: dict[str, FormSpec]) -> None:
    raw, errors = raw_from_json(
        specs["pledge"],
        {
            "measure": ["pc-jobs"],
            "quantity": {"value": 3},
            "supplier_name": 12,
            "unknown": "ignored",
            "contact_name": None,
        },
    )
    assert [(e.field, e.message) for e in errors] == [
        ("measure", "Which measure are you pledging?: send a single value"),
        ("quantity", "How much will you deliver?: send a single value"),
        ("supplier_name", "Your organisation's name: send a single value"),
    ]
    assert "unknown" not in raw and "contact_name" not in raw
    raw, errors = raw_from_json(specs["charter"], {"listed": True, "commitments": "ch-x"})
    assert errors == [] and raw["listed"] == "yes" and raw["commitments"] == ["ch-x"]
    raw, errors = raw_from_json(specs["charter"], {"commitments": ["a", 3]})
    assert [e.field for e in errors] == ["commitments"]


def test_links_prefill_known_ids_only(specs: dict[str, FormSpec], choices: Choices) -> None:
    assert prefill(
        specs["pledge"], {"measure": "pc-jobs", "organisation": "open-door"}, choices
    ) == {"measure": "pc-jobs", "organisation": "open-door"}
    assert prefill(specs["pledge"], {"measure": "<script>", "organisation": "x"}, choices) == {}
    assert prefill(specs["charter"], {"commitment": "ch-living-wage"}, choices) == {
        "commitments_scope": "chosen",
        "commitments": ["ch-living-wage"],
    }
    # an update arrives with the entry as the register has it, field by field
    assert prefill(specs["register-request"], {"organisation": "open-door"}, choices) == {
        "organisation": "open-door",
        "request_type": "update",
        "name": "Open Door Project",
        "description": "Helps people leaving prison to find homes and work.",
        "areas": ["broadland"],
        "measures": ["pc-jobs"],
        "offers": ["volunteering"],
        "contact_email": "hello@open-door.example.org",
        "safeguarding": "no",
    }
    # a measure the organisation does not welcome is not kept from the link
    assert prefill(
        specs["pledge"], {"measure": "pc-safe-spaces", "organisation": "open-door"}, choices
    ) == {"organisation": "open-door"}
