"""PARITY: the browser finder (templates/assets/match.js) gives exactly the Python results.

Each profile is run through socialvalue.match and through the page in Chromium (answers in the
address, as a shared link would give them); the ranked organisation ids, the why-it-matched lines,
where each organisation works, the measures and the Charter commitments must be identical.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from socialvalue.match import Profile, deliverable_measures, match, relevant_commitments
from socialvalue.matchpages import where_it_works
from socialvalue.register.model import Register

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ALL_OFFERS = (
    "money",
    "volunteering",
    "professional-advice",
    "in-kind",
    "jobs",
    "training",
    "supply-chain",
)

PROFILES = {
    "one offer, one district": Profile(("money",), ("broadland",)),
    "coastal volunteering": Profile(("volunteering",), ("great-yarmouth",)),
    "three offers and a priority": Profile(
        ("money", "volunteering", "in-kind"), ("norwich",), ("preventing-crime",)
    ),
    "county-wide supplier": Profile(("professional-advice",), ("norfolk",)),
    "two districts, two priorities": Profile(
        ("jobs", "training"),
        ("kings-lynn-and-west-norfolk", "north-norfolk"),
        ("cohesive-communities", "reducing-harm"),
    ),
    "a single match": Profile(("supply-chain",), ("south-norfolk",)),
    "no match at all": Profile(("supply-chain",), ("broadland",)),
    "everything, with a subject": Profile(
        ALL_OFFERS, ("norfolk",), subject="IT security and printing"
    ),
    "priority and subject": Profile(
        ("training",), ("breckland",), ("reducing-harm",), subject="Domestic abuse awareness"
    ),
    "a district and county-wide": Profile(("in-kind",), ("norwich", "norfolk")),
    "with a contract value": Profile(
        ("volunteering",), ("broadland",), contract_value=6000, subject="youth sailing boats"
    ),
    "a Norwich firm giving advice, with an IT contract": Profile(
        ("professional-advice",), ("norwich",), subject="IT support"
    ),
    "short words and related words": Profile(
        ("money", "in-kind", "training"), ("norfolk",), subject="HR, PR and catering for ICT"
    ),
}


def query(profile: Profile) -> str:
    pairs = [("offer", o) for o in profile.offers] + [("area", a) for a in profile.areas]
    pairs += [("priority", p) for p in profile.priorities]
    if profile.contract_value is not None:
        pairs.append(("value", f"{profile.contract_value:g}"))
    if profile.subject:
        pairs.append(("subject", profile.subject))
    return "match/?" + urlencode(pairs)


def browser_results(page: Page, url: str) -> dict[str, list]:
    page.goto(url)
    expect(page.locator("#svm-results[data-state=done]")).to_be_visible()
    rest = page.locator("#svm-rest > summary")
    if rest.is_visible():
        rest.click()
    more = page.locator("#svm-more")
    while more.is_visible():
        more.click()
    items = page.locator("#svm-results [data-org]")
    return {
        "ids": items.evaluate_all("els => els.map(e => e.dataset.org)"),
        "why": page.locator("#svm-results [data-org] .svm-why").evaluate_all(
            "els => els.map(e => e.textContent.replace(/^Why it matched: /, ''))"
        ),
        "where": page.locator("#svm-results [data-org] .svm-card__where").all_text_contents(),
        "measures": page.locator("#svm-measures [data-measure]").evaluate_all(
            "els => els.map(e => e.dataset.measure)"
        ),
        "commitments": page.locator("#svm-commitments [data-commitment]").evaluate_all(
            "els => els.map(e => e.dataset.commitment)"
        ),
    }


def python_results(profile: Profile, register: Register) -> dict[str, list]:
    found = match(profile, register)
    return {
        "ids": [o.organisation.id for o in found],
        "why": [o.why for o in found],
        "where": [where_it_works(o.organisation, register) for o in found],
        "measures": [m.id for _, ms in deliverable_measures(profile, register) for m, _ in ms],
        "commitments": [c.id for c in relevant_commitments(profile, register)],
    }


@pytest.mark.parametrize("name", list(PROFILES))
def test_browser_and_python_rank_identically(
    page: Page, sample_url: str, sample_register: Register, name: str
) -> None:
    profile = PROFILES[name]
    assert browser_results(page, sample_url + query(profile)) == python_results(
        profile, sample_register
    )


# name -> (profile, fewest results expected): the first needs "Show more" (50 at a time)
BIG_PROFILES = {
    "county-wide, many ties": (Profile(("money", "in-kind"), ("norfolk",)), 51),
    "one district with priorities": (
        Profile(
            ("volunteering", "training"),
            ("norwich",),
            ("reducing-harm",),
            subject="advice sessions",
        ),
        20,
    ),
}


@pytest.mark.parametrize("name", list(BIG_PROFILES))
def test_parity_over_a_bigger_register(
    page: Page, big_url: str, big_register: Register, name: str
) -> None:
    profile, fewest = BIG_PROFILES[name]
    expected = python_results(profile, big_register)
    assert len(expected["ids"]) >= fewest
    assert browser_results(page, big_url + query(profile)) == expected


def test_the_it_firm_finds_the_digital_safety_network_first(
    page: Page, sample_url: str, sample_register: Register
) -> None:
    """ "IT" is two letters, yet it is what the supplier's contract is for: the organisation that
    asks for IT help comes first, in Python and in the browser."""
    profile = PROFILES["a Norwich firm giving advice, with an IT contract"]
    first = match(profile, sample_register)[0]
    assert first.organisation.id == "cathedral-quarter-digital-safety"
    assert "mentions IT, cyber, computer" in first.why
    shown = browser_results(page, sample_url + query(profile))
    assert shown["ids"][0] == "cathedral-quarter-digital-safety"
