"""Journeys through the intake that must work the first time, against the real server (uvicorn,
SQLite): a pledge for an organisation keeps it through an error and takes only its measures; a
pledge while bidding; the confirmation repeats the pledge; the 404 helps; the update form comes
filled from the register; staff's file for an update keeps what the form did not ask, with a diff.
The same pages in the built site's layout are covered in tests/forms/test_intake_journeys.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml
from bs4 import BeautifulSoup

from socialvalue.intake.shell import Shell, shell_from

from .support import (
    REGISTER,
    SITE,
    Server,
    staff,
    start_server,
    valid_pledge,
    valid_request,
    write_tree,
)

pytestmark = pytest.mark.slow

OPEN_DOOR = REGISTER["organisations/open-door.yaml"].replace(
    "measures: [pc-jobs]",
    "measures: [pc-jobs, pc-safe-spaces, env-trees]\norg_id: GB-CHC-7654321\n"
    "address: 1 Sample Street, Testtown\nhow_to_approach: Ring us on a Monday.\ntown: Cromer",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("journeys")
    register = write_tree(tmp / "register", {**REGISTER, "organisations/open-door.yaml": OPEN_DOOR})
    running = start_server(tmp / "intake.sqlite3", register, tmp / "server.log")
    yield running
    running.stop()


@pytest.fixture
def web(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, headers={"Origin": SITE}) as client:
        yield client


def _soup(response: httpx.Response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def _options(soup: BeautifulSoup) -> list[str]:
    return [str(option["value"]) for option in soup.select("#sv-measure option")]


def test_a_pledge_for_an_organisation_keeps_it_and_its_measures(web: httpx.Client) -> None:
    form = _soup(web.get("/forms/pledge", params={"organisation": "riverside-youth"}))
    assert form.select_one("input#sv-organisation[type=hidden]")["value"] == "riverside-youth"
    assert _options(form) == ["", "pc-safe-spaces"]
    assert form.select_one("select#sv-organisation") is None

    sent = valid_pledge(organisation="riverside-youth", measure="pc-safe-spaces", quantity="")
    again = web.post("/forms/pledge", data=sent)
    assert again.status_code == 422
    shown = _soup(again)
    assert shown.select_one("input#sv-organisation[type=hidden]")["value"] == "riverside-youth"
    assert _options(shown) == ["", "pc-safe-spaces"]
    assert shown.select_one("#sv-measure option[selected]")["value"] == "pc-safe-spaces"
    assert [a["href"] for a in shown.select(".sv-error-summary a")] == ["#sv-quantity"]


def test_a_measure_the_organisation_does_not_welcome_is_a_field_error(web: httpx.Client) -> None:
    sent = valid_pledge(organisation="riverside-youth", measure="pc-jobs")
    answer = web.post("/api/pledges", json=sent)
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {"field": "measure", "message": "Select a measure that the organisation welcomes help with"}
    ]


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"contract_status": "not-awarded", "contract_reference": ""}, []),
        ({"contract_status": "tender", "tender_reference": "TND-2026-7"}, []),
        ({"contract_status": "tender"}, ["tender_reference"]),
        ({"contract_status": "contract", "contract_reference": ""}, ["contract_reference"]),
        ({"contract_status": ""}, ["contract_status"]),
    ],
)
def test_a_pledge_can_be_made_while_bidding(
    web: httpx.Client, changes: dict[str, str], errors: list[str]
) -> None:
    answer = web.post("/api/pledges", json=valid_pledge(**changes))
    found = [e["field"] for e in answer.json().get("errors", [])]
    assert (answer.status_code, found) == (422 if errors else 201, errors)


def test_the_confirmation_repeats_the_pledge(web: httpx.Client) -> None:
    sent = valid_pledge(quantity="1,250", contract_status="tender", tender_reference="TND-9")
    landed = web.post("/forms/pledge", data=sent, follow_redirects=True)
    assert landed.status_code == 200
    rows = [
        (row.dt.get_text(strip=True), row.dd.get_text(strip=True))
        for row in _soup(landed).select(".sv-summary-list__row")
    ]
    assert rows == [
        ("Measure", "Jobs for ex-offenders"),
        ("Quantity", "1,250 people"),
        ("Organisation", "Open Door Project"),
        ("Tender reference", "TND-9"),
    ]
    assert "Jo Bloggs" not in landed.text and "jo.bloggs" not in landed.text


def test_page_not_found_helps(web: httpx.Client) -> None:
    for address in ("/forms/no-such-form", "/forms/pledge/confirmation?ref=nonsense", "/nowhere"):
        answer = web.get(address)
        assert answer.status_code == 404
        links = {a["href"] for a in _soup(answer).select("main a")}
        assert {f"{SITE}/", f"{SITE}/register/", f"{SITE}/search/", f"{SITE}/pledge/"} <= links


def test_the_update_form_arrives_filled_from_the_register(web: httpx.Client) -> None:
    form = _soup(web.get("/forms/register-request", params={"organisation": "open-door"}))
    assert form.select_one("#sv-request_type-2")["value"] == "update"
    assert form.select_one("#sv-request_type-2").has_attr("checked")
    assert form.select_one("#sv-organisation option[selected]")["value"] == "open-door"
    assert form.select_one("#sv-name")["value"] == "Open Door Project"
    assert form.select_one("#sv-org_id")["value"] == "GB-CHC-7654321"
    assert form.select_one("#sv-how_to_approach").text == "Ring us on a Monday."
    assert form.select_one("#sv-town")["value"] == "Cromer"
    checked = [box["value"] for box in form.select("input[name=measures][checked]")]
    assert checked == ["pc-safe-spaces", "pc-jobs", "env-trees"]  # in the register's order


def test_staff_yaml_for_an_update_keeps_what_was_not_asked(server: Server) -> None:
    request = valid_request(
        request_type="update", organisation="open-door", name="Open Door Project",
        org_id="", how_to_approach="", town="", measures=["pc-jobs"],
        description="Helps people leaving prison to find homes, work and friends.",
    )  # fmt: skip
    created = httpx.post(
        server.url + "/api/register-requests", json=request, headers={"Origin": SITE}
    )
    reference = created.json()["reference"]
    base = f"{server.url}/api/staff/submissions/{reference}"
    assert httpx.post(base + "/approve", headers=staff()).status_code == 200
    answer = httpx.get(base + "/yaml", headers=staff())
    entry = yaml.safe_load(answer.text)
    assert entry["org_id"] == "GB-CHC-7654321"  # left empty in the request: kept
    assert entry["address"] == "1 Sample Street, Testtown"  # never asked: kept
    assert entry["how_to_approach"] == "Ring us on a Monday."
    assert entry["measures"] == ["pc-jobs"]  # a list answer replaces the list it was shown
    assert entry["added"].isoformat() == "2025-05-01"
    assert answer.headers["link"] == f'</api/staff/submissions/{reference}/diff>; rel="alternate"'
    diff = httpx.get(base + "/diff", headers=staff()).text
    assert diff.startswith("--- a/register/organisations/open-door.yaml\n+++ b/")
    assert "\n-measures: [pc-jobs, pc-safe-spaces, env-trees]\n" in diff
    assert "\n+measures: [pc-jobs]\n" in diff
    assert "+description: Helps people leaving prison to find homes, work and friends.\n" in diff
    assert not re.search(r"^[-+](address|org_id|how_to_approach|added):", diff, re.M)


def test_the_shell_puts_pages_in_the_site_layout() -> None:
    built = (
        '<html><head><title>sv-intake-title - Site</title><link rel="canonical" href="x">'
        '<link href="../assets/a.css" rel="stylesheet"><script>u=new URL("..",location)</script>'
        '</head><body><a href="..">Home</a><a href="../register/">R</a><h2>sv-intake-title</h2>'
        "<!--sv-intake-content: here --><h1>sv-intake-title</h1><!--/sv-intake-content-->"
        "</body></html>"
    )
    shell = shell_from(built)
    assert isinstance(shell, Shell)
    page = shell.wrap("A <b> & c", "<h1>Hello</h1>")
    assert page == (
        "<html><head><title>A &lt;b&gt; &amp; c - Site</title>"
        '<link href="/assets/a.css" rel="stylesheet"><script>u=new URL("/",location)</script>'
        '</head><body><a href="/">Home</a><a href="/register/">R</a><h2>A &lt;b&gt; &amp; c</h2>'
        "<h1>Hello</h1></body></html>"
    )
    assert "'sha256-" in shell.headers["Content-Security-Policy"]
    assert shell_from("<html>no marker</html>") is None


def test_without_a_built_site_the_plain_layout_is_used(tmp_path: Path, web: httpx.Client) -> None:
    page = _soup(web.get("/forms/pledge"))
    assert page.select_one("header.sv-header") is not None
    assert page.select_one(".sv-banner") is None
