"""The Markdown report of benchmarks/scale.py: a table of phases by size, then search, serve."""

from __future__ import annotations

import datetime as dt
import os
import platform
from typing import Any

import psutil

PHASES = (
    "start-up",
    "check",
    "pages",
    "shell pages",
    "engine",
    "feeds and open data (while the engine runs)",
    "stamping",
    "search index",
    "stamping (while Pagefind runs)",
    "swap",
)
TARGETS = {1_000: "", 10_000: "20 s, 1 GB", 100_000: "240 s, 4 GB"}


def machine() -> str:
    mem = psutil.virtual_memory().total / 2**30
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"- Date: {dt.date.today().isoformat()}; load average at the end: {load} "
        f"(other work shares the machine: read the times as this order)\n"
        f"- Machine: `nproc` = {os.cpu_count()}, {mem:.1f} GiB memory, {platform.machine()}, "
        f"Linux {platform.release()}; Python {platform.python_version()}"
    )


def _cell(figures: list[float] | None) -> str:
    if not figures:
        return ""
    memory = f"{figures[1]:,.0f} MiB" if figures[1] else "too short to sample"
    return f"{figures[0]:.1f} s, {memory}"


def build_table(results: dict[str, Any]) -> list[str]:
    sizes = list(results["builds"])
    baseline = results.get("baseline")
    head = ["Phase", *(f"{int(n):,} organisations" for n in sizes)]
    if baseline:
        head.append(f"Baseline: {baseline['pages']:,} plain pages")
    lines = ["| " + " | ".join(head) + " |", "| --- |" + " ---: |" * (len(head) - 1)]
    for phase in PHASES:
        row = [phase, *(_cell(results["builds"][n]["phases"].get(phase)) for n in sizes)]
        if baseline:
            row.append(_cell(baseline["phases"].get(phase)))
        lines.append("| " + " | ".join(row) + " |")
    whole = ["**whole build**"]
    for n in sizes:
        b = results["builds"][n]
        whole.append(f"**{b['wall']:.1f} s, {b['peak_mib']:,} MiB**")
    if baseline:
        total = sum(s for s, _ in baseline["phases"].values())
        whole.append(f"**{total:.1f} s, {max(m for _, m in baseline['phases'].values()):,} MiB**")
    lines.append("| " + " | ".join(whole) + " |")
    target = ["target", *(TARGETS.get(int(n), "") for n in sizes)] + ([""] if baseline else [])
    lines.append("| " + " | ".join(target) + " |")
    return lines


def report(results: dict[str, Any]) -> str:
    lines = [
        "# Scale: the build phase by phase, search and serve",
        "",
        f"Command: `{results['command']}`",
        "",
        machine(),
        "",
        "Each cell: wall seconds of the phase, and the peak RSS of the whole process tree while it",
        "ran (sampled every 50 ms). Start-up is Python's imports before the check.",
        "",
        *build_table(results),
        "",
    ]
    for n, b in results["builds"].items():
        extra = f"; second build byte-identical: {b['identical']}" if "identical" in b else ""
        missing = f"; stages not found: {', '.join(b['missing'])}" if b["missing"] else ""
        lines.append(f"- {int(n):,} organisations: {b['html_pages']:,} HTML pages{extra}{missing}")
    if "search" in results:
        s = results["search"]
        lines += ["", f"## Filtered search over {int(s['orgs']):,} organisations", ""]
        lines += ["| Run | First results (ms) | Whole visit (KB, gzip) | Search index (KB) |"]
        lines += ["| ---: | ---: | ---: | ---: |"]
        for i, r in enumerate(s["search"], 1):
            lines.append(
                f"| {i} | {r['latency_ms']:.0f} | {r['bytes'] / 1000:.0f} "
                f"| {r['search_bytes'] / 1000:.0f} |"
            )
        lines += ["", "Target: first filtered results within 300 ms and 300 KB."]
    if "serve" in results:
        s = results["serve"]
        lines += [
            "",
            f"## Serve: one organisation changed in a {int(s['orgs']):,} register",
            "",
            f"First build and serve: {s['first_build_s']} s. Change saved to the new page "
            f"served: {s['change_live_s']} s (target 5 s).",
        ]
    return "\n".join(lines) + "\n"
