"""The two delivery forms (progress update, delivery confirmation) against a real server and a
real SQLite file: valid answers stored (201 JSON, 303 HTML), wrong ones refused with field
errors and never stored, the honeypot and Origin guards, and the staff's YAML for an approved
answer, which makes a valid register once added to the contract's file (`build.py check`).

The register is support.REGISTER: contract SAMPLE-CT-2026-001 (started 2026-01-01) with the
commitments safe-evenings (hours, for riverside-youth) and jobs (people, whole numbers, for
open-door), and the update u1 (2026-06-15, safe-evenings).
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from socialvalue.intake.config import REPO_ROOT
from socialvalue.register.yamlfile import parse_yaml

from .staff_support import Staff, rows, sign_in, status_of, submit
from .support import (
    REGISTER,
    SITE,
    Server,
    staff,
    start_server,
    valid_confirmation,
    valid_update,
    write_tree,
)

pytestmark = pytest.mark.slow
ADDRESSES = (f"198.51.100.{n}" for n in itertools.count(1))
CONTRACT_FILE = "contracts/sample-youth-evenings.yaml"
UPDATES, CONFIRMATIONS = "/api/progress-updates", "/api/delivery-confirmations"
PRIVATE = ("Pat Supplier", "pat@supplier.example", "Kim Receiver", "kim@riverside.example")


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tree(tmp_path_factory.mktemp("delivery") / "register", REGISTER)


@pytest.fixture(scope="module")
def server(register: Path) -> Iterator[Server]:
    tmp = register.parent
    running = start_server(
        tmp / "intake.sqlite3", register, tmp / "server.log", "--rate-limit", "100000"
    )
    yield running
    running.stop()


def post(server: Server, path: str, body: Any, origin: str | None = SITE) -> httpx.Response:
    headers = {"Origin": origin} if origin else {}
    return httpx.post(server.url + path, json=body, headers=headers)


def test_a_progress_update_is_stored_as_the_register_writes_it(server: Server) -> None:
    reference = submit(server, UPDATES, valid_update())
    assert reference.startswith("SV-U-")
    found = httpx.get(f"{server.url}/api/staff/submissions", headers=staff()).json()
    payload = next(s for s in found["submissions"] if s["reference"] == reference)["payload"]
    assert payload["contract_reference"] == "SAMPLE-CT-2026-001"
    assert (payload["contract"], payload["commitment"], payload["quantity"]) == (
        "sample-youth-evenings",
        "jobs",
        2,
    )
    assert status_of(server.db_path, reference) == ("new", None)


def test_a_confirmation_is_stored(server: Server) -> None:
    reference = submit(server, CONFIRMATIONS, valid_confirmation())
    assert reference.startswith("SV-D-")
    assert status_of(server.db_path, reference)[0] == "new"


def test_the_html_forms_answer_303_to_their_confirmation(server: Server) -> None:
    update = valid_update(date="", **{"date-day": "1", "date-month": "10", "date-year": "2026"})
    confirmation = valid_confirmation(outcome="disputed", note="We counted 30 hours, not 40.")
    for kind, answers in (("progress-update", update), ("delivery-confirmation", confirmation)):
        del answers["date"]
        if kind == "delivery-confirmation":
            answers |= {"date-day": "2", "date-month": "7", "date-year": "2026"}
        before = len(rows(server.db_path))
        sent = httpx.post(f"{server.url}/forms/{kind}", data=answers, headers={"Origin": SITE})
        assert sent.status_code == 303, sent.text
        assert sent.headers["location"].startswith(f"/forms/{kind}/confirmation?ref=SV-")
        assert len(rows(server.db_path)) == before + 1
        page = httpx.get(server.url + sent.headers["location"])
        assert page.status_code == 200 and "What happens next" in page.text


WRONG_UPDATES = {
    "unknown contract": (
        {"contract_reference": "SAMPLE-CT-1999-999"},
        [("contract_reference", "Enter a contract reference that is on the register")],
    ),
    "commitment of another contract": (
        {"commitment": "local-supply"},
        [("commitment", "Enter a commitment that is in this contract")],
    ),
    "part of a person": (
        {"quantity": "2.5"},
        [("quantity", "Enter the quantity as a whole number")],
    ),
    "part of an hour is fine, but not nothing": (
        {"commitment": "safe-evenings", "quantity": "0"},
        [("quantity", "The quantity must be more than 0")],
    ),
    "evidence not https": (
        {"evidence": "http://www.example.org/report"},
        [("evidence", "Enter a web address starting https://")],
    ),
    "evidence not a web address": (
        {"evidence": "see our annual report"},
        [("evidence", "Enter a web address starting https://")],
    ),
    "in the future": (
        {"date": "2199-01-01"},
        [("date", "The date it was delivered must be today")],
    ),
    "before the contract": (
        {"date": "2025-12-31"},
        [("date", "The date it was delivered must be on")],
    ),
    "not a date": ({"date": "2026-02-30"}, [("date", "The date it was delivered must be a real")]),
    "everything missing": (
        {k: "" for k in valid_update()},
        [
            ("contract_reference", "Enter your contract reference"),
            ("commitment", "Enter the commitment"),
            ("date", "Enter the date it was delivered"),
            ("quantity", "Enter how much was delivered"),
            ("what", "Describe what was done"),
            ("contact_name", "Enter your full name"),
            ("contact_email", "Enter your work email address"),
        ],
    ),
}
WRONG_CONFIRMATIONS = {
    "disputed without a note": (
        {"outcome": "disputed"},
        [("note", "Tell us what is wrong with the update")],
    ),
    "unknown update": (
        {"update": "u9"},
        [("update", "Enter the reference of an update reported for this contract")],
    ),
    "another organisation's update": (
        {"organisation": "open-door"},
        [("update", "This update is for another organisation")],
    ),
    "before the update": ({"date": "2026-06-14"}, [("date", "The date must be on or after")]),
    "neither confirmed nor disputed": (
        {"outcome": "maybe"},
        [("outcome", "Select yes if your organisation received what the update says")],
    ),
    "unknown organisation": (
        {"organisation": "nobody"},
        [("organisation", "Select an organisation from the register")],
    ),
    "unknown contract": (
        {"contract_reference": "NOPE"},
        [("contract_reference", "Enter a contract reference that is on the register")],
    ),
}


def _refused(server: Server, path: str, body: dict[str, Any], expected: list) -> None:
    before = rows(server.db_path)
    answer = post(server, path, body)
    assert answer.status_code == 422, answer.text
    errors = answer.json()["errors"]
    assert [e["field"] for e in errors] == [field for field, _ in expected]
    for error, (_, start) in zip(errors, expected, strict=True):
        assert error["message"].startswith(start), error
    assert rows(server.db_path) == before, "a refused answer must not be stored"


@pytest.mark.parametrize("case", list(WRONG_UPDATES))
def test_a_wrong_progress_update_is_refused(server: Server, case: str) -> None:
    changes, expected = WRONG_UPDATES[case]
    _refused(server, UPDATES, valid_update(**changes), expected)


@pytest.mark.parametrize("case", list(WRONG_CONFIRMATIONS))
def test_a_wrong_confirmation_is_refused(server: Server, case: str) -> None:
    changes, expected = WRONG_CONFIRMATIONS[case]
    _refused(server, CONFIRMATIONS, valid_confirmation(**changes), expected)


def test_the_html_form_shows_the_register_errors_and_keeps_the_answers(server: Server) -> None:
    answers = valid_update(quantity="2.5", evidence="ftp://x")
    del answers["date"]
    sent = httpx.post(f"{server.url}/forms/progress-update", data=answers, headers={"Origin": SITE})
    assert sent.status_code == 422
    assert 'href="#sv-quantity">Enter the quantity as a whole number' in sent.text
    assert 'href="#sv-date">Enter the date it was delivered' in sent.text
    assert 'value="2.5"' in sent.text and "ftp://x" in sent.text


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"quantity": 2},
        {"quantity": ["2"], "commitment": {"id": "jobs"}},
        {"contract_reference": "x" * 5000},
        {"update": None, "outcome": True, "date": "9999-99-99"},
    ],
    ids=["a list", "a JSON number", "lists and objects", "too long", "nulls and booleans"],
)
def test_odd_bodies_get_4xx_never_5xx(server: Server, body: Any) -> None:
    before = rows(server.db_path)
    for path in (UPDATES, CONFIRMATIONS):
        answer = post(server, path, body)
        assert 400 <= answer.status_code < 500, answer.text
    assert rows(server.db_path) == before


def test_the_honeypot_and_the_origin_guard_apply(server: Server) -> None:
    before = rows(server.db_path)
    for path, body in ((UPDATES, valid_update()), (CONFIRMATIONS, valid_confirmation())):
        trapped = post(server, path, body | {"comments": "cheap pills"})
        assert trapped.status_code == 201  # looks accepted to the robot ...
        for origin in ("https://evil.example", None):
            assert post(server, path, body, origin).status_code == 403
    for kind in ("progress-update", "delivery-confirmation"):
        form = {"comments": "cheap pills", "contract_reference": "SAMPLE-CT-2026-001"}
        trapped = httpx.post(f"{server.url}/forms/{kind}", data=form, headers={"Origin": SITE})
        assert trapped.status_code == 303
        refused = httpx.post(
            f"{server.url}/forms/{kind}", data=form, headers={"Origin": "https://evil.example"}
        )
        assert refused.status_code == 403
    assert rows(server.db_path) == before  # ... but nothing is stored


def test_a_link_from_a_contract_page_fills_in_the_contract(server: Server) -> None:
    page = httpx.get(
        f"{server.url}/forms/progress-update",
        params={"contract": "sample-ct-2026-001", "commitment": "JOBS"},
    )
    assert 'value="SAMPLE-CT-2026-001"' in page.text and 'value="jobs"' in page.text
    page = httpx.get(
        f"{server.url}/forms/delivery-confirmation",
        params={
            "contract": "SAMPLE-CT-2026-001",
            "update": "u1",
            "organisation": "riverside-youth",
        },
    )
    assert 'value="u1"' in page.text and 'value="riverside-youth" selected' in page.text
    unknown = httpx.get(f"{server.url}/forms/progress-update", params={"contract": "<b>x</b>"})
    assert "<b>x</b>" not in unknown.text and 'value="&lt;b&gt;' not in unknown.text


def _yaml(server: Server, reference: str) -> httpx.Response:
    return httpx.get(f"{server.url}/api/staff/submissions/{reference}/yaml", headers=staff())


def _approve(server: Server, reference: str) -> None:
    answer = httpx.post(f"{server.url}/api/staff/submissions/{reference}/approve", headers=staff())
    assert answer.status_code == 200, answer.text


def _check(register: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "build.py", "check", "--register", str(register), "--today", "2026-11-24"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_approved_answers_make_items_that_keep_the_register_valid(
    server: Server, register: Path, tmp_path: Path
) -> None:
    update = submit(server, UPDATES, valid_update(quantity="3"))
    confirmation = submit(
        server, CONFIRMATIONS, valid_confirmation(outcome="disputed", note="x: y")
    )
    assert _yaml(server, update).status_code == 409  # not approved yet
    _approve(server, update)
    _approve(server, confirmation)
    update_text, confirmation_text = _yaml(server, update).text, _yaml(server, confirmation).text
    for text in (update_text, confirmation_text):
        assert not any(private in text for private in PRIVATE)

    doc, problems = parse_yaml("updates:\n" + update_text, "update")
    assert problems == [] and doc is not None
    (item,) = doc.value["updates"]
    assert item["id"] == "u-" + update[5:].lower()
    assert (item["commitment"], item["quantity"], str(item["date"])) == ("jobs", 3, "2026-10-01")
    assert item["what"] == valid_update()["what"]
    doc, problems = parse_yaml(confirmation_text, "confirmation")  # brings its list's line
    assert problems == [] and doc is not None
    assert doc.value == {
        "confirmations": [
            {"update": "u1", "outcome": "disputed", "date": doc.value["confirmations"][0]["date"],
             "note": "x: y"}
        ]
    }  # fmt: skip

    copy = shutil.copytree(register, tmp_path / "register")
    contract = copy / CONTRACT_FILE
    contract.write_text(contract.read_text() + update_text + confirmation_text)
    checked = _check(copy)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "error" not in checked.stdout.lower(), checked.stdout


def test_a_broken_item_would_be_caught_by_the_check(register: Path, tmp_path: Path) -> None:
    """The proof above can fail: the same check refuses an update for no known commitment."""
    copy = shutil.copytree(register, tmp_path / "register")
    contract = copy / CONTRACT_FILE
    wrong = "  - id: u2\n    date: 2026-10-01\n    commitment: nope\n    quantity: 1\n    what: x\n"
    contract.write_text(contract.read_text() + wrong)
    checked = _check(copy)
    assert checked.returncode == 1 and "nope" in checked.stdout + checked.stderr


@pytest.fixture
def signed_in(server: Server) -> Iterator[Staff]:
    with sign_in(server, next(ADDRESSES)) as session:
        yield session


def test_the_staff_page_shows_the_item_once_approved(server: Server, signed_in: Staff) -> None:
    reference = submit(server, UPDATES, valid_update(what="Hired <b>two</b> people & more"))
    before = signed_in.page(f"/staff/submissions/{reference}").text
    assert "Approve the progress update to see the item" in before
    assert "pat@supplier.example" in before  # personal data, behind the session
    listed = signed_in.page("/staff/submissions?kind=progress-update").text
    assert reference in listed and "SAMPLE-CT-2026-001: 2 for jobs" in listed
    signed_in.post(f"/staff/submissions/{reference}/approve")
    page = signed_in.soup(f"/staff/submissions/{reference}")
    shown = page.select_one("#sv-yaml")
    assert shown is not None and shown.get_text() == _yaml(server, reference).text
    assert "<b>two</b>" in shown.get_text()  # as text: the markup was escaped in the page
    assert "register/contracts/sample-youth-evenings.yaml" in page.get_text()
    assert "Add this item at the end of the updates: list" in page.get_text()
