"""The district map and the bar charts in the built site, checked against the register's data."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from fixtures import run_build
from site_support import BuiltSite

pytestmark = pytest.mark.slow


def _district_counts(site: BuiltSite) -> dict[str, int]:
    counts = Counter(a for org in site.organisations().values() for a in org["areas"])
    return {a["id"]: counts[a["id"]] for a in site.table("areas") if a["kind"] == "district"}


def _noun(count: int) -> str:
    return "organisation" if count == 1 else "organisations"


@pytest.mark.parametrize("url", ["", "areas/"])
def test_every_district_is_a_link_named_with_its_count(sample_site: BuiltSite, url: str) -> None:
    soup = sample_site.soup(url)
    figure = soup.find("figure", class_="sv-map")
    assert figure["aria-labelledby"] == figure.figcaption["id"]
    svg = figure.find("svg")
    names = {a["id"]: a["name"] for a in sample_site.table("areas")}
    found = {}
    for link in svg.find_all("a"):
        target = sample_site.file(url + link["href"])
        assert target.is_file(), link["href"]
        area_id = target.parent.name
        found[area_id] = link.title.get_text()
        assert link.path["fill"].startswith("#")
    assert found == {
        area_id: f"{names[area_id]}: {count} {_noun(count)}"
        for area_id, count in _district_counts(sample_site).items()
    }
    legend = [li.get_text(strip=True) for li in figure.select(".sv-map__steps li")]
    assert legend[0] == "None" and len(legend) >= 2
    assert "Martin Chorley" in figure.select_one(".sv-map__credit").get_text()


def test_the_home_page_table_repeats_the_map_numbers(sample_site: BuiltSite) -> None:
    tables = sample_site.soup("").select("table.sv-bars")
    district = next(t for t in tables if "district" in t.caption.get_text())
    rows = {r.th.get_text(): int(r.td.get_text()) for r in district.tbody.find_all("tr")}
    names = {a["id"]: a["name"] for a in sample_site.table("areas")}
    assert rows == {names[i]: n for i, n in _district_counts(sample_site).items()}


@pytest.mark.parametrize("url", ["", "priorities/"])
def test_priority_charts_count_organisations_per_priority(sample_site: BuiltSite, url: str) -> None:
    priority_of = {m["id"]: m["priority"] for m in sample_site.table("measures")}
    counts = Counter(
        p
        for org in sample_site.organisations().values()
        for p in {priority_of[m] for m in org["measures"]}
    )
    titles = {p["id"]: p["title"] for p in sample_site.table("priorities")}
    table = sample_site.soup(url).select_one("table.sv-bars")
    rows = {r.th.get_text(): int(r.td.get_text()) for r in table.tbody.find_all("tr")}
    assert rows == {titles[p]: counts[p] for p in titles}


def test_a_priority_page_charts_its_measures(sample_site: BuiltSite) -> None:
    priority = sample_site.table("priorities")[0]["id"]
    measures = [m for m in sample_site.table("measures") if m["priority"] == priority]
    counts = Counter(m for org in sample_site.organisations().values() for m in org["measures"])
    table = sample_site.soup(f"priorities/{priority}/").select_one("table.sv-bars")
    rows = {r.th.get_text(): int(r.td.get_text()) for r in table.tbody.find_all("tr")}
    assert rows == {m["title"]: counts[m["id"]] for m in measures}


def test_a_register_without_geo_has_no_map(fixture_site: BuiltSite) -> None:
    assert fixture_site.soup("").find("figure", class_="sv-map") is None
    assert fixture_site.soup("areas/").find("svg", class_="sv-map__svg") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '{"type": "FeatureCollection",\n "features": [,]}',
            "geo/districts.geojson:2:15: not valid",
        ),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {
                            "type": "Feature",
                            "properties": {"area_id": "norwhich"},
                            "geometry": {
                                "type": "Polygon",
                                "coordinates": [[[1, 52], [1.1, 52], [1, 52.1], [1, 52]]],
                            },
                        }
                    ],
                }
            ),
            'geo/districts.geojson: features[0].properties.area_id: "norwhich" is not a district',
        ),
    ],
)
def test_broken_boundaries_stop_the_build_with_a_located_problem(
    fixture_register: Path, tmp_path: Path, text: str, expected: str
) -> None:
    register = shutil.copytree(fixture_register, tmp_path / "register")
    (register / "geo").mkdir()
    (register / "geo" / "districts.geojson").write_text(text, encoding="utf-8")
    result = run_build(register, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert expected in output
    assert "Traceback" not in output
    assert not (tmp_path / "site").exists()
