"""The whole scale measurement in one command: build phase by phase, baseline, search, serve.

    python benchmarks/scale.py --sizes 1000 10000 100000 --md benchmarks/scale.md

1. For each size, a synthetic register (benchmarks/make_register.py, seed 42, under
   benchmarks/out/, git-ignored) is built by the real command line, `python build.py build`, run
   through benchmarks/phases.py so each stage is timed (check, pages, engine, feeds and open data,
   search index, swap). The whole process tree's RSS is sampled every 50 ms, so each phase gets
   its own peak as well as the build as a whole. `--twice` builds again into a second folder and
   compares every byte.
2. The baseline (benchmarks/baseline.py): a plain mkdocs-material site of `--baseline` one-screen
   Markdown pages, built by the same engine and indexed by the Pagefind CLI, in the same session.
3. A filtered search on the largest site in headless Chromium (benchmarks/bench_site.py's method:
   latency from the last keystroke to the first results, bytes on the wire with gzip).
4. `python build.py serve` on the `--serve-size` register: after one organisation file changes,
   the time until the server sends that organisation's page with the change.
Figures go to benchmarks/out/scale.json and, with `--md`, to a Markdown report.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

from baseline import make_baseline, run_baseline  # noqa: E402
from make_register import make_register  # noqa: E402
from peak_memory import trace  # noqa: E402
from scale_report import report  # noqa: E402

MIB = 2**20


def _phase_figures(times: dict[str, Any], samples: list[tuple[float, int]]) -> dict[str, Any]:
    """{phase: [seconds, peak MiB]}, in build order, with start-up (imports) first."""
    spans: dict[str, list[tuple[float, float]]] = {"start-up": []}
    if times["phases"]:
        spans["start-up"].append((times["started"], times["phases"][0][1]))
    for name, start, end in times["phases"]:
        spans.setdefault(name, []).append((start, end))
    figures = {}
    for name, ranges in spans.items():
        inside = [rss for t, rss in samples if any(a <= t <= b for a, b in ranges)]
        seconds = sum(b - a for a, b in ranges)
        figures[name] = [round(seconds, 2), round(max(inside, default=0) / MIB)]
    return figures


DROP_CACHES = False  # --drop-caches: start each build with the kernel's caches emptied


def drop_caches() -> None:
    """Write back and drop the page cache, dentries and inodes (root only), so that each build
    starts alike: after a few 100,000-page builds the kernel's reclaim of its full caches was
    most of the system time of a build (8 to 30 s at 10,000)."""
    if DROP_CACHES:
        subprocess.run(["sync"], check=True)
        Path("/proc/sys/vm/drop_caches").write_text("3\n", encoding="utf-8")


def build(orgs: int, register: Path, site: Path) -> dict[str, Any]:
    shutil.rmtree(site, ignore_errors=True)
    drop_caches()
    times_path = OUT / f"phases-{orgs}.json"
    command = [sys.executable, str(HERE / "phases.py"), str(times_path), "build"]
    command += ["--register", str(register), "--out", str(site)]
    code, wall, samples = trace(command, cwd=REPO)
    if code != 0:
        raise SystemExit(f"the build of {orgs} organisations failed (exit {code})")
    times = json.loads(times_path.read_text(encoding="utf-8"))
    pages = sum(1 for _ in site.rglob("index.html"))
    return {
        "wall": round(wall, 2),
        "peak_mib": round(max((rss for _, rss in samples), default=0) / MIB),
        "phases": _phase_figures(times, samples),
        "missing": times["missing"],
        "html_pages": pages,
    }


def digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(url: str, contains: str, limit: float) -> float | None:
    """Seconds until `url` answers with `contains` in its body, or None after `limit`."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        body = _get(url)
        if body is not None and contains in body:
            return time.perf_counter() - started
        time.sleep(0.1)
    return None


def serve_figures(register: Path, orgs: int) -> dict[str, Any]:
    """Start `build.py serve`, change one organisation, time until its page shows the change."""
    work = OUT / f"serve-{orgs}"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(register, work / "register")
    drop_caches()
    port = _free_port()
    command = [sys.executable, "build.py", "serve", "--register", str(work / "register")]
    command += ["--out", str(work / "site"), "--port", str(port), "--db", str(work / "i.sqlite3")]
    env = {k: v for k, v in os.environ.items() if k != "SV_STAFF_TOKEN"}
    proc = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        org = sorted((work / "register" / "organisations").glob("*.yaml"))[orgs // 2]
        url = f"http://127.0.0.1:{port}/register/{org.stem}/"
        first = _wait_for(url, "Sample organisation", limit=900)
        if first is None:
            raise SystemExit("serve did not answer within 900 s")
        time.sleep(2)  # let the watcher take its first snapshot
        marker = "Benchmark change marker"
        text = org.read_text(encoding="utf-8").replace("A fictional", f"{marker}: a fictional")
        org.write_text(text, encoding="utf-8")
        live = _wait_for(url, marker, limit=900)
        return {"first_build_s": round(first, 1), "change_live_s": live and round(live, 1)}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--baseline", type=int, default=10_000, help="pages; 0 to skip")
    parser.add_argument("--serve-size", type=int, default=10_000, help="0 to skip")
    parser.add_argument("--no-search", action="store_true", help="skip the Chromium search")
    parser.add_argument("--twice", action="store_true", help="build again and compare bytes")
    parser.add_argument("--md", type=Path, help="write the report as Markdown here")
    parser.add_argument(
        "--drop-caches", action="store_true", help="empty the kernel's caches before each build"
    )
    args = parser.parse_args(argv)
    global DROP_CACHES
    DROP_CACHES = args.drop_caches
    OUT.mkdir(exist_ok=True)
    results: dict[str, Any] = {"command": "python benchmarks/scale.py " + " ".join(argv or [])}
    results["builds"] = {}
    for orgs in args.sizes:
        register = make_register(orgs, OUT / f"register-{orgs}")
        figures = build(orgs, register, OUT / f"site-{orgs}")
        if args.twice:
            again = build(orgs, register, OUT / f"site-{orgs}-again")
            figures["identical"] = digest(OUT / f"site-{orgs}") == digest(
                OUT / f"site-{orgs}-again"
            )
            figures["second_wall"] = again["wall"]
            shutil.rmtree(OUT / f"site-{orgs}-again")
        results["builds"][orgs] = figures
        print(orgs, json.dumps(figures), file=sys.stderr)
    if args.baseline:
        out = make_baseline(args.baseline, OUT / f"baseline-{args.baseline}")
        drop_caches()
        phases = run_baseline(out)
        results["baseline"] = {
            "pages": args.baseline,
            "phases": {k: [round(s, 2), round(m / MIB)] for k, (s, m) in phases.items()},
        }
        print("baseline", json.dumps(results["baseline"]), file=sys.stderr)
    if not args.no_search:
        from bench_site import browser_figures

        largest = max(args.sizes)
        org_id = sorted(p.stem for p in (OUT / f"register-{largest}/organisations").iterdir())[0]
        results["search"] = {"orgs": largest, **browser_figures(OUT / f"site-{largest}", org_id)}
        print("search", json.dumps(results["search"]), file=sys.stderr)
    if args.serve_size:
        register = make_register(args.serve_size, OUT / f"register-{args.serve_size}")
        results["serve"] = {"orgs": args.serve_size, **serve_figures(register, args.serve_size)}
        print("serve", json.dumps(results["serve"]), file=sys.stderr)
    (OUT / "scale.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    text = report(results)
    if args.md:
        args.md.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
