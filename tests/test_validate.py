"""validate: every kind of bad input gives a located, plain-English problem, and never a traceback.

Each case edits one file of the minimal register (tests/fixtures.py). The line numbers refer to
these files as fixtures.py writes them:

    organisations/sample-youth-club.yaml     organisations/sample-safe-haven.yaml
     1 id                                      1 id
     2 name                                    2 name
     3 org_id                                  3 description
     4 description                             4 areas: [norfolk]
     5 areas: [norwich]                        5 measures
     6 measures:                               6 offers
     7   - pc-safe-spaces                      7 contact:
     8   - cc-youth-volunteering               8   email
     9 offers: [money, volunteering]           9 safeguarding: true
    10 welcomes                               10 reviewed
    11 contact:                               11 sample
    12   email
    13   website                            measures.yaml: rh-advice-for-victim-vcses starts on
    14   phone                              line 17 (priority 18, offers 23)
    15 town                                 partners.yaml: priorities on line 4
    16 reviewed: 2026-10-01
    17 sample: true
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path
from typing import NamedTuple

import pytest
from fixtures import SAMPLE_REGISTER, TODAY, minimal_files

from socialvalue.register.check import Failed, check, validate
from socialvalue.register.dates import months_before
from socialvalue.register.files import load
from socialvalue.register.problems import format_text, sort_key

YOUTH = "organisations/sample-youth-club.yaml"
HAVEN = "organisations/sample-safe-haven.yaml"
OTHER = "organisations/sample-zz-club.yaml"


def text_of(path: str) -> str:
    """A minimal-register file as written to disk."""
    return textwrap.dedent(minimal_files()[path]).removeprefix("\n")


def edit(path: str, old: str, new: str) -> str:
    text = text_of(path)
    assert old in text, f"the fixture {path} no longer contains {old!r}"
    return text.replace(old, new, 1)


def youth(old: str, new: str) -> dict[str, str]:
    return {YOUTH: edit(YOUTH, old, new)}


class Case(NamedTuple):
    files: dict[str, str | bytes | None]
    where: list[tuple]  # (file name, line, field) of every problem, in report order
    fragment: str  # in the first problem's text (message and hint)
    severity: str = "error"
    column: int | None = None


CONTACT = """contact:
  email: hello@youth-club.example.org
  website: https://youth-club.example.org/
  phone: 01603 000 123
