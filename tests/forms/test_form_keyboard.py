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
    "sv-contact_email", "sv-contract_reference",
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
  return {key, inForm: Boolean(el.closest("form.sv-form")), visible: el.matches(":focus-visible"),
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


@pytest.mark.parametrize(
    ("address", "skip_target"),
    [("pledge/", "main-content"), ("forms/pledge", "sv-main")],
    ids=["site page", "intake page"],
)
def test_tab_order_and_focus(page: Page, served: Served, address: str, skip_target: str) -> None:
    page.goto(served.url + address)
    expect(page.locator("form.sv-form[data-sv-ready]")).to_be_attached()
    unfocused = page.evaluate(UNFOCUSED)

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator(f"#{skip_target}")).to_be_focused()

    stops, unlit = [], []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["inForm"]:
            stops.append(focused["key"])
            if not focused["visible"] or focused["look"] == unfocused.get(focused["key"]):
                unlit.append(focused["key"])
        elif stops:
            break  # left the form
    assert stops == PLEDGE_STOPS
    assert unlit == [], "these show no visible focus"
