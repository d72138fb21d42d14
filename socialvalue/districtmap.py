"""The map of districts as inline SVG: project, simplify, then render. Pure functions, no I/O.

Projection: equirectangular scaled by cos(mid-latitude), faithful enough for one county.
Simplification keeps borders shared: each ring is cut at the points where the set of rings
through a point changes (junctions), and each piece is simplified (Douglas-Peucker) in one
canonical direction, so both districts on a border keep the same points and no gap opens.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from itertools import pairwise

from .register.geodata import Boundaries, Point

XY = tuple[float, float]


@dataclass(frozen=True)
class Shape:
    area_id: str
    path: str  # SVG path data, coordinates rounded
    label: XY  # where the district's name goes


@dataclass(frozen=True)
class MapGeometry:
    width: int
    height: int
    shapes: tuple[Shape, ...]


@dataclass(frozen=True)
class MapArea:
    """What one district shows: its name, its count and where its link goes."""

    id: str
    name: str
    count: int
    href: str


@dataclass(frozen=True)
class Step:
    low: int
    high: int
    colour: str

    @property
    def label(self) -> str:
        if self.high == 0:
            return "None"
        return str(self.low) if self.low == self.high else f"{self.low} to {self.high}"


# One colour in steps, light to dark; "none" is a neutral grey. Labels carry a white halo.
FONT_SIZE = 16
COLOURS = ("#f3f2f1", "#c6dbef", "#6baed6", "#2171b5")


def steps(counts: Sequence[int]) -> tuple[Step, ...]:
    """The legend's steps: none, then up to three equal ranges up to the largest count."""
    top = max(counts, default=0)
    result = [Step(0, 0, COLOURS[0])]
    size = math.ceil(top / 3) if top else 0
    low = 1
    for colour in COLOURS[1:]:
        high = min(low + size - 1, top)
        if low > high:
            break
        result.append(Step(low, high, colour))
        low = high + 1
    return tuple(result)


def step_of(count: int, legend: Sequence[Step]) -> Step:
    return next((s for s in legend if s.low <= count <= s.high), legend[-1])


def _junctions(rings: list[list[Point]]) -> list[set[int]]:
    """For each ring, the indices of points where the set of rings through the point changes."""
    members: dict[Point, set[int]] = defaultdict(set)
    for number, ring in enumerate(rings):
        for point in ring:
            members[point].add(number)
    fixed = []
    for ring in rings:
        n = len(ring)
        fixed.append(
            {
                i
                for i in range(n)
                if members[ring[i]] != members[ring[i - 1]]
                or members[ring[i]] != members[ring[(i + 1) % n]]
            }
        )
    return fixed


def _distance(p: XY, a: XY, b: XY) -> float:
    """From `p` to the segment a-b."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2 if length2 else -1.0
    if t <= 0:
        return math.hypot(p[0] - a[0], p[1] - a[1])
    if t >= 1:
        return math.hypot(p[0] - b[0], p[1] - b[1])
    return abs(dx * (p[1] - a[1]) - dy * (p[0] - a[0])) / math.sqrt(length2)


def _douglas_peucker(points: Sequence[XY], tolerance: float) -> list[int]:
    """Indices of the points kept, first and last always."""
    keep = {0, len(points) - 1}
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, -1
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index > 0 and best > tolerance:
            keep.add(index)
            stack += [(first, index), (index, last)]
    return sorted(keep)


def _simplify_ring(ring: list[Point], fixed: set[int], xy: dict[Point, XY], tol: float) -> list[XY]:
    n = len(ring)
    if not fixed:  # a ring no other ring touches: start at its smallest point
        start = min(range(n), key=lambda i: ring[i])
        fixed = {start, (start + n // 2) % n}
    cuts = sorted(fixed)
    out: list[XY] = []
    for a, b in zip(cuts, cuts[1:] + [cuts[0] + n], strict=True):
        run = [ring[i % n] for i in range(a, b + 1)]
        backwards = (run[-1], run[-2]) < (run[0], run[1])  # one direction for a shared border
        ordered = run[::-1] if backwards else run
        kept = _douglas_peucker([xy[p] for p in ordered], tol)
        piece = [xy[ordered[i]] for i in kept]
        out += (piece[::-1] if backwards else piece)[:-1]
    return out


def _number(value: float, digits: int) -> str:
    text = f"{value:.{digits}f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text == "-0" else text


def _ring_path(points: list[XY], digits: int) -> tuple[str, list[XY]] | None:
    rounded: list[XY] = []
    for x, y in points:
        p = (round(x, digits), round(y, digits))
        if not rounded or rounded[-1] != p:
            rounded.append(p)
    while len(rounded) > 1 and rounded[0] == rounded[-1]:
        rounded.pop()
    if len(set(rounded)) < 3:
        return None
    (x0, y0), numbers = rounded[0], []
    for (ax, ay), (bx, by) in pairwise(rounded):  # relative moves: short numbers
        numbers += [_number(bx - ax, digits), _number(by - ay, digits)]
    path = f"M{_number(x0, digits)} {_number(y0, digits)}l{numbers[0]}"
    for number in numbers[1:]:
        path += number if number.startswith("-") else f" {number}"
    return path + "z", rounded


def _area(ring: list[XY]) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(ring + ring[:1])))


def _label_point(rings: list[list[XY]]) -> XY:
    """Middle of the widest inside span, on the line through the outer ring's mean height."""
    outer = rings[0]
    y = sum(p[1] for p in outer) / len(outer) + 0.01
    xs = sorted(
        x0 + (y - y0) * (x1 - x0) / (y1 - y0)
        for ring in rings
        for (x0, y0), (x1, y1) in pairwise(ring + ring[:1])
        if (y0 > y) != (y1 > y)
    )
    spans = [(b - a, (a + b) / 2) for a, b in zip(xs[::2], xs[1::2], strict=False)]
    if not spans:
        return sum(p[0] for p in outer) / len(outer), y
    return max(spans)[1], y


