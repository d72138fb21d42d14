"""Internal link check over the whole built sample site: no broken links, no missing anchors."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from site_support import BuiltSite

pytestmark = pytest.mark.slow

BASE = "http://site.invalid/"
EXTERNAL = ("mailto:", "tel:", "http:", "https:", "//", "data:")

# The intake's form pages, which another part of the project adds. Links to them are allowed to
# dangle ONLY while the page does not exist in the built site at all; once it does, it is checked.
PENDING_FORM_PAGES = (
    "pledge/",
    "sign-the-charter/",
    "join-the-register/",
    "match/",
    "check/",
    "opportunities/",
)


def _links(soup: BeautifulSoup) -> list[str]:
    """Every href, src and GET form action (a POST action is the intake server's, not a page)."""
    found = []
    for tag in soup.find_all(True):
        for attr in ("href", "src", "action"):
            value = tag.get(attr)
            if value is None or (
                attr == "action" and (value == "" or tag.get("method", "get").lower() == "post")
            ):
                continue
            found.append(value.strip())
    return found


def test_every_internal_link_and_anchor_resolves(sample_site: BuiltSite) -> None:
    root = sample_site.root

    @cache
    def ids(path: Path) -> frozenset[str]:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        return frozenset(t["id"] for t in soup.find_all(id=True)) | frozenset(
            a["name"] for a in soup.find_all("a", attrs={"name": True})
        )

    broken = []
    checked = 0
    for page in sample_site.html_pages():
        page_url = urljoin(BASE, page.removesuffix("index.html"))
        for link in _links(sample_site.soup(page)):
            if link.lower().startswith(EXTERNAL):
                continue
            target = urlsplit(urljoin(page_url, link))
            if target.netloc != urlsplit(BASE).netloc:
                continue
            relative = unquote(target.path).lstrip("/")
            if relative.startswith("forms/"):
                continue  # the intake's pages (served by the intake, not in the built site)
            if any(relative.startswith(p) and not (root / p).is_dir() for p in PENDING_FORM_PAGES):
                continue
            file = root / relative
            file = file / "index.html" if relative.endswith("/") or relative == "" else file
            checked += 1
            if not file.is_file():
                broken.append(f"{page}: {link} -> missing {file.relative_to(root)}")
            elif (
                target.fragment
                and file.suffix == ".html"
                and unquote(target.fragment) not in ids(file)
            ):
                broken.append(
                    f"{page}: {link} -> no id {target.fragment!r} in {file.relative_to(root)}"
                )
    assert broken == []
    assert checked > 1000  # the check really walked the site
