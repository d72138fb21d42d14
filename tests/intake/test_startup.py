"""Start-up failures through the real command lines: one plain sentence, exit 1, no traceback.

A command that wrongly started serving would hang until the subprocess timeout: a failure too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from socialvalue.intake.config import REPO_ROOT
from socialvalue.intake.store import open_store

from .support import SITE, TOKEN, free_port

pytestmark = pytest.mark.slow


def run(*command: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SV_STAFF_TOKEN": TOKEN, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run(
        [sys.executable, *command], env=env, capture_output=True, text=True, cwd=REPO_ROOT,
        timeout=60,
    )  # fmt: skip


def intake(db_path: Path, register_dir: Path) -> subprocess.CompletedProcess[str]:
    return run(
        "-m", "socialvalue.intake", "--db", str(db_path), "--site-url", SITE + "/",
        "--register", str(register_dir), "--port", str(free_port()),
    )  # fmt: skip


def assert_one_sentence(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: the intake cannot start: ")
    for word in words:
        assert word in last


def read_only_database(tmp_path: Path) -> Path:
    db_path = tmp_path / "intake.sqlite3"
    open_store(db_path)
    db_path.chmod(0o444)
    return db_path


def test_a_missing_database_folder(tmp_path: Path, register_dir: Path) -> None:
    result = intake(tmp_path / "no-such-folder" / "intake.sqlite3", register_dir)
    assert_one_sentence(result, "no-such-folder", "does not exist")
    assert result.stderr.strip().count("\n") == 0
    assert not (tmp_path / "no-such-folder").exists()


def test_a_read_only_database(tmp_path: Path, register_dir: Path) -> None:
    result = intake(read_only_database(tmp_path), register_dir)
    assert_one_sentence(result, "intake.sqlite3", "read-only")


def test_an_unreadable_register(tmp_path: Path, register_dir: Path) -> None:
    (register_dir / "measures.yaml").write_bytes(b"- {id: caf\xe9}\n")  # Latin-1, not UTF-8
    # The contract names a measure, so it would be listed first (by path): take it away.
    shutil.rmtree(register_dir / "contracts")
    result = intake(tmp_path / "intake.sqlite3", register_dir)
    assert_one_sentence(result, "measures.yaml")


def serve(tmp_path: Path, register: Path, db_path: Path) -> subprocess.CompletedProcess[str]:
    return run(
        "build.py", "serve", "--register", str(register), "--out", str(tmp_path / "site"),
        "--db", str(db_path), "--port", str(free_port()),
    )  # fmt: skip


def test_serve_with_a_read_only_database(
    tmp_path: Path, minimal_register: Callable[..., Path]
) -> None:
    result = serve(tmp_path, minimal_register(), read_only_database(tmp_path))
    assert_one_sentence(result, "intake.sqlite3", "read-only")


def test_serve_with_a_database_folder_it_cannot_make(
    tmp_path: Path, minimal_register: Callable[..., Path]
) -> None:
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    result = serve(tmp_path, minimal_register(), tmp_path / "a-file" / "intake.sqlite3")
    assert_one_sentence(result, "a-file")
