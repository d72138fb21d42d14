"""Structural assertions on the fixture site: what a careless golden regenerate cannot hide."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest
import yaml
from bs4 import BeautifulSoup
from site_support import ROOT, BuiltSite

pytestmark = pytest.mark.slow

SETTINGS = yaml.safe_load((ROOT / "register" / "settings.yaml").read_text(encoding="utf-8"))[0]
SITE_NAME = SETTINGS["site_name"]
MKDOCS = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
EDIT_BASE = f"{MKDOCS['repo_url'].rstrip('/')}/{MKDOCS['edit_uri'].strip('/')}/"
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b")


def h1(soup: BeautifulSoup) -> str:
    headings = soup.find_all("h1")
    assert len(headings) == 1, [h.get_text() for h in headings]
    return headings[0].get_text(" ", strip=True)


def org_links(site: BuiltSite, url: str) -> list[str]:
    """Ids of the organisations the main content of the page at `url` links to, in order."""
    links = (
        urljoin(f"http://site/{url}", a["href"])
        for a in site.soup(url).find("article").find_all("a", href=True)
    )
    return [
        m.group(1)
        for link in links
        if (m := re.fullmatch(r"http://site/register/([a-z0-9-]+)/", link))
    ]


def test_titles_and_headings_of_data_pages(fixture_site: BuiltSite) -> None:
    priority = fixture_site.table("priorities")[0]
    measure = fixture_site.table("measures")[0]
    expected = {
        "": SITE_NAME,
        f"priorities/{priority['id']}/": priority["title"],
        f"measures/{measure['id']}/": measure["title"],
        "charter/": "The Suppliers Charter",
        "register/": "Register of organisations",
        "areas/norwich/": "Norwich",
        **{f"register/{i}/": row["name"] for i, row in fixture_site.organisations().items()},
    }
    for url, title in expected.items():
        soup = fixture_site.soup(url)
        assert h1(soup) == title, url
        full = SITE_NAME if url == "" else f"{title} - {SITE_NAME}"
        assert soup.title.get_text() == full, url


def test_area_and_measure_pages_list_every_matching_organisation(fixture_site: BuiltSite) -> None:
    orgs = fixture_site.organisations()
    for area in fixture_site.table("areas"):
        wanted = {i for i, o in orgs.items() if area["id"] in o["areas"] or "norfolk" in o["areas"]}
        listed = org_links(fixture_site, f"areas/{area['id']}/")
        assert sorted(listed) == sorted(wanted), area["id"]
    for measure in fixture_site.table("measures"):
        listed = org_links(fixture_site, f"measures/{measure['id']}/")
        assert sorted(listed) == sorted(
            i for i, o in orgs.items() if measure["id"] in o["measures"]
        )
    assert sorted(org_links(fixture_site, "register/")) == sorted(orgs)


def test_safeguarding_entry_shows_no_location(fixture_site: BuiltSite) -> None:
    safe = [i for i, o in fixture_site.organisations().items() if o.get("safeguarding")]
    assert safe == ["sample-safe-haven"]
    article = fixture_site.soup("register/sample-safe-haven/").find("article")
    terms = [dt.get_text(strip=True) for dt in article.find_all("dt")]
    assert "Based in" not in terms and "Address" not in terms
    assert "Location" in terms and "Not published" in article.get_text()
    assert not POSTCODE.search(article.get_text())
    # while an ordinary entry does show its town and address
    terms = [
        dt.get_text(strip=True)
        for dt in fixture_site.soup("register/sample-green-spaces/").find_all("dt")
    ]
    assert {"Based in", "Address"} <= set(terms)


def test_every_page_carries_the_sample_banner(fixture_site: BuiltSite) -> None:
    assert SETTINGS["sample_data"] is True
    for url in fixture_site.html_pages():
        banner = fixture_site.soup(url).select_one(".md-banner .sv-banner")
        assert banner is not None and "Sample data" in banner.get_text(), url


def test_organisation_pages_link_to_edit_measures_priorities_and_areas(
    fixture_site: BuiltSite,
) -> None:
    measures = {m["id"]: m for m in fixture_site.table("measures")}
    for org_id, org in fixture_site.organisations().items():
        article = fixture_site.soup(f"register/{org_id}/").find("article")
        hrefs = [a["href"] for a in article.find_all("a", href=True)]
        # the site's own update form first (the intake fills it in), GitHub second
        suggest = article.find("a", string=re.compile("Suggest a change"))
        assert suggest is not None
        assert suggest["href"] == f"/forms/register-request?organisation={org_id}"
        github = article.find("a", string="edit it on GitHub")
        assert github["href"] == f"{EDIT_BASE}register/organisations/{org_id}.yaml"
        for measure_id in org["measures"]:
            assert f"../../measures/{measure_id}/" in hrefs, (org_id, measure_id)
        for area_id in org["areas"]:
            assert f"../../areas/{area_id}/" in hrefs, (org_id, area_id)
        priorities = {measures[m]["priority"] for m in org["measures"]}
        measure_page = fixture_site.soup(f"measures/{org['measures'][0]}/").find("article")
        assert any(
            f"priorities/{p}/" in a["href"] for p in priorities for a in measure_page.find_all("a")
        )


def test_content_pages_link_to_edit_their_source_file(fixture_site: BuiltSite) -> None:
    """Each content/*.md page (posts included) says where to suggest a change, exactly once."""
    sources = sorted((ROOT / "content").rglob("*.md"))
    assert sources
    for source in sources:
        relative = source.relative_to(ROOT / "content").with_suffix("")
        article = fixture_site.soup(f"{relative.as_posix()}/").find("article")
        links = article.find_all("a", string=re.compile("Suggest a change"))
        assert [a["href"] for a in links] == [
            f"{EDIT_BASE}content/{source.relative_to(ROOT / 'content').as_posix()}"
        ], relative
    charter = fixture_site.soup("charter/").find("article")
    assert charter.find("a", string=re.compile("Suggest a change")) is None  # generated page


def test_pagefind_filters_on_organisation_pages(fixture_site: BuiltSite) -> None:
    areas = {a["id"]: a["name"] for a in fixture_site.table("areas")}
    offers = {o["id"]: o["title"] for o in fixture_site.table("offer-types")}
    for org_id, org in fixture_site.organisations().items():
        spans = fixture_site.soup(f"register/{org_id}/").select("article [data-pagefind-filter]")
        filters = {tuple(s["data-pagefind-filter"].split(":", 1)) for s in spans}
        assert ("type", "Organisation") in filters
        assert {("area", areas[a]) for a in org["areas"]} <= filters
        assert {("offer", offers[o]) for o in org["offers"]} <= filters
        assert any(name == "priority" for name, _ in filters)
        assert all(s.has_attr("hidden") for s in spans)


@pytest.mark.parametrize(
    "url", ["register/sample-hostile-text/", "register/", "areas/great-yarmouth/"]
)
def test_register_text_is_escaped_not_run(fixture_site: BuiltSite, url: str) -> None:
    html = fixture_site.file(url).read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    article = soup.find("article")
    assert article.find("script") is None
    assert not [
        a
        for a in soup.find_all("a", href=True)
        if a["href"].strip().lower().startswith("javascript:")
    ]
    text = article.get_text(" ")
    assert "<script>alert(1)</script>" in text
    assert "{{ 7*7 }}" in text and "49" not in text
    if url.startswith("register/sample"):
        assert "[x](javascript:alert(1))" in text
        assert "&lt;script&gt;" in soup.title.decode_contents() or "<script>" not in str(soup.title)
