"""Golden pages: the main content of key pages of the fixture site, against tests/site/golden/.

Regenerate after an intended change, then review the diff before committing it:

    SV_REGEN_GOLDEN=1 python -m pytest tests/site/test_golden.py
    git diff tests/site/golden/

The structural tests in test_structure.py pin what matters (titles, counts, links, escaping), so
a careless regenerate cannot hide a regression there.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from site_support import BuiltSite

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("SV_REGEN_GOLDEN") == "1"

KEY_PAGES = {
    "home": "",
    "priority": "priorities/preventing-crime/",
    "measure": "measures/pc-safe-spaces/",
    "charter": "charter/",
    "register-index": "register/",
    "organisation": "register/sample-youth-club/",
    "organisation-safeguarding": "register/sample-safe-haven/",
    "area": "areas/norwich/",
    "contract": "contracts/sample-cleaning/",
    "ledger": "ledger/",
}


def article_html(site: BuiltSite, url: str) -> str:
    """The page's <article> (its main content), normalised by BeautifulSoup's prettify."""
    article = site.soup(url).find("article")
    assert article is not None, f"{url} has no <article>"
    return BeautifulSoup(str(article), "html.parser").prettify()


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(KEY_PAGES))
def test_key_page_matches_golden(fixture_site: BuiltSite, name: str) -> None:
    actual = article_html(fixture_site, KEY_PAGES[name])
    expected = GOLDEN / f"{name}.html"
    if REGENERATE:
        expected.write_text(actual, encoding="utf-8")
    assert expected.exists(), f"no golden file: run SV_REGEN_GOLDEN=1 python -m pytest {__file__}"
    assert actual == expected.read_text(encoding="utf-8"), (
        f"{KEY_PAGES[name] or 'home'} differs from {expected}; if the change is intended, "
        "regenerate with SV_REGEN_GOLDEN=1 and review `git diff tests/site/golden/`"
    )
