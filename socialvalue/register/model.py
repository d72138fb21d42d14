"""Stage 3: the validated register as frozen dataclasses, built from the values as validated.

`build_register` reads each record's `values` (what Frictionless cast while it validated), never
the YAML as written: the check and every stage after it see the same typed value. No I/O here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any, TypeVar

from .contract_model import Contract, contract_from_values  # the contracts' own dataclasses
from .geodata import Boundaries
from .tables import Record, TypedTable

FALLBACK_DATE = dt.date(2024, 1, 1)  # the build date of a register that holds no date at all
SAMPLE_PREFIX = "Sample: "


def a_to_z(name: str) -> str:
    """The one A-to-Z order of names: sample entries sort among the others by their real name."""
    return name.removeprefix(SAMPLE_PREFIX).casefold()


@dataclass(frozen=True)
class Settings:
    body_name: str
    body_short_name: str
    county: str
    site_name: str
    site_url: str
    contact_email: str
    threshold_gbp: Decimal
    aggregation_months: int
    review_max_age_months: int
    sample_data: bool
    intake_url: str = ""
    reporting_interval_months: int = 3


@dataclass(frozen=True)
class Priority:
    id: str
    title: str
    kind: str
    order: int
    summary: str
    description: str


@dataclass(frozen=True)
class Unit:
    id: str
    singular: str
    plural: str
    integer: bool


@dataclass(frozen=True)
class OfferType:
    id: str
    title: str
    order: int
    description: str
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Area:
    id: str
    name: str
    kind: str
    description: str

    @property
    def county_wide(self) -> bool:
        """The one rule for a county-wide area: its kind is "county"."""
        return self.kind == "county"


@dataclass(frozen=True)
class Measure:
    id: str
    priority: str
    order: int
    title: str
    explanation: str
    counts: str
    offers: tuple[str, ...]
    unit: str


@dataclass(frozen=True)
class Commitment:
    id: str
    order: int
    title: str
    explanation: str
    evidence: str
    theme: str
    sample: bool


@dataclass(frozen=True)
class Partner:
    id: str
    name: str
    adoption: str
    priorities: tuple[str, ...]
    description: str
    since: dt.date
    sample: bool
    website: str | None = None
    annual_report_url: str | None = None
    annual_report_date: dt.date | None = None


@dataclass(frozen=True)
class Signatory:
    id: str
    name: str
    commitments: tuple[str, ...]
    signed: dt.date
    companies_house: str | None = None


@dataclass(frozen=True)
class Contact:
    email: str | None = None
    website: str | None = None
    phone: str | None = None

    @property
    def any(self) -> bool:
        return bool(self.email or self.website or self.phone)


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str
    description: str
    areas: tuple[str, ...]
    measures: tuple[str, ...]
    offers: tuple[str, ...]
    reviewed: dt.date
    source_path: str
    contact: Contact = field(default_factory=Contact)
    org_id: str | None = None
    welcomes: str | None = None
    how_to_approach: str | None = None
    town: str | None = None
    address: str | None = None
    added: dt.date | None = None
    safeguarding: bool = False
    sample: bool = False


@dataclass(frozen=True)
class Post:
    slug: str
    date: dt.date
    title: str
    summary: str
    body: str  # Markdown after the front matter, rendered by the site
    source_path: str


@dataclass(frozen=True)
class Register:
    settings: Settings
    priorities: tuple[Priority, ...]
    units: dict[str, Unit]
    offer_types: tuple[OfferType, ...]
    areas: tuple[Area, ...]
    measures: tuple[Measure, ...]
    charter: tuple[Commitment, ...]
    partners: tuple[Partner, ...]
    signatories: tuple[Signatory, ...]
    organisations: tuple[Organisation, ...]
    posts: tuple[Post, ...] = ()
    boundaries: Boundaries | None = None  # the districts' outlines for the map (geo/)
    contracts: tuple[Contract, ...] = ()  # not in `table()`: no open data for them yet

    def priority(self, priority_id: str) -> Priority:
        return next(p for p in self.priorities if p.id == priority_id)

    def measures_of(self, priority_id: str) -> list[Measure]:
        return [m for m in self.measures if m.priority == priority_id]

    @property
    def county_area(self) -> Area | None:
        """The one area that stands for the whole county (areas of kind "county")."""
        return next((a for a in self.areas if a.county_wide), None)

    @property
    def districts(self) -> tuple[Area, ...]:
        return tuple(a for a in self.areas if not a.county_wide)

    @property
    def as_of(self) -> dt.date:
        """The register's own date (newest review, post or signature): the build date, so the
        same register gives the same bytes on any day."""
        dates = [o.reviewed for o in self.organisations]
        dates += [p.date for p in self.posts] + [s.signed for s in self.signatories]
        return max(dates, default=FALLBACK_DATE)

    def table(self, name: str) -> tuple[Any, ...]:
        """The records of a register table by its resource name (for the open data)."""
        tables: dict[str, tuple[Any, ...]] = {
            "settings": (self.settings,),
            "priorities": self.priorities,
            "units": tuple(self.units.values()),
            "offer-types": self.offer_types,
            "areas": self.areas,
            "measures": self.measures,
            "charter": self.charter,
            "partners": self.partners,
            "signatories": self.signatories,
            "organisations": self.organisations,
        }
        return tables[name]


T = TypeVar("T")


_FIELDS: dict[type, tuple[tuple[str, bool], ...]] = {}  # class -> (field name, is money)


def _make(cls: type[T], values: Mapping[str, Any], **extra: Any) -> T:
    """An instance from validated values: lists become tuples, absent values keep defaults."""
    names = _FIELDS.get(cls)
    if names is None:  # `fields()` once per class, not once per record
        specs = fields(cls)  # type: ignore[arg-type]
        names = _FIELDS[cls] = tuple((spec.name, spec.type == "Decimal") for spec in specs)
    kwargs: dict[str, Any] = {}
    for name, money in names:
        value = values.get(name)
        if value is None:
            continue
        if isinstance(value, list):
            value = tuple(str(v) for v in value)
        elif money:  # exact, whether written 5000, 5000.0 or "5000"
            value = Decimal(str(value))
        kwargs[name] = value
    kwargs.update(extra)
    return cls(**kwargs)


def _all(tables: Mapping[str, TypedTable], name: str, cls: type[T]) -> list[T]:
    return [_make(cls, r.values) for r in tables[name].records]


def _organisation(record: Record) -> Organisation:
    contact = record.values.get("contact") or {}
    routes = {k: contact[k] for k in ("email", "website", "phone") if contact.get(k)}
    return _make(Organisation, record.values, source_path=record.path, contact=Contact(**routes))


def _post(record: Record) -> Post:
    slug = record.path.rsplit("/", 1)[-1].removesuffix(".md")
    values = {k: v.strip() if isinstance(v, str) else v for k, v in record.values.items()}
    return _make(Post, values, slug=slug, body=record.row.body, source_path=record.path)


def build_register(
    tables: Mapping[str, TypedTable], boundaries: Boundaries | None = None
) -> Register:
    """The domain from tables that passed the check (no errors)."""
    priorities = sorted(_all(tables, "priorities", Priority), key=lambda p: (p.order, p.id))
    rank = {p.id: index for index, p in enumerate(priorities)}
    measures = sorted(
        _all(tables, "measures", Measure), key=lambda m: (rank.get(m.priority, 0), m.order, m.id)
    )
    organisations = sorted(
        (_organisation(r) for r in tables["organisations"].records),
        key=lambda o: (a_to_z(o.name), o.id),
    )
    posts = [_post(r) for r in tables["updates"].records] if "updates" in tables else []
    contracts = [contract_from_values(r.values, r.path) for r in _records(tables, "contracts")]
    return Register(
        settings=_make(Settings, tables["settings"].records[0].values),
        priorities=tuple(priorities),
        units={u.id: u for u in sorted(_all(tables, "units", Unit), key=lambda u: u.id)},
        offer_types=tuple(sorted(_all(tables, "offer-types", OfferType), key=_by_order)),
        areas=tuple(
            sorted(_all(tables, "areas", Area), key=lambda a: (a.county_wide, a.name, a.id))
        ),
        measures=tuple(measures),
        charter=tuple(sorted(_all(tables, "charter", Commitment), key=_by_order)),
        partners=tuple(sorted(_all(tables, "partners", Partner), key=_by_name)),
        signatories=tuple(sorted(_all(tables, "signatories", Signatory), key=_by_name)),
        organisations=tuple(organisations),
        posts=tuple(sorted(posts, key=lambda p: (-p.date.toordinal(), p.slug))),
        boundaries=boundaries,
        contracts=tuple(sorted(contracts, key=lambda c: (c.start, c.id))),
    )


def _records(tables: Mapping[str, TypedTable], name: str) -> tuple[Record, ...]:
    table = tables.get(name)
    return table.records if table else ()


def _by_order(item: Any) -> tuple[int, str]:
    return (item.order, item.id)


def _by_name(item: Any) -> tuple[str, str]:
    return (a_to_z(item.name), item.id)
