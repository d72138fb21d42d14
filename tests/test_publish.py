"""The open data package: CSV + datapackage.json that upstream Frictionless validates unchanged."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures import REPO, TODAY
from frictionless import Package

from socialvalue.opendata import write_data_package
from socialvalue.register.check import Passed, check


def passed(root: Path) -> Passed:
    checked = check(root, today=TODAY)
    assert isinstance(checked, Passed), checked.problems
    return checked


RESOURCES = [
    "settings",
    "priorities",
    "units",
    "offer-types",
    "areas",
    "measures",
    "charter",
    "partners",
    "signatories",
    "organisations",
]
PUBLISHED = [*RESOURCES, "ledger"]  # the register's tables, then the ledger (tests/test_ledger.py)


def frictionless_command() -> str:
    """The `frictionless` command installed next to this Python, else the one on PATH."""
    beside = Path(sys.executable).parent / "frictionless"
    found = str(beside) if beside.exists() else shutil.which("frictionless")
    assert found, "the frictionless command is not installed (pip install frictionless)"
    return found


def build_data(register: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "build.py", "data", "--today", TODAY.isoformat()]
        + ["--register", str(register), "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def assert_valid_upstream(datapackage: Path) -> None:
    report = Package(str(datapackage)).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    result = subprocess.run(
        [frictionless_command(), "validate", str(datapackage)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def sample_package(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample-data")
    result = build_data(REPO / "register", out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_sample_register_package_is_valid_for_frictionless(sample_package):
    assert sorted(p.name for p in sample_package.iterdir()) == sorted(
        ["datapackage.json", *(f"{name}.csv" for name in PUBLISHED)]
    )
    assert_valid_upstream(sample_package / "datapackage.json")


def test_minimal_register_package_is_valid_for_frictionless(minimal_register, tmp_path):
    register = minimal_register()  # reviewed before TODAY, the --today build_data passes

    result = build_data(register, tmp_path / "out")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Wrote the open data package to" in result.stderr
    assert_valid_upstream(tmp_path / "out" / "datapackage.json")


def test_descriptor_resources_and_list_fields(minimal_register, tmp_path):
    path = write_data_package(passed(minimal_register()), tmp_path)
    descriptor = json.loads(path.read_text(encoding="utf-8"))

    assert (descriptor["name"], descriptor["licenses"][0]["name"]) == (
        "social-value-register",
        "OGL-UK-3.0",
    )
    assert [r["name"] for r in descriptor["resources"]] == PUBLISHED
    organisations = descriptor["resources"][RESOURCES.index("organisations")]
    assert (organisations["path"], organisations["format"], organisations["encoding"]) == (
        "organisations.csv",
        "csv",
        "utf-8",
    )
    fields = {f["name"]: f for f in organisations["schema"]["fields"]}
    assert {k: fields["areas"][k] for k in ("type", "delimiter", "itemType")} == {
        "type": "list",
        "delimiter": ";",
        "itemType": "string",
    }
    assert fields["reviewed"]["type"] == "date"
    measures = descriptor["resources"][RESOURCES.index("measures")]["schema"]
    assert [fk["reference"]["resource"] for fk in measures["foreignKeys"]] == [
        "priorities",
        "units",
    ]


def test_contact_is_flattened_into_three_columns(minimal_register, tmp_path):
    write_data_package(passed(minimal_register()), tmp_path)

    rows = read_csv(tmp_path / "organisations.csv")

    assert "contact" not in rows[0]
    assert [
        (r["id"], r["contact_email"], r["contact_website"], r["contact_phone"]) for r in rows
    ] == [
        ("sample-green-spaces", "", "https://green-spaces.example.org/", ""),
        ("sample-safe-haven", "contact@safe-haven.example.org", "", ""),
        (
            "sample-youth-club",
            "hello@youth-club.example.org",
            "https://youth-club.example.org/",
            "01603 000 123",
        ),
    ]
    assert [(r["safeguarding"], r["reviewed"], r["added"]) for r in rows] == [
        ("false", "2026-10-01", "2026-01-15"),  # absent: the model's false, said out loud
        ("true", "2026-10-01", ""),
        ("false", "2026-10-01", ""),
    ]


def test_list_fields_round_trip_through_frictionless(minimal_register, tmp_path):
    checked = passed(minimal_register())
    raw = checked.raw
    path = write_data_package(checked, tmp_path)

    package = Package(str(path))
    organisations = {r["id"]: r for r in package.get_resource("organisations").read_rows()}
    offer_types = {r["id"]: r for r in package.get_resource("offer-types").read_rows()}

    for row in raw.tables["organisations"].rows:
        published = organisations[row.data.get("id")]
        assert [published[k] for k in ("areas", "measures", "offers")] == [
            row.data.get(k) for k in ("areas", "measures", "offers")
        ]
    assert offer_types["professional-advice"]["examples"] == [
        "Reviewing a charity's accounts",
        "Helping to write HR policies",
    ]
    assert offer_types["volunteering"]["examples"] is None
    assert organisations["sample-green-spaces"]["reviewed"] == dt.date(2026, 10, 1)


def test_a_list_item_holding_the_delimiter_is_refused(minimal_register):
    from test_validate import edit

    root = minimal_register(
        {
            "offer-types.yaml": edit(
                "offer-types.yaml", "Reviewing a charity's accounts", "Reviewing accounts; budgets"
            )
        }
    )

    problems = check(root, today=TODAY).problems

    assert [(Path(p.path).name, p.line, p.field) for p in problems] == [
        ("offer-types.yaml", 15, "examples")
    ]
    assert 'contains ";"' in problems[0].message


def test_rows_are_sorted_by_id(minimal_register, tmp_path):
    write_data_package(passed(minimal_register()), tmp_path)

    assert [r["id"] for r in read_csv(tmp_path / "areas.csv")] == sorted(
        [
            "breckland",
            "broadland",
            "great-yarmouth",
            "kings-lynn-and-west-norfolk",
            "north-norfolk",
            "norwich",
            "south-norfolk",
            "norfolk",
        ]
    )
    assert read_csv(tmp_path / "signatories.csv") == []
    assert (tmp_path / "signatories.csv").read_text(
        encoding="utf-8"
    ) == "id,name,companies_house,commitments,signed\n"


def test_two_runs_write_identical_bytes(minimal_register, tmp_path):
    write_data_package(passed(minimal_register()), tmp_path / "one")
    write_data_package(passed(minimal_register()), tmp_path / "two")

    one = {p.name: p.read_bytes() for p in (tmp_path / "one").iterdir()}
    two = {p.name: p.read_bytes() for p in (tmp_path / "two").iterdir()}
    assert sorted(one) == sorted(two) and len(one) == len(PUBLISHED) + 1
    assert one == two


def test_sample_package_is_deterministic_across_processes(sample_package, tmp_path):
    result = build_data(REPO / "register", tmp_path)

    assert result.returncode == 0, result.stderr
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == {
        p.name: p.read_bytes() for p in sample_package.iterdir()
    }


def test_no_data_is_written_when_the_register_has_errors(minimal_register, tmp_path):
    register = minimal_register({"organisations/sample-youth-club.yaml": "name: only a name\n"})

    result = build_data(register, tmp_path / "out")

    assert result.returncode == 1
    assert not (tmp_path / "out").exists()
    assert "sample-youth-club.yaml:1: id: is missing" in result.stdout
