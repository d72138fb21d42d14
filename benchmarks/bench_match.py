"""Time the opportunity finder over a synthetic register (default 10,000 organisations).

    python benchmarks/bench_match.py [--orgs 10000] [--runs 30] [--browser-runs 5] [--site DIR]
                                     [--md benchmarks/match.md]

1. Python: `socialvalue.match.match()` for a few profiles, in this process after the register is
   loaded: the first (cold) call, then best / median / 95th percentile of `--runs` calls.
   Target: within 50 ms for one profile.
2. Browser: the built site served over HTTP (Python's http.server, no compression) to headless
   Debian Chromium. Each run is a fresh browser context (empty cache): open match/, tick the
   answers, press the button. Time = the page's own marks, from the submit handler
   (`svm-submit`) to the ranked list in the page (`svm-rendered`); bytes = what Chromium received
   after the press (CDP `encodedDataLength`), and the same files gzipped, as a compressing host
   would send them. Targets: within 300 ms and under 500 KB.

The register is written by benchmarks/make_register.py under benchmarks/out/ (git-ignored), and the
site is built there with `python build.py build` unless `--site` names one already built.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import platform
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO), str(HERE)]

from make_register import make_register  # noqa: E402

from socialvalue import match as rules  # noqa: E402
from socialvalue.match import Profile  # noqa: E402
from socialvalue.register.check import check  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TARGET_PY_MS, TARGET_BROWSER_MS, TARGET_BYTES = 50, 300, 500_000

# label -> profile. The first is "one profile" of the targets: a typical local supplier.
PROFILES = {
    "two offers, one district, one priority": Profile(
        ("money", "volunteering"), ("broadland",), ("preventing-crime",)
    ),
    "the same with a contract subject": Profile(
        ("money", "volunteering"), ("broadland",), ("preventing-crime",), subject="youth sessions"
    ),
    "one offer, county-wide": Profile(("money",), ("norfolk",)),
    "three offers, county-wide (large)": Profile(
        ("money", "volunteering", "in-kind"), ("norfolk",)
    ),
}
OFFER_LABELS = {
    "money": "Donations and sponsorship",
    "volunteering": "Staff time and volunteering",
    "in-kind": "Goods, equipment, space and other in-kind resources",
}
AREA_LABELS = {"broadland": "Broadland", "norfolk": "Anywhere in Norfolk"}
PRIORITY_LABELS = {"preventing-crime": "Preventing crime"}


def time_python(register, runs: int) -> list[tuple[str, int, float, list[float]]]:
    rows = []
    for label, profile in PROFILES.items():
        rules._text_keywords.cache_clear()
        started = time.perf_counter()
        found = rules.match(profile, register)
        cold = (time.perf_counter() - started) * 1000
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            rules.match(profile, register)
            times.append((time.perf_counter() - started) * 1000)
        rows.append((label, len(found), cold, times))
    return rows


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib's name
        pass


@contextmanager
def serve(root: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def one_browser_run(
    browser, url: str, site: Path, profile: Profile
) -> tuple[float, int, int, int, int, int]:
    """(ms from submit to results, data bytes received after submit, the same gzipped, data
    files, results, bytes of the page load before submit)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    urls: dict[str, str] = {}
    received: dict[str, int] = {}
    cdp.on(
        "Network.responseReceived", lambda e: urls.__setitem__(e["requestId"], e["response"]["url"])
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: received.__setitem__(e["requestId"], int(e["encodedDataLength"])),
    )
    page.goto(url + "match/", wait_until="networkidle")
    form = page.locator("#svm-form")
    for offer in profile.offers:
        form.get_by_role("checkbox", name=OFFER_LABELS[offer], exact=True).check()
    for area in profile.areas:
        form.get_by_role("checkbox", name=AREA_LABELS[area], exact=True).check()
    for priority in profile.priorities:
        form.get_by_role("checkbox", name=PRIORITY_LABELS[priority], exact=True).check()
    if profile.subject:
        form.get_by_label("What the contract is for").fill(profile.subject)
    before = set(received)
    form.get_by_role("button", name="Show opportunities").click()
    page.locator("#svm-results[data-state=done]").wait_for()
    ms = page.evaluate("performance.measure('svm', 'svm-submit', 'svm-rendered').duration")
    count = int(page.locator("#svm-results-title").inner_text().split()[0].replace(",", "") or 0)
    page.wait_for_load_state("networkidle")
    page_bytes = sum(received[rid] for rid in before)
    # only the finder's data: Chromium may fetch the favicon late, which is not the finder's
    after = [r for r in received if r not in before and "/match/data/" in urls.get(r, "")]
    raw = sum(received[rid] for rid in after)
    zipped = sum(
        len(gzip.compress((site / urlsplit(urls[rid]).path.lstrip("/")).read_bytes()))
        for rid in after
        if rid in urls
    )
    context.close()
    return ms, raw, zipped, len(after), count, page_bytes


