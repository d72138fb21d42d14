"""The pages the intake writes itself: each form re-rendered with its errors and the answers kept
(markup in the answers must come back escaped), and each confirmation page. The Nu HTML Checker
(vnu.jar, one JVM run for all) finds no errors in them, and every link in them leads somewhere."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest
from bs4 import BeautifulSoup
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
    "progress-update": {"contract_reference": "SAMPLE-CT-2025-017", "commitment": "work-placements",
                        "quantity": "1.5", "what": AWKWARD, "evidence": "http://x"},
    "delivery-confirmation": {"organisation": "sprowston-road-job-club", "update": "u1",
                              "contract_reference": AWKWARD, "outcome": "disputed"},
}  # fmt: skip
REFERENCES = {
    "pledge": "SV-P-2345-6789",
    "charter": "SV-C-ABCD-EFGH",
    "register-request": "SV-R-K3M9-QXA7",
    "progress-update": "SV-U-K3M9-QXA7",
    "delivery-confirmation": "SV-D-K3M9-QXA7",
}


@pytest.fixture(scope="module")
def intake_pages(served: Served) -> dict[str, tuple[str, str]]:
    """name -> (address, HTML): each form sent with wrong answers (422), each confirmation."""
    pages = {}
    with httpx.Client(base_url=served.url, headers={"Origin": served.origin}) as client:
        for kind, answers in WRONG_ANSWERS.items():
            page = client.post(f"forms/{kind}", data=answers)
            assert page.status_code == 422, page.text
            assert AWKWARD not in page.text and "&lt;script&gt;" in page.text
            pages[f"{kind}-errors"] = (str(page.url), page.text)
            page = client.get(f"forms/{kind}/confirmation", params={"ref": REFERENCES[kind]})
            assert page.status_code == 200
            pages[f"{kind}-confirmation"] = (str(page.url), page.text)
        organisation = {"organisation": "acle-marshes-village-hall"}
        for kind in ("pledge", "register-request"):
            page = client.get(f"forms/{kind}", params=organisation)
            assert page.status_code == 200
            pages[f"{kind}-for-an-organisation"] = (str(page.url), page.text)
        page = client.post("forms/pledge", data={**organisation, "supplier_name": AWKWARD})
        assert page.status_code == 422
        pages["pledge-for-an-organisation-errors"] = (str(page.url), page.text)
        for address in ("forms/no-such-form", "no-such-page/"):
            page = client.get(address)
            assert page.status_code == 404
            pages[f"not-found-{address.split('/')[0]}"] = (str(page.url), page.text)
    return pages


def test_intake_pages_are_valid_html(
    intake_pages: dict[str, tuple[str, str]], tmp_path: Path
) -> None:
    files = []
    for name, (_, html) in intake_pages.items():
        files.append(tmp_path / f"{name}.html")
        files[-1].write_text(html, encoding="utf-8")
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


def test_intake_pages_link_to_pages_that_exist(intake_pages: dict[str, tuple[str, str]]) -> None:
    """The shell's links (site root, privacy notice, accessibility statement, stylesheet,
    script) all answer 200 from the same server."""
    addresses = set()
    for address, html in intake_pages.values():
        soup = BeautifulSoup(html, "html.parser")
        for tag, attribute in (("a", "href"), ("link", "href"), ("script", "src")):
            for element in soup.find_all(tag, attrs={attribute: True}):
                if not element[attribute].startswith(("#", "mailto:", "tel:")):
                    addresses.add(urljoin(address, element[attribute]))
    assert any(a.endswith("/accessibility/") for a in addresses)
    with httpx.Client() as client:
        broken = sorted(a for a in addresses if client.get(a).status_code != 200)
    assert broken == []
