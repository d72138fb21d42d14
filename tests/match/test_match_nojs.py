"""Without JavaScript: the finder links to pre-rendered opportunity pages, ranked by the same
`match()`, and the threshold page still explains the rule with a table of the settings' figures."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from socialvalue.match import Profile, match
from socialvalue.register.model import Register

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_finder_links_to_every_opportunity_page(
    nojs_page: Page, sample_url: str, sample_register: Register
) -> None:
    page = nojs_page
    page.goto(sample_url + "match/")
    expect(page.locator(".svm-nojs")).to_be_visible()
    expect(page.locator("#svm-form")).to_be_hidden()
    links = page.locator(".svm-browse a")
    expect(links).to_have_count(len(sample_register.areas) * len(sample_register.offer_types))
    section = page.locator("#offer-volunteering + ul")
    section.get_by_role("link", name="Great Yarmouth").click()
    expect(page.locator("h1")).to_have_text(
        "Staff time and volunteering: opportunities in Great Yarmouth"
    )
    expected = match(Profile(("volunteering",), ("great-yarmouth",)), sample_register)
    shown = page.locator("ol.svm-list > li")
    expect(shown).to_have_count(len(expected))
    expect(shown.locator(".sv-list__title")).to_have_text([o.organisation.name for o in expected])
    expect(shown.locator(".svm-why")).to_have_text([f"Why it matched: {o.why}" for o in expected])


def test_area_and_measure_pages_link_to_opportunities(nojs_page: Page, sample_url: str) -> None:
    page = nojs_page
    page.goto(sample_url + "areas/norwich/")
    page.get_by_role("link", name="Donations and sponsorship").click()
    expect(page.locator("h1")).to_have_text("Donations and sponsorship: opportunities in Norwich")
    page.goto(sample_url + "measures/pc-safe-spaces/")
    page.get_by_role("link", name="staff time and volunteering").click()
    expect(page.locator("#offer-volunteering")).to_be_visible()


def test_the_threshold_page_explains_without_javascript(
    nojs_page: Page, sample_url: str, sample_register: Register
) -> None:
    settings = sample_register.settings
    page = nojs_page
    page.goto(sample_url + "check/")
    expect(page.locator("#svc-form")).to_be_hidden()
    rules = page.get_by_role("table", name="When social value applies")
    expect(rules.get_by_role("row")).to_have_count(3)
    expect(rules).to_contain_text(
        f"It is worth more than £{settings.threshold_gbp:,.0f}, excluding VAT"
    )
    expect(rules).to_contain_text(f"in any {settings.aggregation_months} months in a row")
    expect(page.get_by_role("table", name="Examples")).to_be_visible()
