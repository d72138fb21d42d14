"""model: the validated register as frozen dataclasses, in the order pages show them.

The second half checks the shipped sample register against the sample-data requirements.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from urllib.parse import urlparse

import pytest
from fixtures import TODAY

from socialvalue.register.check import Failed, check
from socialvalue.register.model import Contact, Organisation, Register


@pytest.fixture
def register(minimal_register) -> Register:
    checked = check(minimal_register(), today=TODAY)
    assert checked.problems == []
    return checked.register


def test_organisations_sorted_by_name_with_typed_fields(register):
    youth = next(o for o in register.organisations if o.id == "sample-youth-club")

    assert [o.name for o in register.organisations] == [
        "Sample Green Spaces Trust",
        "Sample Safe Haven",
        "Sample Youth Club",
    ]
    assert (youth.areas, youth.measures, youth.offers) == (
        ("norwich",),
        ("pc-safe-spaces", "cc-youth-volunteering"),
        ("money", "volunteering"),
    )
    assert youth.contact == Contact(
        "hello@youth-club.example.org", "https://youth-club.example.org/", "01603 000 123"
    )
    assert (youth.reviewed, youth.org_id, youth.town, youth.sample) == (
        dt.date(2026, 10, 1),
        "GB-CHC-1000001",
        "Norwich",
        True,
    )
    assert youth.source_path.endswith("organisations/sample-youth-club.yaml")


def test_optional_fields_default(register):
    haven, green = (
        next(o for o in register.organisations if o.id == i)
        for i in ("sample-safe-haven", "sample-green-spaces")
    )

    assert (haven.safeguarding, haven.town, haven.address, haven.org_id, haven.added) == (
        True,
        None,
        None,
        None,
        None,
    )
    assert haven.contact == Contact(email="contact@safe-haven.example.org")
    assert (green.safeguarding, green.added, green.contact.any) == (
        False,
        dt.date(2026, 1, 15),
        True,
    )
    assert Contact().any is False


def test_an_organisation_without_contact_gets_an_empty_contact(minimal_register):
    root = minimal_register(
        {
            "organisations/sample-green-spaces.yaml": (
                "id: sample-green-spaces\nname: Sample Green Spaces Trust\n"
                "description: A fictional trust that looks after green spaces.\n"
                "areas: [breckland]\nmeasures: [env-green-spaces]\noffers: [money]\n"
                "reviewed: 2026-10-01\n"
            )
        }
    )

    green = next(
        o for o in check(root, today=TODAY).register.organisations if o.id == "sample-green-spaces"
    )

    assert (green.contact, green.contact.any, green.sample) == (Contact(), False, False)


def test_reference_tables_in_page_order(register):
    assert [(p.id, p.order) for p in register.priorities] == [
        ("preventing-crime", 1),
        ("cohesive-communities", 2),
        ("reducing-harm", 3),
        ("environment", 4),
    ]
    assert [m.id for m in register.measures] == [
        "pc-safe-spaces",
        "cc-youth-volunteering",
        "rh-advice-for-victim-vcses",
        "env-green-spaces",
    ]
    assert [a.id for a in register.areas][-1] == "norfolk"
    assert [a.county_wide for a in register.areas].count(True) == 1
    assert [a.name for a in register.areas[:2]] == ["Breckland", "Broadland"]
    assert [o.id for o in register.offer_types] == ["money", "volunteering", "professional-advice"]
    assert register.offer_types[2].examples == (
        "Reviewing a charity's accounts",
        "Helping to write HR policies",
    )
    assert sorted(register.units) == ["hours", "pounds"]
    assert register.units["hours"].integer is False
    assert [c.id for c in register.charter] == ["ch-living-wage", "ch-local-spend"]
    assert [(p.id, p.priorities, p.since) for p in register.partners] == [
        ("sample-housing-partnership", ("preventing-crime", "environment"), dt.date(2025, 9, 1))
    ]
    assert register.signatories == ()
    assert register.settings.sample_data is True


def test_lookups(register):
    assert register.priority("environment").title == "Environment and climate"
    assert [m.id for m in register.measures_of("preventing-crime")] == ["pc-safe-spaces"]
    assert register.measures_of("no-such-priority") == []


def test_the_domain_is_frozen(register):
    with pytest.raises(dataclasses.FrozenInstanceError):
        register.organisations[0].name = "changed"  # type: ignore[misc]
    assert isinstance(register.organisations, tuple)
    assert all(isinstance(o, Organisation) for o in register.organisations)


def test_model_is_deterministic(minimal_register):
    root = minimal_register()

    assert check(root, today=TODAY).register == check(root, today=TODAY).register


def test_no_register_is_modelled_when_there_are_errors(minimal_register):
    root = minimal_register({"organisations/sample-youth-club.yaml": "name: only a name\n"})

    assert isinstance(check(root, today=TODAY), Failed)


# ---- The shipped sample register --------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> Register:
    from fixtures import SAMPLE_REGISTER

    checked = check(SAMPLE_REGISTER, today=TODAY)
    assert [p for p in checked.problems if p.is_error] == []
    return checked.register


def test_sample_has_at_least_30_organisations(sample):
    assert len(sample.organisations) >= 30


def test_sample_every_district_has_an_organisation(sample):
    districts = {a.id for a in sample.areas if a.kind == "district"}
    covered = {area for o in sample.organisations for area in o.areas}

    assert len(districts) == 7
    assert sorted(districts - covered) == []


def test_sample_every_priority_has_a_measure_some_organisation_welcomes(sample):
    welcomed = {m for o in sample.organisations for m in o.measures}
    priority_of = {m.id: m.priority for m in sample.measures}

    assert sorted({p.id for p in sample.priorities} - {priority_of[m] for m in welcomed}) == []


def test_sample_every_offer_type_is_welcomed(sample):
    welcomed = {offer for o in sample.organisations for offer in o.offers}

    assert sorted({t.id for t in sample.offer_types} - welcomed) == []


def test_sample_has_7_7_8_measures_under_the_plan_priorities(sample):
    plan = [p for p in sample.priorities if p.kind == "plan-priority"]

    assert [(p.id, len(sample.measures_of(p.id))) for p in plan] == [
        ("preventing-crime", 7),
        ("cohesive-communities", 7),
        ("reducing-harm", 8),
    ]


def test_sample_organisations_are_marked_and_named_as_samples(sample):
    assert [o.id for o in sample.organisations if o.sample is not True] == []
    assert [o.name for o in sample.organisations if not o.name.startswith("Sample")] == []


def _domain(host: str) -> bool:
    return host == "example.org" or host.endswith(".example.org")


def test_sample_contacts_use_example_org(sample):
    emails = [o.contact.email for o in sample.organisations if o.contact.email]
    websites = [o.contact.website for o in sample.organisations if o.contact.website]

    assert emails and websites
    assert [e for e in emails if not _domain(e.rpartition("@")[2].lower())] == []
    assert [w for w in websites if not _domain((urlparse(w).hostname or "").lower())] == []
