"""Run a command and report its wall time and the peak of the summed RSS of its whole process tree.

`/usr/bin/time -f %M` reports the largest single process, which hides a parent and a child that are
both large at the same moment; this samples the tree every 0.1 s instead.

    python benchmarks/peak_memory.py -- python build.py build --register DIR --out DIR
"""

from __future__ import annotations

import subprocess
import sys
import time

import psutil


def measure(command: list[str], interval: float = 0.1) -> tuple[int, float, int]:
    """(exit code, wall seconds, peak tree RSS in bytes)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    root = psutil.Process(process.pid)
    peak = 0
    while process.poll() is None:
        total = 0
        try:
            for proc in [root, *root.children(recursive=True)]:
                total += proc.memory_info().rss
        except psutil.Error:
            pass  # a process ended between listing and reading
        peak = max(peak, total)
        time.sleep(interval)
    return process.returncode, time.perf_counter() - started, peak


def main() -> int:
    command = sys.argv[sys.argv.index("--") + 1 :] if "--" in sys.argv else sys.argv[1:]
    code, wall, peak = measure(command)
    print(f"exit {code}, wall {wall:.1f} s, peak tree RSS {peak / 2**20:.0f} MiB")
    return code


if __name__ == "__main__":
    sys.exit(main())
