"""The area index (socialvalue/areaindex.py, templates/assets/area-search.js): the filtered
search of a large site.

- the files hold, for each area, exactly the organisations `filter_areas` puts there, by word
  and by filter value, and the build writes the same bytes as `write_area_index`;
- the browser cuts words exactly as Python does;
- on a site taken for large (the page's threshold lowered to 0 pages: one attribute changed as
  the page is served, nothing else), a search with an area ticked finds what Pagefind finds,
  fetches nothing of Pagefind's index, shows hostile text as text and passes axe;
- `serve`'s update rewrites it (tests/site/test_incremental.py compares the whole live site
  with a full build).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import filecmp
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures import SAMPLE_REGISTER
from playwright.sync_api import Browser, Page, Route, expect
from site_support import BuiltSite, serve
from test_accessibility import violations

from socialvalue import areaindex
from socialvalue.areaindex import AREA_INDEX, key, search_filters, words, write_area_index
from socialvalue.lookups import RegisterView
from socialvalue.register.check import Passed, check

TODAY = dt.date(2026, 12, 1)


def _numbers(gaps: list[int]) -> list[int]:
    out, at = [], 0
    for gap in gaps:
        at += gap
        out.append(at)
    return out


def _read(
    root: Path,
) -> tuple[dict[int, dict[str, dict[int, int]]], dict[tuple[int, str, int], set[int]]]:
    """{area: {stem: {number: in_name}}} and {(area, filter, value): numbers} from the files."""
    meta = json.loads((root / "index.json").read_text(encoding="utf-8"))
    found: dict[int, dict[str, dict[int, int]]] = {}
    members: dict[tuple[int, str, int], set[int]] = {}
    for at in range(len(meta["areas"])):
        found[at] = {}
        for shard in sorted((root / str(at)).glob("w-*.json")):
            for stem, gaps in json.loads(shard.read_text(encoding="utf-8"))["w"].items():
                assert shard.name == f"w-{key(stem)}.json"
                found[at][stem] = {code >> 1: code & 1 for code in _numbers(gaps)}
        for name, values in meta["filters"].items():
            for i in range(len(values)):
                gaps = json.loads((root / str(at) / f"f-{name}-{i}.json").read_text())["n"]
                members[(at, name, i)] = set(_numbers(gaps))
    return found, members


def test_words_cut_as_search_js_does() -> None:
    assert words("Charities' SESSIONS, for buses & 11-19s!") == [
        "chariti",
        "session",
        "for",
        "buse",
        "11",
        "19s",  # no vowel before its s: kept
    ]
    # forms of one word meet, including a word part-typed
    for forms in (
        ["charity", "charities", "charitie"],
        ["family", "families", "famili", "familie"],
        ["volunteering", "volunteers", "volunteer"],
        ["run", "runs", "running"],
        ["church", "churches"],
        ["business", "businesses"],
    ):
        assert len({areaindex.stem(f) for f in forms}) == 1, forms
    assert [areaindex.stem(w) for w in ("cros", "being", "speed")] == ["cros", "being", "speed"]
    # accents, apostrophes, soft hyphens and zero-width spaces do not split or change a word
    assert words("Caf\u0065\u0301 CAF\u00c9 \u0130stanbul O\u2019Brien don't") == [
        "cafe",
        "cafe",
        "istanbul",
        "obrien",
        "dont",
    ]
    assert words("com\u00admunity com\u200bmunity a I") == ["communiti", "communiti"]
    assert words("well-being") == ["well", "being"]
    assert (
        words("well-being", joined=True)
        == ["well", "being", "wellbe"]
        == words("well-being wellbeing", joined=True)[:2] + words("wellbeing")
    )
    assert key("cafe") == "ca" and key("\u00dfa") == "_dfa" and key("x") == "x"


def test_the_files_hold_each_areas_organisations_by_word_and_filter(tmp_path: Path) -> None:
    checked = check(SAMPLE_REGISTER, TODAY)
    assert isinstance(checked, Passed)
    register, view = checked.register, RegisterView(checked.register)
    write_area_index(register, tmp_path / "areas")
    found, members = _read(tmp_path / "areas")

    filters = search_filters(register)
    want: dict[int, dict[str, dict[int, int]]] = {at: {} for at in range(len(register.areas))}
    want_members: dict[tuple[int, str, int], set[int]] = {
        (at, name, i): set()
        for at in want
        for name, values in filters.items()
        if name != "area"
        for i in range(len(values))
    }
    for number, org in enumerate(register.organisations):
        own = {
            "priority": [p.title for p in view.priorities_of(org)],
            "offer": view.offer_titles(org.offers),
            "type": ["Organisation"],
        }
        for area in view.filter_areas(org):
            at = register.areas.index(area)
            for stem in words(org.description, joined=True):
                want[at].setdefault(stem, {})[number] = 0
            for stem in words(org.name, joined=True):
                want[at].setdefault(stem, {})[number] = 1
            for name, values in own.items():
                for value in values:
                    want_members[(at, name, filters[name].index(value))].add(number)
    assert found == want
    assert members == want_members
    assert any(len(m) for m in members.values()) and any(len(w) > 5 for w in want.values())

    docs = json.loads((tmp_path / "areas" / "docs" / "d-0.json").read_text(encoding="utf-8"))
    first = register.organisations[0]
    assert docs["d"][0][:2] == [f"register/{first.id}/", first.name]
    meta = json.loads((tmp_path / "areas" / "index.json").read_text(encoding="utf-8"))
    versions = {json.loads(f.read_text(encoding="utf-8"))["v"] for f in tmp_path.rglob("*.json")}
    assert versions == {meta["v"]} and len(meta["v"]) == 16


def test_a_long_description_is_cut_after_a_word_and_says_so() -> None:
    long = "word " * 200
    cut = areaindex._excerpt_text(long)
    assert cut.endswith(" word \u2026") and len(cut) <= areaindex.TEXT_LIMIT + 2
    assert areaindex._excerpt_text("Short  and\n plain.") == "Short and plain."


def test_the_build_writes_the_same_index(sample_site: BuiltSite, tmp_path: Path) -> None:
    checked = check(SAMPLE_REGISTER, TODAY)
    assert isinstance(checked, Passed)
    write_area_index(checked.register, tmp_path / "areas")
    compared = filecmp.dircmp(tmp_path / "areas", sample_site.root / AREA_INDEX)
    assert not compared.left_only and not compared.right_only and not compared.diff_files
    assert compared.common_dirs and compared.common_files


# ---- In Chromium --------------------------------------------------------------------------------

TRICKY = [
    "Charities' SESSIONS, for buses & 11-19s!",
    "Caf\u0065\u0301 cr\u00e8che \u00c9T\u00c9 na\u00efve",
    "\u0130stanbul stra\u00dfe \u03a3\u039f\u03a3 \u0399\u03b1\u03c3\u03c9\u03bd",
    "emoji \U0001f600 x\U0001f600y under_score tab\there",
    "\u0661\u0662 arabic digits, \u00bd half, mixed-CASE, class, bus, is",
]


@pytest.mark.browser
@pytest.mark.slow
def test_the_browser_cuts_words_as_python_does(page: Page, sample_url: str) -> None:
    page.goto(sample_url + "search/")
    expect(page.locator("#sv-search[data-ready]")).to_be_attached()
    got = page.evaluate(
        "ts => ts.map(t => [svAreaSearch.words(t), svAreaSearch.words(t).map(svAreaSearch.key)])",
        TRICKY,
    )
    assert got == [[words(t), [key(w) for w in words(t)]] for t in TRICKY]


def as_large_site(page: Page) -> list[str]:
    """Serve the search page with its threshold at 0 pages; returns the URLs the page asks for."""

    def lower_threshold(route: Route) -> None:
        answer = route.fetch()
        body = answer.text().replace('id="sv-search"', 'id="sv-search" data-large-from="0"', 1)
        route.fulfill(response=answer, body=body)

    page.route(re.compile(r"/search/(\?.*)?$"), lower_threshold)
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    return asked


def all_results(page: Page, url: str) -> tuple[str, list[str]]:
    page.goto(url)
    expect(page.locator("#sv-search[data-ready]")).to_be_attached()
    status = page.locator("#sv-search-status")
    expect(status).to_contain_text(" in ")
    text = status.inner_text()
    count = 0 if text.startswith("No results") else int(text.split()[0])
    more = page.get_by_role("button", name="Show more results")
    shown = min(count, 10)
    expect(page.locator(".sv-results > li")).to_have_count(shown)
    while shown < count:
        more.click()
        shown = min(count, shown + 10)
        expect(page.locator(".sv-results > li")).to_have_count(shown)
    links = page.locator(".sv-results > li a.sv-list__title")
    return text, links.evaluate_all("links => links.map(a => new URL(a.href).pathname)")


@pytest.fixture
def fresh(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


QUERIES = [
    "q=sessions&area=Norwich",
    "q=sport+clubs&area=Breckland&area=Norwich",
    "q=famil&area=Broadland&priority=Reducing+harm",
    "q=volunteer&area=Great+Yarmouth&offer=Staff+time+and+volunteering&type=Organisation",
    "q=residents&area=North+Norfolk&type=Measure",
    "q=zzqx&area=Norwich",
    # forms of a word meet, as Pagefind's stems do (found by a review: these gave none)
    "q=running&area=Norwich",
    "q=families&area=Breckland",
    "q=famili&area=Breckland",
    "q=communities&area=Broadland",
    "q=volunteering&area=Norwich",
]


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("query", QUERIES)
def test_a_large_sites_area_search_finds_what_pagefind_finds(
    browser: Browser, big_url: str, query: str
) -> None:
    context = browser.new_context()
    try:
        pagefind_status, pagefind = all_results(context.new_page(), big_url + "search/?" + query)
        page = context.new_page()
        asked = as_large_site(page)
        status, found = all_results(page, big_url + "search/?" + query)
    finally:
        context.close()
    assert status == pagefind_status
    assert sorted(found) == sorted(pagefind)
    assert len(found) == len(set(found))
    assert any("/search/areas/" in u for u in asked)
    pagefind_index = [u for u in asked if re.search(r"/pagefind/.*\.pf_|wasm", u)]
    assert pagefind_index == []  # neither Pagefind's start (its meta, the wasm) nor its index


@pytest.mark.browser
@pytest.mark.slow
def test_hostile_text_stays_text(fresh: Page, fixture_site: BuiltSite) -> None:
    dialogs: list[str] = []
    fresh.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    as_large_site(fresh)
    with serve(fixture_site.root) as url:
        status, found = all_results(fresh, url + "search/?q=script&area=Great+Yarmouth")
        assert found == ["/register/sample-hostile-text/"]
        title = fresh.locator(".sv-results a.sv-list__title")
        expect(title).to_have_text("Sample Hostile <script>alert(1)</script> {{ 7*7 }}")
        assert fresh.locator(".sv-results script").count() == 0
        expect(fresh.locator(".sv-results mark").first).to_have_text("script")
        assert violations(fresh) == []
    assert dialogs == []
    assert status == "1 result for \u201cscript\u201d in Great Yarmouth"


@pytest.mark.browser
@pytest.mark.slow
def test_a_word_in_the_name_ranks_first(
    page: Page, sample_site: BuiltSite, sample_url: str
) -> None:
    found, _ = _read(sample_site.root / AREA_INDEX)
    meta = json.loads(sample_site.file(f"{AREA_INDEX}/index.json").read_text(encoding="utf-8"))
    mixed = [
        (at, stem, hits)
        for at, stems in found.items()
        for stem, hits in stems.items()
        if 0 in hits.values() and 1 in hits.values() and len(stem) > 3
    ]
    assert mixed, "the sample register has no word in one name and another description"
    page.goto(sample_url + "search/")
    expect(page.locator("#sv-search[data-ready]")).to_be_attached()
    for at, stem, hits in mixed:
        numbers = page.evaluate(
            "([base, term, area]) => new svAreaSearch.Index(base)"
            ".search(term, {area: {any: [area]}}).then(found => found.numbers)",
            [sample_url + AREA_INDEX + "/", stem, meta["areas"][at]],
        )
        named = sorted(n for n, in_name in hits.items() if in_name)
        assert numbers[: len(named)] == named, (stem, hits)
        assert set(numbers) >= set(hits)


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(
    "query", ["q=cafe&area=Norwich", "q=CAF%C3%89S&area=King%27s+Lynn+and+West+Norfolk"]
)
def test_accents_fold_as_pagefinds_do(browser: Browser, sample_url: str, query: str) -> None:
    context = browser.new_context()
    try:
        pagefind_status, pagefind = all_results(context.new_page(), sample_url + "search/?" + query)
        page = context.new_page()
        as_large_site(page)
        status, found = all_results(page, sample_url + "search/?" + query)
    finally:
        context.close()
    assert (status, sorted(found)) == (pagefind_status, sorted(pagefind))
    assert found  # the sample's cafés


@pytest.mark.browser
@pytest.mark.slow
def test_a_single_letter_asks_for_a_word_instead_of_searching(fresh: Page, sample_url: str) -> None:
    asked = as_large_site(fresh)
    fresh.goto(sample_url + "search/?q=a&area=Norwich")
    expect(fresh.locator("#sv-search-status")).to_have_text(
        "Type a word of two letters or more to search within these filters."
    )
    expect(fresh.locator(".sv-results > li")).to_have_count(0)
    assert not [u for u in asked if re.search(r"/pagefind/.*\.pf_|wasm", u)]


@pytest.mark.browser
@pytest.mark.slow
def test_an_index_rebuilt_while_the_page_is_open_never_mixes_two_builds(
    fresh: Page, sample_site: BuiltSite, tmp_path: Path
) -> None:
    """The review's case: every organisation renumbered (the first one gone) while a search
    page is open with the old index.json and docs files loaded."""
    root = tmp_path / "site"
    shutil.copytree(sample_site.root, root)
    checked = check(SAMPLE_REGISTER, TODAY)
    assert isinstance(checked, Passed)
    texts = {
        f"/register/{o.id}/": words(f"{o.name} {o.description}")
        for o in checked.register.organisations
    }

    def about(path: str, word: str) -> bool:  # the organisation at `path` has the word
        return any(w.startswith(areaindex.stem(word)) for w in texts[path])

    fewer = dataclasses.replace(checked.register, organisations=checked.register.organisations[1:])
    write_area_index(fewer, tmp_path / "new-areas")
    as_large_site(fresh)

    def shown() -> list[tuple[str, str]]:
        links = fresh.locator(".sv-results > li a.sv-list__title")
        return links.evaluate_all("ls => ls.map(a => [new URL(a.href).pathname, a.textContent])")

    with serve(root) as url:
        fresh.goto(url + "search/?q=community&area=Norwich")
        expect(fresh.locator(".sv-results > li").first).to_be_visible()
        assert all(about(path, "community") for path, _ in shown())
        shutil.rmtree(root / AREA_INDEX)
        (tmp_path / "new-areas").rename(root / AREA_INDEX)
        box = fresh.get_by_label("Search for")
        for word in ("care", "youth"):
            box.fill(word)
            expect(fresh.locator("#sv-search-status")).to_contain_text(f"\u201c{word}\u201d")
            expect(fresh.locator(".sv-results > li").first).to_be_visible()
            found = shown()
            assert found and all(about(path, word) for path, _ in found), found
