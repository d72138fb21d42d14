"""Add N synthetic contracts to a synthetic register (benchmarks/make_register.py's output).

    python benchmarks/make_contracts.py --register benchmarks/out/register-10000 --contracts 5000

Each contract has two commitments to organisations of the register, two progress updates and
one confirmation, dated so that `python build.py check --today 2026-11-24` passes; the same
arguments give the same bytes (seed 42). For the benchmarks only: fictional, labelled samples.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path

import yaml


def _ids(register: Path, table: str) -> list[dict]:
    return yaml.safe_load((register / f"{table}.yaml").read_text(encoding="utf-8"))


def _contract(number: int, rng: random.Random, orgs: list[str], measures: list[dict]) -> str:
    start = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(0, 300))
    end = start + dt.timedelta(days=730)
    lines = [
        f"# SAMPLE contract {number}: synthetic, for benchmarks.",
        f"id: sample-contract-{number:05d}",
        f"reference: SAMPLE-BM-{number:05d}",
        f'title: "Sample: benchmark contract {number}"',
        f'supplier: "Sample: Supplier {number:05d} Ltd"',
        f"value_gbp: {rng.randrange(6, 500) * 1000}",
        f"start: {start.isoformat()}",
        f"end: {end.isoformat()}",
        f"named: {'true' if number % 3 else 'false'}",
        "commitments:",
    ]
    chosen = rng.sample(measures, 2)
    for index, measure in enumerate(chosen):
        lines += [
            f"  - id: c{index + 1}",
            f"    measure: {measure['id']}",
            f"    organisation: {rng.choice(orgs)}",
            f"    quantum: {rng.randrange(10, 200)}",
            f"    due: {(start + dt.timedelta(days=700)).isoformat()}",
        ]
    lines.append("updates:")
    for index in range(2):
        day = start + dt.timedelta(days=60 + 90 * index)
        lines += [
            f"  - id: u{index + 1}",
            f"    date: {day.isoformat()}",
            f"    commitment: c{index + 1}",
            f"    quantity: {rng.randrange(1, 10)}",
            "    what: Sample delivery for the benchmark.",
        ]
    confirmed = start + dt.timedelta(days=80)
    lines += [
        "confirmations:",
        "  - update: u1",
        "    outcome: confirmed",
        f"    date: {confirmed.isoformat()}",
        "sample: true",
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--register", type=Path, required=True)
    parser.add_argument("--contracts", type=int, required=True)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    orgs = sorted(p.stem for p in (args.register / "organisations").glob("*.yaml"))
    measures = _ids(args.register, "measures")
    out = args.register / "contracts"
    out.mkdir(exist_ok=True)
    for number in range(1, args.contracts + 1):
        text = _contract(number, rng, orgs, measures)
        (out / f"sample-contract-{number:05d}.yaml").write_text(text, encoding="utf-8")
    print(f"Wrote {args.contracts} contracts into {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
