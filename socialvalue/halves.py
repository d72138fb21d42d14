"""Work on two cores: this process and a forked child each take the next few items whenever
they are free (`shared_map` in socialvalue/register/cores.py), so they finish together however
the two cores are loaded.

For work whose results are files (pages of the docs tree, stamped pages), `in_two`: each
process writes its own files, so only "done" is sent back. For small answers, `map_in_two`.
Small jobs, a process with other threads (forking one is unsafe), a machine with one core or a
system without `fork` do all the work here instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from .register.cores import ChildFailed, shared_map
from .register.cores import may_fork as may_fork

__all__ = ["ChildFailed", "in_two", "map_in_two", "may_fork"]

T = TypeVar("T")
R = TypeVar("R")

SPLIT_FROM = 2_000  # items; below this a second process costs more than it saves


def in_two(items: Sequence[T], work: Callable[[Sequence[T]], None]) -> None:
    """`work(items)`, shared between this process and a forked child when that pays: `work` is
    called on a few items at a time, by either process.

    If this process fails, the child is stopped before the error goes on; if the child fails,
    its exception is raised here after this process is done, so callers handle errors the same
    way on one core or two.
    """
    if len(items) < SPLIT_FROM or not may_fork():
        work(items)
        return
    shared_map(lambda item: work((item,)), items)


def map_in_two(fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """`[fn(item) for item in items]`, shared with a forked child when that pays; for answers
    small enough to send back (they are pickled)."""
    if len(items) < SPLIT_FROM or not may_fork():
        return [fn(item) for item in items]
    return shared_map(fn, items)