def _projection(boundaries: Boundaries, width: int, pad: int) -> tuple[dict[Point, XY], int]:
    points = {p for d in boundaries.districts for poly in d.polygons for r in poly for p in r}
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    k = math.cos(math.radians((min(lats) + max(lats)) / 2))
    scale = (width - 2 * pad) / ((max(lons) - min(lons)) * k)
    x0, y0 = min(lons) * k, max(lats)
    xy = {p: (pad + (p[0] * k - x0) * scale, pad + (y0 - p[1]) * scale) for p in points}
    height = math.ceil((max(lats) - min(lats)) * scale) + 2 * pad
    return xy, height


def project(
    boundaries: Boundaries, width: int = 600, tolerance: float = 0.8, digits: int = 0
) -> MapGeometry:
    """Project, simplify (tolerance in pixels) and round the districts for an SVG `width` wide."""
    xy, height = _projection(boundaries, width, pad=4)
    owners: list[tuple[int, int, int]] = []  # (district, polygon, ring) of each ring
    rings: list[list[Point]] = []
    for d, district in enumerate(boundaries.districts):
        for p, polygon in enumerate(district.polygons):
            for r, ring in enumerate(polygon):
                owners.append((d, p, r))
                rings.append(list(ring[:-1]))
    fixed = _junctions(rings)
    paths: dict[int, list[str]] = defaultdict(list)
    polygons: dict[tuple[int, int], list[list[XY]]] = defaultdict(list)
    for (d, p, r), points, cut in zip(owners, rings, fixed, strict=True):
        drawn = _ring_path(_simplify_ring(points, cut, xy, tolerance), digits)
        if drawn and (r == 0 or polygons[(d, p)]):  # no hole without its outer ring
            paths[d].append(drawn[0])
            polygons[(d, p)].append(drawn[1])
    shapes = []
    for d, district in enumerate(boundaries.districts):
        mine = [rs for (owner, _), rs in polygons.items() if owner == d]
        if not mine:
            continue
        largest = max(mine, key=lambda rs: _area(rs[0]))
        label = tuple(round(v, 1) for v in _label_point(largest))
        shapes.append(Shape(district.area_id, "".join(paths[d]), label))  # type: ignore[arg-type]
    return MapGeometry(width, height, tuple(shapes))


def _district(shape: Shape, area: MapArea, legend: Sequence[Step], noun: tuple[str, str]) -> str:
    words = noun[0] if area.count == 1 else noun[1]
    title = escape(f"{area.name}: {area.count} {words}")
    return (
        f'<a href="{escape(area.href)}" class="sv-map__district">'
        f"<title>{title}</title>"
        f'<path fill="{step_of(area.count, legend).colour}" d="{shape.path}"/></a>'
    )


def _label(shape: Shape, area: MapArea, width: int) -> str:
    """The name and count, moved in from the edge when the name would run off the map."""
    half = min(0.38 * FONT_SIZE * len(area.name), width / 2)  # half the text, phone size too
    x = _number(min(max(shape.label[0], half), width - half), 1)
    y = _number(shape.label[1], 1)
    return (
        f'<text x="{x}" y="{y}"><tspan x="{x}">{escape(area.name)}</tspan>'
        f'<tspan x="{x}" dy="1.15em" class="sv-map__count">{area.count}</tspan></text>'
    )


def render_map(
    geometry: MapGeometry,
    areas: Sequence[MapArea],
    *,
    label: str,
    noun: tuple[str, str] = ("organisation", "organisations"),
) -> str:
    """The SVG: one link per district (with a <title> of its name and count), then the labels.

    Districts without an entry in `areas` are not drawn. Every text is escaped for XML and HTML.
    """
    by_id = {a.id: a for a in areas}
    legend = steps([a.count for a in areas])
    drawn = [(s, by_id[s.area_id]) for s in geometry.shapes if s.area_id in by_id]
    links = "".join(_district(s, a, legend, noun) for s, a in drawn)
    labels = "".join(_label(s, a, geometry.width) for s, a in drawn)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sv-map__svg" '
        f'viewBox="0 0 {geometry.width} {geometry.height}" role="group" '
        f'aria-label="{escape(label)}">'
        f'<g class="sv-map__districts" stroke="#505a5f" stroke-width="1" stroke-linejoin="round" '
        f'fill-rule="evenodd">'
        f"{links}</g>"
        f'<g class="sv-map__labels" aria-hidden="true" fill="#0b0c0c" stroke="#ffffff" '
        f'stroke-width="3" stroke-linejoin="round" paint-order="stroke" text-anchor="middle" '
        f'font-size="{FONT_SIZE}">{labels}</g></svg>'
    )
