"""`socialvalue/register/cores.py`: the fork helper's failure paths. The everyday paths are held
by tests/test_halves.py, test_yamlfile.py (read_many) and test_check_in_two.py."""

from __future__ import annotations

import os
import subprocess
import sys

from fixtures import REPO

from socialvalue.register import cores


def test_a_fork_that_fails_does_both_jobs_here_and_leaves_no_pipe_open(monkeypatch) -> None:
    def no_fork() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(cores.os, "fork", no_fork)
    open_before = len(os.listdir("/proc/self/fd"))

    answers = [cores.both(lambda: "here", lambda: "there", split=True) for _ in range(50)]

    assert answers == [("here", "there")] * 50
    assert len(os.listdir("/proc/self/fd")) == open_before


def test_a_child_killed_midway_leaves_its_items_to_this_process() -> None:
    """The child is killed (as for memory) after taking a chunk: the answer is still whole, in
    order, and nothing waits for ever."""
    script = """
import os, signal, time
from socialvalue.register import cores
cores.CHUNK = 3
cores.may_fork = lambda: True
parent = os.getpid()
def square(n):
    time.sleep(0.01)  # slow enough that the child takes chunks before they are gone
    if os.getpid() != parent and n >= 12:
        os.kill(os.getpid(), signal.SIGKILL)
    return n * n
print(cores.shared_map(square, list(range(60))) == [n * n for n in range(60)])
"""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"
