"""A supplier on a phone (390 px): from the home page to three organisations that fit, in at most
four interactions (each click, check, fill or select counts), with enough on screen to choose one:
each organisation's name, what it does and where it works. With JavaScript (the finder) and
without (the pre-rendered opportunity pages). Then the contract value carried over from "Does
social value apply?"."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from socialvalue.lookups import summary
from socialvalue.match import Profile, match
from socialvalue.matchpages import where_it_works
from socialvalue.register.model import Register

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
MOST_TAPS = 4


class Taps:
    """Does what a supplier does, and counts it."""

    def __init__(self) -> None:
        self.count = 0

    def click(self, target: Locator) -> None:
        self.count += 1
        target.click()

    def check(self, target: Locator) -> None:
        self.count += 1
        target.check()


def phone_context(browser: Browser, javascript: bool) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], errors


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    yield from phone_context(browser, javascript=True)


@pytest.fixture
def nojs_phone(browser: Browser) -> Iterator[Page]:
    yield from phone_context(browser, javascript=False)


def assert_three_cards(cards: Locator, profile: Profile, register: Register) -> None:
    expected = [o.organisation for o in match(profile, register)[:3]]
    expect(cards).to_have_count(3)
    expect(cards.get_by_role("link")).to_have_text([org.name for org in expected])
    expect(cards.locator(".svm-card__text")).to_have_text(
        [summary(o.description) for o in expected]
    )
    expect(cards.locator(".svm-card__where")).to_have_text(
        [where_it_works(org, register) for org in expected]
    )
    for n in range(3):
        expect(cards.nth(n)).to_be_visible()
    expect(cards.first.get_by_role("link")).to_be_in_viewport()


def test_three_fitting_organisations_in_four_taps(
    phone: Page, sample_url: str, sample_register: Register
) -> None:
    taps = Taps()
    phone.goto(sample_url)
    start = phone.get_by_role("link", name="Find opportunities").first
    expect(start).to_be_in_viewport()  # above the fold: no scrolling to find it
    taps.click(start)
    taps.check(phone.get_by_role("checkbox", name="Free professional support and advice"))
    taps.check(phone.get_by_role("checkbox", name="Norwich"))
    taps.click(phone.get_by_role("button", name="Show opportunities"))
    profile = Profile(("professional-advice",), ("norwich",))
    assert_three_cards(phone.locator("#svm-list > li"), profile, sample_register)
    more = len(match(profile, sample_register)) - 3
    expect(phone.locator("#svm-rest > summary")).to_have_text(f"Show {more} more matches")
    expect(phone.locator("#svm-list-rest > li").first).to_be_hidden()
    assert taps.count <= MOST_TAPS


def test_without_javascript_the_opportunity_pages_take_two_taps(
    nojs_phone: Page, sample_url: str, sample_register: Register
) -> None:
    taps = Taps()
    page = nojs_phone
    page.goto(sample_url)
    taps.click(page.get_by_role("link", name="Find opportunities").first)
    browse = page.locator("#offer-professional-advice + ul")
    taps.click(browse.get_by_role("link", name="Norwich"))
    profile = Profile(("professional-advice",), ("norwich",))
    top = page.locator("ol.svm-list").first.locator("> li")
    assert_three_cards(top, profile, sample_register)
    more = len(match(profile, sample_register)) - 3
    expect(page.locator("details.svm-rest > summary")).to_have_text(f"Show {more} more matches")
    assert taps.count <= MOST_TAPS


def test_the_check_carries_the_contract_value_to_the_finder(phone: Page, sample_url: str) -> None:
    phone.goto(sample_url + "check/?kind=contract&value=25000")
    phone.get_by_role("link", name="Find organisations that would welcome your help").first.click()
    expect(phone.locator("#svm-value")).to_have_value("25000")
    expect(phone.locator("#svm-carried")).to_contain_text(
        "Your contract is worth £25,000, excluding VAT. That is more than £5,000"
    )
    expect(phone.locator("#svm-error-summary")).to_be_hidden()
    phone.get_by_role("checkbox", name="Donations and sponsorship").check()
    phone.get_by_role("checkbox", name="Norwich").check()
    phone.get_by_role("button", name="Show opportunities").click()
    expect(phone.locator("#svm-threshold")).to_contain_text("£25,000")


def test_repeat_orders_are_not_carried_as_a_contract(phone: Page, sample_url: str) -> None:
    phone.goto(sample_url + "check/?kind=repeat&value=25000")
    link = phone.locator("#svc-answer-match")
    expect(link).to_be_visible()
    assert "value=" not in link.get_attribute("href")
