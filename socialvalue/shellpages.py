"""Shell pages: the engine renders one page of each generated page type, Python stamps the rest.

The docs tree (socialvalue/pages.py) holds every page as Markdown, for any engine. Most of its
pages are generated, and all the pages of one type differ only in their title, description, body
and folder names: the engine's HTML around them is the same. So `plan` groups the generated pages
by type, and `engine_tree` gives the engine a docs tree holding every other file (hard links) and
ONE shell page per type, whose title, description, body and varying folder names are placeholder
words. After the engine, `stamp` writes each page of a type from its shell's HTML with the
page's own values put in, exactly as the engine would have printed them (they are already
escaped: the body by Jinja's autoescape, the title and description by `pages._front`, which the
engine prints raw), and `write_sitemap` lists the stamped pages in the engine's sitemap, in the
engine's order. tests/site/test_shellpages.py builds a register both ways and compares every byte.

A page is stamped only when all of this holds, otherwise the engine renders it as before: it is a
generated page (its body is one `<!--sv-html` comment), it is `index.md` in a folder whose names
are plain slugs, `nav` does not list it without a title of its own (the engine would print its
title in every page's nav), and its title and description are one-line JSON strings of printable
characters. Its type is its first folder, its depth, the rest of its front matter and whether its
body has a heading of its own; a page alone in its type is its own shell, at its own place.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any

from .halves import in_two, map_in_two
from .searchtree import cut

MARK = "<!--sv-html\n"
END = "sv-html-->\n"
TITLE, DESCRIPTION, BODY = "svshelltitlex", "svshelldescx", "svshellbodyx"
_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*")


def _segment(n: int) -> str:
    return f"svshellp{n}x"


@dataclass
class Page:
    rel: str  # path in the docs tree, e.g. "register/some-org/index.md"
    title: str | None
    description: str | None
    body: str


@dataclass
class PageType:
    pages: list[str] = field(default_factory=list)
    shell: str = ""  # the shell's path in the engine's docs tree, placeholders for folder names
    has_heading: bool = False
    pieces: list[str] = field(default_factory=list)  # the shell's HTML cut at its placeholders


@dataclass
class Plan:
    types: list[PageType]
    stamped: set[str]
    sources: list[str]  # every Markdown page of the docs tree


def _string(raw: str) -> str | None:
    """A front-matter value the build wrote with `_front` (a JSON string), or None if unsure."""
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(value, str) or not all(c.isprintable() for c in value):
        return None  # YAML would read some characters (line separators) differently
    return value


def read_page(path: Path, rel: str) -> tuple[Page, str] | None:
    """A generated page and its type's front matter (without title and description), or None."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return None
    front, sep, body = text[4:].partition("---\n")
    if not sep or not body.startswith(MARK) or not body.endswith(END):
        return None
    values: dict[str, str | None] = {"title": None, "description": None}
    rest = []
    for line in front.splitlines():
        key, _, raw = line.partition(": ")
        if key in values:
            value = _string(raw)
            if value is None:
                return None
            values[key] = value
        else:
            rest.append(line)
    page = Page(rel, values["title"], values["description"], body[len(MARK) : -len(END)])
    kind = [values["title"] is not None, values["description"] is not None, rest]
    return page, json.dumps(kind)


def _untitled(nav: Any) -> set[str]:
    """Pages `nav` lists without a title of their own: the engine would print theirs in the nav
    of every page, so they are never stamped."""
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, dict):
        return set().union(*(_untitled(v) for v in nav.values() if not isinstance(v, str)))
    if isinstance(nav, list):
        return set().union(*(_untitled(v) for v in nav))
    return set()


def _candidate(rel: PurePosixPath, nav: set[str]) -> bool:
    parts = rel.parts
    return (
        parts[-1] == "index.md"
        and all(_SLUG.fullmatch(p) for p in parts[:-1])
        and rel.as_posix() not in nav
    )


def _kind_of(docs: Path, source: str) -> tuple[str, bool] | None:
    """A page's type (its other front matter) and whether it has a heading; None: not stamped."""
    read = read_page(docs / source, source)
    return None if read is None else (read[1], "<h1" in read[0].body)


