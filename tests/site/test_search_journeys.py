"""Search journeys that work the first time, in Debian's Chromium at phone and desktop widths.

- a misspelt word ("yoth") suggests the site's own nearest words, and links to the finder and
  the register; the suggestion runs the search again;
- an organisation that works county-wide is found under a district's filter, in search and from
  the register's filter form (the rule of `RegisterView.filter_areas` and the opportunity pages);
- excerpts never run a label into its value ("AreasNorwich");
- no filter count reads "(0)".

Every wait is on a locator or a condition, never a sleep.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Browser, Page, expect
from site_support import BuiltSite
from test_accessibility import violations  # axe-core, with the suite's WCAG 2.2 AA tags

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDTHS = [390, 1280]
COUNTY_WIDE = "next-chapter-care-leavers-network"  # areas: [norfolk] in the sample register


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def sized(request: pytest.FixtureRequest, browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": request.param, "height": 900})
    request.addfinalizer(context.close)
    return context.new_page()


def ready(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("#sv-search[data-ready]")).to_be_attached()


def open_filters(page: Page) -> None:
    filters = page.locator("details.sv-filters")
    if not filters.evaluate("d => d.open"):
        filters.locator("summary").click()


def test_a_misspelt_word_suggests_the_sites_own_words_and_other_ways_in(
    sized: Page, sample_url: str
) -> None:
    ready(sized, sample_url + "search/?q=yoth")
    expect(sized.locator("#sv-search-status")).to_have_text("No results for \u201cyoth\u201d")
    help_box = sized.locator(".sv-search-help")
    expect(help_box).to_be_visible()
    suggestion = help_box.get_by_role("link", name="youth", exact=True)
    expect(suggestion).to_be_visible()
    finder = help_box.get_by_role("link", name="find opportunities by area and kind of help")
    register = help_box.get_by_role("link", name="browse the register from A to Z")
    assert finder.evaluate("a => new URL(a.href).pathname") == "/match/"
    assert register.evaluate("a => new URL(a.href).pathname") == "/register/"

    suggestion.click()
    expect(sized.locator("#sv-search-status")).to_contain_text("for \u201cyouth\u201d")
    expect(sized.locator(".sv-results > li").first).to_be_visible()
    expect(help_box).to_be_hidden()
    expect(sized.get_by_label("Search for")).to_have_value("youth")
    assert "q=youth" in sized.url


def test_the_word_list_is_the_registers_vocabulary(sample_site: BuiltSite) -> None:
    words = json.loads(sample_site.file("search/words.json").read_text(encoding="utf-8"))
    assert words == sorted(set(words))
    assert {"youth", "norwich", "breckland", "volunteering"} <= set(words)
    assert "and" not in words and "the" not in words


def result_paths(page: Page) -> list[str]:
    links = page.locator(".sv-results > li a")
    return links.evaluate_all("links => links.map(a => new URL(a.href).pathname)")


def test_a_county_wide_organisation_is_found_under_a_district_in_search(
    sized: Page, sample_site: BuiltSite, sample_url: str
) -> None:
    assert sample_site.organisations()[COUNTY_WIDE]["areas"] == ["norfolk"]
    ready(sized, sample_url + "search/?q=care+leavers&area=Norwich")
    expect(sized.locator("#sv-search-status")).to_contain_text("in Norwich")
    expect(sized.locator(".sv-results > li").first).to_be_visible()
    assert f"/register/{COUNTY_WIDE}/" in result_paths(sized)


def test_a_county_wide_organisation_is_found_from_the_register_filter(
    page: Page, sample_url: str
) -> None:
    page.goto(sample_url + "register/")
    form = page.get_by_role("search", name="Filter the register")
    form.get_by_label("Area").select_option("Breckland")
    form.get_by_role("button", name="Show organisations").click()
    expect(page).to_have_url(re.compile(r"/search/\?area=Breckland"))
    status = page.locator("#sv-search-status")
    expect(status).to_contain_text("in Breckland, Organisation")
    count = int(status.inner_text().split()[0])
    more = page.get_by_role("button", name="Show more results")
    expect(page.locator(".sv-results > li")).to_have_count(min(count, 10))
    while more.is_visible():
        shown = page.locator(".sv-results > li").count()
        more.click()
        expect(page.locator(".sv-results > li")).to_have_count(min(count, shown + 10))
    assert f"/register/{COUNTY_WIDE}/" in result_paths(page)


def test_the_county_wide_rule_is_the_same_on_the_organisation_page(sample_site: BuiltSite) -> None:
    soup = sample_site.soup(f"register/{COUNTY_WIDE}/")
    areas = {
        s["data-pagefind-filter"].split(":", 1)[1]
        for s in soup.select("[data-pagefind-filter^='area:']")
    }
    assert areas == {a["name"] for a in sample_site.table("areas")}
    local = sample_site.soup("register/riverside-arches-youth-hub/")
    assert [s["data-pagefind-filter"] for s in local.select("[data-pagefind-filter^='area:']")] == [
        "area:Norwich"
    ]


def test_excerpts_keep_labels_apart_and_counts_never_read_zero(
    sized: Page, sample_url: str
) -> None:
    ready(sized, sample_url + "search/?q=norwich")
    expect(sized.locator(".sv-results > li").first).to_be_visible()
    excerpts = sized.locator(".sv-results .sv-list__text").all_inner_texts()
    joined = re.compile(r"(Areas served|Based in|Address|Organisation identifier)[A-Z0-9]")
    assert excerpts and not [e for e in excerpts if joined.search(e)], excerpts
    assert not [e for e in excerpts if "Suggest a change" in e or "Pledge" in e], excerpts

    open_filters(sized)
    sized.get_by_role("group", name="Area").get_by_label(re.compile("^Breckland ")).check()
    expect(sized.locator("#sv-search-status")).to_contain_text("in Breckland")
    counts = sized.locator(".sv-filters__count")
    expect(counts.filter(has_text=re.compile(r"\(\d+\)")).first).to_be_attached()
    texts = counts.all_inner_texts()
    assert "(0)" not in texts, texts
    assert "(none)" in texts or all(re.fullmatch(r"\(\d+\)|", t) for t in texts), texts
    # another district counts what choosing it would add, not what is also in Breckland
    norwich = sized.locator(".sv-filters__count[data-filter='area'][data-value='Norwich']")
    expect(norwich).to_have_text(re.compile(r"\([1-9]\d*\)"))


def test_no_results_with_suggestions_and_counts_shown_has_no_axe_violations(
    sized: Page, sample_url: str
) -> None:
    ready(sized, sample_url + "search/?q=yoth")
    expect(sized.locator(".sv-search-help a").first).to_be_visible()
    assert violations(sized) == []
    ready(sized, sample_url + "search/?q=youth&area=Breckland")
    open_filters(sized)
    expect(sized.locator(".sv-filters__count", has_text="none").first).to_be_visible()
    assert violations(sized) == []


def test_the_last_show_more_by_keyboard_leaves_focus_on_the_new_results(
    page: Page, big_url: str
) -> None:
    ready(page, big_url + "search/?q=sample&area=Norwich")
    status = page.locator("#sv-search-status")
    expect(status).to_contain_text("in Norwich")
    count = int(status.inner_text().split()[0])
    assert count > 10
    more = page.get_by_role("button", name="Show more results")
    shown = 10
    while shown < count:
        expect(page.locator(".sv-results > li")).to_have_count(shown)
        more.focus()
        page.keyboard.press("Enter")
        shown = min(count, shown + 10)
    expect(page.locator(".sv-results > li")).to_have_count(count)
    expect(more).to_be_hidden()
    first_of_last = page.locator(".sv-results > li").nth((count - 1) // 10 * 10).locator("a")
    expect(first_of_last).to_be_focused()
