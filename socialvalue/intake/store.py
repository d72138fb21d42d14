"""SQLite storage for submissions: WAL, synchronous=FULL, versioned migrations.

A submission is acknowledged only after the COMMIT that holds it has returned, so every
acknowledged reference survives ``kill -9`` (and, with synchronous=FULL, a power cut).

Two writers share one interface (``await writer.write(item) -> reference``):
``GroupWriter`` (default): one thread drains a queue and commits each batch in one transaction
(group commit: one fsync for many submissions); ``DirectWriter``: one connection and one
transaction per request, in a worker thread.
"""

from __future__ import annotations

import asyncio
import json
import queue
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool

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


def insert(conn: sqlite3.Connection, item: NewSubmission) -> str:
    """Insert inside the caller's transaction; a clashing reference is drawn again."""
    payload = json.dumps(item.payload, ensure_ascii=False, separators=(",", ":"))
    for _ in range(10):
        reference = new_reference(item.letter)
        try:
            conn.execute(
                "INSERT INTO submissions (reference, kind, created_at, payload) "
                "VALUES (?, ?, ?, ?)",
                (reference, item.kind, item.created_at, payload),
            )
        except sqlite3.IntegrityError:
            continue  # only the statement is undone; the transaction goes on
        return reference
    raise sqlite3.IntegrityError("could not draw a unique reference")


Pending = tuple[NewSubmission, asyncio.AbstractEventLoop, "asyncio.Future[str]"]


class GroupWriter:
    """Group commit: one thread, one transaction per batch of queued submissions.

    Each request waits on an asyncio future that is settled only after its batch's COMMIT has
    returned; a batch's futures are settled with one wake-up of the event loop.
    """

    def __init__(self, path: Path, max_batch: int = 500) -> None:
        self._path = path
        self._max_batch = max_batch
        self._queue: queue.SimpleQueue[Pending | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="sv-intake-writer", daemon=True)
        self._ready = threading.Event()
        self._closed = False

    def start(self) -> None:
        self._thread.start()
        self._ready.wait()

    async def write(self, item: NewSubmission) -> str:
        if self._closed or not self._thread.is_alive():
            raise sqlite3.OperationalError("the writer is not running")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[str] = loop.create_future()
        self._queue.put((item, loop, future))
        return await future

    def close(self) -> None:
        """Write what is queued, then stop."""
        if self._thread.is_alive():
            self._closed = True
            self._queue.put(None)
            self._thread.join()

    def _run(self) -> None:
        conn = connect(self._path)
        self._ready.set()
        try:
            while (first := self._queue.get()) is not None:
                batch = [first]
                stop = self._drain(batch)
                self._settle(batch, *self._commit(conn, batch))
                if stop:
                    break
        finally:
            conn.close()

    def _drain(self, batch: list[Pending]) -> bool:
        while len(batch) < self._max_batch:
            try:
                entry = self._queue.get_nowait()
            except queue.Empty:
                return False
            if entry is None:
                return True
            batch.append(entry)
        return False

    @staticmethod
    def _commit(
        conn: sqlite3.Connection, batch: list[Pending]
    ) -> tuple[list[str], sqlite3.Error | None]:
        try:
            conn.execute("BEGIN IMMEDIATE")
            references = [insert(conn, item) for item, _, _ in batch]
            conn.execute("COMMIT")
        except sqlite3.Error as error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            return [], error
        return references, None

    @staticmethod
    def _settle(batch: list[Pending], references: list[str], error: sqlite3.Error | None) -> None:
        by_loop: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[str], Any]]] = {}
        for index, (_, loop, future) in enumerate(batch):
            outcome = error if error is not None else references[index]
            by_loop.setdefault(loop, []).append((future, outcome))
        for loop, settled in by_loop.items():
            try:
                loop.call_soon_threadsafe(_settle_futures, settled)
            except RuntimeError:  # that event loop has closed: nobody is waiting
                pass


def _settle_futures(settled: list[tuple[asyncio.Future[str], Any]]) -> None:
    for future, outcome in settled:
        if future.cancelled():
            continue
        if isinstance(outcome, BaseException):
            future.set_exception(outcome)
        else:
            future.set_result(outcome)


class DirectWriter:
    """One connection and one transaction (so one fsync) per submission, in a worker thread."""

    def __init__(self, path: Path) -> None:
        self._path = path

    def start(self) -> None:
        pass

    async def write(self, item: NewSubmission) -> str:
        return await run_in_threadpool(self._write, item)

    def close(self) -> None:
        pass

    def _write(self, item: NewSubmission) -> str:
        conn = connect(self._path)
        try:
            conn.execute("BEGIN IMMEDIATE")
            reference = insert(conn, item)
            conn.execute("COMMIT")
            return reference
        finally:
            conn.close()


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
