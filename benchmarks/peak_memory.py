"""Run a command and report its wall time and the peak of the summed RSS of its whole process tree.

`/usr/bin/time -f %M` reports the largest single process, which hides a parent and a child that are
both large at the same moment; this samples the tree every 0.1 s instead.

    python benchmarks/peak_memory.py -- python build.py build --register DIR --out DIR
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

import psutil


def tree_rss(root: psutil.Process) -> int:
    """Summed RSS of a process and all its descendants, in bytes (0 once it has gone)."""
    total = 0
    try:
        for proc in [root, *root.children(recursive=True)]:
            try:
                total += proc.memory_info().rss
            except psutil.Error:
                pass  # a child ended between listing and reading
    except psutil.Error:
        pass
    return total


def trace(
    command: list[str],
    interval: float = 0.05,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> tuple[int, float, list[tuple[float, int]]]:
    """(exit code, wall seconds, samples): each sample is (time.time(), tree RSS in bytes)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=None if env is None else dict(env),
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        root = psutil.Process(process.pid)
        samples: list[tuple[float, int]] = []
        while process.poll() is None:
            samples.append((time.time(), tree_rss(root)))
            time.sleep(interval)
        wall = time.perf_counter() - started
        if process.returncode != 0:  # show why, last lines only
            errors.seek(0)
            sys.stderr.write(errors.read().decode("utf-8", "replace")[-4000:])
    return process.returncode, wall, samples


def measure(command: list[str], interval: float = 0.1) -> tuple[int, float, int]:
    """(exit code, wall seconds, peak tree RSS in bytes)."""
    code, wall, samples = trace(command, interval)
    return code, wall, max((rss for _, rss in samples), default=0)


def main() -> int:
    command = sys.argv[sys.argv.index("--") + 1 :] if "--" in sys.argv else sys.argv[1:]
    code, wall, peak = measure(command)
    print(f"exit {code}, wall {wall:.1f} s, peak tree RSS {peak / 2**20:.0f} MiB")
    return code


if __name__ == "__main__":
    sys.exit(main())