def plan(docs: Path, nav: Any) -> Plan:
    """Group the docs tree's generated pages by type; only types of two pages or more."""
    in_nav, groups = _untitled(nav), dict[str, PageType]()
    sources = sorted(path.relative_to(docs).as_posix() for path in docs.rglob("*.md"))
    candidates = [s for s in sources if _candidate(PurePosixPath(s), in_nav)]
    for source, found in zip(
        candidates, map_in_two(partial(_kind_of, docs), candidates), strict=True
    ):
        if found is None:
            continue
        kind, heading = found
        rel = PurePosixPath(source)
        key = json.dumps([rel.parts[0], len(rel.parts), kind, heading])
        group = groups.setdefault(key, PageType(has_heading=heading))
        group.pages.append(source)
    types = list(groups.values())
    for g in types:
        parts = PurePosixPath(g.pages[0]).parts
        middle = [_segment(n) for n in range(1, len(parts) - 1)]
        many = len(g.pages) > 1  # a page alone is its own shell, at its own place
        g.shell = "/".join([parts[0], *middle, "index.md"]) if many else g.pages[0]
    return Plan(types, {rel for g in types for rel in g.pages}, sources)


def _shell_markdown(docs: Path, group: PageType) -> str:
    """The first page of the type with placeholder words for its title, description and body."""
    text = (docs / group.pages[0]).read_text(encoding="utf-8")
    words = {"title": TITLE, "description": DESCRIPTION}
    lines = []
    for line in text[4:].partition("---\n")[0].splitlines():
        key = line.partition(": ")[0]
        lines.append(f"{key}: {json.dumps(words[key])}" if key in words else line)
    body = BODY + ("<h1" if group.has_heading else "")
    return "---\n" + "\n".join(lines) + "\n---\n" + MARK + body + END


def engine_tree(docs: Path, engine_docs: Path, built: Plan) -> None:
    """The engine's docs tree: every file of `docs` but the stamped pages (hard links), and the
    shell of each page type."""
    for folder, _dirs, files in os.walk(docs):
        here = Path(folder)
        rel_dir = here.relative_to(docs)
        for name in files:
            rel = (rel_dir / name).as_posix()
            if rel in built.stamped:
                continue
            target = engine_docs / rel_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(here / name, target)
            except OSError:
                shutil.copy2(here / name, target)
    for group in built.types:
        shell = engine_docs / group.shell
        shell.parent.mkdir(parents=True, exist_ok=True)
        shell.write_text(_shell_markdown(docs, group), encoding="utf-8")


# --- After the engine ---------------------------------------------------------------------------

_WORDS = re.compile(r"(svshell(?:titlex|descx|bodyx(?:<h1)?|p[0-9]+x))")


def _html(site: Path, rel: str) -> Path:
    return site / PurePosixPath(rel).parent / "index.html"


def _fill(pieces: list[str], page: Page) -> str:
    """The shell's HTML pieces (odd ones are placeholder words) with the page's values put in."""
    parts = PurePosixPath(page.rel).parts
    out = []
    for n, piece in enumerate(pieces):
        if n % 2 == 0:
            out.append(piece)
        elif piece == TITLE:
            out.append(page.title or "")
        elif piece == DESCRIPTION:
            out.append(page.description or "")
        elif piece.startswith(BODY):
            out.append(page.body)
        else:
            out.append(parts[int(piece[len("svshellp") : -1])])
    return "".join(out)


def page_html(docs: Path, group: PageType, rel: str) -> str:
    """One page's HTML from its type's shell (`group.pieces`)."""
    read = read_page(docs / rel, rel)
    if read is None:
        raise ValueError(f"{rel} is no longer a page of its type")
    return _fill(group.pieces, read[0])


def html_path(site: Path, rel: str) -> Path:
    """Where the engine writes the page `rel` of the docs tree (folder URLs)."""
    return _html(site, rel)


