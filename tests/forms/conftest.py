"""Fixtures for the form tests: the REAL thing, started once per session.

- `served`: `python build.py serve --port <free> --db <tmp>/intake.sqlite3 --out <tmp>/site`,
  the site and the intake on one origin, as a subprocess from the repository root; terminated at
  the end of the session. `served.db` is the SQLite file the intake writes.
- `browser`: one headless Debian Chromium (Playwright) for the session.
- `page`: a fresh context at desktop width with JavaScript; any script error, and any answer
  of 400 or more from the server (but the 422 of a form sent with wrong answers), fails the test.
- `nojs_page`: a fresh context with JavaScript disabled.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from form_support import Served, start_serve
from playwright.sync_api import Browser, Page, Response

DESKTOP = {"width": 1280, "height": 900}


def _unexpected(response: Response) -> bool:
    wrong_answers = response.status == 422 and response.request.method == "POST"
    return response.status >= 400 and not wrong_answers and "favicon" not in response.url


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    server = start_serve(tmp_path_factory.mktemp("forms"))
    yield server
    server.stop()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    def note(response: Response) -> None:
        if _unexpected(response):
            errors.append(f"{response.status} {response.request.method} {response.url}")

    page.on("response", note)
    yield page
    context.close()
    assert errors == [], errors


@pytest.fixture
def nojs_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()
