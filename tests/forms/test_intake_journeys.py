"""Journeys that start on an organisation's page and end on the intake's pages, in the site's own
layout: pledging for the organisation (with and without JavaScript, phone and desktop widths),
a pledge while bidding, the confirmation that repeats the pledge, the update form filled in from
the register, and the "page not found" pages of the site and of the intake.

All against `python build.py serve` (the built site and the intake on one origin, real SQLite).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from form_support import Served, stored
from playwright.sync_api import Browser, Page, expect
from test_form_journeys import ORGANISATION, assert_confirmation, fill_pledge

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WELCOMED = ["env-vcse-energy-efficiency", "env-climate-resilience"]
ORGANISATION_NAME = "Sample: Acle Marshes Village Hall Trust"
QUANTITY_REQUIRED = "Enter the quantity you are pledging"


@pytest.fixture(params=[(390, True), (390, False), (1280, True), (1280, False)],
                ids=["phone-js", "phone-nojs", "desktop-js", "desktop-nojs"])  # fmt: skip
def any_page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    width, scripted = request.param
    context = browser.new_context(
        viewport={"width": width, "height": 900}, java_script_enabled=scripted
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield page
    context.close()
    assert errors == [], errors


def _in_site_layout(page: Page) -> None:
    """The site's own menu, footer and sample-data banner, not the intake's plain layout."""
    expect(page.locator(".sv-banner")).to_contain_text("Sample data")
    expect(page.locator("nav.md-nav--primary").first).to_be_attached()
    expect(page.locator("footer").get_by_role("link", name="Privacy notice")).to_be_visible()
    assert page.locator("h1").count() == 1


def _measures(page: Page) -> list[str]:
    return page.locator("#sv-measure option").evaluate_all("os => os.map(o => o.value)")


def test_pledge_for_an_organisation_keeps_it_through_an_error(
    any_page: Page, served: Served
) -> None:
    page = any_page
    page.goto(served.url + f"register/{ORGANISATION}/")
    page.get_by_role("link", name="Pledge social value for this organisation").click()
    expect(page).to_have_url(served.url + f"forms/pledge?organisation={ORGANISATION}")
    _in_site_layout(page)
    expect(page.locator(".sv-inset")).to_contain_text(ORGANISATION_NAME)
    assert _measures(page) == ["", *WELCOMED]

    page.locator("#sv-measure").select_option(WELCOMED[1])
    fill_pledge(page, quantity="", email="alex@builders.example")
    page.get_by_role("button", name="Send pledge").click()
    expect(page.locator(".sv-error-summary")).to_contain_text(QUANTITY_REQUIRED)
    if "forms/pledge?" not in page.url:  # sent without JavaScript: the intake's page again
        expect(page).to_have_title(re.compile(r"^Error: Pledge a measure - "))
        _in_site_layout(page)
    expect(page.locator("input#sv-organisation[type=hidden]")).to_have_value(ORGANISATION)
    assert _measures(page) == ["", *WELCOMED]
    expect(page.locator("#sv-measure")).to_have_value(WELCOMED[1])

    page.locator("#sv-quantity").fill("2")
    page.get_by_role("button", name="Send pledge").click()
    reference = assert_confirmation(page, "pledge", "P", "Pledge received")
    _in_site_layout(page)
    details = page.locator(".sv-summary-list")
    expect(details).to_contain_text("adapt to climate change")  # the measure's title, not its id
    expect(details).to_contain_text(ORGANISATION_NAME)
    expect(details.locator("dd").nth(1)).to_have_text("2 pounds (£)")
    _, _, payload = stored(served.db, reference)
    assert (payload["organisation"], payload["measure"]) == (ORGANISATION, WELCOMED[1])


def test_a_pledge_while_bidding_needs_no_contract(nojs_page: Page, served: Served) -> None:
    page = nojs_page
    page.goto(served.url + f"forms/pledge?organisation={ORGANISATION}")
    page.locator("#sv-measure").select_option(WELCOMED[0])
    fill_pledge(page, quantity="3", email="alex@builders.example")
    page.locator("#sv-contract_reference").fill("")
    page.get_by_label("No, the contract has not been awarded yet").check()
    page.get_by_role("button", name="Send pledge").click()
    reference = assert_confirmation(page, "pledge", "P", "Pledge received")
    expect(page.locator(".sv-summary-list")).to_contain_text("not been awarded yet")
    _, _, payload = stored(served.db, reference)
    assert payload["contract_status"] == "not-awarded" and "contract_reference" not in payload


def test_suggest_a_change_opens_the_update_form_filled_in(any_page: Page, served: Served) -> None:
    page = any_page
    page.goto(served.url + f"register/{ORGANISATION}/")
    expect(page.get_by_role("link", name="edit it on GitHub")).to_have_attribute(
        "href", f"https://github.com/example-org/social-value-register/edit/main/register/organisations/{ORGANISATION}.yaml"
    )  # fmt: skip
    page.get_by_role("link", name="Suggest a change to this entry").click()
    _in_site_layout(page)
    expect(page.get_by_label("Update my organisation's entry")).to_be_checked()
    expect(page.locator("#sv-organisation")).to_have_value(ORGANISATION)
    expect(page.locator("#sv-name")).to_have_value(ORGANISATION_NAME)
    expect(page.locator("#sv-org_id")).to_have_value("GB-CHC-1000006")
    expect(page.locator("#sv-description")).to_contain_text("old village hall")
    expect(page.locator("#sv-how_to_approach")).to_contain_text("Email the trustees")
    checked = page.locator("input[name=measures]:checked")
    assert checked.evaluate_all("bs => bs.map(b => b.value)") == WELCOMED
    expect(page.locator("#sv-town")).to_have_value("Acle")
    expect(page.get_by_label("No", exact=True)).to_be_checked()


@pytest.mark.parametrize("address", ["no-such-page/", "forms/no-such-form"])
def test_page_not_found_helps(any_page: Page, served: Served, address: str) -> None:
    page = any_page
    answer = page.goto(served.url + address)
    assert answer is not None and answer.status == 404
    expect(page.get_by_role("heading", level=1, name="Page not found")).to_be_visible()
    _in_site_layout(page)
    main = page.locator("article")
    for name in ("register of organisations", "search the site", "pledge a measure"):
        expect(main.get_by_role("link", name=name)).to_be_visible()
    main.get_by_role("link", name="browse the register of organisations").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Register")
