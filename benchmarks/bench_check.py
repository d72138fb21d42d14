"""Time `python build.py check` on the shipped register and on 1,000 and 10,000 organisations.

    python benchmarks/bench_check.py [--runs 3] [--md benchmarks/check.md]

Each figure is the wall clock of the whole process (interpreter start, imports, load, validate,
model), best and median of `--runs`. Peak RSS is `ru_maxrss` of the waited-for children: it only
grows, so the sizes run smallest first and each row shows the peak up to and including its size.
The stage split (load / validate / model) runs in this process on the 10,000 register.
Synthetic registers are written under benchmarks/out/ (git-ignored). Targets: the shipped
register within 1.5 s, 10,000 organisations within 5 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO), str(HERE)]

from make_register import make_register  # noqa: E402

from socialvalue.register.check import validate  # noqa: E402
from socialvalue.register.files import load  # noqa: E402
from socialvalue.register.model import build_register  # noqa: E402

TODAY = dt.date(2026, 11, 24)  # the clock is an input: the same answer on any day

TARGETS = {"sample": 1.5, 10_000: 5.0}


def time_check(register: Path, runs: int) -> tuple[list[float], int]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "build.py", "check", "--today", TODAY.isoformat(),
             "--register", str(register)],  # fmt: skip
            cwd=REPO,
            capture_output=True,
            text=True,
        )
        times.append(time.perf_counter() - started)
        if result.returncode != 0:
            sys.exit(f"check failed on {register}:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    return times, peak_kib


def stage_split(register: Path) -> dict[str, float]:
    started = time.perf_counter()
    raw = load(register)
    loaded = time.perf_counter()
    problems, tables = validate(raw, TODAY)
    validated = time.perf_counter()
    build_register(tables)
    modelled = time.perf_counter()
    assert not any(p.is_error for p in problems), problems[:5]
    return {"load": loaded - started, "validate": validated - loaded, "model": modelled - validated}


def report(
    rows: list[tuple[str, int, list[float], int]], stages: dict[str, float], runs: int
) -> str:
    lines = [
        f"| Register | Organisations | Best of {runs} (s) | Median (s) | Target (s) "
        "| Peak RSS (MiB) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, count, times, peak in rows:
        target = TARGETS.get("sample" if label == "shipped sample" else count)
        verdict = (
            "" if target is None else f"{target:.1f} {'met' if min(times) <= target else 'MISSED'}"
        )
        lines.append(
            f"| {label} | {count:,} | {min(times):.2f} | {statistics.median(times):.2f} "
            f"| {verdict} | {peak / 1024:.0f} |"
        )
    total = sum(stages.values())
    lines += [
        "",
        "In-process stage split, 10,000 organisations (after imports):",
        "",
        "| Stage | Seconds | Share |",
        "| --- | ---: | ---: |",
    ]
    lines += [f"| {name} | {secs:.2f} | {secs / total:.0%} |" for name, secs in stages.items()]
    lines.append(f"| total | {total:.2f} | 100% |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--md", type=Path, help="also write the figures, with the machine, into this file"
    )
    args = parser.parse_args()
    sample = REPO / "register"
    rows = []
    count = len(list((sample / "organisations").glob("*.yaml")))
    rows.append(("shipped sample", count, *time_check(sample, args.runs)))
    for size in (1_000, 10_000):
        register = make_register(size, HERE / "out" / f"register-{size}")
        rows.append(("synthetic", size, *time_check(register, args.runs)))
    stages = stage_split(HERE / "out" / "register-10000")
    table = report(rows, stages, args.runs)
    print(table)
    if args.md:
        args.md.write_text(markdown(table, args.runs), encoding="utf-8")
    return 0


def markdown(table: str, runs: int) -> str:
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return "\n".join(
        [
            "# `python build.py check`: timings",
            "",
            f"Command: `python benchmarks/bench_check.py --runs {runs} --md benchmarks/check.md`",
            "",
            f"- Date: {dt.date.today().isoformat()}",
            f"- Machine: `nproc` = {nproc}, {platform.machine()}, "
            f"{platform.system()} {platform.release()}",
            f"- Python: {platform.python_version()} (`{sys.executable}`)",
            "",
            "Wall clock of the whole `python build.py check --register DIR` process",
            "(interpreter start and imports included), with no problems to print. The synthetic",
            "registers come from `benchmarks/make_register.py` (seed 42).",
            "",
            table,
            "",
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
