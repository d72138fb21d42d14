"""Work on two cores: a forked child takes part of the items while this process takes the rest.

For work whose results are files (pages of the docs tree, stamped pages), `in_two`: the child
writes its files and exits, so nothing is sent back. For small answers, `map_in_two`. Small
jobs, a process with other threads (forking one is unsafe), a machine with one core or a system
without `fork` do all the work here instead.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

SPLIT_FROM = 2_000  # items; below this a second process costs more than it saves


class ChildFailed(RuntimeError):
    """The forked half did not finish: its error is on standard error."""


def may_fork() -> bool:
    return (
        hasattr(os, "fork")
        and threading.active_count() == 1
        and len(os.sched_getaffinity(0)) > 1
    )


def _die_with_parent() -> None:
    if sys.platform == "linux":  # PR_SET_PDEATHSIG: SIGTERM when the parent dies, however
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0)


def in_two(items: Sequence[T], work: Callable[[Sequence[T]], None]) -> None:
    """`work(items)`, split between this process and a forked child when that pays.

    Items are dealt alternately (0, 2, 4... here; 1, 3, 5... there), so a run of heavy items is
    shared. If this half fails, the child is stopped before the error goes on; if the child
    fails, its exception is raised here after this half is done (`ChildFailed` if it could not
    be sent), so callers handle errors the same way on one core or two.
    """
    if len(items) < SPLIT_FROM or not may_fork():
        work(items)
        return
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller's code (its `finally` blocks)
        code = 1
        try:
            os.close(read_end)
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, signal.SIG_DFL)
            _die_with_parent()
            work(items[1::2])
            code = 0
        except BaseException as exc:  # noqa: BLE001 - sent to the parent, which raises it
            _send(write_end, exc)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    os.close(write_end)
    try:
        work(items[0::2])
    except BaseException:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        os.close(read_end)
        raise
    with os.fdopen(read_end, "rb") as pipe:
        sent = pipe.read()
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise _received(sent)


def _send(fd: int, exc: BaseException) -> None:
    """The child's exception, pickled, for the parent to raise as if it had happened there."""
    try:
        data = pickle.dumps(exc)
    except Exception:  # noqa: BLE001 - an exception that cannot be pickled: its text instead
        data = pickle.dumps(ChildFailed("".join(traceback.format_exception(exc))))
    with os.fdopen(fd, "wb") as pipe:
        pipe.write(data)


def _received(data: bytes) -> BaseException:
    try:
        exc = pickle.loads(data) if data else None  # noqa: S301 - our own child's bytes
    except Exception:  # noqa: BLE001 - unreadable: say so
        exc = None
    if isinstance(exc, BaseException):
        return exc
    return ChildFailed("the second process writing pages did not finish")


def map_in_two(fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """`[fn(item) for item in items]`, the second half in a forked child when that pays; for
    answers small enough to send back (they are pickled)."""
    if len(items) < SPLIT_FROM or not may_fork():
        return [fn(item) for item in items]
    half = len(items) // 2
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        later = pool.submit(_map, fn, items[half:])
        first = _map(fn, items[:half])
        return first + later.result()


def _map(fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
    return [fn(item) for item in items]
