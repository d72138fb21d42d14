"""Two jobs at once on a machine with two cores: `both(here, there)`.

`there` runs in a forked child, which shares this process's memory as it was at the fork (so
nothing is sent to it), and sends its answer back pickled; `here` runs in this process
meanwhile. The register check uses it to read files and to validate tables on two cores, the
site build (`socialvalue.halves`) to write pages. A process with other threads (forking one is
unsafe), a machine with one core or a system without `fork` runs both jobs here, one after the
other, and gets the same answer.
"""

from __future__ import annotations

import ctypes
import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

A = TypeVar("A")
B = TypeVar("B")
T = TypeVar("T")
R = TypeVar("R")

CHUNK = 50  # items taken at a time by `shared_map`: fine enough to finish together
_MOST_CHUNKS = 4_096  # their first indices (8 bytes each) fit a pipe's 64 KB without waiting


class ChildFailed(RuntimeError):
    """The forked job raised an exception that could not be sent back: its text is the message."""


def may_fork() -> bool:
    """A forked child is safe only from a process with one thread (no lock held elsewhere)."""
    return (
        hasattr(os, "fork") and threading.active_count() == 1 and len(os.sched_getaffinity(0)) > 1
    )


def flush_output() -> None:
    """Flush standard output and error (either is None when the process started with it
    closed): before a fork, so nothing buffered is written twice, and before `os._exit`."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()


def both(
    here: Callable[[], A], there: Callable[[], B], *, split: bool | None = None
) -> tuple[A, B]:
    """`(here(), there())`, with `there` in a forked child when `split` (by default, when
    `may_fork()`).

    If `here` fails, the child is stopped before the error goes on. If `there` raises, its
    exception is raised here once `here` is done (`ChildFailed` with its text if it cannot be
    pickled), so callers handle errors the same way on one core or two. A child that cannot be
    started, or that dies without an answer (killed for memory, say), leaves `there` to this
    process.
    """
    if not (may_fork() if split is None else split):
        return here(), there()
    flush_output()
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no process to be had (a limit): everything here
        os.close(read_end)
        os.close(write_end)
        return here(), there()
    if pid == 0:  # the child: never returns into the caller's code (its `finally` blocks)
        _child(read_end, write_end, there)
    os.close(write_end)
    try:
        mine = here()
        with os.fdopen(read_end, "rb") as pipe:
            sent = pipe.read()
    except BaseException:  # an error here, or a signal (Ctrl-C) while waiting: stop the child
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        _close_quietly(read_end)
        raise
    os.waitpid(pid, 0)
    try:
        done, answer = pickle.loads(sent)  # noqa: S301 - our own child's bytes
    except Exception:  # noqa: BLE001 - nothing or a part came back: the child died
        return mine, there()
    if not done:
        raise answer
    return mine, answer


def shared_map(
    fn: Callable[[T], R],
    items: Sequence[T],
    *,
    meanwhile: Callable[[], object] | None = None,
    before: Callable[[Sequence[T]], object] | None = None,
) -> list[R]:
    """`[fn(item) for item in items]`, by this process and a forked child together: each takes
    the next `CHUNK` items whenever it is free, so they finish together however the two cores
    are loaded (a virtual machine's cores often are not equal). `meanwhile` runs here first,
    while the child has started on the items (an import, say); `before(chunk)` runs before each
    chunk is mapped (to ask for its files all at once, say). Items are mapped in any order; the
    answers come back in the items' order.
    """
    if not may_fork():
        if meanwhile is not None:
            meanwhile()
        return [fn(item) for item in items]
    # The chunks' first indices wait in a pipe; each process reads the next 8 bytes when it is
    # free. Nothing is held while a chunk is mapped, so a child that dies (killed for memory,
    # say) can stop nothing: its chunks are mapped here at the end.
    size = max(CHUNK, -(-len(items) // _MOST_CHUNKS))
    starts, write_end = os.pipe()
    try:
        os.write(write_end, b"".join(n.to_bytes(8, "little") for n in range(0, len(items), size)))
    finally:
        os.close(write_end)

    def share() -> list[tuple[int, list[R]]]:
        done: list[tuple[int, list[R]]] = []
        while True:
            taken = os.read(starts, 8)
            if len(taken) < 8:
                return done
            start = int.from_bytes(taken, "little")
            chunk = items[start : start + size]
            if before is not None:
                before(chunk)
            done.append((start, [fn(item) for item in chunk]))

    def here() -> list[tuple[int, list[R]]]:
        if meanwhile is not None:
            meanwhile()
        return share()

    try:
        mine, theirs = both(here, share, split=True)
    finally:
        os.close(starts)
    answers: list[Any] = [_MISSING] * len(items)
    for start, done in mine + theirs:
        answers[start : start + len(done)] = done
    for index, answer in enumerate(answers):  # a child that died took its chunks with it
        if answer is _MISSING:
            answers[index] = fn(items[index])
    return answers


_MISSING = object()


def dealt_back(evens: list[A], odds: list[A]) -> list[A]:
    """The answers for items dealt alternately (0, 2, 4... and 1, 3, 5...), in the items' order."""
    merged = [*evens, *odds]
    merged[0::2] = evens
    merged[1::2] = odds
    return merged


def _child(read_end: int, write_end: int, there: Callable[[], object]) -> None:
    code = 1
    try:
        os.close(read_end)
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, signal.SIG_DFL)
        _die_with_parent()
        try:
            data = pickle.dumps((True, there()), pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # noqa: BLE001 - sent to the parent, which raises it
            data = _pickled_error(exc)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
        code = 0
    finally:
        flush_output()
        os._exit(code)


def _close_quietly(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass  # closed already, by the file object that wrapped it


def _pickled_error(exc: BaseException) -> bytes:
    try:
        return pickle.dumps((False, exc), pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - an exception that cannot be pickled: its text instead
        text = "".join(traceback.format_exception(exc))
        return pickle.dumps((False, ChildFailed(text)), pickle.HIGHEST_PROTOCOL)


def _die_with_parent() -> None:
    if sys.platform == "linux":  # PR_SET_PDEATHSIG: SIGTERM when the parent dies, however
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0)