"""
Y = "sample-youth-club.yaml"

CASES = {
    # Broken YAML: one problem at the line and column YAML stopped, no field.
    "unclosed-bracket": Case(
        youth("areas: [norwich]", "areas: [norwich"),
        [(Y, 6, None)],
        "in a flow sequence that starts on line 5",
        column=9,
    ),
    "tab-indentation": Case(
        {YOUTH: edit(YOUTH, "  - pc-safe-spaces", "\t- pc-safe-spaces").encode()},
        [(Y, 7, None)],
        "indent with spaces, not tabs",
        column=1,
    ),
    "bad-indentation": Case(
        youth("  email:", "    email:"),
        [(Y, 12, None)],
        "line 12 is indented by 4 spaces; the lines around it use 2",
        column=5,
    ),
    "colon-in-unquoted-value": Case(
        youth("Volunteers for Tuesday", "Volunteers: Tuesday"),
        [(Y, 10, None)],
        "put text that contains ': ' in quotes",
        column=21,
    ),
    "two-documents": Case(
        {YOUTH: text_of(YOUTH) + "---\nid: another\n"},
        [(Y, 18, None)],
        "remove the second `---` line",
        column=1,
    ),
    # Wrong types, reported by Frictionless against the schema.
    "areas-as-a-string": Case(
        youth("areas: [norwich]", "areas: norwich"), [(Y, 5, "areas")], "must be a list"
    ),
    "reviewed-not-a-date": Case(
        youth("reviewed: 2026-10-01", "reviewed: last week"),
        [(Y, 16, "reviewed")],
        "must be a date written as YYYY-MM-DD",
    ),
    "reviewed-with-a-time": Case(
        youth("reviewed: 2026-10-01", "reviewed: 2026-10-01 10:00:00"),
        [(Y, 16, "reviewed")],
        "must be a date written as YYYY-MM-DD",
    ),
    "safeguarding-maybe": Case(
        youth("sample: true", "sample: true\nsafeguarding: maybe"),
        [(Y, 18, "safeguarding")],
        "must be true or false",
    ),
    "contact-as-a-list": Case(
        youth(CONTACT, "contact:\n  - hello@youth-club.example.org\n"),
        [(Y, 11, "contact")],
        "must be a set of named values",
    ),
    "id-a-number": Case(youth("id: sample-youth-club", "id: 123"), [(Y, 1, "id")], "must be text"),
    # Unknown ids, with a did-you-mean hint when one is close.
    "unknown-area": Case(
        youth("areas: [norwich]", "areas: [Norwch]"),
        [(Y, 5, "areas")],
        '"Norwch" is not a known area (did you mean "norwich"?)',
    ),
    "unknown-measure": Case(
        youth("- cc-youth-volunteering", "- cc-nothing-like-it"),
        [(Y, 8, "measures")],
        '"cc-nothing-like-it" is not a known measure',
    ),
    "unknown-offer-type": Case(
        youth("offers: [money, volunteering]", "offers: [money, cash]"),
        [(Y, 9, "offers")],
        '"cash" is not a known offer type',
    ),
    "measure-unknown-offer": Case(
        {"measures.yaml": edit("measures.yaml", "[professional-advice]", "[professional-advise]")},
        [("measures.yaml", 23, "offers")],
        'did you mean "professional-advice"?',
    ),
    "partner-unknown-priority": Case(
        {"partners.yaml": edit("partners.yaml", "environment]", "enviroment]")},
        [("partners.yaml", 4, "priorities")],
        '"enviroment" is not a known priority (did you mean "environment"?)',
    ),
    "measure-unknown-priority-foreign-key": Case(
        {
            "measures.yaml": edit(
                "measures.yaml", "priority: reducing-harm", "priority: reducing-harms"
            )
        },
        [("measures.yaml", 18, "priority")],
        '"reducing-harms" is not a known priority (use an id from priorities)',
    ),
    # Duplicates.
    "same-org-id-in-two-files": Case(
        {
            OTHER: edit(YOUTH, "id: sample-youth-club", "id: sample-zz-club").replace(
                "name: Sample Youth Club", "name: Sample ZZ Club"
            )
        },
        [("sample-zz-club.yaml", 3, "org_id")],
        '"GB-CHC-1000001" is already used by',
    ),
    "same-id-in-two-files": Case(
        {
            OTHER: edit(YOUTH, "org_id: GB-CHC-1000001", "org_id: GB-CHC-1000002").replace(
                "name: Sample Youth Club", "name: Sample ZZ Club"
            )
        },
        [("sample-zz-club.yaml", 1, "id"), ("sample-zz-club.yaml", 1, "id")],
        '"sample-youth-club" does not match the file name "sample-zz-club.yaml"',
    ),
    "key-given-twice": Case(
        youth("town: Norwich", "town: Norwich\ntown: Dereham"),
        [(Y, 16, "town")],
        "this field is given twice",
    ),
    "item-listed-twice": Case(
        youth("offers: [money, volunteering]", "offers: [money, money]"),
        [(Y, 9, "offers")],
        '"money" is listed twice',
        "warning",
    ),
    # Missing and empty fields.
    "missing-name": Case(
        youth("name: Sample Youth Club\n", ""), [(Y, 1, "name")], "is missing, and it is required"
    ),
    "missing-reviewed": Case(
        youth("reviewed: 2026-10-01\n", ""), [(Y, 1, "reviewed")], "is missing, and it is required"
    ),
    "empty-areas": Case(
        youth("areas: [norwich]", "areas: []"), [(Y, 5, "areas")], "the list is empty"
    ),
    # Dates.
    "month-13": Case(
        youth("reviewed: 2026-10-01", "reviewed: 2026-13-01"),
        [(Y, 16, "reviewed")],
        '"2026-13-01" is not a real date',
    ),
    "february-30": Case(
        youth("reviewed: 2026-10-01", "reviewed: 2026-02-30"),
        [(Y, 16, "reviewed")],
        '"2026-02-30" is not a real date',
    ),
    "reviewed-in-the-future": Case(
        youth("reviewed: 2026-10-01", "reviewed: 2026-11-25"),
        [(Y, 16, "reviewed")],
        "2026-11-25 is in the future (use today's date (2026-11-24)",
    ),
    "stale-review": Case(
        youth("reviewed: 2026-10-01", "reviewed: 2025-11-23"),
        [(Y, 16, "reviewed")],
        "last reviewed on 2025-11-23, over 12 months ago",
        "warning",
    ),
    # Files.
    "wrong-file-name": Case(
        {YOUTH: None, "organisations/youth-club.yaml": text_of(YOUTH)},
        [("youth-club.yaml", 1, "id")],
        "rename the file to sample-youth-club.yaml, or change the id to youth-club",
    ),
    "latin-1-byte": Case(
        {YOUTH: edit(YOUTH, "town: Norwich", "town: Norwich café").encode("latin-1")},
        [(Y, 15, None)],
        "not valid UTF-8 text (byte 0xe9 cannot be read)",
        column=18,
    ),
    "control-character": Case(
        youth("town: Norwich", "town: Norwich\x00"),
        [(Y, 15, None)],
        "control character (#x0000)",
        column=14,
    ),
    "empty-file": Case({YOUTH: ""}, [(Y, 1, None)], "the file is empty"),
    "comments-only": Case(
        {YOUTH: "# to do\n# fill in later\n"}, [(Y, 1, None)], "the file is empty"
    ),
    "top-level-list": Case(
        {YOUTH: "- id: sample-youth-club\n- name: Sample Youth Club\n"},
        [(Y, 1, None)],
        "expected a set of named fields",
    ),
    # Fields the schema does not know, and values in the wrong form.
    "unknown-field": Case(
        youth("welcomes:", "welcome:"),
        [(Y, 10, "welcome")],
        'is not a known field (did you mean "welcomes"?)',
    ),
    "bad-email": Case(
        youth("hello@youth-club.example.org", "hello at youth-club.example.org"),
        [(Y, 12, "contact.email")],
        "is not a well-formed email address",
    ),
    "bad-website": Case(
        youth("https://youth-club.example.org/", "youth-club.example.org"),
        [(Y, 13, "contact.website")],
        "is not a well-formed web address",
    ),
    "bad-phone": Case(
        youth("01603 000 123", "ring us"),
        [(Y, 14, "contact.phone")],
        '"ring us" is not a well-formed phone number',
    ),
    "unknown-contact-key": Case(
        youth("  phone:", "  fone:"),
        [(Y, 14, "contact.fone")],
        'is not a known contact route (did you mean "phone"?)',
    ),
    "safeguarding-with-location": Case(
        {
            HAVEN: edit(
                HAVEN,
                "safeguarding: true",
                "safeguarding: true\ntown: Norwich\naddress: 1 High Street",
            )
        },
        [("sample-safe-haven.yaml", 10, "town"), ("sample-safe-haven.yaml", 11, "address")],
        "a safeguarding entry must not give its location",
    ),
    "safeguarding-postcode-in-description": Case(
        {HAVEN: edit(HAVEN, "domestic abuse.", "domestic abuse, at 1 High Street, NR1 1AA.")},
        [("sample-safe-haven.yaml", 3, "description")],
        "must not give a postcode or street address",
    ),
    "description-too-short": Case(
        youth("A fictional youth club that runs evening sessions for young people.", "Youth club."),
        [(Y, 4, "description")],
        "is too short: 11 characters, and the least is 20",
    ),
    "id-with-capitals-and-spaces": Case(
        youth("id: sample-youth-club", "id: Sample Youth Club"),
        [(Y, 1, "id"), (Y, 1, "id")],
        '"Sample Youth Club" does not match the file name "sample-youth-club.yaml" '
        "(change the id to sample-youth-club)",
    ),
    "org-id-pattern": Case(
        youth("GB-CHC-1000001", "charity 1000001"),
        [(Y, 3, "org_id")],
        '"charity 1000001" is not an organisation identifier',
    ),
    "area-kind-not-allowed": Case(
        {"areas.yaml": edit("areas.yaml", "kind: county", "kind: countie")},
        [("areas.yaml", 11, "kind")],
        'not one of the allowed values (did you mean "county"?)',
    ),
}
BAD_INPUTS = [pytest.param(case, id=name) for name, case in CASES.items()]


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_each_bad_input_is_reported_where_it_is(minimal_register, case: Case):
    root = minimal_register(case.files)

    problems = check(root, today=TODAY).problems

    assert [(Path(p.path).name, p.line, p.field) for p in problems] == case.where
    assert [p.severity for p in problems] == [case.severity] * len(case.where)
    assert problems[0].column == case.column
    assert case.fragment in format_text(problems[0])
    assert all("\n" not in format_text(p) for p in problems)


def test_the_table_covers_at_least_25_kinds_of_bad_input():
    assert len(CASES) >= 25


def test_the_minimal_register_is_valid(minimal_register):
    checked = check(minimal_register(), today=TODAY)

    assert checked.problems == []
    assert checked.register is not None
    assert not checked.failed(strict=True)


def test_every_problem_at_once_sorted_by_file_and_line(minimal_register):
    root = minimal_register(
        {
            "organisations/sample-green-spaces.yaml": "",
            HAVEN: edit(HAVEN, "safeguarding: true", "safeguarding: true\naddress: 1 High Street"),
            YOUTH: edit(YOUTH, "areas: [norwich]", "areas: [Norwch]").replace(
                "reviewed: 2026-10-01", "reviewed: 2025-01-01"
            ),
            "organisations/sample-latin.yaml": "id: sample-latin\ntown: Dereham caf\xe9\n".encode(
                "latin-1"
            ),
            "measures.yaml": edit("measures.yaml", "unit: pounds", "unit: pound"),
            "partners.yaml": edit("partners.yaml", "adoption: partial", "adoption: most"),
        }
    )

    checked = check(root, today=TODAY)

    assert [(Path(p.path).name, p.line, p.field, p.severity) for p in checked.problems] == [
        ("measures.yaml", 32, "unit", "error"),
        ("sample-green-spaces.yaml", 1, None, "error"),
        ("sample-latin.yaml", 2, None, "error"),
        ("sample-safe-haven.yaml", 10, "address", "error"),
        ("sample-youth-club.yaml", 5, "areas", "error"),
        ("sample-youth-club.yaml", 16, "reviewed", "warning"),
        ("partners.yaml", 3, "adoption", "error"),
    ]
    assert checked.problems == sorted(checked.problems, key=sort_key)
    assert isinstance(checked, Failed)
    assert checked.failed()


def test_warnings_pass_unless_strict(minimal_register):
    root = minimal_register(youth("reviewed: 2026-10-01", "reviewed: 2025-01-01"))

    checked = check(root, today=TODAY)

    assert [(p.field, p.severity) for p in checked.problems] == [("reviewed", "warning")]
    assert checked.register is not None
    assert (checked.failed(), checked.failed(strict=True)) == (False, True)


def test_the_review_age_comes_from_settings(minimal_register):
    settings = (SAMPLE_REGISTER / "settings.yaml").read_text(encoding="utf-8")
    assert "review_max_age_months: 12" in settings
    root = minimal_register(
        {"settings.yaml": settings.replace("review_max_age_months: 12", "review_max_age_months: 1")}
    )

    problems = check(root, today=TODAY).problems

    assert [(Path(p.path).name, p.field, p.severity) for p in problems] == [
        ("sample-green-spaces.yaml", "reviewed", "warning"),
        ("sample-safe-haven.yaml", "reviewed", "warning"),
        ("sample-youth-club.yaml", "reviewed", "warning"),
    ]
    assert "over 1 months ago" in problems[0].message


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 11, 24), 12, dt.date(2025, 11, 24)),
        (dt.date(2026, 3, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2024, 3, 30), 1, dt.date(2024, 2, 29)),
        (dt.date(2026, 1, 15), 1, dt.date(2025, 12, 15)),
    ],
)
def test_months_before(day, months, expected):
    assert months_before(day, months) == expected


def test_a_review_exactly_at_the_limit_is_not_stale(minimal_register):
    root = minimal_register(youth("reviewed: 2026-10-01", "reviewed: 2025-11-24"))

    assert check(root, today=TODAY).problems == []


def test_no_register_here(tmp_path):
    problems, _tables = validate(load(tmp_path), today=TODAY)

    assert [(Path(p.path).name, p.line, p.field) for p in problems] == [
        ("datapackage.yaml", None, None)
    ]
    assert "datapackage.yaml is missing" in problems[0].message


def test_a_missing_schema_names_the_resource_and_the_file(minimal_register):
    root = minimal_register({"schemas/areas.schema.yaml": None})

    problems = check(root, today=TODAY).problems

    assert [(Path(p.path).name, p.field) for p in problems] == [
        ("datapackage.yaml", "resources"),
        ("areas.schema.yaml", None),
    ]
    assert '"areas" resource is missing' in problems[0].message


def test_a_table_that_is_not_a_list(minimal_register):
    root = minimal_register({"areas.yaml": "norwich: Norwich\n"})

    problems = check(root, today=TODAY).problems

    assert [(Path(p.path).name, p.line, p.field) for p in problems][:1] == [("areas.yaml", 1, None)]
    assert "expected a list of entries" in problems[0].message


def test_settings_must_have_exactly_one_row(minimal_register):
    root = minimal_register({"settings.yaml": "[]\n"})

    problems = check(root, today=TODAY).problems

    assert [(Path(p.path).name, p.line, p.message) for p in problems] == [
        ("settings.yaml", 1, "expected exactly one settings entry, found 0")
    ]


def test_a_row_that_is_not_a_mapping(minimal_register):
    root = minimal_register({"offer-types.yaml": text_of("offer-types.yaml") + "- cash\n"})

    problems = check(root, today=TODAY).problems

    assert {(Path(p.path).name, p.line) for p in problems} == {("offer-types.yaml", 16)}
    assert "None" not in " ".join(format_text(p) for p in problems)


def test_a_missing_id_is_reported_once(minimal_register):
    root = minimal_register(youth("id: sample-youth-club\n", ""))

    problems = check(root, today=TODAY).problems

    assert [(Path(p.path).name, p.line, p.field) for p in problems] == [(Y, 1, "id")]


def test_the_sample_register_has_no_errors(sample_register):
    """The shipped register, checked on the date the sample was last reviewed for."""
    checked = check(sample_register, today=TODAY)

    assert [format_text(p) for p in checked.problems if p.is_error] == []
    assert checked.register is not None
