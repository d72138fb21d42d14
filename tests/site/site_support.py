"""Plain helpers behind tests/site/conftest.py: build a site, read its pages, serve it over HTTP."""

from __future__ import annotations

import functools
import hashlib
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[2]


def tree_digest(root: Path) -> dict[str, str]:
    """sha256 of every file under `root`, by its path relative to `root`."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@dataclass(frozen=True)
class BuiltSite:
    register: Path  # the register folder it was built from
    root: Path  # the built site

    def file(self, url: str) -> Path:
        """The file a site-relative URL such as `register/foo/` or `404.html` is served from."""
        path = self.root / url.split("#")[0].split("?")[0].lstrip("/")
        return path / "index.html" if path.is_dir() else path

    def soup(self, url: str) -> BeautifulSoup:
        return BeautifulSoup(self.file(url).read_text(encoding="utf-8"), "html.parser")

    def html_pages(self) -> list[str]:
        """Every HTML page as a site-relative path (`index.html`, `register/foo/index.html`)."""
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*.html"))

    def organisations(self) -> dict[str, dict]:
        """The register's organisations as written in their YAML files, by id."""
        rows = (
            yaml.safe_load(p.read_text(encoding="utf-8"))
            for p in sorted((self.register / "organisations").glob("*.yaml"))
        )
        return {row["id"]: row for row in rows}

    def table(self, name: str) -> list[dict]:
        return yaml.safe_load((self.register / f"{name}.yaml").read_text(encoding="utf-8")) or []


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib's name
        pass


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve `root` over real HTTP on a free port in a thread; yields the base URL (ends in /)."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
