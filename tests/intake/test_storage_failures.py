"""The database going away while the real server runs: never a 201 for what staff cannot read.

Each test starts uvicorn in its own process, with each writer, and breaks the SQLite file or its
folder under it. A 201 must mean the reference is in the file at --db; anything else is 503.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from socialvalue.intake.store import open_store

from .support import SITE, Server, start_server, valid_pledge
from .test_error_shape import assert_error_shape
from .test_server import stored_references

pytestmark = pytest.mark.slow
FILES = ("intake.sqlite3", "intake.sqlite3-wal", "intake.sqlite3-shm")


@pytest.fixture(params=["group", "direct"])
def running(request: pytest.FixtureRequest, tmp_path: Path, register_dir: Path) -> Iterator[Server]:
    folder = tmp_path / "data"
    folder.mkdir()
    server = start_server(
        folder / "intake.sqlite3", register_dir, tmp_path / "server.log", "--writer", request.param
    )
    yield server
    server.stop()


def post(server: Server) -> httpx.Response:
    return httpx.post(
        server.url + "/api/pledges", json=valid_pledge(), headers={"Origin": SITE}, timeout=30
    )


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503
    assert response.headers["retry-after"].isdigit()
    assert_error_shape(response.json())


def test_a_deleted_database_folder_answers_503_and_is_not_made_again(running: Server) -> None:
    assert post(running).status_code == 201
    shutil.rmtree(running.db_path.parent)
    assert_unavailable(post(running))
    assert_unavailable(post(running))
    assert not running.db_path.parent.exists()


def test_a_deleted_database_file_answers_503_and_is_not_made_again(running: Server) -> None:
    assert post(running).status_code == 201
    for name in FILES:
        (running.db_path.parent / name).unlink(missing_ok=True)
    assert_unavailable(post(running))
    assert_unavailable(post(running))
    assert not running.db_path.exists()


def test_a_database_made_again_in_its_place_is_used_and_nothing_is_lost(running: Server) -> None:
    assert post(running).status_code == 201
    for name in FILES:
        (running.db_path.parent / name).unlink(missing_ok=True)
    open_store(running.db_path)  # the operator puts a database back (another inode)
    answers = [post(running) for _ in range(3)]
    acknowledged = {r.json()["reference"] for r in answers if r.status_code == 201}
    for response in answers:
        if response.status_code != 201:
            assert_unavailable(response)
    assert answers[-1].status_code == 201  # the writer has moved to the new file
    assert stored_references(running.db_path) == acknowledged


def test_a_database_made_read_only_answers_503_until_it_is_writable(running: Server) -> None:
    first = post(running)
    assert first.status_code == 201
    os.chmod(running.db_path, 0o444)
    assert_unavailable(post(running))
    os.chmod(running.db_path, 0o644)
    last = post(running)
    assert last.status_code == 201
    assert stored_references(running.db_path) == {
        first.json()["reference"],
        last.json()["reference"],
    }
