"""Shell pages (socialvalue/shellpages.py): stamped pages are the engine's own, byte for byte.

The fixture register (with its hostile entry: markup, quotes, ampersands, braces in names and
descriptions) is built twice in this process, once with the engine rendering every page and once
with one shell page per type and the rest stamped; every file of the two sites must be the same
bytes, the sitemaps included. A stamping that misses a value, escapes it differently or lists the
pages in another order fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures import REPO, TODAY

from socialvalue.register.check import Passed, check
from socialvalue.shellpages import plan, stamp
from socialvalue.site import SitePaths, build_site


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def both_sites(
    fixture_register: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path]:
    checked = check(fixture_register, TODAY, REPO / "content")
    assert isinstance(checked, Passed)
    root = tmp_path_factory.mktemp("shells")
    build_site(SitePaths(fixture_register, root / "engine", REPO), checked, shell_pages=False)
    build_site(SitePaths(fixture_register, root / "stamped", REPO), checked, shell_pages=True)
    return root / "engine", root / "stamped"


def test_every_file_is_the_same_bytes(both_sites: tuple[Path, Path]) -> None:
    engine, stamped = (_files(site) for site in both_sites)
    assert sorted(engine) == sorted(stamped)
    different = [name for name in engine if engine[name] != stamped[name]]
    assert different == []


def test_the_stamped_pages_cover_each_generated_page_type(both_sites: tuple[Path, Path]) -> None:
    engine, _ = both_sites
    stamped = _files(engine)
    assert "register/sample-hostile-text/index.html" in stamped
    sitemap = (engine / "sitemap.xml").read_text(encoding="utf-8")
    assert "/register/sample-hostile-text/</loc>" in sitemap
    assert "svshell" not in sitemap


def test_pages_of_a_type_are_planned_from_the_docs_tree(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    page = (
        '---\ntitle: "{t}"\ndescription: "D &amp; d"\n---\n<!--sv-html\n<h1>{t}</h1>\nsv-html-->\n'
    )
    for name in ("a", "b", "c"):
        (docs / "kind" / name).mkdir(parents=True)
        (docs / "kind" / name / "index.md").write_text(page.format(t=name), encoding="utf-8")
    (docs / "kind" / "c" / "index.md").write_text(page.format(t="c\u2028"), encoding="utf-8")
    (docs / "kind" / "index.md").write_text(page.format(t="list"), encoding="utf-8")
    built = plan(docs, [{"Kinds": "kind/index.md"}])
    assert [g.pages for g in built.types] == [
        ["kind/a/index.md", "kind/b/index.md"],
        ["kind/index.md"],
    ]
    assert [g.shell for g in built.types] == ["kind/svshellp1x/index.md", "kind/index.md"]
    untitled = plan(docs, ["kind/index.md"])  # the engine prints its title in every page's nav
    assert [g.pages for g in untitled.types] == [["kind/a/index.md", "kind/b/index.md"]]


def test_types_at_two_depths_of_one_folder_are_both_stamped(tmp_path: Path) -> None:
    docs, site = tmp_path / "docs", tmp_path / "site"
    page = '---\ntitle: "{t}"\n---\n<!--sv-html\n<p>{t}</p>\nsv-html-->\n'
    for rel in ("kind/a", "kind/b", "kind/a/more", "kind/b/more"):
        (docs / rel).mkdir(parents=True, exist_ok=True)
        (docs / rel / "index.md").write_text(page.format(t=rel), encoding="utf-8")
    built = plan(docs, [])
    for group in built.types:  # what the engine would write: the shell's words in some HTML
        shell = site / group.shell.removesuffix("index.md") / "index.html"
        shell.parent.mkdir(parents=True, exist_ok=True)
        shell.write_text("<title>svshelltitlex</title>svshellbodyx", encoding="utf-8")
    stamp(docs, site, built)
    html = (site / "kind/b/more/index.html").read_text(encoding="utf-8")
    assert html == "<title>kind/b/more</title><p>kind/b/more</p>\n"
    assert sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("*.html")) == [
        "kind/a",
        "kind/a/more",
        "kind/b",
        "kind/b/more",
    ]
