"""Plain helpers behind tests/forms/: start `python build.py serve`, read a form's state, read
the SQLite file the intake wrote.

- `start_serve(tmp)`: the real command line on a free port, with its own database and site
  folder; returns once THAT process listens on the port and answers GET /.
- `summary(page)` / `inline_errors(page)`: the error summary's links and the inline messages, as
  flat tuples, so a test can compare the two wordings and their order;
  `targets_in_page_order(page, hrefs)` sorts links by where their targets are in the page.
- `clear_of_header(page, selector)`: the element's top is on screen, not under a sticky header.
- `stored(db, reference)`: the row the intake committed for a reference (fails if none).
"""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psutil
from playwright.sync_api import Page

from socialvalue.intake.references import PATTERN

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = PATTERN  # SV-P-7K3M-9QXA
START_TIMEOUT = 120  # the build takes ~5 s alone; a busy machine can take many times that

# The static form pages (site folder -> intake kind) and the submit button of each.
FORMS = {
    "pledge": "pledge",
    "sign-the-charter": "charter",
    "join-the-register": "register-request",
    "report-progress": "progress-update",
    "confirm-a-delivery": "delivery-confirmation",
}
BUTTON = {
    "pledge": "Send pledge",
    "charter": "Sign the Charter",
    "register-request": "Send request",
    "progress-update": "Send update",
    "delivery-confirmation": "Send answer",
}


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    url: str  # the site's root, ending with "/"
    db: Path
    site: Path
    log_path: Path

    @property
    def origin(self) -> str:
        return self.url.rstrip("/")

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _listens(process: subprocess.Popen[bytes], port: int) -> bool:
    """True once THIS process (not another one that took the port) listens on the port."""
    try:
        connections = psutil.Process(process.pid).net_connections(kind="tcp")
    except psutil.Error:
        return False
    return any(c.status == psutil.CONN_LISTEN and c.laddr.port == port for c in connections)


def start_serve(tmp: Path) -> Served:
    """`build.py serve --port P --db TMP/intake.sqlite3 --out TMP/site`, from the repo root."""
    port = _free_port()
    log_path = tmp / "serve.log"
    command = [
        sys.executable, "build.py", "serve", "--today", "2026-11-24", "--port", str(port),
        "--db", str(tmp / "intake.sqlite3"), "--out", str(tmp / "site"),
    ]  # fmt: skip
    with log_path.open("ab") as log:
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    served = Served(process, url, tmp / "intake.sqlite3", tmp / "site", log_path)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        try:
            process.wait(timeout=0.2)  # returns at once if the command failed
        except subprocess.TimeoutExpired:
            pass
        else:
            raise RuntimeError(f"`build.py serve` exited {process.returncode}:\n{served.log()}")
        if _listens(process, port):
            try:
                if httpx.get(served.url, timeout=5).status_code == 200:
                    return served
            except httpx.TransportError:
                pass
    served.stop()
    raise RuntimeError(f"`build.py serve` did not answer within {START_TIMEOUT} s:\n{served.log()}")


def summary(page: Page) -> list[tuple[str, str]]:
    """The error summary's links: [(href, text)], in the order shown."""
    links = page.locator(".sv-error-summary__list a")
    return [(a.get_attribute("href") or "", a.inner_text().strip()) for a in links.all()]


def inline_errors(page: Page) -> list[tuple[str, str]]:
    """The inline messages: [("#sv-<field>", text without the hidden "Error:")], in page order."""
    found = page.locator("form.sv-form .sv-error-message").evaluate_all(
        """els => els.map(el => ["#" + el.id.replace(/-error$/, ""),
                                 el.textContent.replace(/^\\s*Error:\\s*/, "").trim()])"""
    )
    return [(href, text) for href, text in found]


def targets_in_page_order(page: Page, hrefs: list[str]) -> list[str]:
    """The hrefs sorted by where their targets are in the page."""
    return page.evaluate(
        """hrefs => hrefs.slice().sort((a, b) => {
             const x = document.querySelector(a), y = document.querySelector(b);
             return x.compareDocumentPosition(y) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
           })""",
        hrefs,
    )


def clear_of_header(page: Page, selector: str) -> bool:
    """True when the element's top is in the viewport and not under a sticky or fixed header."""
    return page.locator(selector).evaluate(
        """el => {
             const top = el.getBoundingClientRect().top;
             const edges = Array.from(document.querySelectorAll("header"))
               .filter(h => ["sticky", "fixed"].includes(getComputedStyle(h).position))
               .map(h => h.getBoundingClientRect().bottom);
             return top >= Math.max(0, ...edges) && top < window.innerHeight;
           }"""
    )


def stored(db: Path, reference: str) -> tuple[str, str, dict[str, Any]]:
    """(kind, status, payload) of the committed row with this reference; fails if there is none."""
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = connection.execute(
            "SELECT kind, status, payload FROM submissions WHERE reference = ?", (reference,)
        ).fetchone()
    finally:
        connection.close()
    assert row is not None, f"{reference} is not in {db}"
    return row[0], row[1], json.loads(row[2])
