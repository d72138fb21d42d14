"""axe-core finds nothing on the forms, at desktop and phone (390px) widths: each static form page,
each form's error state (shown by the page's script, and re-rendered by the intake after a plain
POST), and the confirmation page.

The intake's no-JavaScript page is reached by a real POST from a browser that does not load
forms.js: axe itself needs JavaScript, so the context keeps it on but never runs our script.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from form_support import BUTTON, FORMS, Served
from playwright.sync_api import Browser, Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = Axe()
CONFIRMATIONS = {
    "pledge": "SV-P-2345-6789",
    "charter": "SV-C-ABCD-EFGH",
    "register-request": "SV-R-K3M9-QXA7",
    "progress-update": "SV-U-K3M9-QXA7",
    "delivery-confirmation": "SV-D-K3M9-QXA7",
}


def _send_empty(page: Page, kind: str) -> None:
    page.get_by_role("button", name=BUTTON[kind]).click()
    expect(page.locator(".sv-error-summary")).to_be_visible()


# name -> (page address, JavaScript on?, how to reach the state or None)
State = tuple[str, bool, Callable[[Page], None] | None]
STATES: dict[str, State] = {}
for _path, _kind in FORMS.items():
    STATES[f"{_kind}: blank"] = (_path + "/", True, None)
    STATES[f"{_kind}: errors shown by the page"] = (
        _path + "/", True, lambda page, kind=_kind: _send_empty(page, kind)
    )  # fmt: skip
    STATES[f"{_kind}: errors from the intake, no JavaScript"] = (
        _path + "/", False, lambda page, kind=_kind: _send_empty(page, kind)
    )  # fmt: skip
    STATES[f"{_kind}: confirmation"] = (
        f"forms/{_kind}/confirmation?ref={CONFIRMATIONS[_kind]}", True, None
    )  # fmt: skip
# The intake's pages reached from an organisation's page, and the pages not found.
_ORG = "acle-marshes-village-hall"
STATES["pledge for an organisation: blank"] = (f"forms/pledge?organisation={_ORG}", True, None)
STATES["pledge for an organisation: errors from the intake, no JavaScript"] = (
    f"forms/pledge?organisation={_ORG}", False, lambda page: _send_empty(page, "pledge")
)  # fmt: skip
STATES["update request: filled in"] = (f"forms/register-request?organisation={_ORG}", True, None)
STATES["page not found: intake"] = ("forms/no-such-form", True, None)
STATES["page not found: site"] = ("no-such-page/", True, None)


@pytest.fixture(scope="module", params=[1280, 390], ids=["desktop", "phone"])
def pages(request: pytest.FixtureRequest, browser: Browser) -> Iterator[dict[bool, Page]]:
    """{True: a page with JavaScript, False: a page that never loads forms.js} at one width."""
    viewport = {"width": request.param, "height": 900}
    scripted = browser.new_context(viewport=viewport)
    scriptless = browser.new_context(viewport=viewport)
    scriptless.route("**/forms.js", lambda route: route.abort())
    yield {True: scripted.new_page(), False: scriptless.new_page()}
    scripted.close()
    scriptless.close()


@pytest.mark.parametrize("name", list(STATES))
def test_no_axe_violations(pages: dict[bool, Page], served: Served, name: str) -> None:
    address, scripted, reach = STATES[name]
    page = pages[scripted]
    page.goto(served.url + address)
    if reach:
        reach(page)
    if not scripted and reach:
        assert "/forms/" in page.url, "the plain POST must land on the intake's page"
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()
