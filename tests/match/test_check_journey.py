"""The threshold check ("Does social value apply?"). The threshold and the rolling period come
from register/settings.yaml, never from the page's code; bad input gets the GOV.UK error summary
and an inline error."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from socialvalue.register.model import Register

pytestmark = [pytest.mark.browser, pytest.mark.slow]


PENNY = Decimal("0.01")  # the threshold is a Decimal


def gbp(value: float | Decimal) -> str:
    return f"£{value:,.0f}" if float(value).is_integer() else f"£{value:,.2f}"


def check(page: Page, url: str, kind: str | None, value: str) -> None:
    page.goto(url + "check/")
    if kind:
        page.get_by_role("radio", name=kind).check()
    page.get_by_label("How much is it worth, excluding VAT?").fill(value)
    page.get_by_role("button", name="Check", exact=True).click()


def test_the_page_carries_the_figures_from_settings(
    page: Page, sample_url: str, sample_register: Register
) -> None:
    settings = sample_register.settings
    page.goto(sample_url + "check/")
    root = page.locator("#svc")
    assert float(root.get_attribute("data-threshold")) == settings.threshold_gbp
    assert int(root.get_attribute("data-months")) == settings.aggregation_months
    expect(page.locator("table").first).to_contain_text(f"more than {gbp(settings.threshold_gbp)}")


def test_one_contract_over_the_threshold_needs_social_value(
    page: Page, sample_url: str, sample_register: Register
) -> None:
    threshold = sample_register.settings.threshold_gbp
    check(page, sample_url, "One contract", f"{threshold + PENNY:.2f}")
    answer = page.locator("#svc-answer")
    expect(answer).to_be_focused()
    expect(answer.get_by_role("heading")).to_have_text("Yes, social value applies to this contract")
    expect(answer).to_contain_text(
        f"worth {gbp(threshold + PENNY)}, excluding VAT. That is more than {gbp(threshold)}"
    )
    answer.get_by_role("link", name="Find organisations that would welcome your help").click()
    expect(page.locator("h1")).to_have_text("Find organisations that would welcome your help")
    expect(page.locator("#svm-value")).to_have_value(f"{threshold + PENNY:.2f}")  # carried over


def test_a_contract_at_the_threshold_is_not_over_it(
    page: Page, sample_url: str, sample_register: Register
) -> None:
    threshold = sample_register.settings.threshold_gbp
    check(page, sample_url, "One contract", f"{threshold:,.0f}")
    answer = page.locator("#svc-answer")
    expect(answer.get_by_role("heading")).to_have_text(
        "No, this contract does not need social value"
    )
    expect(answer).to_contain_text(f"only when a contract is worth more than {gbp(threshold)}")
    page.reload()  # the answers live in the address
    expect(answer.get_by_role("heading")).to_have_text(
        "No, this contract does not need social value"
    )


def test_repeat_orders_that_reach_the_threshold_are_invited(
    page: Page, sample_url: str, sample_register: Register
) -> None:
    settings = sample_register.settings
    check(page, sample_url, "Repeat orders", f"£{settings.threshold_gbp:.0f}")
    answer = page.locator("#svc-answer")
    expect(answer.get_by_role("heading")).to_have_text(
        "Yes, we will invite you to offer social value"
    )
    expect(answer).to_contain_text(
        f"over the last {settings.aggregation_months} months. That reaches "
        f"the {gbp(settings.threshold_gbp)} threshold"
    )
    check(page, sample_url, "Repeat orders", f"{settings.threshold_gbp - PENNY:.2f}")
    expect(answer.get_by_role("heading")).to_have_text("No, not yet")
    expect(answer).to_contain_text(f"That is less than {gbp(settings.threshold_gbp)}")


@pytest.mark.parametrize(
    ("kind", "value", "errors"),
    [
        ("One contract", "-5", ["The amount must be £0 or more"]),
        ("Repeat orders", "abc", ["The amount must be a number, like 4500 or 12,000.50"]),
        ("One contract", "", ["Enter how much it is worth, excluding VAT"]),
        (
            None,
            "12.345",
            [
                "Select one contract or repeat orders",
                "The amount must be a number, like 4500 or 12,000.50",
            ],
        ),
    ],
)
def test_nonsense_gets_a_gov_uk_error(
    page: Page, sample_url: str, kind: str | None, value: str, errors: list[str]
) -> None:
    check(page, sample_url, kind, value)
    summary = page.locator("#svm-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_text(errors)
    assert page.title().startswith("Error: Does social value apply?")
    expect(page.locator("#svm-value-error")).to_have_text("Error: " + errors[-1])
    expect(page.locator("#svc-answer")).to_be_hidden()
    summary.get_by_role("link").last.click()
    expect(page.locator("#svm-value")).to_be_focused()
