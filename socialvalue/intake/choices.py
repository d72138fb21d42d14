"""Valid ids and their labels, read from the register's YAML files with PyYAML.

A missing file gives an empty table (tests use small fixture registers); a file that is not a
YAML list of mappings stops the start with ``RegisterError``: the intake cannot check answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


class RegisterError(Exception):
    """The register cannot be read, so the intake cannot start."""


@dataclass(frozen=True)
class Option:
    """One valid answer: an id with its label (and, for measures, its priority and unit)."""

    id: str
    label: str
    group: str = ""
    unit: str = ""


@dataclass(frozen=True)
class Unit:
    id: str
    singular: str
    plural: str
    integer: bool


@dataclass(frozen=True)
class Choices:
    """Everything the forms offer, in display order."""

    measures: tuple[Option, ...]
    priorities: tuple[Option, ...]
    units: tuple[Unit, ...]
    charter: tuple[Option, ...]
    organisations: tuple[Option, ...]
    areas: tuple[Option, ...]
    offers: tuple[Option, ...]
    site_name: str = "Social Value register"
    _ids: dict[str, frozenset[str]] = field(init=False, repr=False, compare=False)
    _whole: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Looked up on every answer checked: worked out once.
        names = ("measures", "priorities", "charter", "organisations", "areas", "offer-types")
        object.__setattr__(self, "_ids", {n: frozenset(o.id for o in self.table(n)) for n in names})
        integer = {unit.id for unit in self.units if unit.integer}
        object.__setattr__(self, "_whole", tuple(m.id for m in self.measures if m.unit in integer))

    def table(self, name: str) -> tuple[Option, ...]:
        """The options of a table named as in the schemas' ``sv:choices``."""
        tables = {
            "measures": self.measures,
            "priorities": self.priorities,
            "charter": self.charter,
            "organisations": self.organisations,
            "areas": self.areas,
            "offer-types": self.offers,
        }
        if name not in tables:
            raise KeyError(f"unknown choices table {name!r}")
        return tables[name]

    def ids(self, name: str) -> frozenset[str]:
        if name not in self._ids:
            raise KeyError(f"unknown choices table {name!r}")
        return self._ids[name]

    def whole_measures(self) -> tuple[str, ...]:
        """Ids of the measures whose unit is counted in whole numbers."""
        return self._whole


def load_choices(register_dir: Path) -> Choices:
    """Read the valid ids and labels from ``register_dir``."""
    tables = {name: _rows(register_dir / f"{name}.yaml") for name in TABLES}
    tables["settings"] = _rows(register_dir / "settings.yaml", keyed=False)
    tables["organisations"] = _organisation_rows(register_dir / "organisations")
    return choices_from_rows(tables)


TABLES = ("priorities", "measures", "units", "charter", "areas", "offer-types")


def choices_from_rows(tables: Mapping[str, list[dict[str, Any]]]) -> Choices:
    """The choices from rows already read, by table name (the site build passes the register's)."""
    priorities = _ordered(tables.get("priorities", []))
    measures = sorted(
        tables.get("measures", []),
        key=lambda r: (
            _order_of(priorities, r.get("priority")),
            _int(r.get("order")),
            str(r["id"]),
        ),
    )
    settings = tables.get("settings", [])
    site_name = str(settings[0].get("site_name", "")) if settings else ""
    organisations = (
        Option(str(r["id"]), str(r.get("name", r["id"]))) for r in tables.get("organisations", [])
    )
    return Choices(
        measures=tuple(
            Option(
                str(r["id"]),
                str(r.get("title", r["id"])),
                str(r.get("priority", "")),
                str(r.get("unit", "")),
            )
            for r in measures
        ),
        priorities=tuple(Option(str(r["id"]), str(r.get("title", r["id"]))) for r in priorities),
        units=tuple(
            Unit(
                str(r["id"]),
                str(r.get("singular", r["id"])),
                str(r.get("plural", r["id"])),
                r.get("integer") is True,
            )
            for r in tables.get("units", [])
        ),
        charter=tuple(
            Option(str(r["id"]), str(r.get("title", r["id"])))
            for r in _ordered(tables.get("charter", []))
        ),
        organisations=tuple(sorted(organisations, key=lambda o: (_sort_name(o.label), o.id))),
        areas=tuple(
            Option(str(r["id"]), str(r.get("name", r["id"]))) for r in tables.get("areas", [])
        ),
        offers=tuple(
            Option(str(r["id"]), str(r.get("title", r["id"])))
            for r in _ordered(tables.get("offer-types", []))
        ),
        site_name=site_name or "Social Value register",
    )


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML was built with it


def read_yaml(path: Path) -> Any:
    """Parse one YAML file, turning any failure into ``RegisterError`` naming the file."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise RegisterError(f"{path}: cannot read: {error}") from error


def _rows(path: Path, keyed: bool = True) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    data = read_yaml(path)
    if data is None:
        return []
    if not isinstance(data, list) or not all(
        isinstance(r, dict) and ("id" in r or not keyed) for r in data
    ):
        raise RegisterError(f"{path}: expected a YAML list of mappings, each with an id")
    return data


def _organisation_rows(folder: Path) -> list[dict[str, Any]]:
    rows = []
    for path in sorted(folder.glob("*.yaml")):
        data = read_yaml(path)
        if not isinstance(data, dict) or "id" not in data:
            raise RegisterError(f"{path}: expected a mapping with an id")
        rows.append(data)
    return rows


def _sort_name(name: str) -> str:
    """Sort sample entries ("Sample: Acle ...") among the others by their real name."""
    return name.removeprefix("Sample: ").casefold()


def _ordered(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (_int(r.get("order")), str(r["id"])))


def _order_of(priorities: list[dict[str, Any]], priority: object) -> int:
    for index, row in enumerate(priorities):
        if row["id"] == priority:
            return index
    return len(priorities)


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 10**6
