"""The ranking rules (socialvalue/match.py) on a tiny register written inline, with the expected
orders worked out by hand in the comments. Weights: offer 3 each, local 4 or county 2, measure 2
each, priority 5 each, subject keyword 1 each; ties go to the name (casefolded), then the id."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
from fixtures import REPO, SAMPLE_REGISTER, TODAY

from socialvalue.lookups import RegisterView
from socialvalue.match import (
    Profile,
    applies,
    deliverable_measures,
    keywords,
    lower_first,
    match,
    relevant_commitments,
)
from socialvalue.matchpages import match_data, match_pages
from socialvalue.register.model import (
    Area,
    Commitment,
    Measure,
    OfferType,
    Organisation,
    Priority,
    Register,
    Settings,
    Unit,
)

SETTINGS = Settings(
    body_name="Office of the Commissioner",
    body_short_name="OPCC",
    county="Norfolk",
    site_name="Register",
    site_url="https://example.org/",
    intake_url="",
    contact_email="sv@example.org",
    threshold_gbp=5000,
    aggregation_months=12,
    review_max_age_months=12,
    sample_data=True,
)


def org(
    id: str,
    name: str,
    areas: str,
    offers: str,
    measures: str = "",
    description: str = "A group.",
    welcomes: str | None = None,
) -> Organisation:
    return Organisation(
        id=id,
        name=name,
        description=description,
        areas=tuple(areas.split()),
        offers=tuple(offers.split()),
        measures=tuple(measures.split()),
        reviewed=dt.date(2026, 10, 1),
        source_path=f"organisations/{id}.yaml",
        welcomes=welcomes,
    )


ORGS = (
    org("alder", "alder Youth Club", "norwich", "money volunteering", "m-safe"),
    org("birch-trust", "Birch Trust", "norwich", "volunteering", "m-safe"),
    org("birch-trust-2", "Birch Trust", "norwich", "volunteering", "m-safe"),
    org("cedar", "Cedar Refuge", "norfolk", "money", "m-victims"),
    org("dunes", "Dunes Jobs", "broadland", "jobs", "m-jobs"),
    org("elm", "Elm Hall", "broadland", "money volunteering", description="A hall with a garden."),
    org("fern", "Fern Kitchen", "broadland", "volunteering", description="Cooking lessons."),
)


def register(orgs: tuple[Organisation, ...] = ORGS) -> Register:
    return Register(
        settings=SETTINGS,
        priorities=(
            Priority("preventing-crime", "Preventing crime", "plan-priority", 1, "s", "d"),
            Priority("reducing-harm", "Reducing harm", "plan-priority", 2, "s", "d"),
        ),
        units={"hours": Unit("hours", "hour", "hours", False)},
        offer_types=(
            OfferType("money", "Donations and sponsorship", 1, "d"),
            OfferType("volunteering", "Staff time and volunteering", 2, "d"),
            OfferType("jobs", "Jobs and apprenticeships", 3, "d"),
        ),
        areas=(
            Area("broadland", "Broadland", "district", "d"),
            Area("norwich", "Norwich", "district", "d"),
            Area("norfolk", "County-wide (all of Norfolk)", "county", "d"),
        ),
        measures=(
            Measure(
                "m-safe",
                "preventing-crime",
                1,
                "Safe spaces for young people",
                "e",
                "c",
                ("money", "volunteering"),
                "hours",
            ),
            Measure(
                "m-jobs",
                "preventing-crime",
                2,
                "Jobs for ex-offenders",
                "e",
                "c",
                ("jobs",),
                "hours",
            ),
            Measure(
                "m-victims",
                "reducing-harm",
                1,
                "Support for victims",
                "e",
                "c",
                ("money",),
                "hours",
            ),
        ),
        charter=(
            Commitment("c-wage", 1, "Living Wage", "e", "e", "staffing", True),
            Commitment("c-pay", 2, "Prompt payment", "e", "e", "operations", True),
        ),
        partners=(),
        signatories=(),
        organisations=orgs,
    )


def ranked(profile: Profile, reg: Register | None = None) -> list[tuple[str, int]]:
    return [(o.organisation.id, o.score) for o in match(profile, reg or register())]


def test_one_district_ties_go_to_the_casefolded_name_then_the_id():
    # alder, birch-trust, birch-trust-2: volunteering 3 + local 4 + m-safe 2 = 9 each.
    # "alder Youth Club" sorts before "Birch Trust" only when casefolded ("B" < "a" in raw text);
    # the two "Birch Trust" entries tie on name too, so the id decides.
    # cedar (money only), elm and fern (Broadland) are not eligible.
    assert ranked(Profile(("volunteering",), ("norwich",))) == [
        ("alder", 9),
        ("birch-trust", 9),
        ("birch-trust-2", 9),
    ]


def test_a_chosen_priority_lifts_a_county_wide_organisation_above_local_ones():
    # cedar: money 3 + county 2 + m-victims 2 + reducing harm 5 = 12
    # alder: money and volunteering 6 + local 4 (m-safe is not in the chosen priority) = 10
    # birch-trust(-2): volunteering 3 + local 4 = 7
    profile = Profile(("money", "volunteering"), ("norwich",), ("reducing-harm",))
    assert ranked(profile) == [
        ("cedar", 12),
        ("alder", 10),
        ("birch-trust", 7),
        ("birch-trust-2", 7),
    ]


def test_a_county_wide_supplier_reaches_every_district():
    # alder: money 3 + county 2 + m-safe 2 = 7; cedar: 3 + 2 + m-victims 2 = 7 (name decides);
    # elm: 3 + 2 = 5. Without money, birch, dunes and fern are not eligible.
    assert ranked(Profile(("money",), ("norfolk",))) == [("alder", 7), ("cedar", 7), ("elm", 5)]


def test_the_subject_breaks_a_tie_by_keywords():
    # elm and fern: volunteering 3 + local 4 = 7, so the name puts elm first ...
    assert ranked(Profile(("volunteering",), ("broadland",))) == [("elm", 7), ("fern", 7)]
    # ... until the subject "cooking" meets fern's "Cooking lessons" (+1).
    profile = Profile(("volunteering",), ("broadland",), subject="Cooking and catering")
    assert ranked(profile) == [("fern", 8), ("elm", 7)]
    assert match(profile, register())[0].why == (
        "welcomes staff time and volunteering; works in Broadland; mentions cooking"
    )


def test_why_it_matched_names_the_help_the_place_and_the_measures():
    found = {
        o.organisation.id: o
        for o in match(Profile(("money", "volunteering"), ("norfolk",)), register())
    }
    assert found["alder"].why == (
        "welcomes donations and sponsorship, staff time and volunteering; "
        "works in Norwich; helps with safe spaces for young people"
    )
    assert found["cedar"].reasons == (
        "welcomes donations and sponsorship",
        "works across Norfolk",
        "helps with support for victims",
    )
    assert found["alder"].measures == ("m-safe",)


def test_more_than_two_measures_are_counted_not_listed():
    busy = org("busy", "Busy", "norwich", "money jobs", "m-victims m-jobs m-safe")
    [only] = match(Profile(("money", "jobs"), ("norwich",)), register((busy,)))
    # money and jobs 6 + local 4 + three measures 6 = 16; measures in register order
    assert only.score == 16
    assert (
        only.reasons[2]
        == "helps with safe spaces for young people, jobs for ex-offenders and 1 more"
    )


def test_no_shared_offer_or_place_means_no_match():
    assert ranked(Profile(("jobs",), ("norwich",))) == []
    assert ranked(Profile(("jobs",), ("broadland",))) == [("dunes", 9)]


def test_a_profile_needs_an_offer_and_an_area():
    with pytest.raises(ValueError):
        Profile((), ("norwich",))
    with pytest.raises(ValueError):
        Profile(("money",), ())


def test_deliverable_measures_are_grouped_by_priority_with_units():
    groups = deliverable_measures(Profile(("money",), ("norwich",)), register())
    assert [(p.id, [(m.id, u.plural) for m, u in ms]) for p, ms in groups] == [
        ("preventing-crime", [("m-safe", "hours")]),
        ("reducing-harm", [("m-victims", "hours")]),
    ]
    groups = deliverable_measures(Profile(("money",), ("norwich",), ("reducing-harm",)), register())
    assert [(p.id, [m.id for m, _ in ms]) for p, ms in groups] == [("reducing-harm", ["m-victims"])]


def test_relevant_commitments_follow_the_themes_of_the_help():
    reg = register()
    assert [c.id for c in relevant_commitments(Profile(("jobs",), ("norwich",)), reg)] == ["c-wage"]
    # money points to no theme, so every commitment is listed
    assert [c.id for c in relevant_commitments(Profile(("money",), ("norwich",)), reg)] == [
        "c-wage",
        "c-pay",
    ]


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("contract", 5000, False),  # must be OVER the threshold
        ("contract", 5000.01, True),
        ("repeat", 4999.99, False),
        ("repeat", 5000, True),  # repeat orders that REACH the threshold count
    ],
)
def test_applies_uses_the_threshold_from_settings(kind, value, expected):
    assert applies(kind, value, SETTINGS) is expected


def test_lower_first_keeps_names_and_acronyms():
    assert lower_first("Safe spaces for young people") == "safe spaces for young people"
    assert (
        lower_first("Cyber Essentials for Norfolk organisations")
        == "Cyber Essentials for Norfolk organisations"
    )
    assert lower_first("VCSE premises") == "VCSE premises"
    assert lower_first("Domestic Abuse Champions") == "Domestic Abuse Champions"


def test_keywords_are_five_letter_stems_without_stopwords():
    assert keywords("Printing, printed & PRINTS for the team!") == ["print", "team"]


def test_match_pages_rank_every_area_and_kind_of_help():
    pages = {path: context for path, _, context in match_pages(RegisterView(register()))}
    assert {"match/index.md", "check/index.md", "opportunities/index.md"} <= set(pages)
    page = pages["opportunities/norwich/volunteering/index.md"]
    assert [o.organisation.id for o in page["chunk"]] == ["alder", "birch-trust", "birch-trust-2"]
    assert page["title"] == "Staff time and volunteering: opportunities in Norwich"
    assert (
        pages["opportunities/norfolk/jobs/index.md"]["title"]
        == "Jobs and apprenticeships: opportunities anywhere in Norfolk"
    )


def test_match_data_shards_hold_only_what_the_browser_ranks_with():
    files = match_data(register())
    meta = json.loads(files["match/data/meta.json"])
    assert meta["weights"] == {
        "offer": 3,
        "local": 4,
        "county": 2,
        "measure": 2,
        "priority": 5,
        "subject": 1,
    }
    # rank = place in (name casefolded, id) order; indexes point into meta's lists
    assert json.loads(files["match/data/norwich/money.json"]) == [
        [0, "alder", "alder Youth Club", [1], [0, 1], [0], "A group."]
    ]
    assert meta["shards"]["norwich"]["money"] == len(files["match/data/norwich/money.json"])
    # keyword index: gaps between ranks ("garde" is elm's, rank 5)
    assert json.loads(files["match/data/words/ga.json"]) == {"garde": [5]}
    assert files == match_data(register())  # deterministic


SPLIT_SCRIPT = """
import datetime as dt, sys
from pathlib import Path
from socialvalue import matchpages
from socialvalue.register.check import check
register = check(Path(sys.argv[1]), dt.date.fromisoformat(sys.argv[2])).register
pairs = [(a, o) for a in register.areas for o in register.offer_types]
matchpages.SPLIT_FROM = 10**9
alone = matchpages._matches(register, pairs)
matchpages.SPLIT_FROM = 1
matchpages.may_fork = lambda: True
shared = matchpages._matches(register, pairs)
ours = {id(org) for org in register.organisations}
print(shared == alone, all(id(o.organisation) in ours for each in shared for o in each),
      sum(map(len, alone)), sum(1 for each in alone if each))
"""


def test_the_opportunity_pages_match_the_same_on_two_cores() -> None:
    """Forced onto two processes (a fresh one, since forking needs one thread), the matches
    of every area and kind of help are one process's, and point at this process's entries."""
    done = subprocess.run(
        [sys.executable, "-c", SPLIT_SCRIPT, str(SAMPLE_REGISTER), TODAY.isoformat()],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    same, ours, matches, pairs = done.stdout.split()
    assert (same, ours) == ("True", "True")
    assert int(matches) > 50 and int(pairs) > 20  # enough to be a test
