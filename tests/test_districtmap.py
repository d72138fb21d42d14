"""The district map: reading boundaries (problems), projecting, simplifying and rendering."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from socialvalue.districtmap import MapArea, project, render_map, step_of, steps
from socialvalue.register.geodata import Boundaries, District, read_boundaries

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "Sample <script>alert(1)</script> \"quoted\" & 'apos'"


def square(x: float, y: float, size: float = 0.1) -> list[list[float]]:
    return [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]


def feature(area_id: str, *rings: list[list[float]]) -> dict:
    return {
        "type": "Feature",
        "properties": {"area_id": area_id},
        "geometry": {"type": "Polygon", "coordinates": list(rings)},
    }


def write_geo(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "districts.geojson"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def two_squares() -> Boundaries:
    return Boundaries(
        (
            District("west", ((tuple(map(tuple, square(1.0, 52.0))),),)),
            District("east", ((tuple(map(tuple, square(1.1, 52.0))),),)),
        ),
        "Sample attribution",
    )


def areas(west: int = 0, east: int = 3, west_name: str = "West") -> list[MapArea]:
    return [
        MapArea("west", west_name, west, "../areas/west/"),
        MapArea("east", "East", east, "../areas/east/"),
    ]


def points(path: str) -> list[tuple[float, float]]:
    """Absolute points of an `M x y l dx dy ... z` path (one ring per M)."""
    found = []
    for ring in re.findall(r"M([^Mz]+)z", path):
        start, _, moves = ring.partition("l")
        x, y = map(float, start.split())
        found.append((x, y))
        numbers = [float(n) for n in re.findall(r"-?[\d.]+", moves)]
        for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
            x, y = x + dx, y + dy
            found.append((x, y))
    return found


# Reading


def test_read_boundaries_gives_districts_and_attribution(tmp_path: Path) -> None:
    data = {
        "type": "FeatureCollection",
        "attribution": "Sample credit",
        "features": [feature("west", square(1.0, 52.0)), feature("east", square(1.1, 52.0))],
    }
    boundaries, problems = read_boundaries(write_geo(tmp_path, data), ["west", "east"], "geo.json")
    assert problems == []
    assert boundaries is not None
    assert [d.area_id for d in boundaries.districts] == ["west", "east"]
    assert boundaries.attribution == "Sample credit"
    assert boundaries.districts[0].polygons[0][0][:2] == ((1.0, 52.0), (1.1, 52.0))


def test_a_missing_file_is_a_located_problem(tmp_path: Path) -> None:
    boundaries, problems = read_boundaries(tmp_path / "nope.geojson", ["west"], "geo/x.geojson")
    assert boundaries is None
    assert [(p.path, p.line, p.message) for p in problems] == [
        ("geo/x.geojson", None, "the district boundaries file is missing")
    ]


def test_broken_json_gives_its_line_and_column(tmp_path: Path) -> None:
    path = write_geo(tmp_path, '{"type": "FeatureCollection",\n "features": [,]}')
    boundaries, problems = read_boundaries(path, ["west"], "geo.json")
    assert boundaries is None
    assert [(p.path, p.line, p.column, p.is_error) for p in problems] == [("geo.json", 2, 15, True)]
    assert problems[0].message.startswith("not valid JSON")


def test_each_feature_mistake_is_reported_at_its_field(tmp_path: Path) -> None:
    line = {"type": "LineString", "coordinates": [[1, 52], [2, 52]]}
    data = {
        "type": "FeatureCollection",
        "features": [
            feature("wset", square(1.0, 52.0)),
            {"type": "Feature", "properties": {"area_id": "east"}, "geometry": line},
            feature("west", [[1, 52], [2, 52], [1, 52]]),
            feature("west", [[1, 52], [200, 52], [1, 53], [1, 52]]),
            {"type": "Feature", "properties": {}, "geometry": None},
        ],
    }
    boundaries, problems = read_boundaries(write_geo(tmp_path, data), ["west", "east"], "g.json")
    assert boundaries is None
    assert [(p.field, p.severity) for p in problems] == [
        ("features[0].properties.area_id", "error"),
        ("features[1].geometry.type", "error"),
        ("features[2].geometry.coordinates[0]", "error"),
        ("features[3].geometry.coordinates[0][1]", "error"),
        ("features[4].properties.area_id", "error"),
        (None, "warning"),
        (None, "warning"),
    ]
    assert 'did you mean "west"?' in problems[0].message


def test_a_second_feature_for_an_area_is_an_error(tmp_path: Path) -> None:
    data = {
        "type": "FeatureCollection",
        "features": [feature("west", square(1.0, 52.0)), feature("west", square(1.1, 52.0))],
    }
    _, problems = read_boundaries(write_geo(tmp_path, data), ["west"], "g.json")
    assert [(p.field, p.message) for p in problems] == [
        ("features[1].properties.area_id", 'a second feature for "west"')
    ]


def test_a_district_without_a_shape_is_a_warning_only(tmp_path: Path) -> None:
    data = {"type": "FeatureCollection", "features": [feature("west", square(1.0, 52.0))]}
    boundaries, problems = read_boundaries(write_geo(tmp_path, data), ["west", "east"], "g.json")
    assert boundaries is not None
    assert [(p.severity, p.message) for p in problems] == [
        ("warning", 'no boundary for the district "east": it is left off the map')
    ]


def test_not_a_feature_collection(tmp_path: Path) -> None:
    _, problems = read_boundaries(write_geo(tmp_path, [1, 2]), ["west"], "g.json")
    assert [(p.field, p.message) for p in problems] == [
        ("type", "the file must be a GeoJSON FeatureCollection")
    ]


# Steps


def test_steps_split_the_counts_into_none_and_three_ranges() -> None:
    legend = steps([0, 4, 9])
    assert [(s.label, s.low, s.high) for s in legend] == [
        ("None", 0, 0),
        ("1 to 3", 1, 3),
        ("4 to 6", 4, 6),
        ("7 to 9", 7, 9),
    ]
    assert [step_of(n, legend).label for n in (0, 3, 4, 9)] == [
        "None",
        "1 to 3",
        "4 to 6",
        "7 to 9",
    ]
    assert [s.label for s in steps([2])] == ["None", "1", "2"]
    assert [s.label for s in steps([0, 0])] == ["None"]
    assert len({s.colour for s in steps([0, 4, 9])}) == 4


# Rendering


def test_every_district_is_a_link_with_a_title_and_its_step_colour() -> None:
    svg = render_map(project(two_squares()), areas(0, 3), label="Map of the sample county")
    root = ET.fromstring(svg)
    assert root.get("aria-label") == "Map of the sample county"
    links = root.findall(f".//{SVG}a")
    assert [a.get("href") for a in links] == ["../areas/west/", "../areas/east/"]
    assert [a.find(f"{SVG}title").text for a in links] == [
        "West: 0 organisations",
        "East: 3 organisations",
    ]
    legend = steps([0, 3])
    fills = [a.find(f"{SVG}path").get("fill") for a in links]
    assert fills == [step_of(0, legend).colour, step_of(3, legend).colour]
    assert fills[0] != fills[1]
    labels = root.find(f".//{SVG}g[@class='sv-map__labels']")
    assert labels.get("aria-hidden") == "true"
    assert ["".join(t.itertext()) for t in labels] == ["West0", "East3"]


def test_one_organisation_is_singular() -> None:
    root = ET.fromstring(render_map(project(two_squares()), areas(1, 0), label="Map"))
    assert root.find(f".//{SVG}a/{SVG}title").text == "West: 1 organisation"


def test_hostile_names_and_hrefs_are_escaped() -> None:
    hostile = [
        MapArea("west", HOSTILE, 2, '../areas/"onmouseover="x/'),
        MapArea("east", "East", 1, "../areas/east/"),
    ]
    svg = render_map(project(two_squares()), hostile, label='Map "of" <b>')
    assert "<script>" not in svg and "<b>" not in svg
    root = ET.fromstring(svg)  # still well-formed XML
    assert root.get("aria-label") == 'Map "of" <b>'
    link = root.find(f".//{SVG}a")
    assert link.get("href") == '../areas/"onmouseover="x/'
    assert link.find(f"{SVG}title").text == f"{HOSTILE}: 2 organisations"
    assert link.get("onmouseover") is None


def test_areas_without_an_entry_are_not_drawn() -> None:
    svg = render_map(project(two_squares()), areas()[1:], label="Map")
    assert [a.get("href") for a in ET.fromstring(svg).iter(f"{SVG}a")] == ["../areas/east/"]


def test_shared_borders_keep_the_same_points_on_both_sides() -> None:
    """Two equal bumps on a shared border: Douglas-Peucker keeps one, the same one each side.

    Walked in opposite directions, the tie would keep a different bump on each side of the
    border, opening a gap; simplifying each shared run in one direction prevents that.
    """
    border = [[1.1, 52.0], [1.104, 52.03], [1.104, 52.06], [1.1, 52.09]]
    west = [[1.0, 52.0], *border, [1.0, 52.09], [1.0, 52.0]]
    east = [*border[::-1], [1.2, 52.0], [1.2, 52.09], border[-1]]  # the border walked back
    to_rings = lambda ring: ((tuple(map(tuple, ring)),),)  # noqa: E731
    boundaries = Boundaries(
        (District("west", to_rings(west)), District("east", to_rings(east))), ""
    )
    geometry = project(boundaries, width=300, tolerance=4)
    west_points, east_points = (points(s.path) for s in geometry.shapes)
    assert len(west_points) == 5  # one bump was dropped
    middle = lambda ps: sorted(p for p in ps if 140 < p[0] < 160)  # noqa: E731
    assert middle(west_points) == middle(east_points)
    assert len(middle(west_points)) == 3


def test_same_input_gives_the_same_bytes() -> None:
    first = render_map(project(two_squares()), areas(), label="Map")
    second = render_map(project(two_squares()), areas(), label="Map")
    assert first == second


def test_the_norfolk_map_is_small_and_draws_seven_districts() -> None:
    register = ROOT / "register"
    ids = [
        "breckland",
        "broadland",
        "great-yarmouth",
        "kings-lynn-and-west-norfolk",
        "north-norfolk",
        "norwich",
        "south-norfolk",
    ]
    boundaries, problems = read_boundaries(register / "geo" / "districts.geojson", ids, "g")
    assert problems == [] and boundaries is not None
    entries = [MapArea(i, i.replace("-", " ").title(), 12, f"../areas/{i}/") for i in ids]
    svg = render_map(project(boundaries), entries, label="Map of Norfolk's districts")
    size = len(svg.encode("utf-8"))
    assert size < 20_000, size
    root = ET.fromstring(svg)
    assert sorted(a.get("href") for a in root.iter(f"{SVG}a")) == [f"../areas/{i}/" for i in ids]
    assert render_map(project(boundaries), entries, label="Map of Norfolk's districts") == svg
    assert "Martin Chorley" in boundaries.attribution
