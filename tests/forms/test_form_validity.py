"""The Nu HTML Checker (vnu.jar, one JVM run) finds no errors in the pages the intake writes
itself: each form re-rendered with its errors and the answers kept (markup in the answers must
come back escaped), and each confirmation page."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import httpx
import pytest
from form_support import ROOT, Served

pytestmark = pytest.mark.slow

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AWKWARD = '<b>"Quotes" & <script>alert(1)</script></b>'
WRONG_ANSWERS = {
    "pledge": {"measure": "cc-youth-volunteering", "quantity": "lots", "supplier_name": AWKWARD,
               "period_start-day": "31", "period_start-month": "2", "period_start-year": "2026"},
    "charter": {"supplier_name": AWKWARD, "commitments_scope": "chosen", "listed": "maybe"},
    "register-request": {"request_type": "update", "name": AWKWARD, "areas": ["norwich", "x"],
                         "description": "Too short", "contact_phone": "call us"},
}  # fmt: skip
REFERENCES = {"pledge": "SV-P-2345-6789", "charter": "SV-C-ABCD-EFGH", "register-request": "SV-R-K3M9-QXA7"}


def intake_pages(served: Served, folder: Path) -> list[Path]:
    files = []
    with httpx.Client(base_url=served.url, headers={"Origin": served.origin}) as client:
        for kind, answers in WRONG_ANSWERS.items():
            page = client.post(f"forms/{kind}", data=answers)
            assert page.status_code == 422, page.text
            assert AWKWARD not in page.text and "&lt;script&gt;" in page.text
            files.append(folder / f"{kind}-errors.html")
            files[-1].write_text(page.text, encoding="utf-8")
            page = client.get(f"forms/{kind}/confirmation", params={"ref": REFERENCES[kind]})
            assert page.status_code == 200
            files.append(folder / f"{kind}-confirmation.html")
            files[-1].write_text(page.text, encoding="utf-8")
    return files


def test_intake_pages_are_valid_html(served: Served, tmp_path: Path) -> None:
    files = intake_pages(served, tmp_path)
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    found = [
        (Path(m.get("url", "")).name, m.get("lastLine"), m["message"])
        for m in messages
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
    assert found == []
    assert result.returncode == 0, result.stdout + result.stderr
