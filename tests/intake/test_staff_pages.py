"""The staff pages (/staff/...) on the real server: sign-in, the session cookie, refusals of
cross-site posts, decisions written to the real SQLite file, the CSV, the YAML to add.

One server for the module (`python -m socialvalue.intake` on a free port, its own SQLite file).
Each client has its own address, sent as X-Forwarded-For (uvicorn trusts it from 127.0.0.1, as
behind nginx), so the sign-in brake of one test never touches another.
The browser tests (axe, keyboard, no JavaScript) are in test_staff_pages_browser.py.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from .staff_support import (
    NAMES,
    Staff,
    nu_errors,
    rows,
    sign_in,
    sign_in_response,
    status_of,
    submit,
)
from .support import (
    REGISTER,
    TOKEN,
    Server,
    start_server,
    valid_charter,
    valid_pledge,
    valid_request,
    write_tree,
)

pytestmark = pytest.mark.slow
ADDRESSES = (f"192.0.2.{n}" for n in itertools.count(1))
AWKWARD = '<b>"Quotes" & <script>alert(1)</script></b>'


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("staff-pages")
    register = write_tree(tmp / "register", REGISTER)
    running = start_server(
        tmp / "intake.sqlite3", register, tmp / "server.log", "--rate-limit", "100000"
    )
    yield running
    running.stop()


@pytest.fixture
def staff(server: Server) -> Iterator[Staff]:
    with sign_in(server, next(ADDRESSES)) as signed_in:
        yield signed_in


def test_a_wrong_token_shows_an_error_and_sets_no_cookie(server: Server) -> None:
    with httpx.Client(base_url=server.url, headers={"X-Forwarded-For": next(ADDRESSES)}) as web:
        page = web.post(
            "/staff/sign-in", data={"token": "not-the-token-0123456789"}, headers=_origin(server)
        )
        empty = web.post("/staff/sign-in", data={"token": " "}, headers=_origin(server))
    assert page.status_code == 422
    assert "set-cookie" not in page.headers
    assert page.text.count("The staff token is not right") == 2  # summary and field
    assert "<title>Error: Sign in" in page.text
    assert "not-the-token" not in page.text
    assert empty.status_code == 422 and "Enter the staff token" in empty.text


def test_the_right_token_sets_a_strict_session_cookie(server: Server) -> None:
    cookies = []
    for _ in range(2):
        response = sign_in_response(server, next(ADDRESSES))
        assert response.status_code == 303
        assert response.headers["location"] == "/staff/submissions"
        cookies.append(response.headers["set-cookie"])
    for cookie in cookies:
        parts = [part.strip().lower() for part in cookie.split(";")]
        assert parts[0].startswith("sv_staff=") and len(parts[0]) > 40
        assert {"httponly", "samesite=strict", "path=/staff"} <= set(parts), cookie
        assert "secure" not in parts  # plain HTTP: a Secure cookie would never come back
        assert TOKEN.lower() not in parts[0]
    assert cookies[0] != cookies[1]


def test_over_https_the_cookie_is_secure(server: Server) -> None:
    """Behind a proxy on the same machine that says the visitor came over HTTPS."""
    response = sign_in_response(server, next(ADDRESSES), {"X-Forwarded-Proto": "https"})
    parts = [part.strip().lower() for part in response.headers["set-cookie"].split(";")]
    assert "secure" in parts and "samesite=strict" in parts


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/staff"),
        ("GET", "/staff/submissions"),
        ("GET", "/staff/submissions?kind=pledge&status=new"),
        ("GET", "/staff/submissions/{ref}"),
        ("GET", "/staff/submissions.csv?kind=pledge"),
        ("POST", "/staff/submissions/{ref}/approve"),
        ("POST", "/staff/submissions/{ref}/reject"),
        ("POST", "/staff/export-signatories"),
        ("POST", "/staff/sign-out"),
    ],
)
@pytest.mark.parametrize("cookie", [None, "sv_staff=made-up-session-id"])
def test_without_a_session_every_staff_page_goes_to_sign_in(
    server: Server, method: str, path: str, cookie: str | None
) -> None:
    reference = submit(server, "/api/pledges", valid_pledge())
    before = rows(server.db_path)
    headers = {**_origin(server), **({"Cookie": cookie} if cookie else {})}
    response = httpx.request(
        method,
        server.url + path.format(ref=reference),
        headers=headers,
        data={"csrf_token": "anything"} if method == "POST" else None,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/staff/sign-in"
    assert response.headers["cache-control"] == "no-store"
    assert rows(server.db_path) == before


@pytest.mark.parametrize(
    "attack",
    ["other site's Origin", "no Origin", "Origin null", "no CSRF token", "wrong CSRF token",
     "another session's CSRF token"],
)  # fmt: skip
@pytest.mark.parametrize("action", ["approve", "reject", "export", "sign-out"])
def test_a_cross_site_post_is_refused_and_changes_nothing(
    server: Server, staff: Staff, attack: str, action: str
) -> None:
    reference = submit(server, "/api/charter-signatures", valid_charter())
    before = rows(server.db_path)
    signatories = Path(server.db_path.parent / "register" / "signatories.yaml")
    signatories.unlink(missing_ok=True)
    origin: str | None = server.url
    form = {"csrf_token": staff.csrf}
    if attack == "other site's Origin":
        origin = "https://evil.example"
    elif attack == "no Origin":
        origin = None
    elif attack == "Origin null":
        origin = "null"
    elif attack == "no CSRF token":
        form = {"confirm": "yes"}
    elif attack == "wrong CSRF token":
        form = {"csrf_token": staff.csrf[:-2] + "xx"}
    else:
        with sign_in(server, next(ADDRESSES)) as other:
            form = {"csrf_token": other.csrf}
    path = {
        "approve": f"/staff/submissions/{reference}/approve",
        "reject": f"/staff/submissions/{reference}/reject",
        "export": "/staff/export-signatories",
        "sign-out": "/staff/sign-out",
    }[action]
    request = staff.web.build_request("POST", path, data=form)
    del request.headers["Origin"]
    if origin is not None:
        request.headers["Origin"] = origin
    response = staff.web.send(request)
    assert response.status_code == 403, response.text
    assert "This request was refused" in response.text
    assert response.headers["cache-control"] == "no-store"
    assert rows(server.db_path) == before
    assert not signatories.exists()
    assert staff.web.get("/staff/submissions").status_code == 200  # still signed in


def test_approve_and_reject_change_the_status_in_the_database(server: Server, staff: Staff) -> None:
    first = submit(server, "/api/pledges", valid_pledge())
    second = submit(server, "/api/pledges", valid_pledge(quantity="5"))
    assert status_of(server.db_path, first) == ("new", None)
    approved = staff.post(f"/staff/submissions/{first}/approve")
    assert approved.status_code == 303
    assert approved.headers["location"] == f"/staff/submissions/{first}"
    page = staff.page(f"/staff/submissions/{first}")
    assert f"{first} is now approved." in page.text  # the success banner, shown once
    assert f"{first} is now approved." not in staff.page(f"/staff/submissions/{first}").text
    assert staff.post(f"/staff/submissions/{second}/reject").status_code == 303
    assert status_of(server.db_path, first)[0] == "approved"
    assert status_of(server.db_path, second)[0] == "rejected"
    assert status_of(server.db_path, first)[1] is not None
    missing = staff.post("/staff/submissions/SV-P-0000-0000/approve")
    assert missing.status_code == 404


def test_the_list_filters_by_kind_and_status(server: Server, staff: Staff) -> None:
    pledge = submit(server, "/api/pledges", valid_pledge())
    charter = submit(server, "/api/charter-signatures", valid_charter())
    staff.post(f"/staff/submissions/{charter}/approve")
    charters = staff.page("/staff/submissions?kind=charter")
    assert charter in charters.text and pledge not in charters.text
    new = staff.page("/staff/submissions?status=new")
    assert pledge in new.text and charter not in new.text
    approved = staff.page("/staff/submissions?kind=charter&status=approved").text
    assert "Charter signatures that are approved, oldest first" in approved
    assert "Acme Facilities Ltd: all commitments, to be listed" in approved  # the summary
    wrong = staff.web.get("/staff/submissions?kind=nonsense&status=maybe")
    assert wrong.status_code == 422
    assert "Choose a kind from the list" in wrong.text
    assert "Choose a status from the list" in wrong.text


def test_the_csv_download_has_every_answer(server: Server, staff: Staff) -> None:
    reference = submit(server, "/api/pledges", valid_pledge(supplier_name="=HYPERLINK(1)"))
    response = staff.page("/staff/submissions.csv?kind=pledge&status=new")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        'attachment; filename="submissions-pledge.csv"'
    )
    assert response.headers["cache-control"] == "no-store"
    table = list(csv.DictReader(io.StringIO(response.text)))
    row = next(r for r in table if r["reference"] == reference)
    assert row["contact_email"] == "jo.bloggs@acme.example"
    assert row["supplier_name"] == "'=HYPERLINK(1)"  # no spreadsheet formulas
    assert {r["status"] for r in table} == {"new"}
    assert staff.web.get("/staff/submissions.csv?kind=other").status_code == 404


def test_an_approved_register_request_shows_the_organisation_file(
    server: Server, staff: Staff
) -> None:
    reference = submit(server, "/api/register-requests", valid_request())
    before = staff.page(f"/staff/submissions/{reference}").text
    assert "Approve the request to see the file" in before
    assert "sam.private@home.example" in before  # personal data, behind the session
    staff.post(f"/staff/submissions/{reference}/approve")
    page = staff.soup(f"/staff/submissions/{reference}")
    entry = yaml.safe_load(page.select_one("#sv-yaml").get_text())
    assert entry["id"] == "st-marys-cafe-and-community-larder"
    assert entry["name"] == "St Mary's Café & Community Larder"
    assert "sam.private@home.example" not in page.select_one("#sv-yaml").get_text()
    assert "register/organisations/st-marys-cafe-and-community-larder.yaml" in page.get_text()


def test_an_approved_signatory_shows_its_entry_and_the_export_writes_the_file(
    server: Server, staff: Staff
) -> None:
    reference = submit(
        server, "/api/charter-signatures", valid_charter(supplier_name="Sample Signatory Ltd")
    )
    staff.post(f"/staff/submissions/{reference}/approve")
    entry = yaml.safe_load(
        staff.soup(f"/staff/submissions/{reference}").select_one("#sv-yaml").text
    )
    assert [(e["id"], e["companies_house"]) for e in entry] == [
        ("sample-signatory-ltd", "01234567")
    ]
    assert staff.post("/staff/export-signatories").headers["location"] == "/staff/submissions"
    written = server.db_path.parent / "register" / "signatories.yaml"
    names = [row["name"] for row in yaml.safe_load(written.read_text(encoding="utf-8"))]
    assert "Sample Signatory Ltd" in names
    assert f"Wrote {len(names)} signator" in staff.page("/staff/submissions").text


def test_signing_out_ends_the_session_on_the_server(server: Server) -> None:
    with sign_in(server, next(ADDRESSES)) as staff:
        cookie = staff.web.headers["Cookie"]
        response = staff.post("/staff/sign-out")
        assert response.headers["location"] == "/staff/sign-in?signed-out"
        assert 'sv_staff=""' in response.headers["set-cookie"]
        assert "Path=/staff" in response.headers["set-cookie"]
        replayed = httpx.get(server.url + "/staff/submissions", headers={"Cookie": cookie})
        assert replayed.status_code == 303


def test_wrong_tokens_are_braked_per_client(server: Server) -> None:
    braked, other = next(ADDRESSES), next(ADDRESSES)
    for _ in range(5):
        assert sign_in_response(server, braked, token="wrong-token-0123456789").status_code == 422
    refused = sign_in_response(server, braked)  # even the right token now waits
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 15 * 60
    assert "entered a wrong token too many times" in refused.text
    assert "set-cookie" not in refused.headers
    assert sign_in_response(server, other).status_code == 303


def test_pages_are_not_stored_and_the_log_holds_no_personal_data(
    server: Server, staff: Staff
) -> None:
    reference = submit(server, "/api/register-requests", _request())
    for path in ("/staff/sign-in", "/staff/submissions", f"/staff/submissions/{reference}"):
        response = staff.web.get(path, follow_redirects=True)
        assert response.headers["cache-control"] == "no-store", path
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "sam.private@home.example" in staff.page(f"/staff/submissions/{reference}").text
    log = server.log()
    for secret in (*NAMES, TOKEN, staff.csrf, staff.session_id):
        assert secret not in log, secret


def _request() -> dict[str, object]:
    return valid_request(name="Sample Log Check Trust")


def _origin(server: Server) -> dict[str, str]:
    return {"Origin": server.url}


def test_the_stylesheet_is_public(server: Server) -> None:
    response = httpx.get(server.url + "/staff/assets/staff.css")
    assert response.status_code == 200 and ".sv-table" in response.text


def test_the_pages_escape_answers_and_are_valid_html(
    server: Server, staff: Staff, tmp_path: Path
) -> None:
    reference = submit(server, "/api/register-requests", valid_request(name=AWKWARD))
    staff.post(f"/staff/submissions/{reference}/approve")
    pages = {
        "sign-in": httpx.get(server.url + "/staff/sign-in").text,
        "sign-in-error": sign_in_response(server, next(ADDRESSES), token="wrong-0123456789").text,
        "list": staff.page("/staff/submissions").text,
        "list-error": staff.web.get("/staff/submissions?kind=x").text,
        "detail": staff.page(f"/staff/submissions/{reference}").text,
        "not-found": staff.web.get("/staff/submissions/SV-R-0000-0000").text,
    }
    for name in ("list", "detail"):
        assert AWKWARD not in pages[name] and "&lt;script&gt;" in pages[name], name
    assert nu_errors(pages, tmp_path) == []