def time_browser(site: Path, runs: int) -> tuple[str, list[tuple[str, list[tuple]]]]:
    from playwright.sync_api import sync_playwright

    rows = []
    with serve(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        version = browser.version
        for label, profile in PROFILES.items():
            rows.append(
                (label, [one_browser_run(browser, url, site, profile) for _ in range(runs)])
            )
        browser.close()
    return version, rows


def ensure_site(register: Path, site: Path) -> Path:
    if not (site / "match" / "data" / "meta.json").is_file():
        print(f"building {site} (several minutes at 10,000 organisations) ...", file=sys.stderr)
        result = subprocess.run(
            [sys.executable, "build.py", "build", "--register", str(register), "--out", str(site)],
            cwd=REPO,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0 or not (site / "match" / "data" / "meta.json").is_file():
            sys.exit(
                "the build failed or wrote no match/data/:\n"
                + result.stdout[-2000:]
                + result.stderr[-2000:]
            )
    return site


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return f"`nproc` = {nproc}, {cpu}, {platform.machine()}, Linux {platform.release()}"


def verdict(value: float, target: float) -> str:
    return "met" if value <= target else "MISSED"


def report(orgs: int, runs: int, browser_runs: int, py: list, version: str, browser: list) -> str:
    kib = 1000
    lines = [
        "# Opportunity finder: timings",
        "",
        f"Command: `python benchmarks/bench_match.py {' '.join(sys.argv[1:])}`",
        "",
        f"- Date: {dt.date.today().isoformat()}",
        f"- Machine: {machine()}",
        f"- Python: {platform.python_version()}; Chromium: {version} (headless, {CHROMIUM})",
        f"- Register: {orgs:,} synthetic organisations (`benchmarks/make_register.py`, seed 42)",
        "",
        f"## Python `match()` (target: within {TARGET_PY_MS} ms)",
        "",
        "In process, register already loaded. Cold = the first call (keyword cache empty);",
        f"then {runs} calls.",
        "",
        "| Profile | Matches | Cold (ms) | Best (ms) | Median (ms) | 95th pct (ms) | Target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for label, count, cold, times in py:
        p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
        median = statistics.median(times)
        lines.append(
            f"| {label} | {count:,} | {cold:.1f} | {min(times):.1f} | {median:.1f} | {p95:.1f} "
            f"| {verdict(median, TARGET_PY_MS)} |"
        )
    lines += [
        "",
        f"## In Chromium (targets: within {TARGET_BROWSER_MS} ms, under {TARGET_BYTES // kib} KB)",
        "",
        f"Median of {browser_runs} runs, each with an empty cache. Bytes are what arrived after",
        "the button was pressed (shards and keyword index; the page, its scripts and `meta.json`",
        "load before). The site is served without compression; gzipped = the same files",
        "compressed, as most static hosts would send them.",
        "",
        "| Profile | Matches | Submit to results (ms) | Data files | Received (KB) | Gzipped (KB) "
        "| Targets | Page load before (KB) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for label, results in browser:
        ms = statistics.median(r[0] for r in results)
        raw = statistics.median(r[1] for r in results)
        zipped = statistics.median(r[2] for r in results)
        files, count = results[0][3], results[0][4]
        page_bytes = statistics.median(r[5] for r in results)
        lines.append(
            f"| {label} | {count:,} | {ms:.0f} | {files} | {raw / kib:.0f} | {zipped / kib:.0f} "
            f"| time {verdict(ms, TARGET_BROWSER_MS)}, bytes {verdict(raw, TARGET_BYTES)} "
            f"| {page_bytes / kib:.0f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30, help="Python runs per profile (default 30)")
    parser.add_argument(
        "--browser-runs", type=int, default=5, help="browser runs per profile (default 5)"
    )
    parser.add_argument("--site", type=Path, help="an already built site of the same register")
    parser.add_argument("--md", type=Path, help="also write the report to this Markdown file")
    args = parser.parse_args(argv)
    register_dir = HERE / "out" / f"register-{args.orgs}"
    if not (register_dir / "organisations").is_dir():
        make_register(args.orgs, register_dir)
    checked = check(register_dir)
    if checked.failed():
        sys.exit(f"{register_dir} does not pass `python build.py check`")
    py = time_python(checked.register, args.runs)
    site = ensure_site(register_dir, args.site or HERE / "out" / f"site-{args.orgs}")
    version, browser = time_browser(site, args.browser_runs)
    text = report(args.orgs, args.runs, args.browser_runs, py, version, browser)
    print(text)
    if args.md:
        args.md.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
