"""The staff API: token, lists, CSV, decisions, organisation YAML, signatories export."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import frictionless
import pytest
import yaml
from starlette.testclient import TestClient

from socialvalue.intake.config import REPO_ROOT

from .support import TOKEN, staff, valid_charter, valid_pledge, valid_request

SCHEMAS = REPO_ROOT / "register" / "schemas"


def submit(client: TestClient, path: str, body: dict[str, Any]) -> str:
    response = client.post(path, json=body)
    assert response.status_code == 201, response.text
    return response.json()["reference"]


def test_without_a_token_the_staff_api_is_not_mounted(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(staff_token=None)
    assert client.get("/api/staff/submissions", headers=staff()).status_code == 404
    assert client.post("/api/staff/export-signatories", headers=staff()).status_code == 404


@pytest.mark.parametrize(
    "header",
    [None, "Bearer wrong-token-0123456789", f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer "],
)
def test_a_wrong_or_missing_token_is_refused(client: TestClient, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/staff/submissions", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_staff_list_filter_and_decide(client: TestClient) -> None:
    pledge = submit(client, "/api/pledges", valid_pledge())
    charter = submit(client, "/api/charter-signatures", valid_charter())
    listed = client.get("/api/staff/submissions", headers=staff()).json()
    assert [s["reference"] for s in listed["submissions"]] == [pledge, charter]
    assert listed["submissions"][0]["payload"]["contact_email"] == "jo.bloggs@acme.example"
    approve = client.post(f"/api/staff/submissions/{charter}/approve", headers=staff())
    assert approve.json() == {"ok": True, "reference": charter, "status": "approved"}
    client.post(f"/api/staff/submissions/{pledge}/reject", headers=staff())
    approved = client.get("/api/staff/submissions?status=approved", headers=staff()).json()
    assert [s["reference"] for s in approved["submissions"]] == [charter]
    pledges = client.get("/api/staff/submissions?kind=pledge", headers=staff()).json()
    assert [(s["reference"], s["status"]) for s in pledges["submissions"]] == [(pledge, "rejected")]
    assert (
        client.post("/api/staff/submissions/SV-P-XXXX-XXXX/approve", headers=staff()).status_code
        == 404
    )
    bad = client.get("/api/staff/submissions?kind=gift&status=old", headers=staff())
    assert [e["field"] for e in bad.json()["errors"]] == ["kind", "status"]


def test_staff_posts_from_a_foreign_origin_are_refused(client: TestClient) -> None:
    reference = submit(client, "/api/pledges", valid_pledge())
    response = client.post(
        f"/api/staff/submissions/{reference}/approve",
        headers={**staff(), "Origin": "https://evil.example"},
    )
    assert response.status_code == 403


def test_the_csv_export_cannot_smuggle_formulas(client: TestClient) -> None:
    submit(
        client,
        "/api/pledges",
        valid_pledge(
            supplier_name='=HYPERLINK("http://x")',
            contact_name="+44 caller",
            measure="pc-jobs",
            additionality="-1 @home",
        ),
    )
    response = client.get("/api/staff/submissions.csv?kind=pledge", headers=staff())
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(response.text)))
    assert len(table) == 1
    row = table[0]
    assert row["supplier_name"] == '\'=HYPERLINK("http://x")'
    assert row["contact_name"] == "'+44 caller"
    assert row["additionality"] == "'-1 @home"
    assert row["measure"] == "pc-jobs" and row["quantity"] == "3"
    assert client.get("/api/staff/submissions.csv", headers=staff()).status_code == 422


def organisations_report(text: str) -> list[list[Any]]:
    """Validate one organisation file against the register's Table Schema with frictionless."""
    data = yaml.safe_load(text)
    descriptor = yaml.safe_load((SCHEMAS / "organisations.schema.yaml").read_text())
    schema = frictionless.Schema.from_descriptor(descriptor)
    header = schema.field_names
    row = [data.get(name) for name in header]
    resource = frictionless.Resource(data=[header, row], schema=schema)
    return resource.validate().flatten(["rowNumber", "fieldName", "type", "note"])


def test_a_register_request_becomes_a_valid_organisation_file(client: TestClient) -> None:
    reference = submit(
        client,
        "/api/register-requests",
        valid_request(
            description="We cook with young people every week.\n\nWe also run a larder: "
            "anyone can come, no questions asked. " * 3
        ),
    )
    client.post(f"/api/staff/submissions/{reference}/approve", headers=staff())
    response = client.get(f"/api/staff/submissions/{reference}/yaml", headers=staff())
    assert response.status_code == 200
    text = response.text
    lines = text.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../schemas/organisation.schema.json"
    keys = [line.split(":")[0] for line in lines[1:] if line and not line.startswith(" ")]
    assert keys == [
        "id",
        "name",
        "org_id",
        "description",
        "areas",
        "measures",
        "offers",
        "welcomes",
        "how_to_approach",
        "contact",
        "town",
        "reviewed",
        "added",
        "safeguarding",
    ]
    data = yaml.safe_load(text)
    today = date.today()
    assert data["id"] == "st-marys-cafe-and-community-larder"
    assert data["name"] == "St Mary's Café & Community Larder"
    assert data["areas"] == ["norwich"] and "areas: [norwich]" in lines
    assert data["contact"] == {
        "email": "hello@stmarys.example",
        "website": "https://www.stmarys.example",
        "phone": "01603 123456",
    }
    assert (data["reviewed"], data["added"], data["safeguarding"]) == (today, today, False)
    assert data["description"].startswith("We cook with young people every week.\n\nWe also")
    assert "Sam Private" not in text and "sam.private@home.example" not in text
    assert organisations_report(text) == []


