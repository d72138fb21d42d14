"""`in_two` and `map_in_two`: this process and a forked child each take the next items when
free. Run in fresh processes (forking needs a process with one thread), with the split forced
on and two items taken at a time, so it runs the same on one core or many."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PRELUDE = """
import os, sys
from pathlib import Path
from socialvalue import halves
from socialvalue.register import cores
halves.SPLIT_FROM = 4
halves.may_fork = cores.may_fork = lambda: True
cores.CHUNK = 2
parent = os.getpid()
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
import time
def work(share):
    for n in share:
        time.sleep(0.01)  # slow enough for both processes to take items
        with open(out / f"{n}.txt", "x") as file:  # a second write of an item fails
            file.write(str(os.getpid()))
halves.in_two(list(range(50)), work)
print(parent)
""",
        tmp_path,
    )

    assert done.returncode == 0, done.stderr
    files = sorted(tmp_path.glob("*.txt"), key=lambda p: int(p.stem))
    assert [int(p.stem) for p in files] == list(range(50))
    writers = {p.read_text() for p in files}
    assert done.stdout.strip() in writers and len(writers) == 2  # here, and one other process


def test_the_childs_error_is_raised_here_as_itself(tmp_path: Path) -> None:
    done = _run(
        """
import time
def work(share):
    if os.getpid() != parent:
        raise ValueError("the child cannot place its items")
    time.sleep(0.05)  # the child takes items meanwhile
try:
    halves.in_two(list(range(20)), work)
except ValueError as exc:
    print("caught", exc)
""",
        tmp_path,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "caught the child cannot place its items"


def test_an_error_here_stops_the_child_and_goes_on(tmp_path: Path) -> None:
    done = _run(
        """
import time
def work(share):
    if os.getpid() == parent:
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
import time
def square(n):
    time.sleep(0.01)  # slow enough for both processes to take items
    return (n * n, os.getpid())
found = halves.map_in_two(square, list(range(30)))
print([value for value, _ in found] == [n * n for n in range(30)], len({pid for _, pid in found}))
""",
        tmp_path,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True 2"
