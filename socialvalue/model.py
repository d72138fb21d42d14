"""Stage 3: the validated register as frozen dataclasses. No I/O here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .load import RawRegister, Row


@dataclass(frozen=True)
class Settings:
    body_name: str
    body_short_name: str
    county: str
    site_name: str
    site_url: str
    intake_url: str
    contact_email: str
    threshold_gbp: float
    aggregation_months: int
    review_max_age_months: int
    sample_data: bool


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

    def priority(self, priority_id: str) -> Priority:
        return next(p for p in self.priorities if p.id == priority_id)

    def measures_of(self, priority_id: str) -> list[Measure]:
        return [m for m in self.measures if m.priority == priority_id]


def _kwargs(row: Row, cls: type, lists: tuple[str, ...] = ()) -> dict[str, Any]:
    names = cls.__dataclass_fields__.keys()
    data = {k: v for k, v in row.data.items() if k in names and v is not None}
    for name in lists:
        data[name] = tuple(str(v) for v in data.get(name) or ())
    return data


def _rows(
    raw: RawRegister, name: str, cls: type, lists: tuple[str, ...] = (), key: str = "order"
) -> tuple:
    items = [cls(**_kwargs(row, cls, lists)) for row in raw.tables[name].rows]
    return tuple(sorted(items, key=lambda item: (getattr(item, key), item.id)))


def _organisation(row: Row) -> Organisation:
    data = _kwargs(row, Organisation, ("areas", "measures", "offers"))
    contact = row.get("contact") or {}
    data["contact"] = Contact(
        **{k: contact[k] for k in ("email", "website", "phone") if contact.get(k)}
    )
    return Organisation(source_path=row.path, **data)


def model(raw: RawRegister) -> Register:
    """Build the domain from a register that `validate` passed (no errors)."""
    settings = Settings(**_kwargs(raw.tables["settings"].rows[0], Settings))
    organisations = sorted(
        (_organisation(r) for r in raw.tables["organisations"].rows),
        key=lambda o: (o.name.casefold(), o.id),
    )
    priorities = _rows(raw, "priorities", Priority)
    rank = {p.id: p.order for p in priorities}
    return Register(
        settings=settings,
        priorities=priorities,
        units={u.id: u for u in _rows(raw, "units", Unit, key="id")},
        offer_types=_rows(raw, "offer-types", OfferType, ("examples",)),
        areas=tuple(
            sorted(_rows(raw, "areas", Area, key="id"), key=lambda a: (a.kind == "county", a.name))
        ),
        measures=tuple(
            sorted(
                _rows(raw, "measures", Measure, ("offers",)),
                key=lambda m: (rank.get(m.priority, 0), m.order, m.id),
            )
        ),
        charter=_rows(raw, "charter", Commitment),
        partners=_rows(raw, "partners", Partner, ("priorities",), key="name"),
        signatories=_rows(raw, "signatories", Signatory, ("commitments",), key="name"),
        organisations=tuple(organisations),
    )
