"""Fixtures for the opportunity finder's browser tests.

- `sample_site`: the shipped register/ built ONCE per session by the real command line
  (`python build.py build --out DIR`) into a temporary folder; `sample_url` serves it over HTTP
  on a free port. `sample_register` is the same register as the Python model.
- `big_site` / `big_url` / `big_register`: BIG_ORGS synthetic organisations from
  benchmarks/make_register.py, enough for the "Show more" button and many ties.
- `browser`: one headless Debian Chromium (Playwright) for the session; `page` is a fresh context
  with JavaScript that fails the test on any script error; `nojs_page` has JavaScript off.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures import TODAY, make_synthetic_register, run_build
from playwright.sync_api import Browser, Page

from socialvalue.register.check import check
from socialvalue.register.model import Register

ROOT = Path(__file__).resolve().parents[2]
BIG_ORGS = 160  # more than the 50 results the finder shows before "Show more"


def build(register: Path, out: Path) -> Path:
    result = run_build(register, out)
    assert result.returncode == 0, result.stdout + result.stderr
    if not (out / "match" / "data" / "meta.json").is_file():
        pytest.fail(
            "the build wrote no match/data/: pages.write_pages must call "
            "matchpages.write_match_data(view, docs_dir)"
        )
    return out


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib's name
        pass


@pytest.fixture(scope="session")
def serve() -> Iterator:
    servers: list[tuple[http.server.ThreadingHTTPServer, threading.Thread]] = []

    def start(root: Path) -> str:
        handler = functools.partial(_Quiet, directory=str(root))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        servers.append((server, thread))
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def sample_register() -> Register:
    return check(ROOT / "register", TODAY).register


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(ROOT / "register", tmp_path_factory.mktemp("match-sample") / "site")


@pytest.fixture(scope="session")
def sample_url(sample_site: Path, serve) -> str:
    return serve(sample_site)


@pytest.fixture(scope="session")
def big_register_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    register = tmp_path_factory.mktemp("match-big") / "register"
    make_synthetic_register(register, BIG_ORGS)
    return register


@pytest.fixture(scope="session")
def big_register(big_register_dir: Path) -> Register:
    return check(big_register_dir, TODAY).register


@pytest.fixture(scope="session")
def big_url(big_register_dir: Path, tmp_path_factory: pytest.TempPathFactory, serve) -> str:
    return serve(build(big_register_dir, tmp_path_factory.mktemp("match-big-site") / "site"))


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], errors


@pytest.fixture
def nojs_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    yield context.new_page()
    context.close()
