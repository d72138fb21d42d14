"""The staff pages in Debian's Chromium (Playwright): axe finds nothing on the sign-in, list and
detail pages, at desktop and phone widths; a keyboard-only journey signs in and approves a
submission with JavaScript turned off; the decision lands in the real SQLite file.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from .staff_support import status_of, submit
from .support import (
    REGISTER,
    TOKEN,
    Server,
    start_server,
    valid_charter,
    valid_pledge,
    valid_request,
    write_tree,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
AXE = Axe()
ADDRESSES = (f"198.51.100.{n}" for n in itertools.count(1))
FOCUS = "rgb(255, 221, 0)"  # the yellow of a focused button or link


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("staff-browser")
    register = write_tree(tmp / "register", REGISTER)
    running = start_server(
        tmp / "intake.sqlite3", register, tmp / "server.log", "--rate-limit", "100000"
    )
    yield running
    running.stop()


@pytest.fixture
def make_context(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """A fresh context with its own client address (so the sign-in brake is its own)."""
    contexts: list[BrowserContext] = []

    def make(width: int = 1280, javascript: bool = True) -> BrowserContext:
        context = browser.new_context(
            viewport={"width": width, "height": 900},
            java_script_enabled=javascript,
            extra_http_headers={"X-Forwarded-For": next(ADDRESSES)},
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def _sign_in(page: Page, server: Server, token: str = TOKEN) -> None:
    page.goto(server.url + "/staff/sign-in")
    page.get_by_label("Staff token").fill(token)
    page.get_by_role("button", name="Sign in").click()


def _no_violations(page: Page) -> None:
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_no_axe_violations(
    server: Server, make_context: Callable[..., BrowserContext], width: int
) -> None:
    request = submit(server, "/api/register-requests", valid_request())
    submit(server, "/api/pledges", valid_pledge())
    page = make_context(width).new_page()
    page.goto(server.url + "/staff/sign-in")
    _no_violations(page)
    _sign_in(page, server, token="wrong-token-for-axe-0123")
    expect(page.locator(".sv-error-summary")).to_be_visible()
    _no_violations(page)
    _sign_in(page, server)
    expect(page.get_by_role("table")).to_be_visible()
    _no_violations(page)
    page.goto(server.url + "/staff/submissions?kind=nonsense")  # the filters' error summary
    _no_violations(page)
    page.goto(server.url + f"/staff/submissions/{request}")
    _no_violations(page)
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("#sv-yaml")).to_be_visible()  # with the success banner and the YAML
    _no_violations(page)


def _tab_to(page: Page, target: Locator, limit: int = 40) -> None:
    """Press Tab until ``target`` has focus; fail if it is never reached."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")


def _focus_is_visible(target: Locator) -> None:
    colour = target.evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour == FOCUS, colour


def test_keyboard_only_with_javascript_off_sign_in_and_approve(
    server: Server, make_context: Callable[..., BrowserContext]
) -> None:
    reference = submit(server, "/api/charter-signatures", valid_charter())
    page = make_context(javascript=False).new_page()
    page.goto(server.url + "/staff")  # a signed-out visit goes to sign in
    expect(page).to_have_url(server.url + "/staff/sign-in")
    field = page.get_by_label("Staff token")
    _tab_to(page, field)
    page.keyboard.type(TOKEN)
    button = page.get_by_role("button", name="Sign in")
    _tab_to(page, button)
    _focus_is_visible(button)
    page.keyboard.press("Enter")
    expect(page).to_have_url(server.url + "/staff/submissions")
    link = page.get_by_role("link", name=reference)
    _tab_to(page, link)
    _focus_is_visible(link)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    approve = page.get_by_role("button", name="Approve")
    _tab_to(page, approve)
    _focus_is_visible(approve)
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text(f"{reference} is now approved.")
    assert status_of(server.db_path, reference)[0] == "approved"
    sign_out = page.get_by_role("button", name="Sign out")
    _tab_to(page, sign_out)
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("You have signed out.")
    page.goto(server.url + "/staff/submissions")
    expect(page).to_have_url(server.url + "/staff/sign-in")


def test_with_javascript_off_reject_filter_and_download(
    server: Server, make_context: Callable[..., BrowserContext]
) -> None:
    reference = submit(server, "/api/pledges", valid_pledge(supplier_name="Sample Nojs Ltd"))
    page = make_context(javascript=False).new_page()
    _sign_in(page, server)
    page.get_by_label("Kind").select_option("pledge")
    page.get_by_label("Status").select_option("new")
    page.get_by_role("button", name="Show submissions").click()
    expect(page.get_by_role("table")).to_contain_text("Pledges that are new")
    page.get_by_role("link", name=reference).click()
    page.get_by_role("button", name="Reject").click()
    expect(page.get_by_role("alert")).to_contain_text(f"{reference} is now rejected.")
    assert status_of(server.db_path, reference)[0] == "rejected"
    page.get_by_role("link", name="Back to submissions").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Pledges (CSV)").click()
    text = open(download.value.path(), encoding="utf-8").read()
    assert reference in text and "Sample Nojs Ltd" in text
