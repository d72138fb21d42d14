"""Benchmark the site: build time and memory, search speed and bytes, page weight.

    python benchmarks/bench_site.py [--sizes 1000 10000] [--md benchmarks/site.md]

1. `python build.py build` on the shipped sample register and on synthetic registers of each size
   (benchmarks/make_register.py, seed 42, written under benchmarks/out/, git-ignored): wall clock
   of the whole process, `ru_maxrss` from wait4 (the largest single process: the build or the
   Pagefind it ran), and the peak RSS of the whole process tree at once, sampled every 20 ms.
2. The largest site, served by a small static server that gzips text (html, css, js, json, svg,
   xml) when the browser asks, as a production server would; Pagefind's own files are already
   compressed and are served as they are. In headless Debian Chromium (Playwright):
   - a filtered search: open the search page, tick one area, type a word; the time from the last
     keystroke to the result count being shown with the first results rendered, and the bytes
     the server sent for the search page and everything it (and Pagefind's worker) fetched;
   - the transferred weight of the home page and an organisation page on a first (cold) load,
     gzip and raw.
Targets (2 cores): sample build within 5 s; 10,000 organisations within 60 s and 1.5 GB;
filtered search results within 300 ms of the last keystroke and under 300 KB transferred;
an organisation page under 200 KB on first load.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import io
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

from make_register import make_register  # noqa: E402

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".csv", ".txt"}
SEARCH_WORD = "sessions"
NOTES = "## Notes"
SEARCH_AREA = "Norwich"


def build(register: Path, out: Path) -> dict[str, float]:
    """Run one build: wall seconds, `ru_maxrss` from wait4 (the largest single process: the build
    or the Pagefind it waited for) and the peak RSS of the whole process tree (build + Pagefind
    at once, sampled every 20 ms), in MiB."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "build.py", "build", "--register", str(register), "--out", str(out)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    parent, peak = psutil.Process(proc.pid), 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        try:
            tree = [parent, *parent.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree))
        except psutil.Error:
            pass
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"build of {register} failed: run it by hand to see why")
    return {"seconds": seconds, "maxrss_mib": usage.ru_maxrss / 1024, "tree_mib": peak / 2**20}


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip'd on the fly for text types when the client accepts gzip.

    Every response body's size is recorded in `sent` (path, bytes): the bytes on the wire for the
    page, its assets and whatever Pagefind's web worker fetches, which a page's own network events
    do not show.
    """

    sent: list[tuple[str, int]] = []

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib's name
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if path.is_dir() or not path.is_file() or not wants or path.suffix not in COMPRESSIBLE:
            body = super().send_head()
            size = path.stat().st_size if path.is_file() and body is not None else 0
            self.sent.append((self.path, size))
            return body
        data = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.sent.append((self.path, len(data)))
        return io.BytesIO(data)


@contextmanager
def serve(root: Path) -> Iterator[str]:
    handler = functools.partial(GzipHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class Transfer:
    """Bytes the server sent since this was made (response bodies, as compressed on the wire)."""

    def __init__(self) -> None:
        self.start = len(GzipHandler.sent)

    def _since(self, contains: str) -> list[int]:
        return [n for path, n in GzipHandler.sent[self.start :] if contains in path]

    def total(self, contains: str = "") -> int:
        return sum(self._since(contains))

    def count(self, contains: str = "") -> int:
        return len(self._since(contains))


SEARCH_TIMER = """word => {
  const root = document.getElementById("sv-search");
  const status = document.getElementById("sv-search-status");
  window.__bench = {};
  document.getElementById("sv-q").addEventListener("input", () => {
    window.__bench.last = performance.now();
    window.__bench.done = undefined;
  });
  new MutationObserver(() => {
    const shown = status.textContent.includes("\\u201c" + word + "\\u201d");
    if (shown && root.querySelector(".sv-results li") && window.__bench.done === undefined) {
      window.__bench.done = performance.now();
    }
  }).observe(root, {childList: true, characterData: true, subtree: true});
}"""


def search_benchmark(browser: Any, url: str) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    transfer = Transfer()
    page.goto(url + "search/")
    page.wait_for_selector("#sv-search[data-ready]")
    page.evaluate(SEARCH_TIMER, SEARCH_WORD)
    page.get_by_role("group", name="Area").get_by_label(
        SEARCH_AREA + " ", exact=False
    ).first.check()
    # The tick is taken: results "in Norwich" on a small site; on a large one (filters alone
    # start no search there) the prompt to type a word within the filters.
    page.wait_for_function(
        "([area]) => { const t = document.getElementById('sv-search-status').textContent;"
        " return t.includes(' in ' + area) || t.startsWith('Type a word to search within'); }",
        arg=[SEARCH_AREA],
    )
    page.get_by_label("Search for").press_sequentially(SEARCH_WORD, delay=80)
    page.wait_for_function("window.__bench.done > window.__bench.last", timeout=120_000)
    page.wait_for_load_state("networkidle")
    timing = page.evaluate("window.__bench")
    status = page.inner_text("#sv-search-status")
    figures = {
        "latency_ms": timing["done"] - timing["last"],
        "bytes": transfer.total(),
        # the search indexes: Pagefind's, and the area index of a large site (search/areas/)
        "search_bytes": transfer.total("/pagefind/") + transfer.total("/search/areas/"),
        "requests": transfer.count(),
        "status": status,
    }
    context.close()
    return figures


def page_weight(browser: Any, url: str, gzip_on: bool) -> int:
    headers = {} if gzip_on else {"Accept-Encoding": "identity"}
    context = browser.new_context(extra_http_headers=headers)
    page = context.new_page()
    transfer = Transfer()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    total = transfer.total()
    context.close()
    return total


def browser_figures(site: Path, org_id: str) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    with serve(site) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        runs = [search_benchmark(browser, url) for _ in range(3)]
        weights = {
            name: {enc: page_weight(browser, url + path, enc == "gzip") for enc in ("gzip", "raw")}
            for name, path in (("home", ""), ("organisation", f"register/{org_id}/"))
        }
        browser.close()
    return {"search": runs, "weights": weights}


def machine() -> str:
    mem = psutil.virtual_memory().total / 2**30
    return (
        f"- Date: {dt.date.today().isoformat()}\n"
        f"- Machine: `nproc` = {os.cpu_count()}, {mem:.1f} GiB memory, {platform.machine()}, "
        f"Linux {platform.release()}\n"
        f"- Python: {platform.python_version()}; Chromium: Debian /usr/bin/chromium"
    )


SEARCH_TEXT = (
    'Open `search/`, tick the area "{area}", then type "{word}" (80 ms between keys). '
    "Latency: from the last keystroke (`input` event) to the result count being shown "
    "with the first results rendered (includes search.js's 100 ms pause after a keystroke). "
    "Bytes: every response body the server sent for the visit, page and assets included, "
    "with gzip (counted at the server, so Pagefind's web worker is included; a fresh browser "
    "context, so a cold cache)."
)


def report(builds: list[tuple[str, int, dict]], browser: dict[str, Any], command: str) -> str:
    targets = {"sample": "5 s", "10000": "60 s, 1.5 GB"}
    lines = [
        "# The site: build time, memory, search and page weight",
        "",
        f"Command: `{command}`",
        "",
        machine(),
        "",
        "## Build (`python build.py build`, whole process, cold output folder)",
        "",
        "| Register | Organisations | Wall (s) | Largest process: ru_maxrss (MiB) "
        "| Whole tree, sampled (MiB) | Target |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, orgs, f in builds:
        target = targets.get(name if name == "sample" else str(orgs), "")
        lines.append(
            f"| {name} | {orgs:,} | {f['seconds']:.1f} | {f['maxrss_mib']:.0f} "
            f"| {f['tree_mib']:.0f} | {target} |"
        )
    lines += [
        "",
        f"## Filtered search over {builds[-1][1]:,} organisations",
        "",
        SEARCH_TEXT.format(area=SEARCH_AREA, word=SEARCH_WORD),
        "",
        "| Run | Latency (ms) | Whole visit (KB) | of it search index (KB) | Requests | Result |",
        "| ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for i, r in enumerate(browser["search"], 1):
        lines.append(
            f"| {i} | {r['latency_ms']:.0f} | {r['bytes'] / 1000:.0f} "
            f"| {r['search_bytes'] / 1000:.0f} | {r['requests']} | {r['status']} |"
        )
    lines += [
        "",
        "Targets: results within 300 ms of the last keystroke; under 300 KB transferred.",
        "",
        "## Page weight on first load (cold cache, everything the page fetched)",
        "",
        "| Page | gzip (KB) | raw (KB) | Target |",
        "| --- | ---: | ---: | --- |",
    ]
    for name, w in browser["weights"].items():
        target = "under 200 KB" if name == "organisation" else ""
        lines.append(f"| {name} | {w['gzip'] / 1000:.0f} | {w['raw'] / 1000:.0f} | {target} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--md", type=Path, default=None, help="write the figures as Markdown here")
    args = parser.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    builds = []
    for name, orgs in [("sample", 0), *(("synthetic", n) for n in args.sizes)]:
        register = (
            REPO / "register" if name == "sample" else make_register(orgs, OUT / f"register-{orgs}")
        )
        orgs = orgs or len(list((register / "organisations").glob("*.yaml")))
        site = OUT / f"site-{name}-{orgs}"
        shutil.rmtree(site, ignore_errors=True)
        figures = build(register, site)
        print(f"{name} {orgs}: {figures}", file=sys.stderr)
        builds.append((name, orgs, figures))
    largest = OUT / f"register-{builds[-1][1]}"
    org_id = sorted(p.stem for p in (largest / "organisations").glob("*.yaml"))[0]
    browser = browser_figures(OUT / f"site-synthetic-{builds[-1][1]}", org_id)
    print(browser, file=sys.stderr)
    sizes = " ".join(map(str, args.sizes))
    command = f"python benchmarks/bench_site.py --sizes {sizes}" + (
        f" --md {args.md}" if args.md else ""
    )
    text = report(builds, browser, command)
    if args.md:
        old = args.md.read_text(encoding="utf-8") if args.md.exists() else ""
        notes = old[old.find(NOTES) :] if NOTES in old else ""  # hand-written notes are kept
        args.md.write_text(text + ("\n" + notes if notes else ""), encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
