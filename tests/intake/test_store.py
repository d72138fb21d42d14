"""SQLite storage: pragmas, versioned migrations, both writers, reference clashes."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest

from socialvalue.intake import store, writers
from socialvalue.intake.references import ALPHABET, is_reference, new_reference

T = TypeVar("T")


def run_on_fresh_loop(coroutine: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run` in a worker thread: a full run may hold Playwright's loop in this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def item(n: int = 0) -> store.NewSubmission:
    return store.NewSubmission("pledge", "P", {"n": n, "text": "é"}, store.now())


def test_a_new_database_is_wal_synchronous_full_and_fully_migrated(db_path: Path) -> None:
    store.open_store(db_path)
    conn = store.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    versions = [v for (v,) in conn.execute("SELECT version FROM schema_migrations")]
    assert versions == list(range(1, len(store.MIGRATIONS) + 1))
    columns = [row[1] for row in conn.execute("PRAGMA table_info(submissions)")]
    assert columns == [
        "id",
        "reference",
        "kind",
        "status",
        "created_at",
        "payload",
        "status_changed_at",
    ]


def test_migrations_apply_once_and_upgrade_an_older_database(db_path: Path) -> None:
    conn = store.connect(db_path, create=True)
    assert store.migrate(conn, store.MIGRATIONS[:1]) == 1
    conn.execute(
        "INSERT INTO submissions (reference, kind, created_at, payload) "
        "VALUES ('SV-P-AAAA-AAAA', 'pledge', '2026-01-01T00:00:00Z', '{}')"
    )
    assert store.migrate(conn) == len(store.MIGRATIONS)
    assert store.migrate(conn) == len(store.MIGRATIONS)
    assert conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(
        store.MIGRATIONS
    )
    assert store.get_submission(conn, "SV-P-AAAA-AAAA").status == "new"


def test_the_delivery_forms_migration_keeps_every_row_and_admits_their_kinds(
    db_path: Path,
) -> None:
    conn = store.connect(db_path, create=True)
    assert store.migrate(conn, store.MIGRATIONS[:2]) == 2
    conn.execute(
        "INSERT INTO submissions (reference, kind, status, created_at, payload, status_changed_at) "
        "VALUES ('SV-R-AAAA-AAAA', 'register-request', 'approved', '2026-01-01T00:00:00Z', "
        "'{\"name\": \"x\"}', '2026-01-02T00:00:00Z')"
    )
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO submissions (reference, kind, created_at, payload) "
            "VALUES ('SV-U-AAAA-AAAA', 'progress-update', '2026-01-01T00:00:00Z', '{}')"
        )
    assert store.migrate(conn) == len(store.MIGRATIONS)
    kept = store.get_submission(conn, "SV-R-AAAA-AAAA")
    assert (kept.status, kept.status_changed_at, kept.payload) == (
        "approved",
        "2026-01-02T00:00:00Z",
        {"name": "x"},
    )
    for reference, kind in (
        ("SV-U-AAAA-AAAA", "progress-update"),
        ("SV-D-AAAA-AAAA", "delivery-confirmation"),
    ):
        conn.execute(
            "INSERT INTO submissions (reference, kind, created_at, payload) "
            f"VALUES ('{reference}', '{kind}', '2026-01-01T00:00:00Z', '{{}}')"
        )
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO submissions (reference, kind, created_at, payload) "
            "VALUES ('SV-X-AAAA-AAAA', 'other', '2026-01-01T00:00:00Z', '{}')"
        )
    indexes = [row[1] for row in conn.execute("PRAGMA index_list(submissions)")]
    assert "submissions_kind_status" in indexes


def test_a_failing_migration_leaves_the_previous_version(db_path: Path) -> None:
    conn = store.connect(db_path, create=True)
    broken = (*store.MIGRATIONS, ("ALTER TABLE submissions ADD COLUMN x TEXT", "THIS IS NOT SQL"))
    with pytest.raises(sqlite3.OperationalError):
        store.migrate(conn, broken)
    assert conn.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] == len(
        store.MIGRATIONS
    )
    columns = [row[1] for row in conn.execute("PRAGMA table_info(submissions)")]
    assert "x" not in columns


@pytest.mark.parametrize("writer_class", [writers.GroupWriter, writers.DirectWriter])
def test_both_writers_store_every_submission_concurrently(db_path: Path, writer_class) -> None:
    store.open_store(db_path)
    writer = writer_class(db_path)
    writer.start()

    async def many() -> list[str]:
        return await asyncio.gather(*(writer.write(item(n)) for n in range(300)))

    try:
        references = run_on_fresh_loop(many())
    finally:
        writer.close()
    assert len(set(references)) == 300 and all(is_reference(r) for r in references)
    conn = store.connect(db_path)
    stored = {s.reference: s.payload["n"] for s in store.list_submissions(conn)}
    assert stored == dict(zip(references, range(300), strict=True))


def test_a_closed_group_writer_refuses_new_work(db_path: Path) -> None:
    store.open_store(db_path)
    writer = writers.GroupWriter(db_path)
    writer.start()
    writer.close()
    with pytest.raises(sqlite3.OperationalError):
        run_on_fresh_loop(writer.write(item()))


def test_a_clashing_reference_is_drawn_again(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.open_store(db_path)
    conn = store.connect(db_path)
    drawn = iter(["SV-P-AAAA-AAAA", "SV-P-AAAA-AAAA", "SV-P-BBBB-BBBB"])
    monkeypatch.setattr(store, "new_reference", lambda letter: next(drawn))
    conn.execute("BEGIN")
    assert store.insert(conn, item(1)) == "SV-P-AAAA-AAAA"
    assert store.insert(conn, item(2)) == "SV-P-BBBB-BBBB"
    conn.execute("COMMIT")
    assert len(store.list_submissions(conn)) == 2


def test_references_are_readable_and_hard_to_guess() -> None:
    references = {new_reference("C") for _ in range(2000)}
    assert len(references) == 2000
    for ambiguous in "01OILUV":
        assert ambiguous not in ALPHABET
    assert all(is_reference(r) and r.startswith("SV-C-") for r in references)
    assert not is_reference("SV-C-AAAA-AAA0") and not is_reference("SV-X-AAAA-AAAA")


def test_a_clash_inside_a_batch_falls_back_to_one_row_at_a_time(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.open_store(db_path)
    conn = store.connect(db_path)
    drawn = iter(["SV-P-AAAA-AAAA", "SV-P-AAAA-AAAA", "SV-P-CCCC-CCCC", "SV-P-DDDD-DDDD"])
    monkeypatch.setattr(store, "new_reference", lambda letter: next(drawn))
    conn.execute("BEGIN")
    assert store.insert_many(conn, [item(1), item(2)]) == ["SV-P-CCCC-CCCC", "SV-P-DDDD-DDDD"]
    conn.execute("COMMIT")
    assert sorted(s.reference for s in store.list_submissions(conn)) == [
        "SV-P-CCCC-CCCC",
        "SV-P-DDDD-DDDD",
    ]
