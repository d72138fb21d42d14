"""The staff review report, on the minimal register of tests/fixtures.py.

In the minimal register every organisation was reviewed on 2026-10-01 and has a contact route;
each of its four measures is welcomed by one organisation; Norwich, Breckland and Broadland are
named by one organisation each, the other four districts by none, and one organisation works
county-wide. Line numbers below refer to the files as fixtures.py writes them.
"""

from __future__ import annotations

import csv
import io
import textwrap
from pathlib import Path

import pytest
from fixtures import TODAY, minimal_files

from socialvalue.cli import main
from socialvalue.register.check import Passed, check
from socialvalue.report import FEW_ORGANISATIONS, Finding, format_csv, format_text, review

YOUTH = "organisations/sample-youth-club.yaml"
GREEN = "organisations/sample-green-spaces.yaml"
NO_CONTACT = "contact:\n  website: https://green-spaces.example.org/\n"


def text_of(path: str) -> str:
    return textwrap.dedent(minimal_files()[path]).removeprefix("\n")


def edit(path: str, *changes: tuple[str, str]) -> dict[str, str]:
    """The fixture file with each (old, new) replacement made once, in order."""
    text = text_of(path)
    for old, new in changes:
        assert old in text, f"the fixture {path} no longer contains {old!r}"
        text = text.replace(old, new, 1)
    return {path: text}


def findings_for(register: Path) -> list[Finding]:
    checked = check(register, TODAY)
    assert isinstance(checked, Passed), checked.problems
    return review(checked.register, checked.tables, TODAY)


def flat(findings: list[Finding]) -> list[tuple[str, str, int | None, str]]:
    return [(f.check, Path(f.path).name, f.line, f.id) for f in findings]


def run_report(register: Path, *argv: str) -> int:
    return main(["report", "--register", str(register), "--today", TODAY.isoformat(), *argv])


def test_a_healthy_register_lists_only_its_thin_districts(minimal_register) -> None:
    assert flat(findings_for(minimal_register())) == [
        ("few-organisations", "areas.yaml", 1, "breckland"),
        ("few-organisations", "areas.yaml", 2, "broadland"),
        ("few-organisations", "areas.yaml", 3, "great-yarmouth"),
        ("few-organisations", "areas.yaml", 4, "kings-lynn-and-west-norfolk"),
        ("few-organisations", "areas.yaml", 8, "north-norfolk"),
        ("few-organisations", "areas.yaml", 9, "norwich"),
        ("few-organisations", "areas.yaml", 10, "south-norfolk"),
    ]


def test_each_check_points_at_the_file_and_line(minimal_register) -> None:
    register = minimal_register(
        {
            **edit(
                YOUTH,
                ("reviewed: 2026-10-01", "reviewed: 2025-11-23"),  # one day over 12 months
                ("  - cc-youth-volunteering\n", ""),  # nobody welcomes this measure now
            ),
            **edit(GREEN, (NO_CONTACT, "")),
        }
    )
    found = [f for f in findings_for(register) if f.check != "few-organisations"]
    assert flat(found) == [
        ("stale-review", "sample-youth-club.yaml", 15, "sample-youth-club"),
        ("no-contact", "sample-green-spaces.yaml", 1, "sample-green-spaces"),
        ("unwelcomed-measure", "measures.yaml", 9, "cc-youth-volunteering"),
    ]
    assert [f.detail for f in found] == [
        "last reviewed on 2025-11-23, over 12 months ago",
        "no email, website or phone",
        "no organisation lists this measure",
    ]


def test_a_review_exactly_at_the_limit_is_not_stale(minimal_register) -> None:
    register = minimal_register(edit(YOUTH, ("reviewed: 2026-10-01", "reviewed: 2025-11-24")))
    assert [f for f in findings_for(register) if f.check == "stale-review"] == []


def test_a_district_with_enough_organisations_is_not_listed(minimal_register) -> None:
    others = {
        f"organisations/sample-club-{n}.yaml": text_of(YOUTH)
        .replace("sample-youth-club", f"sample-club-{n}")
        .replace("Sample Youth Club", f"Sample Club {n}")
        .replace("org_id: GB-CHC-1000001\n", "")
        for n in range(1, FEW_ORGANISATIONS)
    }
    districts = {
        f.id for f in findings_for(minimal_register(others)) if f.check == "few-organisations"
    }
    assert "norwich" not in districts and "breckland" in districts


def test_text_report(minimal_register) -> None:
    register = minimal_register(edit(GREEN, (NO_CONTACT, "")))
    checked = check(register, TODAY)
    text = format_text(review(checked.register, checked.tables, TODAY), checked.register, TODAY)
    lines = text.splitlines()
    assert lines[:8] == [
        "Review report for Social Value register and Suppliers Charter, 2026-11-24",
        "",
        "Entries not reviewed for over 12 months: none",
        "",
        "Entries with no contact route: 1",
        f"  {register / GREEN}:1: Sample Green Spaces Trust: no email, website or phone",
        "",
        "Measures no organisation welcomes: none",
    ]
    assert lines[9] == "Districts with fewer than 3 organisations: 7"
    assert lines[10] == (
        f"  {register / 'areas.yaml'}:1: Breckland: "
        "1 organisation names this district (1 more works county-wide)"
    )
    assert lines[12] == (
        f"  {register / 'areas.yaml'}:3: Great Yarmouth: "
        "0 organisations name this district (1 more works county-wide)"
    )
    assert text.endswith("\n")


def test_csv_report_has_one_row_per_finding(minimal_register) -> None:
    checked = check(minimal_register(), TODAY)
    findings = review(checked.register, checked.tables, TODAY)
    rows = list(csv.DictReader(io.StringIO(format_csv(findings))))
    assert list(rows[0]) == ["check", "path", "line", "id", "name", "detail"]
    assert [(r["check"], r["line"], r["id"]) for r in rows] == [
        (f.check, str(f.line), f.id) for f in findings
    ]


def test_the_command_prints_text_or_csv(
    minimal_register, capsys: pytest.CaptureFixture[str]
) -> None:
    register = minimal_register()
    assert run_report(register) == 0
    assert capsys.readouterr().out.startswith("Review report for ")
    assert run_report(register, "--format", "csv") == 0
    assert capsys.readouterr().out.startswith("check,path,line,id,name,detail\n")


def test_the_command_refuses_a_register_with_errors(
    minimal_register, capsys: pytest.CaptureFixture[str]
) -> None:
    register = minimal_register(edit(YOUTH, ("areas: [norwich]", "areas: [norwhich]")))
    assert run_report(register) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert '"norwhich" is not a known area' in captured.err
    assert "fix them first" in captured.err


def test_a_malformed_today_is_a_usage_error(minimal_register) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run_report(minimal_register(), "--today", "24/11/2026")
    assert exit_info.value.code == 2
