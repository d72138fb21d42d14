"""Work on two cores: a forked child takes every other item while this process takes the rest.

For work whose results are files (pages of the docs tree, stamped pages), `in_two`: the child
writes its files, so only "done" is sent back. For small answers, `map_in_two`. Small jobs, a
process with other threads (forking one is unsafe), a machine with one core or a system
without `fork` do all the work here instead (`socialvalue.register.cores.both`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from .register.cores import ChildFailed, both, dealt_back
from .register.cores import may_fork as may_fork

__all__ = ["ChildFailed", "in_two", "map_in_two", "may_fork"]

T = TypeVar("T")
R = TypeVar("R")

SPLIT_FROM = 2_000  # items; below this a second process costs more than it saves


def in_two(items: Sequence[T], work: Callable[[Sequence[T]], None]) -> None:
    """`work(items)`, split between this process and a forked child when that pays.

    Items are dealt alternately (0, 2, 4... here; 1, 3, 5... there), so a run of heavy items is
    shared. If this half fails, the child is stopped before the error goes on; if the child
    fails, its exception is raised here after this half is done, so callers handle errors the
    same way on one core or two.
    """
    if len(items) < SPLIT_FROM or not may_fork():
        work(items)
        return
    both(lambda: work(items[0::2]), lambda: work(items[1::2]), split=True)


def map_in_two(fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """`[fn(item) for item in items]`, every other item in a forked child when that pays; for
    answers small enough to send back (they are pickled)."""
    if len(items) < SPLIT_FROM or not may_fork():
        return [fn(item) for item in items]
    mine, theirs = both(
        lambda: [fn(item) for item in items[0::2]],
        lambda: [fn(item) for item in items[1::2]],
        split=True,
    )
    return dealt_back(mine, theirs)
