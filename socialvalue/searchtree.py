"""What Pagefind reads: each indexed page cut down to its `<head>` and its `data-pagefind-body`
element, in a tree beside the site with the same paths.

Pagefind indexes only the `data-pagefind-body` element of a page (and the title and metadata in
its head), but it parses the whole page first: the theme's header, navigation and footer were
half of its time and memory. The index made from the cut tree is the same, byte for byte
(`tests/site/test_search_tree.py` compares the two on the fixture site).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from pathlib import Path

from .halves import in_two

# The opening tag that carries the attribute: `<` then the tag name, then attributes with no
# `<` or `>` between (text and attribute values in the body are escaped, so hold neither).
_ATTRIBUTE = "data-pagefind-body"
_BODY = re.compile(r"<[A-Za-z][^<>]*?\sdata-pagefind-body[\s=>/]")


def cut(html: str) -> str | None:
    """The page as Pagefind needs it, or None for a page Pagefind would not index."""
    head_end = html.find("</head>")
    if head_end < 0:
        return html  # not a page this module understands: Pagefind gets all of it
    at = head_end
    while (at := html.find(_ATTRIBUTE, at + 1)) >= 0:  # str.find, then the tag around it
        start = html.rfind("<", head_end, at)
        found = _BODY.match(html, start) if start > html.rfind(">", head_end, at) else None
        if found is not None and found.end() - 1 == at + len(_ATTRIBUTE):
            return html[: head_end + len("</head>")] + "\n<body>\n" + html[start:]
    return None


def write_search_tree(site: Path, tree: Path, done: Collection[Path] = ()) -> Path:
    """Write the cut pages of `site` into `tree`, but for those in `done` (written there by the
    stamping already); returns the folder Pagefind should read (`site` itself if no page has
    the attribute, since Pagefind then indexes whole pages)."""
    skip = set(done)
    pages = sorted(page for page in site.rglob("*.html") if page not in skip)

    def write(share: Sequence[Path]) -> None:
        for page in share:
            small = cut(page.read_text(encoding="utf-8"))
            if small is None:
                continue
            target = tree / page.relative_to(site)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(small, encoding="utf-8")

    in_two(pages, write)
    return tree if tree.is_dir() else site
