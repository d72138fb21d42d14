"""`python build.py serve` for real: a subprocess on a free port, an edit, the new page served."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from fixtures import REPO, TODAY

PAGE = "/register/sample-youth-club/"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _until(condition: Callable[[], bool], timeout: float) -> bool:
    """Poll `condition` every 0.2 s until it holds or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except httpx.HTTPError:
            pass  # not listening yet, or between two renames of the site
        time.sleep(0.2)
    return False


@pytest.fixture
def served(tmp_path: Path, minimal_register) -> Iterator[tuple[str, Path]]:
    register = minimal_register()
    port = _free_port()
    command = [
        sys.executable,
        "build.py",
        "serve",
        "--today",
        TODAY.isoformat(),
        "--register",
        str(register),
        "--out",
        str(tmp_path / "site"),
        "--db",
        str(tmp_path / "intake.sqlite3"),
        "--port",
        str(port),
    ]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        up = _until(lambda: httpx.get(url + PAGE, timeout=2).status_code == 200, timeout=120)
        assert up, "serve did not answer within 120 s"
        yield url, register
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_serve_shows_an_edit_without_a_restart(served: tuple[str, Path]) -> None:
    url, register = served
    before = httpx.get(url + PAGE, timeout=5)
    assert "Sample Youth Club" in before.text and "Sample Riverside Youth Club" not in before.text
    assert before.headers.get("content-encoding") == "gzip"  # httpx asks for gzip by default

    source = register / "organisations" / "sample-youth-club.yaml"
    text = source.read_text(encoding="utf-8")
    assert "name: Sample Youth Club" in text
    source.write_text(
        text.replace("name: Sample Youth Club", "name: Sample Riverside Youth Club"),
        encoding="utf-8",
    )

    assert _until(
        lambda: "Sample Riverside Youth Club" in httpx.get(url + PAGE, timeout=5).text, timeout=90
    ), "the edit did not reach the served page within 90 s"


def test_serve_takes_a_pledge_on_the_same_origin(served: tuple[str, Path]) -> None:
    url, _ = served
    answer = httpx.post(url + "/api/pledges", json={}, headers={"Origin": url}, timeout=5)
    assert answer.status_code == 422
    assert answer.json()["ok"] is False and answer.json()["errors"]