def read_shells(site: Path, built: Plan) -> None:
    """Keep each type's shell HTML in pieces (`page_html` fills them in); remove the shells."""
    for group in built.types:
        group.pieces = _WORDS.split(_html(site, group.shell).read_text(encoding="utf-8"))
    for group in built.types:  # types at several depths of one folder share a shells' folder
        if group.shell not in group.pages:
            shutil.rmtree(site.joinpath(*PurePosixPath(group.shell).parts[:2]), ignore_errors=True)


def _each_page(built: Plan, write: Callable[[PageType, str], None]) -> None:
    def share(pages: Sequence[tuple[PageType, str]]) -> None:
        for group, rel in pages:
            write(group, rel)

    in_two([(group, rel) for group in built.types for rel in group.pages], share)  # both cores


def write_stamped(docs: Path, site: Path, built: Plan) -> None:
    """Write every page of each type from its shell's pieces (`read_shells` first)."""

    def write(group: PageType, rel: str) -> None:
        target = _html(site, rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page_html(docs, group, rel), encoding="utf-8")

    _each_page(built, write)


def write_cut(docs: Path, built: Plan, search_tree: Path) -> None:
    """Write every page of each type into `search_tree` as Pagefind reads it
    (socialvalue/searchtree.py), before the pages themselves, so Pagefind can start sooner;
    `read_shells` first. A page that cannot be placed raises here, before the pages are written.
    Each page is filled in twice (here, and by `write_stamped` beside Pagefind): holding 100,000
    pages to write once would cost more memory than the filling costs time."""

    def write(group: PageType, rel: str) -> None:
        if (small := cut(page_html(docs, group, rel))) is not None:
            target = _html(search_tree, rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(small, encoding="utf-8")

    _each_page(built, write)


def stamp(docs: Path, site: Path, built: Plan) -> None:
    """Write every page of each type from its shell's HTML; remove the shells."""
    read_shells(site, built)
    write_stamped(docs, site, built)


_URL = re.compile(r"    <url>\n         <loc>([^<]*)</loc>\n.*?</url>\n", re.S)


def _sort_key(rel: str) -> tuple[tuple[str, ...], bool, str]:
    """The engine's order of pages (mkdocs `file_sort_key`): folder, its index first, name."""
    parts = PurePosixPath(rel).parts
    return parts[:-1], PurePosixPath(rel).stem not in ("index", "README"), parts[-1]


def _url(rel: str) -> str:
    path = PurePosixPath(rel)
    folder = "" if path.parent == PurePosixPath(".") else path.parent.as_posix() + "/"
    return folder if path.stem in ("index", "README") else f"{folder}{path.stem}/"


def write_sitemap(site: Path, built: Plan, site_url: str) -> None:
    """The engine's sitemap.xml (and .gz) with the stamped pages in their place, same format."""
    path = site / "sitemap.xml"
    text = path.read_text(encoding="utf-8")
    entries = {m.group(1): m.group(0) for m in _URL.finditer(text)}
    first, last = _URL.search(text), list(_URL.finditer(text))[-1]
    assert first is not None
    prefix = site_url.rstrip("/") + "/"
    shells = {id(group): entries.pop(prefix + _url(group.shell)) for group in built.types}
    of_type = {rel: group for group in built.types for rel in group.pages}
    blocks = []
    for rel in sorted(built.sources, key=_sort_key):
        kind = of_type.get(rel)
        if kind is None:
            blocks.append(entries.pop(prefix + _url(rel)))
            continue
        pieces = _WORDS.split(shells[id(kind)])
        blocks.append(_fill(pieces, Page(rel, None, None, "")))
    if entries:
        raise ValueError(f"the engine's sitemap lists pages not in the docs tree: {list(entries)}")
    new = text[: first.start()] + "".join(blocks) + text[last.end() :]
    path.write_text(new, encoding="utf-8")
    gz = site / "sitemap.xml.gz"
    mtime = int.from_bytes(gz.read_bytes()[4:8], "little")
    with (
        open(gz, "wb") as f,
        gzip.GzipFile(fileobj=f, filename=str(gz), mode="wb", mtime=mtime) as z,
    ):
        z.write(new.encode("utf-8"))
