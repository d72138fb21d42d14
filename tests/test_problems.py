"""One Problem, three renderings: text (people), GitHub annotations (pull requests), JSON."""

from __future__ import annotations

import json

import pytest

from socialvalue.register.problems import (
    Problem,
    format_github,
    format_json,
    format_text,
    sort_key,
    summary,
)

AREA = Problem(
    "register/organisations/foo.yaml",
    12,
    "areas",
    '"Norwch" is not a known area',
    'did you mean "norwich"?',
)
STALE = Problem(
    "register/organisations/foo.yaml",
    20,
    "reviewed",
    "last reviewed on 2025-01-01",
    "set reviewed to today's date",
    "warning",
)
ENCODING = Problem(
    "register/organisations/bar.yaml", 3, None, "the file is not valid UTF-8 text", column=7
)
NOWHERE = Problem("register/datapackage.yaml", None, None, "there is no register here")


@pytest.mark.parametrize(
    ("problem", "text"),
    [
        (
            AREA,
            'register/organisations/foo.yaml:12: areas: "Norwch" is not a known area '
            '(did you mean "norwich"?)',
        ),
        (
            STALE,
            "register/organisations/foo.yaml:20: reviewed: warning: last reviewed on 2025-01-01 "
            "(set reviewed to today's date)",
        ),
        (ENCODING, "register/organisations/bar.yaml:3:7: the file is not valid UTF-8 text"),
        (NOWHERE, "register/datapackage.yaml: there is no register here"),
    ],
    ids=["field-and-hint", "warning", "line-and-column", "no-line"],
)
def test_text_is_compiler_style(problem, text):
    assert format_text(problem) == text


@pytest.mark.parametrize(
    ("problem", "line"),
    [
        (
            AREA,
            "::error file=register/organisations/foo.yaml,line=12,title=areas::"
            '"Norwch" is not a known area (did you mean "norwich"?)',
        ),
        (
            STALE,
            "::warning file=register/organisations/foo.yaml,line=20,title=reviewed::"
            "last reviewed on 2025-01-01 (set reviewed to today's date)",
        ),
        (
            ENCODING,
            "::error file=register/organisations/bar.yaml,line=3,col=7::"
            "the file is not valid UTF-8 text",
        ),
        (NOWHERE, "::error file=register/datapackage.yaml::there is no register here"),
    ],
    ids=["error", "warning", "column", "no-line"],
)
def test_github_annotations(problem, line):
    assert format_github(problem) == line


def test_github_escapes_percent_colon_comma_and_spells_out_newlines():
    problem = Problem("C:/a,b/100%.yaml", 1, "contact.a:b,c", "50% done\r\nnext line", "a: b, c")

    assert format_github(problem) == (
        "::error file=C%3A/a%2Cb/100%25.yaml,line=1,title=contact.a%3Ab%2Cc::"
        "50%25 done\\r\\nnext line (a: b, c)"
    )
    assert "\n" not in format_github(problem)


def test_json_has_counts_and_every_field_of_every_problem():
    data = json.loads(format_json([AREA, STALE, ENCODING]))

    assert (data["ok"], data["errors"], data["warnings"]) == (False, 2, 1)
    assert data["problems"][0] == {
        "path": "register/organisations/foo.yaml",
        "line": 12,
        "field": "areas",
        "message": '"Norwch" is not a known area',
        "hint": 'did you mean "norwich"?',
        "severity": "error",
        "column": None,
    }
    assert [(p["path"], p["line"], p["column"], p["severity"]) for p in data["problems"][1:]] == [
        ("register/organisations/foo.yaml", 20, None, "warning"),
        ("register/organisations/bar.yaml", 3, 7, "error"),
    ]


def test_json_keeps_non_ascii_text_readable():
    text = format_json([Problem("a.yaml", 1, "name", "“Café” is too long")])

    assert "“Café”" in text
    assert json.loads(text)["ok"] is False


def test_json_of_warnings_only_is_ok():
    assert json.loads(format_json([STALE]))["ok"] is True
    assert json.loads(format_json([])) == {"ok": True, "errors": 0, "warnings": 0, "problems": []}


def test_sort_key_orders_by_file_then_line_then_column_and_puts_unlocated_first():
    shuffled = [
        STALE,
        ENCODING,
        AREA,
        Problem("register/organisations/foo.yaml", None, None, "x"),
        NOWHERE,
    ]

    ordered = sorted(shuffled, key=sort_key)

    assert [(p.path.rpartition("/")[2], p.line) for p in ordered] == [
        ("datapackage.yaml", None),
        ("bar.yaml", 3),
        ("foo.yaml", None),
        ("foo.yaml", 12),
        ("foo.yaml", 20),
    ]


@pytest.mark.parametrize(
    ("problems", "text"),
    [
        ([], "The register is valid: no problems found."),
        ([AREA], "Found 1 error."),
        ([STALE], "Found 1 warning."),
        ([AREA, ENCODING, STALE, STALE], "Found 2 errors and 2 warnings."),
    ],
)
def test_summary(problems, text):
    assert summary(problems) == text
