"""Fixtures for the intake tests: a register written into tmp_path, an app, a real server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from socialvalue.intake.app import create_app
from socialvalue.intake.config import IntakeConfig

from .support import REGISTER, SITE, TOKEN, Server, start_server, write_tree


@pytest.fixture
def register_dir(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "register", REGISTER)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "intake.sqlite3"


@pytest.fixture
def make_config(register_dir: Path, db_path: Path) -> Callable[..., IntakeConfig]:
    def make(**overrides: Any) -> IntakeConfig:
        settings: dict[str, Any] = {
            "db_path": db_path,
            "site_url": SITE + "/",
            "register_dir": register_dir,
            "staff_token": TOKEN,
            "rate_limit": 1000,
        }
        settings.update(overrides)
        return IntakeConfig(**settings)

    return make


@pytest.fixture
def make_client(make_config: Callable[..., IntakeConfig]) -> Iterator[Callable[..., TestClient]]:
    clients: list[TestClient] = []

    def make(**overrides: Any) -> TestClient:
        client = TestClient(
            create_app(make_config(**overrides)), headers={"Origin": SITE}, follow_redirects=False
        )
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


@pytest.fixture
def server(tmp_path: Path, register_dir: Path) -> Iterator[Server]:
    running = start_server(
        tmp_path / "server.sqlite3", register_dir, tmp_path / "server.log", "--rate-limit", "100000"
    )
    yield running
    running.stop()
