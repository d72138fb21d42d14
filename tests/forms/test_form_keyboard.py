"""Keyboard only: from the top of the pledge page, Tab reaches the skip link first; after it, Tab
goes through every question of the form in the order they are shown, then the submit button,
and every stop shows a visible focus indicator (its look changes, and :focus-visible matches).
Checked on the site's page and on the intake's own page for the same form."""

from __future__ import annotations

import pytest
from form_support import Served
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PLEDGE_STOPS = [
    "sv-measure", "sv-organisation", "sv-quantity", "sv-supplier_name", "sv-contact_name",
    "sv-contact_email", "sv-contract_status",
    "sv-period_start", "sv-period_start-month", "sv-period_start-year",
    "sv-period_end", "sv-period_end-month", "sv-period_end-year",
    "sv-additionality", "link: Read our privacy notice", "button: Send pledge",
]  # fmt: skip
MAX_TABS = 120

# A name for the focused element, whether it is in the form, and how it looks.
FOCUSED = """() => {
  const el = document.activeElement;
  const key = el.id || (el.tagName === "A" ? "link: " : el.tagName.toLowerCase() + ": ")
                       + el.textContent.trim();
  const s = getComputedStyle(el);
  const r = el.getClientRects()[0];  // a link over two lines: its first line
  // the middle of its part inside the viewport: partly below the fold is not "obscured"
  const top = Math.max(r.top, 0), bottom = Math.min(r.bottom, window.innerHeight);
  const shown = document.elementFromPoint(r.left + r.width / 2, (top + bottom) / 2);
  return {key, inForm: Boolean(el.closest("form.sv-form")), visible: el.matches(":focus-visible"),
          obscured: !(shown && (el === shown || el.contains(shown) || (el.labels &&
                      Array.from(el.labels).some(label => label.contains(shown))))),
          look: [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.backgroundColor,
                 s.color, s.textDecorationLine].join("|")};
}"""
# How each element of the form looks with nothing focused.
UNFOCUSED = """() => Object.fromEntries(
  Array.from(document.querySelectorAll("form.sv-form a, form.sv-form input, form.sv-form select,"
                                       + " form.sv-form textarea, form.sv-form button"))
    .map(el => {
      const key = el.id || (el.tagName === "A" ? "link: " : el.tagName.toLowerCase() + ": ")
                           + el.textContent.trim();
      const s = getComputedStyle(el);
      return [key, [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow,
                    s.backgroundColor, s.color, s.textDecorationLine].join("|")];
    }))"""


# The intake's page is in the site's own layout (the built forms-shell), with the same skip link.
PAGES = {"site page": ("pledge/", "main-content"), "intake page": ("forms/pledge", "main-content")}
WIDTHS = {"desktop": 1280, "phone": 390}


def skip_to_main(page: Page, address: str, target: str) -> None:
    """Open the page, Tab once: the skip link, visible; Enter: focus on the main content."""
    page.goto(address)
    expect(page.locator("form.sv-form[data-sv-ready]")).to_be_attached()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator(f"#{target}")).to_be_focused()


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("where", list(PAGES))
def test_tab_order_and_focus(page: Page, served: Served, where: str, width: str) -> None:
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    address, target = PAGES[where]
    page.goto(served.url + address)
    expect(page.locator("form.sv-form[data-sv-ready]")).to_be_attached()
    unfocused = page.evaluate(UNFOCUSED)
    skip_to_main(page, served.url + address, target)

    stops, unlit, obscured = [], [], []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["inForm"]:
            stops.append(focused["key"])
            if not focused["visible"] or focused["look"] == unfocused.get(focused["key"]):
                unlit.append(focused["key"])
            if focused["obscured"]:
                obscured.append(focused["key"])
        elif stops:
            break  # left the form
    assert stops == PLEDGE_STOPS
    assert unlit == [], "these show no visible focus"
    assert obscured == [], "these are hidden by something else when focused"


@pytest.mark.parametrize("where", ["site page", "intake page"])
def test_skip_link_leads_to_the_form(page: Page, served: Served, where: str) -> None:
    """At desktop width, after the skip link the next Tab is the form's first question."""
    address, target = PAGES[where]
    skip_to_main(page, served.url + address, target)
    page.keyboard.press("Tab")
    expect(page.locator("#sv-measure")).to_be_focused(timeout=2_000)  # focus moves at once
