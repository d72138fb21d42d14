"""The three forms end to end, in Chromium, against `python build.py serve`: a wrong answer, the
GOV.UK error summary (same wording as the inline messages, same order as the page), the fix,
the confirmation with its reference, and the row in the SQLite file.

With JavaScript the page checks the answers before sending (no POST for a wrong answer); without
it the intake answers the plain POST with 422 and the form again, then 303 to the confirmation.
"""

from __future__ import annotations

import re

import pytest
from form_support import (
    REFERENCE,
    Served,
    clear_of_header,
    inline_errors,
    stored,
    summary,
    targets_in_page_order,
)
from playwright.sync_api import Page, Request, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MEASURE = "cc-youth-volunteering"
ORGANISATION = "acle-marshes-village-hall"
QUANTITY_TYPE = "Enter the quantity as a number, like 12"
EMAIL_REQUIRED = "Enter your work email address"
DATES = {"period_start": ("1", "4", "2026"), "period_end": ("31", "3", "2027")}


def fill_pledge(page: Page, quantity: str, email: str) -> None:
    page.locator("#sv-quantity").fill(quantity)
    page.locator("#sv-supplier_name").fill("Example Builders Ltd")
    page.get_by_label("Yes, a contract reference").check()
    page.locator("#sv-contract_reference").fill("NCC-2026-042")
    for name, (day, month, year) in DATES.items():
        page.locator(f"#sv-{name}").fill(day)
        page.locator(f"#sv-{name}-month").fill(month)
        page.locator(f"#sv-{name}-year").fill(year)
    page.locator("#sv-additionality").fill("Staff volunteer at a youth club, beyond the contract.")
    page.locator("#sv-contact_name").fill("Alex Example")
    page.locator("#sv-contact_email").fill(email)


