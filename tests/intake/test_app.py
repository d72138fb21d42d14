"""The app in process (Starlette TestClient): forms, JSON API, confirmation, storage."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from starlette.testclient import TestClient

from socialvalue.intake.references import is_reference

from .support import valid_charter, valid_pledge, valid_request

FORM_PLEDGE = {
    **{k: v for k, v in valid_pledge().items() if not k.startswith("period")},
    "period_start-day": "1",
    "period_start-month": "4",
    "period_start-year": "2026",
    "period_end-day": "31",
    "period_end-month": "3",
    "period_end-year": "2027",
}


def rows(db_path: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT reference, kind, status, payload FROM submissions").fetchall()


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/pledges", valid_pledge()),
        ("/api/charter-signatures", valid_charter()),
        ("/api/register-requests", valid_request()),
    ],
)
def test_the_json_api_stores_a_valid_submission(
    client: TestClient, db_path: Path, path: str, body: dict[str, Any]
) -> None:
    response = client.post(path, json=body)
    assert response.status_code == 201
    answer = response.json()
    assert answer["ok"] is True and is_reference(answer["reference"])
    assert [(r[0], r[2]) for r in rows(db_path)] == [(answer["reference"], "new")]


def test_a_form_post_stores_and_redirects_to_its_confirmation(
    client: TestClient, db_path: Path
) -> None:
    response = client.post("/forms/pledge", data=FORM_PLEDGE)
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith("/forms/pledge/confirmation?ref=SV-P-")
    reference = location.split("ref=")[1]
    assert [r[0] for r in rows(db_path)] == [reference]
    page = client.get(location)
    assert page.status_code == 200
    assert reference in page.text
    for private in ("Jo Bloggs", "jo.bloggs@acme.example", "Acme Facilities"):
        assert private not in page.text


def test_a_multipart_form_post_works_too(client: TestClient, db_path: Path) -> None:
    fields = {k: (None, v) for k, v in FORM_PLEDGE.items()}
    response = client.post("/forms/pledge", files=fields)
    assert response.status_code == 303
    assert len(rows(db_path)) == 1


def test_a_file_upload_is_refused_as_unreadable(client: TestClient, db_path: Path) -> None:
    response = client.post(
        "/forms/pledge", data=FORM_PLEDGE, files={"upload": ("a.txt", b"hello", "text/plain")}
    )
    assert response.status_code == 400
    assert rows(db_path) == []


def test_an_invalid_form_comes_back_with_its_errors_and_answers(
    client: TestClient, db_path: Path
) -> None:
    answers = {
        **FORM_PLEDGE,
        "quantity": "lots",
        "contact_email": "jo-at-acme",
        "supplier_name": "Acme <b>& Sons</b>",
    }
    response = client.post("/forms/pledge", data=answers)
    assert response.status_code == 422
    assert rows(db_path) == []
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.title.text.startswith("Error: ")
    summary = soup.select_one(".sv-error-summary")
    assert summary["role"] == "alert" and summary["tabindex"] == "-1"
    links = [(a["href"], a.text) for a in summary.select("a")]
    assert links == [
        ("#sv-quantity", "Enter the quantity as a number, like 12"),
        (
            "#sv-contact_email",
            "Enter a work email address in the correct format, like name@example.org",
        ),
    ]
    for href, message in links:
        field = href[len("#sv-") :]
        inline = soup.select_one(f"#sv-{field}-error")
        assert inline.text == f"Error: {message}"
        assert soup.select_one(href) is not None
        assert f"sv-{field}-error" in soup.select_one(href)["aria-describedby"]
    assert soup.select_one("#sv-quantity")["value"] == "lots"
    assert soup.select_one("#sv-supplier_name")["value"] == "Acme <b>& Sons</b>"
    assert soup.select_one("#sv-period_start-year")["value"] == "2026"
    assert soup.select_one("#sv-measure option[selected]")["value"] == "pc-jobs"
    assert "<b>& Sons" not in response.text


def test_the_form_page_is_prefilled_from_the_link(client: TestClient) -> None:
    response = client.get("/forms/pledge?measure=pc-jobs&organisation=open-door&x=1")
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one("#sv-measure option[selected]")["value"] == "pc-jobs"
    # the organisation from the link is chosen, kept in a hidden field, with only its measures
    assert soup.select_one("input#sv-organisation[type=hidden]")["value"] == "open-door"
    assert [o["value"] for o in soup.select("#sv-measure option")] == ["", "pc-jobs"]
    assert "Open Door Project" in soup.select_one(".sv-inset").text
    assert soup.select_one("#sv-quantity-suffix").text == "people"
    assert not soup.title.text.startswith("Error")
    assert soup.select_one(".sv-error-summary").has_attr("hidden")
    charter = BeautifulSoup(
        client.get("/forms/charter?commitment=ch-prompt-payment").text, "html.parser"
    )
    assert [i["value"] for i in charter.select("input[name=commitments][checked]")] == [
        "ch-prompt-payment"
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/forms/nothing",
        "/forms/pledge/confirmation?ref=nope",
        "/forms/pledge/confirmation?ref=SV-C-AAAA-BBBB",
        "/no/such/page",
    ],
)
def test_unknown_addresses_are_not_found_pages(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_a_honeypot_answer_looks_accepted_but_is_not_stored(
    client: TestClient, db_path: Path
) -> None:
    api = client.post("/api/pledges", json={"comments": "cheap pills", "quantity": "bad"})
    assert api.status_code == 201
    assert is_reference(api.json()["reference"]) and set(api.json()) == {"ok", "reference"}
    form = client.post("/forms/charter", data={"comments": "http://spam.example"})
    assert form.status_code == 303
    assert client.get(form.headers["location"]).status_code == 200
    assert rows(db_path) == []


@pytest.mark.parametrize(
    "origin",
    [
        None,
        "https://evil.example",
        "null",
        "https://sv.example.org.evil.example",
        "http://sv.example.org",
    ],
)
def test_a_post_from_a_missing_or_foreign_origin_is_refused(
    client: TestClient, db_path: Path, origin: str | None
) -> None:
    headers = {"Origin": origin} if origin else {}
    client.headers.pop("Origin")
    api = client.post("/api/pledges", json=valid_pledge(), headers=headers)
    form = client.post("/forms/pledge", data=FORM_PLEDGE, headers=headers)
    assert (api.status_code, form.status_code) == (403, 403)
    assert rows(db_path) == []


def test_extra_origins_are_allowed_and_the_host_header_counts_for_nothing(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(allow_origins=("https://forms.example.net/",))

    def status(origin: str) -> int:
        return client.post(
            "/api/pledges", json=valid_pledge(), headers={"Origin": origin}
        ).status_code

    assert status("https://forms.example.net") == 201
    assert status("https://SV.example.org:443") == 201
    assert status("http://testserver") == 403  # equals Host, but is not a configured origin


def test_the_rate_limit_answers_429_with_retry_after(
    make_client: Callable[..., TestClient], db_path: Path
) -> None:
    client = make_client(rate_limit=3)
    statuses = [client.post("/api/pledges", json=valid_pledge()).status_code for _ in range(4)]
    assert statuses == [201, 201, 201, 429]
    limited = client.post("/forms/pledge", data=FORM_PLEDGE)
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1
    assert len(rows(db_path)) == 3


def test_too_large_bodies_are_refused_even_when_the_length_is_not_declared(
    client: TestClient, db_path: Path
) -> None:
    big = valid_pledge(additionality="x" * 40_000)
    assert client.post("/api/pledges", json=big).status_code == 413

    def chunks():
        for _ in range(40):
            yield b'{"additionality": "' + b"x" * 1000 + b'", '

    streamed = client.post(
        "/api/pledges", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert streamed.status_code == 413
    assert "content-length" not in {k.lower() for k in streamed.request.headers}
    form = client.post(
        "/forms/pledge",
        content=chunks(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert form.status_code == 413
    assert rows(db_path) == []


@pytest.mark.parametrize(
    ("content_type", "status"),
    [
        ("text/plain", 415),
        ("application/x-www-form-urlencoded", 415),
        ("", 415),
        ("application/json; charset=utf-8", 201),
    ],
)
def test_the_api_takes_json_only(client: TestClient, content_type: str, status: int) -> None:
    import json

    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post("/api/pledges", content=json.dumps(valid_pledge()), headers=headers)
    assert response.status_code == status


def test_the_forms_take_form_encodings_only(client: TestClient) -> None:
    assert client.post("/forms/pledge", json=valid_pledge()).status_code == 415


HOSTILE: list[tuple[str, bytes | str]] = [
    ("application/json", b"not json"),
    ("application/json", b"[1, 2, 3]"),
    ("application/json", b'"a string"'),
    ("application/json", b"null"),
    ("application/json", b'{"quantity": NaN}'),
    ("application/json", b'{"quantity": Infinity}'),
    ("application/json", b'{"quantity": -Infinity}'),
    ("application/json", b'{"quantity": 1e999}'),
    ("application/json", b'{"quantity": -5}'),
    ("application/json", b'{"quantity": ' + b"9" * 5000 + b"}"),
    ("application/json", b"[" * 15000 + b"]" * 15000),
    ("application/json", b'{"a":' * 5000 + b"1" + b"}" * 5000),
    ("application/json", b'{"measure": {"$ne": 1}, "areas": [[["deep"]]]}'),
    ("application/json", b'{"supplier_name": "\\u0000\\u0000", "measure": "\\ud800"}'),
    ("application/json", b"\xff\xfe\x00\x00binary\x00"),
    ("application/json", '{"supplier_name": "' + "名" * 5000 + '"}'),
    ("application/json", b'{"listed": [true], "commitments": {"a": 1}, "quantity": true}'),
    ("application/json", b'{"period_start": "9999999-99-99", "period_end": "2026-02-29"}'),
    ("application/json", b""),
    ("multipart/form-data; boundary=xyz", b"--xyz\r\nContent-Disposition: form-data\r\n\r\nx"),
    ("multipart/form-data", b"no boundary at all"),
    ("multipart/form-data; boundary=", b"--\r\n"),
    ("application/x-www-form-urlencoded", b"%%%&&&===&quantity=%00%ff&measure[]=x"),
    ("application/x-www-form-urlencoded", "&".join(f"f{i}=1" for i in range(1000))),
    ("application/x-www-form-urlencoded", b"\x00\x01\x02\xff" * 100),
]


@pytest.mark.parametrize(
    ("content_type", "body"), HOSTILE, ids=[f"hostile-{i}" for i in range(len(HOSTILE))]
)
@pytest.mark.parametrize("path", ["/api/pledges", "/api/register-requests", "/forms/charter"])
def test_hostile_input_never_gets_a_server_error(
    client: TestClient, path: str, content_type: str, body: bytes | str
) -> None:
    response = client.post(path, content=body, headers={"Content-Type": content_type})
    assert 400 <= response.status_code < 500, response.text[:300]
    if path.startswith("/api/"):
        assert response.json()["ok"] is False


def test_nothing_is_stored_from_hostile_input(client: TestClient, db_path: Path) -> None:
    for content_type, body in HOSTILE:
        client.post("/api/pledges", content=body, headers={"Content-Type": content_type})
    assert rows(db_path) == []


def test_health_and_security_headers(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"ok": True}
    page = client.get("/forms/pledge")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    assert client.get("/forms/assets/forms.css").status_code == 200
    assert client.get("/forms/assets/forms.js").status_code == 200
    assert client.get("/forms/assets/page.html").status_code == 404


def test_a_built_site_is_served_at_the_root_after_the_intake(
    make_client: Callable[..., TestClient], tmp_path: Path
) -> None:
    site = tmp_path / "site"
    (site / "pledge").mkdir(parents=True)
    (site / "index.html").write_text("<p>home</p>")
    (site / "pledge" / "index.html").write_text("<p>static pledge page</p>")
    client = make_client(site_dir=site)
    assert client.get("/").text == "<p>home</p>"
    assert client.get("/pledge/").text == "<p>static pledge page</p>"
    assert client.get("/healthz").json() == {"ok": True}
    assert client.post("/api/pledges", json=valid_pledge()).status_code == 201


def test_stored_payload_holds_the_cleaned_answers(client: TestClient, db_path: Path) -> None:
    import json

    client.post(
        "/api/charter-signatures", json=valid_charter(companies_house="sc123456", unknown="dropped")
    )
    payload = json.loads(rows(db_path)[0][3])
    assert payload == {
        "supplier_name": "Acme Facilities Ltd",
        "companies_house": "SC123456",
        "contact_name": "Jo Bloggs",
        "contact_email": "jo.bloggs@acme.example",
        "commitments_scope": "all",
        "commitments": ["ch-living-wage", "ch-prompt-payment"],
        "listed": True,
    }


def test_lone_surrogates_and_null_bytes_are_dropped_not_stored(
    client: TestClient, db_path: Path
) -> None:
    import json

    body = json.dumps(valid_pledge(supplier_name="Acme\ud800 Ltd\x00", quantity="-1"))
    bad = client.post("/api/pledges", content=body, headers={"Content-Type": "application/json"})
    assert bad.status_code == 422
    again = client.post(
        "/forms/pledge",
        content=b"supplier_name=Acme%ED%A0%80%00&quantity=x",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert again.status_code == 422
    body = json.dumps(valid_pledge(supplier_name="Acme\ud800 Ltd\x00"))
    good = client.post("/api/pledges", content=body, headers={"Content-Type": "application/json"})
    assert good.status_code == 201
    assert json.loads(rows(db_path)[0][3])["supplier_name"] == "Acme Ltd"
