"""Fixtures for the site tests: each site is built ONCE per session, by the real command line.

- `fixture_site`: the small register of tests/fixtures.py plus one hostile entry (autoescape),
  two signatories and the two contracts of tests/test_ledger.py (one named, one not); the golden
  pages and structural assertions use it.
- `sample_site`: the shipped register/ (link check, vnu, axe, browser tests).
- `big_site`: a register of BIG_ORGS organisations from benchmarks/make_register.py, enough for
  the register index to paginate (page 2 for axe, the no-JavaScript crawl).
- `sample_url` / `big_url`: those sites served over real HTTP on a free port.
- `browser`: one headless Debian Chromium (Playwright sync API) for the session; `page` gives each
  test a fresh context at desktop width.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures import (
    REVIEWED,
    SAMPLE_REGISTER,
    make_minimal_register,
    make_synthetic_register,
    run_build,
)
from playwright.sync_api import Browser, Page
from site_support import BuiltSite, serve
from test_ledger import LEDGER_CONTRACTS

BIG_ORGS = 130  # more than one register page (lookups.PAGE_SIZE is 100)

HOSTILE = "<script>alert(1)</script> [x](javascript:alert(1)) {{ 7*7 }}"
HOSTILE_ORG = f"""
    id: sample-hostile-text
    name: 'Sample Hostile <script>alert(1)</script> {{{{ 7*7 }}}}'
    description: 'A fictional entry whose text tries to inject markup: {HOSTILE}.'
    areas: [great-yarmouth]
    measures: [cc-youth-volunteering]
    offers: [volunteering]
    welcomes: 'Links like [x](javascript:alert(1)) and {{{{ 7*7 }}}} must show as text.'
    how_to_approach: '<script>alert(1)</script> {{{{ 7*7 }}}}'
    contact:
      email: hello@hostile.example.org
    town: Gorleston
    reviewed: {REVIEWED.isoformat()}
    sample: true
    """

# One signatory per way of matching a named contract: the Companies House number (written as
# another name), and the name however it is spelt (no number).
SIGNATORIES = """
    - id: sample-cleaning-by-number
      name: "Sample: C and C Services"
      companies_house: "00000001"
      commitments: [ch-living-wage]
      signed: 2026-02-01
    - id: sample-cleaning-by-name
      name: "Sample: Cleaning and Care Limited"
      commitments: [ch-local-spend]
      signed: 2026-02-02
    """


def _build(register: Path, out: Path) -> BuiltSite:
    result = run_build(register, out)
    assert result.returncode == 0, result.stdout + result.stderr
    return BuiltSite(register, out)


@pytest.fixture(scope="session")
def fixture_register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fixture") / "register"
    files = {
        "organisations/sample-hostile-text.yaml": HOSTILE_ORG,
        "signatories.yaml": SIGNATORIES,
        **LEDGER_CONTRACTS,
    }
    return make_minimal_register(root, files)


@pytest.fixture(scope="session")
def fixture_site(fixture_register: Path, tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return _build(fixture_register, tmp_path_factory.mktemp("fixture-site") / "site")


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return _build(SAMPLE_REGISTER, tmp_path_factory.mktemp("sample-site") / "site")


@pytest.fixture(scope="session")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    register = tmp_path_factory.mktemp("big") / "register"
    make_synthetic_register(register, BIG_ORGS)
    return _build(register, tmp_path_factory.mktemp("big-site") / "site")


@pytest.fixture(scope="session")
def sample_url(sample_site: BuiltSite) -> Iterator[str]:
    with serve(sample_site.root) as url:
        yield url


@pytest.fixture(scope="session")
def big_url(big_site: BuiltSite) -> Iterator[str]:
    with serve(big_site.root) as url:
        yield url


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()