def test_an_update_request_keeps_the_id_and_added_date_and_safeguarding_hides_the_town(
    client: TestClient,
) -> None:
    reference = submit(
        client,
        "/api/register-requests",
        valid_request(
            request_type="update", organisation="open-door", safeguarding="yes", org_id=""
        ),
    )
    text = client.get(f"/api/staff/submissions/{reference}/yaml", headers=staff()).text
    data = yaml.safe_load(text)
    assert (data["id"], data["added"], data["safeguarding"]) == (
        "open-door",
        date(2025, 5, 1),
        True,
    )
    assert "town" not in data and "org_id" not in data
    assert organisations_report(text) == []


def test_a_name_already_in_the_register_gets_a_new_id(client: TestClient) -> None:
    reference = submit(client, "/api/register-requests", valid_request(name="Open Door!"))
    text = client.get(f"/api/staff/submissions/{reference}/yaml", headers=staff()).text
    assert yaml.safe_load(text)["id"] == "open-door-2"


def signatories_report(path: Path) -> list[list[Any]]:
    rows = yaml.safe_load(path.read_text())
    descriptor = yaml.safe_load((SCHEMAS / "signatories.schema.yaml").read_text())
    schema = frictionless.Schema.from_descriptor(descriptor)
    header = schema.field_names
    resource = frictionless.Resource(
        data=[header, *[[row.get(name) for name in header] for row in rows]], schema=schema
    )
    return resource.validate().flatten(["rowNumber", "fieldName", "type", "note"])


def sign_up(client: TestClient) -> None:
    signatures = [
        valid_charter(supplier_name="Zebra Cleaning", companies_house="", listed="yes"),
        valid_charter(
            supplier_name="Acme Ltd",
            companies_house="01234567",
            commitments_scope="chosen",
            commitments=["ch-prompt-payment"],
        ),
        valid_charter(supplier_name="Acme Limited", companies_house="01234567"),  # again
        valid_charter(supplier_name="Quiet Ltd", companies_house="SC000001", listed="no"),
        valid_charter(supplier_name="Acme", companies_house="AB123456"),
        valid_charter(supplier_name="Pending Ltd", companies_house="PE000001"),
    ]
    references = [submit(client, "/api/charter-signatures", s) for s in signatures]
    for reference in references[:5]:
        client.post(f"/api/staff/submissions/{reference}/approve", headers=staff())


def test_export_signatories_lists_the_approved_who_consented_and_no_one_else(
    client: TestClient, register_dir: Path
) -> None:
    sign_up(client)
    response = client.post("/api/staff/export-signatories", headers=staff())
    assert response.json() == {"ok": True, "count": 3, "path": "signatories.yaml"}
    path = register_dir / "signatories.yaml"
    rows = yaml.safe_load(path.read_text())
    today = date.today()
    assert [
        (r["id"], r["name"], r.get("companies_house"), r["commitments"], r["signed"]) for r in rows
    ] == [
        ("acme", "Acme", "AB123456", ["ch-living-wage", "ch-prompt-payment"], today),
        (
            "acme-limited",
            "Acme Limited",
            "01234567",
            ["ch-living-wage", "ch-prompt-payment"],
            today,
        ),
        ("zebra-cleaning", "Zebra Cleaning", None, ["ch-living-wage", "ch-prompt-payment"], today),
    ]
    text = path.read_text()
    assert "Jo Bloggs" not in text and "jo.bloggs" not in text and "Quiet" not in text
    assert signatories_report(path) == []


def test_export_signatories_from_the_command_line(
    client: TestClient, db_path: Path, register_dir: Path
) -> None:
    sign_up(client)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "socialvalue.intake",
            "export-signatories",
            "--db",
            str(db_path),
            "--register",
            str(register_dir),
        ],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "3 signatories" in result.stdout
    assert len(yaml.safe_load((register_dir / "signatories.yaml").read_text())) == 3
    assert signatories_report(register_dir / "signatories.yaml") == []


def test_export_with_no_signatories_writes_an_empty_list(
    client: TestClient, register_dir: Path
) -> None:
    client.post("/api/staff/export-signatories", headers=staff())
    assert yaml.safe_load((register_dir / "signatories.yaml").read_text()) == []
