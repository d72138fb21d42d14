"""The organisation lists' items are made in Python (`OrgItems`, once per organisation): they
must be what the Jinja loop they replaced wrote, escaping and spacing included."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures import REPO, TODAY

from socialvalue.pages import SiteContext, renderer
from socialvalue.register.check import Passed, check

# The loop as it was in templates/pages/_macros.html before OrgItems.
JINJA_LOOP = """\
{% for org in orgs %}
  <li class="sv-list__item">
    <a class="sv-list__title" href="{{ ('register/' ~ org.id ~ '/') | rel(here) }}">{{ org.name }}</a>
    <p class="sv-list__text">{{ org.description | summary }}</p>
    {% if show_areas %}<p class="sv-list__meta">Areas: {% for a in view.areas_of(org) %}{{ a.name }}{% if not loop.last %}, {% endif %}{% endfor %}</p>{% endif %}
  </li>
{% endfor %}
"""  # noqa: E501 - the template as it was


@pytest.mark.parametrize("here", ["", "register/", "areas/norwich/", "register/page/2/"])
@pytest.mark.parametrize("show_areas", [True, False])
def test_items_are_what_the_jinja_loop_wrote(
    fixture_register: Path, here: str, show_areas: bool
) -> None:
    checked = check(fixture_register, TODAY, REPO / "content")
    assert isinstance(checked, Passed), checked.problems
    site = SiteContext("", REPO / "content", REPO / "templates", None)
    pages = renderer(checked.register, site, {}, TODAY)
    orgs = list(checked.register.organisations)
    assert any("<" in org.name or "&" in org.name for org in orgs)  # the hostile entry is here

    expected = pages.env.from_string(JINJA_LOOP).render(
        orgs=orgs, here=here, show_areas=show_areas, view=pages.view
    )
    made = pages.env.globals["org_items"](orgs, here, show_areas)

    assert str(made) == expected
    assert str(pages.env.globals["org_items"](orgs, here, show_areas)) == expected  # remembered


# The opportunity cards' loop as it was in templates/pages/opportunity.html.
CARDS_LOOP = """\
{% for found in items %}
  {% set org = found.organisation %}
  <li class="sv-list__item svm-list__item svm-card">
    <a class="sv-list__title" href="{{ ('register/' ~ org.id ~ '/') | rel(here) }}">{{ org.name }}</a>
    <p class="sv-list__text svm-card__text">{{ org.description | summary }}</p>
    <p class="svm-card__where">{{ where(org) }}</p>
    <p class="svm-why"><strong>Why it matched:</strong> {{ found.why }}</p>
  </li>
{% endfor %}
"""  # noqa: E501 - the template as it was


@pytest.mark.parametrize("here", ["opportunities/norwich/money/", "opportunities/norfolk/money/2/"])
def test_cards_are_what_the_jinja_loop_wrote(fixture_register: Path, here: str) -> None:
    from socialvalue.match import Profile, match
    from socialvalue.matchpages import where_it_works

    checked = check(fixture_register, TODAY, REPO / "content")
    assert isinstance(checked, Passed), checked.problems
    register = checked.register
    site = SiteContext("", REPO / "content", REPO / "templates", None)
    pages = renderer(register, site, {}, TODAY)
    found = [
        item
        for offer in register.offer_types
        for item in match(Profile((offer.id,), ("norfolk",)), register)
    ]
    assert found and any("<" in item.organisation.name for item in found)  # hostile included

    expected = pages.env.from_string(CARDS_LOOP).render(
        items=found, here=here, where=lambda org: where_it_works(org, register)
    )

    assert str(pages.env.globals["opportunity_cards"](found, here)) == expected
