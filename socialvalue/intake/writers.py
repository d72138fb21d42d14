"""The two ways of writing submissions, behind one interface: ``await writer.write(item)``.

``GroupWriter`` (default): one thread drains a queue and commits each batch in one transaction
(group commit: one fsync for many submissions). ``DirectWriter``: one connection and one
transaction (so one fsync) per request, in a worker thread. Either way, a reference is returned
only after the COMMIT that holds it has returned, into the file still at the database's path
(``store.Link``); otherwise the request gets the ``sqlite3.Error`` (the app answers 503).
"""

from __future__ import annotations

import asyncio
import queue
import sqlite3
import threading
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool

from socialvalue.intake.store import Link, NewSubmission

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
        self._link: Link | None = None

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
        try:
            self._link = Link(self._path)
        except sqlite3.Error:
            self._link = None  # the first batch tries again, and fails with the reason
        self._ready.set()
        try:
            while (first := self._queue.get()) is not None:
                batch = [first]
                stop = self._drain(batch)
                self._settle(batch, *self._commit(batch))
                if stop:
                    break
        finally:
            if self._link is not None:
                self._link.close()

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

    def _commit(self, batch: list[Pending]) -> tuple[list[str], sqlite3.Error | None]:
        try:
            if self._link is None:
                self._link = Link(self._path)
            return self._link.write([item for item, _, _ in batch]), None
        except sqlite3.Error as error:
            if self._link is not None:
                self._link.close()  # the next batch opens the path again
                self._link = None
            return [], error

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
        link = Link(self._path)
        try:
            return link.write([item])[0]
        finally:
            link.close()
