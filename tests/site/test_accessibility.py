"""axe-core (WCAG 2.2 AA and best practice) on every page type, at desktop and phone widths.

Failures are fixed in templates/overrides/, templates/assets/ or the page templates, never by
switching axe rules off.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect
from site_support import ROOT, BuiltSite

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
WIDTHS = {"desktop": 1280, "phone": 390}
AXE = Axe()


def _first(table: str, where: str = "", value: object = None) -> str:
    rows = yaml.safe_load((ROOT / "register" / f"{table}.yaml").read_text(encoding="utf-8"))
    return next(r["id"] for r in rows if not where or r.get(where) == value)


def _organisation(safeguarding: bool) -> str:
    for path in sorted((ROOT / "register" / "organisations").glob("*.yaml")):
        if (
            bool(yaml.safe_load(path.read_text(encoding="utf-8")).get("safeguarding"))
            == safeguarding
        ):
            return path.stem
    raise AssertionError(
        f"the sample register has no organisation with safeguarding={safeguarding}"
    )


def _content_pages() -> dict[str, str]:
    pages = {}
    for md in sorted((ROOT / "content").rglob("*.md")):
        url = md.relative_to(ROOT / "content").with_suffix("").as_posix()
        url = url.removesuffix("index").rstrip("/")
        pages[f"content:{url}"] = f"{url}/"
    return pages


def _named_contract() -> str:
    for path in sorted((ROOT / "register" / "contracts").glob("*.yaml")):
        if yaml.safe_load(path.read_text(encoding="utf-8")).get("named") is True:
            return path.stem
    raise AssertionError("the sample register has no contract whose supplier agreed to be named")


# name -> URL on the sample site (the search page is driven separately, with results shown)
PAGES = {
    "home": "",
    "priorities": "priorities/",
    "priority": f"priorities/{_first('priorities')}/",
    "measure": f"measures/{_first('measures')}/",
    "charter": "charter/",
    "register-index": "register/",
    "organisation": f"register/{_organisation(False)}/",
    "organisation-safeguarding": f"register/{_organisation(True)}/",
    "areas": "areas/",
    "area": f"areas/{_first('areas', 'kind', 'district')}/",
    "partners": "partners/",
    "signatories": "signatories/",
    "open-data": "open-data/",
    "contract": f"contracts/{_named_contract()}/",
    "ledger": "ledger/",
    "not-found": "404.html",
    **_content_pages(),
}


@pytest.fixture(scope="module", params=sorted(WIDTHS))
def sized_page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": WIDTHS[request.param], "height": 900})
    yield context.new_page()
    context.close()


def violations(page: Page) -> list[str]:
    result = AXE.run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in result.response["violations"]
    ]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_type_has_no_axe_violations(sized_page: Page, sample_url: str, name: str) -> None:
    sized_page.goto(sample_url + PAGES[name])
    assert violations(sized_page) == []


def test_register_page_two_has_no_axe_violations(sized_page: Page, big_url: str) -> None:
    sized_page.goto(big_url + "register/page/2/")
    expect(sized_page.locator("h1")).to_contain_text("page 2")
    assert violations(sized_page) == []


def test_search_with_results_and_filters_open_has_no_axe_violations(
    sized_page: Page, sample_url: str
) -> None:
    sized_page.goto(sample_url + "search/?q=youth")
    expect(sized_page.locator(".sv-results li").first).to_be_visible()
    filters = sized_page.locator("details.sv-filters")
    if not filters.evaluate("d => d.open"):
        filters.locator("summary").click()
    expect(sized_page.locator(".sv-filters fieldset").first).to_be_visible()
    sized_page.get_by_role("checkbox").first.check()
    expect(sized_page.locator("#sv-search-status")).to_contain_text(" in ")
    assert violations(sized_page) == []


def test_every_other_top_level_page_has_no_axe_violations(
    sized_page: Page, sample_site: BuiltSite, sample_url: str
) -> None:
    """Pages other parts of the project add (the intake forms, the matcher): their first page."""
    known = {url.split("/")[0] for url in PAGES.values()} | {"search", "assets", "pagefind", "data"}
    others = sorted(
        p.name
        for p in sample_site.root.iterdir()
        if p.is_dir() and p.name not in known and (p / "index.html").is_file()
    )
    found = {}
    for name in others:
        sized_page.goto(f"{sample_url}{name}/")
        found[name] = violations(sized_page)
    assert {name: v for name, v in found.items() if v} == {}
