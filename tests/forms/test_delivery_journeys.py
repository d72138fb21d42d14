"""The two delivery forms end to end, in Chromium, against `python build.py serve` and the sample
register: with JavaScript (the page catches a missing answer; the intake catches what only the
register knows) and without it (the intake answers 422 with the form again, then 303).

Sample contract SAMPLE-CT-2025-017 (started 2025-10-01): commitments jobs-for-ex-offenders
(people) and work-placements (placements, whole numbers, for sprowston-road-job-club); its
update u2 (2026-09-25) is for work-placements and has no answer yet.
"""

from __future__ import annotations

import re

import pytest
from form_support import Served, inline_errors, stored, summary
from playwright.sync_api import Page, expect
from test_form_journeys import assert_confirmation, assert_error_state, posts_to_intake

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REFERENCE = "SAMPLE-CT-2025-017"
ORGANISATION = "sprowston-road-job-club"
EMAIL_REQUIRED = "Enter your work email address"
WHOLE = "Enter the quantity as a whole number, like 12, because this commitment counts whole things"
NOT_IN_CONTRACT = "Enter a commitment that is in this contract, as it is written in the contract"


def fill_date(page: Page, day: str, month: str, year: str) -> None:
    page.locator("#sv-date").fill(day)
    page.locator("#sv-date-month").fill(month)
    page.locator("#sv-date-year").fill(year)


def fill_update(page: Page, quantity: str, email: str) -> None:
    fill_date(page, "20", "11", "2026")
    page.locator("#sv-quantity").fill(quantity)
    page.locator("#sv-what").fill("Two more paid placements in the workshop.")
    page.locator("#sv-evidence").fill("https://www.example.org/placements")
    page.locator("#sv-contact_name").fill("Alex Example")
    page.locator("#sv-contact_email").fill(email)


def test_progress_update_with_javascript(page: Page, served: Served) -> None:
    sent = posts_to_intake(page)
    page.goto(
        served.url + "report-progress/?contract=sample-ct-2025-017&commitment=WORK-PLACEMENTS"
    )
    expect(page.get_by_label("What is your contract reference?")).to_have_value(
        "sample-ct-2025-017"
    )  # as the link gave it: the intake finds it whatever its case
    fill_update(page, quantity="1.5", email="")
    page.get_by_role("button", name="Send update").click()
    assert_error_state(page, [("#sv-contact_email", EMAIL_REQUIRED)])
    assert sent == [], "a missing answer is caught in the page, before sending"

    page.locator("#sv-contact_email").fill("alex@fleet.example")
    page.get_by_role("button", name="Send update").click()  # only the register knows the unit
    expect(page).to_have_url(served.url + "forms/progress-update")
    assert_error_state(page, [("#sv-quantity", WHOLE)])
    expect(page.locator("#sv-what")).to_have_value("Two more paid placements in the workshop.")

    page.locator("#sv-quantity").fill("2")
    page.get_by_role("button", name="Send update").click()
    reference = assert_confirmation(page, "progress-update", "U", "Progress update received")
    kind, status, payload = stored(served.db, reference)
    assert (kind, status) == ("progress-update", "new")
    assert (payload["contract_reference"], payload["commitment"], payload["quantity"]) == (
        REFERENCE,
        "work-placements",
        2,
    )


def test_progress_update_without_javascript(nojs_page: Page, served: Served) -> None:
    page = nojs_page
    page.goto(served.url + "report-progress/")
    page.locator("#sv-contract_reference").fill(REFERENCE)
    page.locator("#sv-commitment").fill("placements")
    fill_update(page, quantity="2", email="alex@fleet.example")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Send update").click()
    assert answer.value.status == 422
    assert_error_state(page, [("#sv-commitment", NOT_IN_CONTRACT)])
    expect(page.locator("#sv-contract_reference")).to_have_value(REFERENCE)  # answers kept
    expect(page.locator("#sv-date-year")).to_have_value("2026")

    page.locator("#sv-commitment").fill("work-placements")
    with page.expect_navigation() as landed:
        page.get_by_role("button", name="Send update").click()
    redirect = landed.value.request.redirected_from
    assert redirect is not None and redirect.response().status == 303
    reference = assert_confirmation(page, "progress-update", "U", "Progress update received")
    assert stored(served.db, reference)[2]["commitment"] == "work-placements"


def test_delivery_confirmation_with_javascript(page: Page, served: Served) -> None:
    sent = posts_to_intake(page)
    page.goto(
        served.url
        + f"confirm-a-delivery/?organisation={ORGANISATION}&contract={REFERENCE}&update=u2"
    )
    expect(page.get_by_label("Which organisation are you answering for?")).to_have_value(
        ORGANISATION
    )
    expect(page.get_by_label("Which update are you answering?")).to_have_value("u2")
    note = page.get_by_label("What is wrong with the update?")
    expect(note).to_be_hidden()  # asked only when the delivery is disputed
    page.get_by_label("No, we dispute the delivery").check()
    expect(note).to_be_visible()
    fill_date(page, "20", "9", "2026")
    page.locator("#sv-contact_name").fill("Sam Example")
    page.locator("#sv-contact_email").fill("sam@jobclub.example")
    page.get_by_role("button", name="Send answer").click()
    assert_error_state(page, [("#sv-note", "Tell us what is wrong with the update")])
    assert sent == []

    note.fill("We had one placement, not two.")
    page.get_by_role("button", name="Send answer").click()  # the update is dated 25 September
    assert_error_state(page, [("#sv-date", "The date must be on or after the date of the update")])
    fill_date(page, "1", "10", "2026")
    page.get_by_role("button", name="Send answer").click()
    reference = assert_confirmation(page, "delivery-confirmation", "D", "Answer received")
    kind, _, payload = stored(served.db, reference)
    assert kind == "delivery-confirmation"
    assert (payload["update"], payload["outcome"], payload["note"]) == (
        "u2",
        "disputed",
        "We had one placement, not two.",
    )


def test_delivery_confirmation_without_javascript(nojs_page: Page, served: Served) -> None:
    page = nojs_page
    page.goto(served.url + "confirm-a-delivery/")
    page.get_by_label("Which organisation are you answering for?").select_option(ORGANISATION)
    page.locator("#sv-contract_reference").fill(REFERENCE.lower())
    page.locator("#sv-update").fill("U2")
    note = page.get_by_label("What is wrong with the update?")
    expect(note).to_be_visible()  # without JavaScript the question is always there
    note.fill("Nothing: this is ignored when the delivery is confirmed.")
    fill_date(page, "1", "10", "2026")
    page.locator("#sv-contact_name").fill("Sam Example")
    page.locator("#sv-contact_email").fill("sam@jobclub.example")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Send answer").click()
    assert answer.value.status == 422
    expected = "Select yes if your organisation received what the update says"
    assert summary(page) == inline_errors(page) == [("#sv-outcome", expected)]
    expect(page).to_have_title(re.compile(r"^Error: "))

    page.get_by_label("Yes, we confirm the delivery").check()
    page.get_by_role("button", name="Send answer").click()
    reference = assert_confirmation(page, "delivery-confirmation", "D", "Answer received")
    payload = stored(served.db, reference)[2]
    assert (payload["contract_reference"], payload["update"], payload["outcome"]) == (
        REFERENCE,
        "u2",
        "confirmed",
    )
    assert "note" not in payload
