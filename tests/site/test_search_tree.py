"""Pagefind reads pages cut to their head and `data-pagefind-body` element (searchtree.py): the
index must be the one the whole pages give, byte for byte, hostile entry included."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from site_support import BuiltSite, tree_digest

from socialvalue.searchtree import cut
from socialvalue.site import _run_pagefind

pytestmark = pytest.mark.slow


def test_the_index_from_cut_pages_is_the_index_of_whole_pages(
    fixture_site: BuiltSite, tmp_path: Path
) -> None:
    whole = shutil.copytree(fixture_site.root, tmp_path / "site")
    shutil.rmtree(whole / "pagefind")
    _run_pagefind(whole, tmp_path / "index")  # the whole pages, as Pagefind read them before

    built = tree_digest(fixture_site.root / "pagefind")
    assert tree_digest(tmp_path / "index") == built
    assert any(name.startswith("fragment/") for name in built)


def test_a_page_is_cut_at_the_tag_not_at_text_that_names_it() -> None:
    page = (
        '<html lang="en-GB"><head><title>T</title>'
        '<meta name="description" content="data-pagefind-body"></head>'
        "<body><header>menu</header><p>we say &lt;div data-pagefind-body&gt; here</p>"
        '<article class="md-content" data-pagefind-body>Text</article><footer>f</footer>'
        "</body></html>"
    )

    small = cut(page)

    assert small is not None
    assert small.startswith('<html lang="en-GB"><head><title>T</title>')
    assert "menu" not in small and "we say" not in small
    assert '<article class="md-content" data-pagefind-body>Text</article>' in small


def test_a_page_without_the_attribute_is_left_out() -> None:
    assert cut("<html><head></head><body><p>data-pagefind-body</p></body></html>") is None
