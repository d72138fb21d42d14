"""SQLite storage for submissions: WAL, synchronous=FULL, versioned migrations.

A submission is acknowledged only after the COMMIT that holds it has returned, so every
acknowledged reference survives ``kill -9`` (and, with synchronous=FULL, a power cut), and only
when the file it went into is still the one at the database's path (``Link``): a database
deleted, replaced or made read-only while the intake runs is never written to unseen, and never
created again. Only ``open_store`` (at start) creates the file.

The writers that use these functions are in ``writers.py``.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

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
    # SQLite cannot change a CHECK: the table is copied into one that allows the two delivery
    # forms (progress updates and delivery confirmations).
    (
        """CREATE TABLE submissions_v3 (
            id INTEGER PRIMARY KEY,
            reference TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('pledge', 'charter', 'register-request',
                'progress-update', 'delivery-confirmation')),
            status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'approved', 'rejected')),
            created_at TEXT NOT NULL,
            payload TEXT NOT NULL,
            status_changed_at TEXT
        )""",
        "INSERT INTO submissions_v3 (id, reference, kind, status, created_at, payload, "
        "status_changed_at) SELECT id, reference, kind, status, created_at, payload, "
        "status_changed_at FROM submissions",
        "DROP TABLE submissions",
        "ALTER TABLE submissions_v3 RENAME TO submissions",
        "CREATE INDEX submissions_kind_status ON submissions (kind, status, id)",
    ),
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


class StorageError(sqlite3.OperationalError):
    """The database is not where it was, or may not be written: nothing is acknowledged."""


class StartupError(Exception):
    """The intake cannot start; the message is one plain sentence for the operator."""


def connect(path: Path, create: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode (explicit BEGIN/COMMIT), WAL and synchronous=FULL.

    The file must exist unless ``create``: a deleted database is never made again unseen.
    """
    mode = "rwc" if create else "rw"
    uri = f"file:{quote(str(path))}?mode={mode}"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False, timeout=10)
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
    """Create the file and bring its schema up to date (run once at start).

    StartupError, in one sentence, when the folder is missing or the file cannot be written.
    """
    if not path.parent.is_dir():
        raise StartupError(
            f"the database folder {path.parent} does not exist: create it, or choose another --db"
        )
    if path.exists() and not _writable(path.stat()):
        raise StartupError(f"the database {path} is read-only: make it writable, then start again")
    try:
        conn = connect(path, create=True)
        try:
            migrate(conn)
        finally:
            conn.close()
    except sqlite3.Error as error:
        raise StartupError(f"the database {path} cannot be opened for writing ({error})") from error


def _writable(stat: os.stat_result) -> bool:
    """False when the file allows no writes: refused even for root, who could write anyway."""
    return bool(stat.st_mode & 0o222)


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


class Link:
    """A connection that checks, around each transaction, that its file is still the database.

    One ``os.stat`` of the path before and one after each COMMIT (per batch, not per row): a
    file that is gone, replaced (another inode) or read-only raises ``StorageError``, so the
    submissions in that transaction are not acknowledged. A link that failed is closed, and the
    next one opens the path again (never creating it), so a database put back is used again.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = connect(path)
        try:
            stat = os.stat(path)
        except OSError as error:
            self.conn.close()
            raise StorageError(f"the database {path} is gone ({error.strerror})") from error
        self._identity = (stat.st_dev, stat.st_ino)

    def check(self) -> None:
        """StorageError unless the path still names this connection's file, writable."""
        try:
            stat = os.stat(self.path)
        except OSError as error:
            raise StorageError(f"the database {self.path} is gone ({error.strerror})") from error
        if (stat.st_dev, stat.st_ino) != self._identity:
            raise StorageError(f"the database {self.path} was replaced by another file")
        if not _writable(stat):
            raise StorageError(f"the database {self.path} was made read-only")

    def write(self, items: Sequence[NewSubmission]) -> list[str]:
        """Insert ``items`` in one transaction; their references once the COMMIT is safe."""
        self.check()
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            references = insert_many(conn, items) if len(items) > 1 else [insert(conn, items[0])]
            conn.execute("COMMIT")
        except sqlite3.Error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        self.check()
        return references

    def close(self) -> None:
        self.conn.close()


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
