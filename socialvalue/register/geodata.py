"""Read and check the register's district boundaries (`geo/districts.geojson`) for the map.

Each feature is one district: a Polygon or MultiPolygon in longitude/latitude whose
`area_id` property names an area in `areas.yaml`. Every mistake is a located Problem.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection
from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from .problems import Problem

FILE = Path("geo") / "districts.geojson"

Point = tuple[float, float]  # (longitude, latitude)
Ring = tuple[Point, ...]
Polygon = tuple[Ring, ...]  # outer ring first, then holes


@dataclass(frozen=True)
class District:
    area_id: str
    polygons: tuple[Polygon, ...]


@dataclass(frozen=True)
class Boundaries:
    districts: tuple[District, ...]  # in file order
    attribution: str


class _Bad(Exception):
    """A geometry mistake at `field` (a JSON path inside the feature)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def _point(value: Any, where: str) -> Point:
    if (
        not isinstance(value, list)
        or len(value) < 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value[:2])
    ):
        raise _Bad(where, "a position must be [longitude, latitude] numbers")
    lon, lat = float(value[0]), float(value[1])
    if not (math.isfinite(lon) and -180 <= lon <= 180 and math.isfinite(lat) and -90 <= lat <= 90):
        raise _Bad(where, f"[{lon}, {lat}] is not a longitude and latitude")
    return lon, lat


def _ring(value: Any, where: str) -> Ring:
    if not isinstance(value, list):
        raise _Bad(where, "a ring must be a list of positions")
    ring = tuple(_point(p, f"{where}[{i}]") for i, p in enumerate(value))
    if len(ring) < 4 or ring[0] != ring[-1]:
        raise _Bad(where, "a ring needs at least 4 positions and must end where it starts")
    return ring


def _polygon(value: Any, where: str) -> Polygon:
    if not isinstance(value, list) or not value:
        raise _Bad(where, "a polygon must be a non-empty list of rings")
    return tuple(_ring(r, f"{where}[{i}]") for i, r in enumerate(value))


def _geometry(value: Any, where: str) -> tuple[Polygon, ...]:
    if not isinstance(value, dict) or value.get("type") not in ("Polygon", "MultiPolygon"):
        raise _Bad(f"{where}.type", "the geometry must be a Polygon or a MultiPolygon")
    coords, where = value.get("coordinates"), f"{where}.coordinates"
    if value["type"] == "Polygon":
        return (_polygon(coords, where),)
    if not isinstance(coords, list) or not coords:
        raise _Bad(where, "a MultiPolygon must be a non-empty list of polygons")
    return tuple(_polygon(p, f"{where}[{i}]") for i, p in enumerate(coords))


def _area_id(feature: Any, where: str, known: Collection[str]) -> str:
    props = feature.get("properties") if isinstance(feature, dict) else None
    area_id = props.get("area_id") if isinstance(props, dict) else None
    if not isinstance(area_id, str) or not area_id:
        raise _Bad(f"{where}.properties.area_id", "every feature needs an area_id (a district id)")
    if area_id not in known:
        close = get_close_matches(area_id, sorted(known), n=1)
        hint = f' (did you mean "{close[0]}"?)' if close else ""
        raise _Bad(
            f"{where}.properties.area_id", f'"{area_id}" is not a district in areas.yaml{hint}'
        )
    return area_id


def _collection(text: str) -> tuple[list[Any], str]:
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise _Bad("type", "the file must be a GeoJSON FeatureCollection")
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise _Bad("features", "the FeatureCollection has no features")
    attribution = data.get("attribution", "")
    if not isinstance(attribution, str):
        raise _Bad("attribution", "the attribution must be text")
    return features, attribution.strip()


def read_boundaries(
    path: Path, district_ids: Collection[str], shown: str | None = None
) -> tuple[Boundaries | None, list[Problem]]:
    """The districts in `path`, checked against the register's district ids, and any problems.

    `shown` is the path as people see it in a problem (default: `path` as given).
    """
    shown = shown or path.as_posix()
    try:
        features, attribution = _collection(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, [Problem(shown, None, None, "the district boundaries file is missing")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(shown, None, None, f"cannot read the file: {exc}")]
    except json.JSONDecodeError as exc:
        return None, [
            Problem(shown, exc.lineno, None, f"not valid JSON: {exc.msg}", column=exc.colno)
        ]
    except _Bad as bad:
        return None, [Problem(shown, None, bad.field, bad.message)]
    districts, problems, seen = [], [], set()
    for index, feature in enumerate(features):
        where = f"features[{index}]"
        try:
            area_id = _area_id(feature, where, district_ids)
            polygons = _geometry(feature.get("geometry"), f"{where}.geometry")
        except _Bad as bad:
            problems.append(Problem(shown, None, bad.field, bad.message))
            continue
        if area_id in seen:
            field = f"{where}.properties.area_id"
            problems.append(Problem(shown, None, field, f'a second feature for "{area_id}"'))
            continue
        seen.add(area_id)
        districts.append(District(area_id, polygons))
    for missing in sorted(set(district_ids) - seen):
        problems.append(
            Problem(
                shown,
                None,
                None,
                f'no boundary for the district "{missing}": it is left off the map',
                severity="warning",
            )
        )
    if any(p.is_error for p in problems):
        return None, problems
    return Boundaries(tuple(districts), attribution), problems


def register_boundaries(
    register_dir: Path, district_ids: Collection[str], shown: str
) -> tuple[Boundaries | None, list[Problem]]:
    """The register's `geo/districts.geojson`; a register without a `geo/` folder has no map."""
    if not (register_dir / FILE.parent).is_dir():
        return None, []
    return read_boundaries(register_dir / FILE, district_ids, shown)
