"""SQLite storage for submissions: WAL, synchronous=FULL, versioned migrations.

A submission is acknowledged only after the COMMIT that holds it has returned, so every
acknowledged reference survives ``kill -9`` (and, with synchronous=FULL, a power cut).

The writers that use these functions are in ``writers.py``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from socialvalue.intake.references import new_reference

STATUSES = ("new", "approved", "rejected")

# Append only: never edit a migration that has shipped. Each is a list of statements.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE submissions (
            id INTEGER PRIMARY KEY,
            reference TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('pledge', 'charter', 'register-request')),
            status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'approved', 'rejected')),
            created_at TEXT NOT NULL,
            payload TEXT NOT NULL
        )""",
        "CREATE INDEX submissions_kind_status ON submissions (kind, status, id)",
    ),
    ("ALTER TABLE submissions ADD COLUMN status_changed_at TEXT",),
)


@dataclass(frozen=True)
class NewSubmission:
    kind: str
    letter: str
    payload: dict[str, Any]
    created_at: str


@dataclass(frozen=True)
class Submission:
    reference: str
    kind: str
    status: str
    created_at: str
    status_changed_at: str | None
    payload: dict[str, Any]


def now() -> str:
    """UTC time to the second, as ``2026-04-01T09:30:00Z``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode (explicit BEGIN/COMMIT), WAL and synchronous=FULL."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA busy_timeout=10000")
    return conn


def migrate(conn: sqlite3.Connection, migrations: Sequence[Sequence[str]] = MIGRATIONS) -> int:
    """Apply the migrations not yet applied, each in its own transaction; return the version."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    version = 0
    for number, statements in enumerate(migrations, start=1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            done = conn.execute(
                "SELECT 1 FROM schema_migrations WHERE version = ?", (number,)
            ).fetchone()
            if not done:
                for statement in statements:
                    conn.execute(statement)
                conn.execute("INSERT INTO schema_migrations VALUES (?, ?)", (number, now()))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        version = number
    return version


def open_store(path: Path) -> None:
    """Create the file and bring its schema up to date (run once at start)."""
    conn = connect(path)
    try:
        migrate(conn)
    finally:
        conn.close()


INSERT = "INSERT INTO submissions (reference, kind, created_at, payload) VALUES (?, ?, ?, ?)"


def _payload(item: NewSubmission) -> str:
    return json.dumps(item.payload, ensure_ascii=False, separators=(",", ":"))


def insert(conn: sqlite3.Connection, item: NewSubmission) -> str:
    """Insert inside the caller's transaction; a clashing reference is drawn again."""
    payload = _payload(item)
    for _ in range(10):
        reference = new_reference(item.letter)
        try:
            conn.execute(INSERT, (reference, item.kind, item.created_at, payload))
        except sqlite3.IntegrityError:
            continue  # only the statement is undone; the transaction goes on
        return reference
    raise sqlite3.IntegrityError("could not draw a unique reference")


def insert_many(conn: sqlite3.Connection, items: Sequence[NewSubmission]) -> list[str]:
    """Insert a batch inside the caller's transaction with one ``executemany`` (one release of
    the GIL, not one per row); if a reference clashes (rare), the batch goes row by row."""
    rows = [(new_reference(i.letter), i.kind, i.created_at, _payload(i)) for i in items]
    conn.execute("SAVEPOINT batch")
    try:
        conn.executemany(INSERT, rows)
    except sqlite3.IntegrityError:
        conn.execute("ROLLBACK TO batch")
        conn.execute("RELEASE batch")
        return [insert(conn, item) for item in items]
    conn.execute("RELEASE batch")
    return [row[0] for row in rows]


def list_submissions(
    conn: sqlite3.Connection, kind: str | None = None, status: str | None = None
) -> list[Submission]:
    """Submissions, oldest first, optionally of one kind and one status."""
    sql = (
        "SELECT reference, kind, status, created_at, status_changed_at, payload "
        "FROM submissions WHERE (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR status = ?2) "
        "ORDER BY id"
    )
    return [_row(row) for row in conn.execute(sql, (kind, status))]


def get_submission(conn: sqlite3.Connection, reference: str) -> Submission | None:
    row = conn.execute(
        "SELECT reference, kind, status, created_at, status_changed_at, payload "
        "FROM submissions WHERE reference = ?",
        (reference,),
    ).fetchone()
    return _row(row) if row else None


def set_status(conn: sqlite3.Connection, reference: str, status: str) -> bool:
    """Record a staff decision; False when there is no such reference."""
    if status not in STATUSES:
        raise ValueError(status)
    cursor = conn.execute(
        "UPDATE submissions SET status = ?, status_changed_at = ? WHERE reference = ?",
        (status, now(), reference),
    )
    return cursor.rowcount == 1


def _row(row: tuple[Any, ...]) -> Submission:
    return Submission(row[0], row[1], row[2], row[3], row[4], json.loads(row[5]))
