"""`in_two`: a forked child takes every other item. Run in fresh processes (forking needs a
process with one thread), with the split forced on, so it runs the same on one core or many."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PRELUDE = """
import os, sys
from pathlib import Path
from socialvalue import halves
halves.SPLIT_FROM = 4
halves.may_fork = lambda: True
out = Path(sys.argv[1])
"""


def _run(script: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PRELUDE + script, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_every_item_is_done_once_by_one_of_two_processes(tmp_path: Path) -> None:
    done = _run(
        """
def work(share):
    for n in share:
        (out / f"{n}.txt").write_text(str(os.getpid()))
halves.in_two(list(range(50)), work)
print(os.getpid())
""",
        tmp_path,
    )

    assert done.returncode == 0, done.stderr
    files = sorted(tmp_path.glob("*.txt"), key=lambda p: int(p.stem))
    assert [int(p.stem) for p in files] == list(range(50))
    writers = {int(p.stem) % 2: set() for p in files}
    for p in files:
        writers[int(p.stem) % 2].add(p.read_text())
    assert writers[0] == {done.stdout.strip()}  # the even items here
    assert len(writers[1]) == 1 and writers[1] != writers[0]  # the odd ones in one other process


def test_the_childs_error_is_raised_here_as_itself(tmp_path: Path) -> None:
    done = _run(
        """
def work(share):
    if 7 in share:
        raise ValueError("item 7 cannot be placed")
try:
    halves.in_two(list(range(20)), work)
except ValueError as exc:
    print("caught", exc)
""",
        tmp_path,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "caught item 7 cannot be placed"


def test_an_error_here_stops_the_child_and_goes_on(tmp_path: Path) -> None:
    done = _run(
        """
import time
def work(share):
    if 0 in share:
        raise KeyError("here")
    time.sleep(30)  # the child: stopped, not waited for
started = time.monotonic()
try:
    halves.in_two(list(range(20)), work)
except KeyError:
    print("caught", round(time.monotonic() - started) < 10)
""",
        tmp_path,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "caught True"


def test_map_in_two_answers_in_order_from_two_processes(tmp_path: Path) -> None:
    done = _run(
        """
def square(n):
    return (n * n, os.getpid())
found = halves.map_in_two(square, list(range(30)))
print([value for value, _ in found] == [n * n for n in range(30)], len({pid for _, pid in found}))
""",
        tmp_path,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True 2"
