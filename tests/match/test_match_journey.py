"""The opportunity finder as a supplier uses it: fill the form, submit, read the ranked results,
share or reload the address, and recover from mistakes (GOV.UK error summary + inline errors)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from socialvalue.lookups import summary
from socialvalue.match import Profile, match
from socialvalue.register.model import Register

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def listed_ids(page: Page) -> list[str]:
    return page.locator("#svm-results [data-org]").evaluate_all(
        "els => els.map(e => e.dataset.org)"
    )


def test_fill_submit_read_share_and_reload(
    page: Page, sample_url: str, sample_register: Register
) -> None:
    page.goto(sample_url + "match/")
    expect(page.locator(".svm-nojs")).to_be_hidden()
    form = page.locator("#svm-form")
    form.get_by_role("checkbox", name="Staff time and volunteering").check()
    form.get_by_role("checkbox", name="Broadland").check()
    form.get_by_role("checkbox", name="Preventing crime").check()
    form.get_by_label("Contract value, excluding VAT").fill("6,000")
    form.get_by_label("What the contract is for").fill("youth sessions")
    form.get_by_role("button", name="Show opportunities").click()

    profile = Profile(
        ("volunteering",), ("broadland",), ("preventing-crime",), subject="youth sessions"
    )
    expected = match(profile, sample_register)
    heading = page.get_by_role(
        "heading", name=f"{len(expected)} organisations would welcome your help"
    )
    expect(heading).to_be_focused()
    assert listed_ids(page) == [o.organisation.id for o in expected]
    first = page.locator("#svm-list > li").first
    expect(first.locator(".svm-card__text")).to_have_text(
        summary(expected[0].organisation.description)
    )
    expect(first.locator(".svm-why")).to_have_text(f"Why it matched: {expected[0].why}")
    link = first.get_by_role("link", name=expected[0].organisation.name)
    assert link.get_attribute("href").endswith(f"register/{expected[0].organisation.id}/")
    expect(page.locator("#svm-threshold")).to_contain_text("£6,000")
    expect(page.locator("#svm-measures")).to_contain_text("measured in")

    answers = parse_qs(urlsplit(page.url).query)
    assert answers == {
        "offer": ["volunteering"],
        "area": ["broadland"],
        "priority": ["preventing-crime"],
        "value": ["6,000"],
        "subject": ["youth sessions"],
    }

    page.reload()  # the same address gives the same results, and the form keeps the answers
    expect(page.locator("#svm-results[data-state=done]")).to_be_visible()
    assert listed_ids(page) == [o.organisation.id for o in expected]
    expect(form.get_by_role("checkbox", name="Broadland")).to_be_checked()
    expect(form.get_by_label("What the contract is for")).to_have_value("youth sessions")

    link.click()  # a link to approach the organisation
    expect(page.locator("h1")).to_have_text(expected[0].organisation.name)


def test_a_shared_link_opens_on_the_results(
    page: Page, sample_url: str, sample_register: Register
) -> None:
    page.goto(sample_url + "match/?offer=money&area=norfolk")
    expected = match(Profile(("money",), ("norfolk",)), sample_register)
    expect(page.locator("#svm-results-title")).to_have_text(
        f"{len(expected)} organisations would welcome your help"
    )
    assert listed_ids(page) == [o.organisation.id for o in expected]
    expect(page.locator("#svm-summary")).to_contain_text("You can work anywhere in Norfolk.")


def test_back_and_forward_follow_the_answers(page: Page, sample_url: str) -> None:
    page.goto(sample_url + "match/")
    page.get_by_role("checkbox", name="Donations and sponsorship").check()
    page.get_by_role("checkbox", name="Norwich").check()
    page.get_by_role("button", name="Show opportunities").click()
    expect(page.locator("#svm-results")).to_be_visible()
    first = listed_ids(page)
    page.get_by_role("checkbox", name="Norwich").uncheck()
    page.get_by_role("checkbox", name="Great Yarmouth").check()
    page.get_by_role("button", name="Show opportunities").click()
    expect(page).to_have_url(re.compile(r"area=great-yarmouth"))
    expect(page.locator("#svm-summary")).to_contain_text("Great Yarmouth")
    page.go_back()
    expect(page.locator("#svm-summary")).to_contain_text("You work in Norwich.")
    assert listed_ids(page) == first
    expect(page.get_by_role("checkbox", name="Norwich")).to_be_checked()


def test_missing_answers_show_the_error_summary_and_inline_errors(
    page: Page, sample_url: str
) -> None:
    page.goto(sample_url + "match/")
    title = page.title()
    page.get_by_role("button", name="Show opportunities").click()
    summary = page.locator("#svm-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        ["Select at least one kind of help you can offer", "Select where you work"]
    )
    expect(page).to_have_title("Error: " + title)
    expect(page.locator("#svm-offer-error")).to_have_text(
        "Error: Select at least one kind of help you can offer"
    )
    fieldset = page.locator("[data-svm-field=offer] fieldset")
    assert "svm-offer-error" in fieldset.get_attribute("aria-describedby").split()
    expect(page.locator("#svm-results")).to_be_hidden()

    summary.get_by_role("link", name="Select where you work").click()
    expect(page.locator("#svm-area")).to_be_focused()

    page.get_by_role("checkbox", name="Jobs, apprenticeships and paid work placements").check()
    page.get_by_role("checkbox", name="Norwich").check()
    page.get_by_role("button", name="Show opportunities").click()
    expect(page.locator("#svm-results-title")).to_be_focused()
    expect(summary).to_be_hidden()
    expect(page.locator("#svm-offer-error")).to_be_hidden()
    expect(page).to_have_title(title)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-5", "Contract value must be £0 or more"),
        ("abc", "Contract value must be a number, like 25000 or 25,000.50"),
    ],
)
def test_a_nonsense_contract_value_is_rejected(
    page: Page, sample_url: str, value: str, message: str
) -> None:
    page.goto(sample_url + "match/?offer=money&area=norwich&value=" + value)
    expect(page.locator("#svm-error-summary")).to_be_visible()
    expect(page.locator("#svm-error-summary").get_by_role("link")).to_have_text([message])
    expect(page.locator("#svm-value-error")).to_have_text("Error: " + message)
    expect(page.locator("#svm-value")).to_have_value(value)
    expect(page.locator("#svm-value")).to_have_class(re.compile("svm-input--error"))


def test_show_more_reveals_the_next_fifty(page: Page, big_url: str, big_register: Register) -> None:
    expected = [
        o.organisation.id for o in match(Profile(("money", "in-kind"), ("norfolk",)), big_register)
    ]
    page.goto(big_url + "match/?offer=money&offer=in-kind&area=norfolk")
    cards = page.locator("#svm-results [data-org]")
    expect(page.locator("#svm-list > li")).to_have_count(3)
    expect(cards).to_have_count(50)
    expect(page.get_by_role("button", name="Show more organisations")).to_be_hidden()
    page.get_by_text(f"Show {len(expected) - 3} more matches").click()
    page.get_by_role("button", name="Show more organisations").click()
    expect(cards).to_have_count(min(100, len(expected)))
    expect(cards.nth(50).get_by_role("link")).to_be_focused()
    assert listed_ids(page) == expected[:100]


def test_no_match_says_so(page: Page, sample_url: str) -> None:
    page.goto(sample_url + "match/?offer=supply-chain&area=broadland")
    expect(page.locator("#svm-results-title")).to_have_text("No organisations match your answers")
    expect(page.locator("#svm-none")).to_be_visible()
    expect(page.locator("#svm-results [data-org]")).to_have_count(0)
    expect(page.locator("#svm-rest")).to_be_hidden()
