"""The site in Debian's Chromium: search, keyboard use, and browsing without JavaScript.

Every wait is on a locator or a condition, never a sleep.
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect
from site_support import BuiltSite

pytestmark = [pytest.mark.browser, pytest.mark.slow]

RESULTS_PER_PAGE = 10  # search.js's PAGE
ORG_PAGE = re.compile(r"/register/(?!page/)([a-z0-9-]+)/$")


def shown_count(page: Page) -> int:
    """The result count the page announces, once the first page of results is in the list."""
    count = int(page.locator("#sv-search-status").inner_text().split()[0])
    expect(page.locator(".sv-results > li")).to_have_count(min(count, RESULTS_PER_PAGE))
    return count


def area_names(site: BuiltSite) -> dict[str, str]:
    return {a["id"]: a["name"] for a in site.table("areas")}


def test_search_filter_by_area_then_open_an_organisation(
    page: Page, sample_site: BuiltSite, sample_url: str
) -> None:
    orgs = sample_site.organisations()
    page.goto(sample_url + "search/")
    box = page.get_by_label("Search for")
    expect(page.locator("#sv-search[data-ready]")).to_be_attached()
    box.press_sequentially("youth")
    status = page.locator("#sv-search-status")
    expect(status).to_contain_text("for \u201cyouth\u201d")
    everywhere = shown_count(page)

    norwich = area_names(sample_site)["norwich"]
    page.get_by_role("group", name="Area").get_by_label(re.compile(f"^{norwich} ")).check()
    expect(status).to_contain_text(f"in {norwich}")
    assert 0 < shown_count(page) < everywhere
    links = page.locator(".sv-results > li a")
    hrefs = links.evaluate_all("links => links.map(a => new URL(a.href).pathname)")
    ids = [m.group(1) for href in hrefs if (m := ORG_PAGE.search(href))]
    assert len(ids) == len(hrefs), hrefs  # only organisations carry an area
    # in Norwich, or county-wide (found under every district: RegisterView.filter_areas)
    assert all({"norwich", "norfolk"} & set(orgs[i]["areas"]) for i in ids), ids
    assert "area=Norwich" in page.url and "q=youth" in page.url  # the state can be shared

    first = links.first
    name = first.inner_text()
    first.click()
    expect(page).to_have_url(re.compile(r"/register/[a-z0-9-]+/$"))
    expect(page.locator("h1")).to_have_text(name)


def test_header_search_opens_the_search_page_with_results(page: Page, sample_url: str) -> None:
    page.goto(sample_url + "charter/")
    page.get_by_role("search", name="Site").get_by_role("searchbox").fill("charter")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=charter$"))
    expect(page.locator("#sv-search-status")).to_contain_text("for \u201ccharter\u201d")
    expect(page.locator(".sv-results > li").first).to_be_visible()
    expect(page.get_by_label("Search for")).to_have_value("charter")


FOCUS_STYLE = """() => {
  const el = document.activeElement, style = getComputedStyle(el), box = el.getBoundingClientRect();
  return {cls: el.className, id: el.id, tag: el.tagName, text: el.textContent.trim().slice(0, 40),
          visible: ((style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) ||
                    style.boxShadow !== "none") && box.right > 0 && box.left < window.innerWidth};
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_keyboard_reaches_skip_link_then_header_search_with_visible_focus(
    browser: Browser, sample_url: str, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(sample_url + "register/")
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUS_STYLE)
    assert "md-skip" in focused["cls"] and focused["visible"], focused
    seen = []
    for _ in range(6):  # (on a phone, the menu button comes first)
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_STYLE)
        seen.append(focused)
        if focused["id"] == "sv-search-q":
            break
    assert seen[-1]["id"] == "sv-search-q", seen
    assert all(f["visible"] for f in seen), seen
    for _ in range(25):  # and on through the page: every stop shows where the focus is
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_STYLE)
        assert focused["visible"], focused
    context.close()


def test_phone_menu_opens_from_the_keyboard(browser: Browser, sample_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto(sample_url)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_focused()
    expect(menu).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    priorities = page.locator(".md-sidebar--primary").get_by_role(
        "link", name="Priorities", exact=True
    )
    expect(priorities).to_be_visible()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Priorities":
            break
    focused = page.evaluate(FOCUS_STYLE)
    assert focused["text"] == "Priorities" and focused["visible"], focused
    context.close()


def test_skip_link_moves_focus_to_the_main_content(page: Page, sample_url: str) -> None:
    page.goto(sample_url)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_without_javascript_the_register_and_area_pages_reach_every_organisation(
    browser: Browser, big_site: BuiltSite, big_url: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    browse = re.compile(r"/(register/(page/\d+/)?|areas/([a-z0-9-]+/)?)$")
    queue, visited, reached = deque([big_url + "register/"]), set(), set()
    while queue:
        url = queue.popleft()
        if url in visited:
            continue
        visited.add(url)
        response = page.goto(url)
        assert response is not None and response.ok, url
        for href in page.locator("article a[href]").evaluate_all("as => as.map(a => a.href)"):
            target = urljoin(url, href).split("#")[0]
            path = urlsplit(target).path
            if (m := ORG_PAGE.search(path)) and target.startswith(big_url):
                reached.add(m.group(1))
            elif browse.search(path) and target.startswith(big_url):
                queue.append(target)
    context.close()
    assert any("/register/page/2/" in v for v in visited)
    assert reached == set(big_site.organisations())
    assert all(big_site.file(f"register/{i}/").is_file() for i in reached)