def assert_error_state(page: Page, expected: list[tuple[str, str]]) -> None:
    """Summary shown, titled, linked to the fields; same words and order as the inline errors."""
    box = page.locator(".sv-error-summary")
    expect(box).to_be_visible()
    expect(box.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert summary(page) == expected
    assert inline_errors(page) == expected
    hrefs = [href for href, _ in expected]
    assert targets_in_page_order(page, hrefs) == hrefs, "the summary must follow the page's order"


def assert_confirmation(page: Page, kind: str, letter: str, heading: str) -> str:
    expect(page).to_have_url(re.compile(rf"/forms/{kind}/confirmation\?ref=SV-{letter}-"))
    expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    reference = page.locator(".sv-panel__reference").inner_text().strip()
    assert REFERENCE.fullmatch(reference) and reference[3] == letter, reference
    return reference


def posts_to_intake(page: Page) -> list[str]:
    sent: list[str] = []

    def note(request: Request) -> None:
        if request.method == "POST" and "/forms/" in request.url:
            sent.append(request.url)

    page.on("request", note)
    return sent


def test_pledge_journey_with_javascript(page: Page, served: Served) -> None:
    sent = posts_to_intake(page)
    page.goto(served.url + f"measures/{MEASURE}/")
    page.get_by_role("link", name="Pledge this measure").click()
    expect(page).to_have_url(served.url + f"pledge/?measure={MEASURE}")
    expect(page.get_by_label("Which measure are you pledging?")).to_have_value(MEASURE)
    expect(page.locator("#sv-quantity-suffix")).to_be_visible()

    fill_pledge(page, quantity="lots", email="")
    page.get_by_role("button", name="Send pledge").click()
    assert_error_state(
        page, [("#sv-quantity", QUANTITY_TYPE), ("#sv-contact_email", EMAIL_REQUIRED)]
    )
    expect(page.locator(".sv-error-summary")).to_be_focused()
    assert clear_of_header(page, ".sv-error-summary"), "the summary is hidden by the header"
    assert sent == [], "a wrong answer is caught in the page, before sending"
    page.locator(".sv-error-summary").get_by_role("link", name=EMAIL_REQUIRED).click()
    expect(page.locator("#sv-contact_email")).to_be_focused()
    assert clear_of_header(page, "label[for=sv-contact_email]"), "the question is hidden"

    page.locator("#sv-contact_email").fill("alex@builders.example")
    page.locator("#sv-quantity").fill("12")
    page.get_by_role("button", name="Send pledge").click()
    reference = assert_confirmation(page, "pledge", "P", "Pledge received")
    assert sent == [served.url + "forms/pledge"]

    kind, status, payload = stored(served.db, reference)
    assert (kind, status) == ("pledge", "new")
    assert (payload["measure"], payload["quantity"]) == (MEASURE, 12)
    assert payload["contact_email"] == "alex@builders.example"


def test_pledge_from_an_organisation_preselects_it(page: Page, served: Served) -> None:
    """The link goes to the intake's form, which arrives with the organisation chosen."""
    page.goto(served.url + f"register/{ORGANISATION}/")
    page.get_by_role("link", name="Pledge social value for this organisation").click()
    expect(page.locator("input#sv-organisation[type=hidden]")).to_have_value(ORGANISATION)
    measure = page.get_by_label("Which measure are you pledging?")
    expect(measure).to_have_value("")
    assert measure.locator("option").evaluate_all("os => os.map(o => o.value)") == [
        "", "env-vcse-energy-efficiency", "env-climate-resilience"
    ]  # fmt: skip
    expect(page.locator("#sv-quantity-suffix")).to_be_hidden()  # no measure, no unit
    measure.select_option("env-vcse-energy-efficiency")
    expect(page.locator("#sv-quantity-suffix")).not_to_be_empty()


def test_pledge_journey_without_javascript(nojs_page: Page, served: Served) -> None:
    page = nojs_page
    page.goto(served.url + f"measures/{MEASURE}/")
    page.get_by_role("link", name="Pledge this measure").click()
    # Without JavaScript nothing reads ?measure=: the person picks the measure from the list.
    page.get_by_label("Which measure are you pledging?").select_option(MEASURE)
    fill_pledge(page, quantity="lots", email="")
    with page.expect_response(
        lambda r: r.url == served.url + "forms/pledge" and r.request.method == "POST"
    ) as answer:
        page.get_by_role("button", name="Send pledge").click()
    assert answer.value.status == 422
    assert_error_state(
        page, [("#sv-quantity", QUANTITY_TYPE), ("#sv-contact_email", EMAIL_REQUIRED)]
    )
    # the answers are kept
    expect(page.get_by_label("Which measure are you pledging?")).to_have_value(MEASURE)
    expect(page.locator("#sv-quantity")).to_have_value("lots")
    expect(page.locator("#sv-quantity-suffix")).to_have_text("hours")
    expect(page.locator("#sv-quantity")).to_have_accessible_description(re.compile("hours"))
    expect(page.locator("#sv-period_end-year")).to_have_value("2027")
    expect(page.locator("#sv-supplier_name")).to_have_value("Example Builders Ltd")

    page.locator("#sv-quantity").fill("12.5")
    page.locator("#sv-contact_email").fill("alex@builders.example")
    with page.expect_navigation() as landed:
        page.get_by_role("button", name="Send pledge").click()
    redirect = landed.value.request.redirected_from
    assert redirect is not None and redirect.method == "POST"
    assert redirect.response().status == 303
    reference = assert_confirmation(page, "pledge", "P", "Pledge received")

    kind, _, payload = stored(served.db, reference)
    assert kind == "pledge" and (payload["measure"], payload["quantity"]) == (MEASURE, 12.5)


def test_charter_journey(page: Page, served: Served) -> None:
    page.goto(served.url + "sign-the-charter/")
    commitments = page.locator("[data-sv-field=commitments]")
    expect(commitments).to_be_hidden()
    page.get_by_label("Your organisation's name").fill("Example Builders Ltd")
    page.get_by_label("Companies House number (optional)").fill("1234")
    page.get_by_label("Only the commitments I choose").check()
    expect(commitments).to_be_visible()
    page.get_by_role("button", name="Sign the Charter").click()
    assert_error_state(page, [
        ("#sv-companies_house",
         "Enter the Companies House number as 8 letters and numbers, like 01234567"),
        ("#sv-contact_name", "Enter your full name"),
        ("#sv-contact_email", EMAIL_REQUIRED),
        ("#sv-commitments", "Select the commitments your organisation signs up to"),
        ("#sv-listed", "Select yes if we can list your organisation as a signatory"),
    ])  # fmt: skip
    expect(page.locator(".sv-error-summary")).to_be_focused()
    page.locator(".sv-error-summary").get_by_role("link", name=re.compile("^Select yes")).click()
    expect(page.locator("#sv-listed")).to_be_focused()
    assert clear_of_header(page, "[data-sv-field=listed] legend"), "the question is hidden"

    page.get_by_label("Companies House number (optional)").fill("01234567")
    page.get_by_label("Your full name").fill("Alex Example")
    page.get_by_label("Your work email address").fill("alex@builders.example")
    page.get_by_label("Pay at least the real Living Wage").check()
    page.get_by_label("Pay subcontractors promptly").check()
    page.get_by_label("Yes, list my organisation").check()
    page.get_by_role("button", name="Sign the Charter").click()
    reference = assert_confirmation(page, "charter", "C", "Charter signature received")

    kind, _, payload = stored(served.db, reference)
    assert kind == "charter"
    assert (payload["companies_house"], payload["listed"]) == ("01234567", True)
    assert len(payload["commitments"]) == 2


def test_register_request_journey(page: Page, served: Served) -> None:
    page.goto(served.url + "join-the-register/")
    page.get_by_label("Add my organisation to the register").check()
    page.get_by_label("Organisation name").fill("Example Youth Club")
    page.get_by_label("What does your organisation do?").fill("Youth club")
    page.get_by_label("Norwich").check()
    page.get_by_label("Public phone number (optional)").fill("call us")
    page.get_by_role("button", name="Send request").click()
    assert_error_state(page, [
        ("#sv-description", "Describe what your organisation does in at least 20 characters"),
        ("#sv-measures", "Select the measures you would welcome help with"),
        ("#sv-offers", "Select the kinds of help you would welcome"),
        ("#sv-contact_phone", "Enter a phone number, like 01603 123456"),
        ("#sv-requester_name", "Enter your full name"),
        ("#sv-requester_email", "Enter your email address"),
    ])  # fmt: skip
    expect(page.locator(".sv-error-summary")).to_be_focused()

    page.get_by_label("What does your organisation do?").fill(
        "A youth club for 11 to 18 year olds in Norwich, open three evenings a week."
    )
    page.get_by_label("Volunteering with groups for children and young adults").check()
    page.get_by_label("Staff time and volunteering").check()
    page.get_by_label("Public phone number (optional)").fill("01603 123456")
    page.get_by_label("Your full name").fill("Sam Example")
    page.get_by_label("Your email address").fill("sam@youth.example")
    page.get_by_role("button", name="Send request").click()
    reference = assert_confirmation(page, "register-request", "R", "Request received")

    kind, _, payload = stored(served.db, reference)
    assert kind == "register-request"
    assert payload["name"] == "Example Youth Club" and payload["areas"] == ["norwich"]
