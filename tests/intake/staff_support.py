"""Helpers for the staff page tests: a signed-in client, submissions made through the real
API, and reads of the real SQLite file.

- `sign_in(server, address)`: a context manager giving a `Staff`: an httpx client that sends the
  session cookie, the site's Origin and `X-Forwarded-For: address`, with the session's CSRF token.
- `submit(server, api_path, body) -> reference`, through the public JSON API.
- `sign_in_response(server, address, extra_headers, token)`: the answer to one sign-in POST.
- `nu_errors({name: html}, tmp) -> [(file, line, message)]`: the Nu HTML Checker's errors.
- `rows(db)`: every submission row as tuples (to show a refused request changed nothing);
  `status_of(db, reference) -> (status, status_changed_at)`.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from bs4 import BeautifulSoup

from socialvalue.intake.config import REPO_ROOT

from .support import SITE, TOKEN, Server

VNU = REPO_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# Personal data in the test answers (support.valid_*): never in a log.
NAMES = (
    "Jo Bloggs",
    "jo.bloggs@acme.example",
    "Sam Private",
    "sam.private@home.example",
)


@dataclass
class Staff:
    web: httpx.Client
    csrf: str
    session_id: str

    def post(self, path: str, **fields: str) -> httpx.Response:
        return self.web.post(path, data={"csrf_token": self.csrf, **fields})

    def page(self, path: str) -> httpx.Response:
        response = self.web.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response

    def soup(self, path: str) -> BeautifulSoup:
        return BeautifulSoup(self.page(path).text, "html.parser")


@contextlib.contextmanager
def sign_in(server: Server, address: str) -> Iterator[Staff]:
    headers = {"Origin": server.url, "X-Forwarded-For": address}
    with httpx.Client(base_url=server.url, headers=headers) as web:
        response = web.post("/staff/sign-in", data={"token": TOKEN})
        assert response.status_code == 303, response.text
        session_id = response.cookies["sv_staff"]
        web.cookies.clear()  # sent by hand below: the jar's rules for IP hosts vary
        web.headers["Cookie"] = f"sv_staff={session_id}"
        page = BeautifulSoup(web.get("/staff/submissions").text, "html.parser")
        field = page.select_one("input[name=csrf_token]")
        assert field is not None
        yield Staff(web, str(field["value"]), session_id)


def submit(server: Server, api_path: str, body: dict[str, Any]) -> str:
    response = httpx.post(server.url + api_path, json=body, headers={"Origin": SITE})
    assert response.status_code == 201, response.text
    return response.json()["reference"]


def rows(db: Path) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT * FROM submissions ORDER BY id").fetchall()
    finally:
        connection.close()


def status_of(db: Path, reference: str) -> tuple[str, str | None]:
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = connection.execute(
            "SELECT status, status_changed_at FROM submissions WHERE reference = ?", (reference,)
        ).fetchone()
    finally:
        connection.close()
    assert row is not None, f"{reference} is not in {db}"
    return row[0], row[1]


def sign_in_response(
    server: Server, address: str, extra: dict[str, str] | None = None, token: str = TOKEN
) -> httpx.Response:
    headers = {"Origin": server.url, "X-Forwarded-For": address, **(extra or {})}
    return httpx.post(server.url + "/staff/sign-in", data={"token": token}, headers=headers)


def nu_errors(pages: dict[str, str], tmp: Path) -> list[tuple[str, Any, str]]:
    """The Nu HTML Checker's errors in the pages (one JVM run for all)."""
    files = []
    for name, html in pages.items():
        files.append(tmp / f"{name}.html")
        files[-1].write_text(html, encoding="utf-8")
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    found = [(Path(m.get("url", "")).name, m.get("lastLine"), m["message"]) for m in messages]
    if not found and result.returncode != 0:
        found.append(("vnu.jar", None, result.stdout + result.stderr))
    return found
