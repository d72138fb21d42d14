"""Accessibility of the finder, the threshold check and the opportunity pages: axe-core (WCAG 2.2
AA and best practice) with zero violations in every state, and the Nu HTML Checker with no errors
on the built pages and on the pages as the scripts leave them (results and errors shown)."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE = Axe()
ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def violations(page: Page) -> list[str]:
    result = AXE.run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in result.response["violations"]
    ]


def _results(page: Page) -> None:
    expect(page.locator("#svm-results[data-state=done]")).to_be_visible()


def _match_errors(page: Page) -> None:
    page.get_by_role("button", name="Show opportunities").click()
    expect(page.locator("#svm-error-summary")).to_be_visible()


def _results_opened(page: Page) -> None:
    _results(page)
    for summary in page.locator("#svm-results details > summary").all():
        summary.click()
    expect(page.locator("#svm-list-rest > li").first).to_be_visible()


def _carried(page: Page) -> None:
    expect(page.locator("#svm-carried")).to_be_visible()


def _more_opened(page: Page) -> None:
    page.locator("details.svm-rest > summary").click()
    expect(page.locator("details.svm-rest li").first).to_be_visible()


def _check_answer(page: Page) -> None:
    expect(page.locator("#svc-answer")).to_be_visible()


def _check_errors(page: Page) -> None:
    expect(page.locator("#svm-error-summary")).to_be_visible()


# name -> (address, how to reach the state)
STATES = {
    "match: empty form": ("match/", None),
    "match: results": (
        "match/?offer=money&offer=volunteering&area=broadland&priority=reducing-harm"
        "&value=6000&subject=youth",
        _results,
    ),
    "match: every result and list opened": (
        "match/?offer=money&offer=professional-advice&area=norfolk&subject=IT",
        _results_opened,
    ),
    "match: the value from the check": ("match/?value=25000", _carried),
    "match: errors": ("match/?value=abc", _match_errors),
    "check: empty form": ("check/", None),
    "check: answer": ("check/?kind=contract&value=6000", _check_answer),
    "check: errors": ("check/?value=-5", _check_errors),
    "opportunities index": ("opportunities/", None),
    "opportunity page": ("opportunities/great-yarmouth/volunteering/", None),
    "opportunity page, more matches opened": ("opportunities/norfolk/money/", _more_opened),
}


@pytest.fixture(scope="module", params=[1280, 390], ids=["desktop", "phone"])
def sized_page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": request.param, "height": 900})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("name", list(STATES))
def test_no_axe_violations(sized_page: Page, sample_url: str, name: str) -> None:
    url, reach = STATES[name]
    sized_page.goto(sample_url + url)
    if reach:
        reach(sized_page)
    assert violations(sized_page) == []


def test_no_axe_violations_when_our_scripts_do_not_run(browser: Browser, sample_url: str) -> None:
    """The no-JavaScript pages (axe itself needs JavaScript, so our two scripts are blocked)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(re.compile(r".*/assets/sv/(match|check)\.js$"), lambda route: route.abort())
    page = context.new_page()
    try:
        for url in ("match/", "check/"):
            page.goto(sample_url + url)
            expect(page.locator("form.svm-form")).to_be_hidden()
            assert violations(page) == [], url
    finally:
        context.close()


def nu_errors(paths: list[Path]) -> list[str]:
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    return [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}" for m in messages]


def test_nu_html_checker_finds_no_errors(
    page: Page, sample_site: Path, sample_url: str, tmp_path: Path
) -> None:
    assert VNU.is_file(), "vnu.jar is missing: run `bash tests/setup.sh` (it installs vnu-jar)"
    built = [
        sample_site / p / "index.html"
        for p in (
            "match",
            "check",
            "opportunities",
            "opportunities/norwich/money",
            "areas/norwich",
            "measures/pc-safe-spaces",
        )
    ]
    scripted = []
    for name in (
        "match: results",
        "match: every result and list opened",
        "match: the value from the check",
        "match: errors",
        "check: answer",
        "check: errors",
    ):
        url, reach = STATES[name]
        page.goto(sample_url + url)
        reach(page)
        target = tmp_path / (name.replace(": ", "-").replace(" ", "-") + ".html")
        target.write_text(
            "<!doctype html>\n" + page.evaluate("document.documentElement.outerHTML"),
            encoding="utf-8",
        )
        scripted.append(target)
    assert nu_errors(built + scripted) == []
