"""Rebuild when the sources change, for `python build.py serve`: poll mtimes, no extra dependency.

`watch` snapshots every file under the given paths (size and modification time), and when the
snapshot changes it waits until it stops changing for one interval (an editor's save, or a
`git pull`, touches several files), then calls `rebuild` once. It runs until `stop` is set, so
the caller starts it in a daemon thread and sets the event on shutdown.
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path

Snapshot = dict[str, tuple[int, int]]

IGNORED_DIRS = {"__pycache__", ".git", "node_modules"}
IGNORED_SUFFIXES = (".swp", ".swx", ".tmp", "~")  # editor scratch files


def _ignored(path: Path) -> bool:
    name = path.name
    return (
        name.startswith(".#")
        or name.endswith(IGNORED_SUFFIXES)
        or bool(IGNORED_DIRS & set(path.parts))
    )


def _files(paths: Iterable[Path]) -> Iterable[Path]:
    for path in paths:
        if path.is_dir():
            yield from (p for p in path.rglob("*") if p.is_file())
        elif path.is_file():
            yield path


def snapshot(paths: Iterable[Path]) -> Snapshot:
    """{file: (mtime in ns, size)} for every watched file; files gone mid-scan are skipped."""
    state: Snapshot = {}
    for file in _files(paths):
        if _ignored(file):
            continue
        try:
            info = file.stat()
        except OSError:
            continue
        state[str(file)] = (info.st_mtime_ns, info.st_size)
    return state


def watch(
    paths: list[Path],
    rebuild: Callable[[], None],
    stop: threading.Event,
    interval: float = 0.5,
) -> None:
    """Call `rebuild` after each settled change under `paths`, until `stop` is set."""
    seen = snapshot(paths)
    while not stop.wait(interval):
        current = snapshot(paths)
        if current == seen:
            continue
        while not stop.wait(interval):  # debounce: wait until a poll sees no further change
            settled = snapshot(paths)
            if settled == current:
                break
            current = settled
        if stop.is_set():
            return
        seen = current
        try:
            rebuild()
        except Exception:  # a bug in the build must not stop the watcher: say so and carry on
            print("The rebuild failed:", file=sys.stderr)
            traceback.print_exc()
