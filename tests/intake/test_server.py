"""The real server: uvicorn in its own process, a real SQLite file, real signals."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from socialvalue.intake.config import REPO_ROOT

from .support import SITE, Server, start_server, valid_pledge, valid_request

pytestmark = pytest.mark.slow
HEADERS = {"Origin": SITE}


def stored_references(db_path: Path) -> set[str]:
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {r for (r,) in conn.execute("SELECT reference FROM submissions")}


def test_the_real_server_stores_what_it_acknowledges(server: Server) -> None:
    response = httpx.post(server.url + "/api/pledges", json=valid_pledge(), headers=HEADERS)
    assert response.status_code == 201
    assert stored_references(server.db_path) == {response.json()["reference"]}


def test_the_logs_hold_no_personal_data(server: Server) -> None:
    private = valid_request(
        requester_name="Priya Secretname",
        requester_email="priya.secret@home.example",
        name="Hidden Harbour Refuge",
        contact_phone="07700 900123",
    )
    with httpx.Client(base_url=server.url, headers=HEADERS) as client:
        assert client.post("/api/register-requests", json=private).status_code == 201
        form = {**private, "request_type": "join", "areas": "norwich", "quantity": "x"}
        assert client.post("/forms/register-request", data=form).status_code == 303
        bad = {**private, "requester_email": "priya.secret-at-home"}
        assert client.post("/forms/register-request", data=bad).status_code == 422
        assert (
            client.get(
                "/forms/pledge", params={"measure": "pc-jobs", "email": "priya.secret@home.example"}
            ).status_code
            == 200
        )
        assert client.get("/priya.secret@home.example/Priya-Secretname").status_code == 404
    server.stop()
    log = server.log()
    for secret in (
        "Priya",
        "Secretname",
        "priya.secret",
        "home.example",
        "Hidden Harbour",
        "07700",
        "900123",
        "measure=",
        "?",
    ):
        assert secret not in log
    lines = [line for line in log.splitlines() if "socialvalue.intake.access" in line]
    assert len(lines) >= 6  # /healthz while starting, then the five above
    assert re.search(r"POST /api/register-requests 201 \d+\.\dms$", lines[-5])
    assert re.search(r"POST /forms/register-request 303 ", lines[-4])
    assert re.search(r"POST /forms/register-request 422 ", lines[-3])
    assert re.search(r"GET /forms/pledge 200 ", lines[-2])
    assert re.search(r"GET \(unmatched path\) 404 ", lines[-1])


def test_every_acknowledged_submission_survives_kill_9(tmp_path: Path, register_dir: Path) -> None:
    db_path = tmp_path / "durable.sqlite3"
    server = start_server(db_path, register_dir, tmp_path / "server.log", "--rate-limit", "1000000")
    acknowledged: list[str] = []
    stop = threading.Event()

    def stream() -> None:
        with httpx.Client(base_url=server.url, headers=HEADERS, timeout=5) as client:
            while not stop.is_set():
                try:
                    response = client.post("/api/pledges", json=valid_pledge())
                except httpx.TransportError:
                    return  # the server is gone: anything not acknowledged is not promised
                if response.status_code == 201:
                    acknowledged.append(response.json()["reference"])

    threads = [threading.Thread(target=stream) for _ in range(8)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while len(acknowledged) < 300 and time.monotonic() < deadline:
        time.sleep(0.01)
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait(timeout=10)
    stop.set()
    for thread in threads:
        thread.join(timeout=10)
    assert len(acknowledged) >= 300
    restarted = start_server(db_path, register_dir, tmp_path / "server.log")
    try:
        stored = stored_references(db_path)
        assert set(acknowledged) <= stored
        assert httpx.get(restarted.url + "/healthz").status_code == 200
        after = httpx.post(restarted.url + "/api/pledges", json=valid_pledge(), headers=HEADERS)
        assert after.status_code == 201
    finally:
        restarted.stop()


def test_without_a_staff_token_it_warns_and_leaves_the_staff_api_out(
    tmp_path: Path, register_dir: Path
) -> None:
    server = start_server(tmp_path / "db.sqlite3", register_dir, tmp_path / "log", token=None)
    try:
        response = httpx.get(
            server.url + "/api/staff/submissions",
            headers={"Authorization": "Bearer anything-at-all-here"},
        )
        assert response.status_code == 404
    finally:
        server.stop()
    assert "SV_STAFF_TOKEN is not set" in server.log()


def run_cli(*args: str, token: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SV_STAFF_TOKEN"}
    if token is not None:
        env["SV_STAFF_TOKEN"] = token
    return subprocess.run(
        [sys.executable, "-m", "socialvalue.intake", *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=60,
    )


def test_require_staff_without_a_token_refuses_to_start(tmp_path: Path) -> None:
    result = run_cli(
        "--db",
        str(tmp_path / "x.sqlite3"),
        "--site-url",
        SITE + "/",
        "--port",
        "1",
        "--require-staff",
    )
    assert result.returncode == 2
    assert "SV_STAFF_TOKEN" in result.stderr
    assert not (tmp_path / "x.sqlite3").exists()


def test_a_short_staff_token_is_refused(tmp_path: Path) -> None:
    result = run_cli("--db", str(tmp_path / "x.sqlite3"), "--site-url", SITE + "/", token="short")
    assert result.returncode == 2
    assert "at least 16 characters" in result.stderr
