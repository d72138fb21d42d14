"""Valid ids and their labels for the forms, from the register as the core checked it.

The intake reads the register through the same core as the site (`socialvalue.register`), so a
form offers exactly the ids the check passed, in the same order as the site's pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from socialvalue.register import Failed, Register, check
from socialvalue.register.contract_model import Contract
from socialvalue.register.model import Organisation
from socialvalue.register.problems import format_text


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
class Entry:
    """An organisation's current entry, as the register-request form's answers (field by field).

    Only what the form asks; the rest of the file (an address, ...) stays in the register and is
    kept by ``exports.organisation_yaml``.
    """

    id: str
    name: str
    description: str
    areas: tuple[str, ...]
    measures: tuple[str, ...]
    offers: tuple[str, ...]
    org_id: str = ""
    welcomes: str = ""
    how_to_approach: str = ""
    contact_email: str = ""
    contact_website: str = ""
    contact_phone: str = ""
    town: str = ""
    safeguarding: bool = False

    def answers(self) -> dict[str, str | list[str]]:
        """The entry as form answers: lists of ids, "yes"/"no", empty text left out."""
        found: dict[str, str | list[str]] = {
            "request_type": "update",
            "organisation": self.id,
            "name": self.name,
            "description": self.description,
            "areas": list(self.areas),
            "measures": list(self.measures),
            "offers": list(self.offers),
            "safeguarding": "yes" if self.safeguarding else "no",
        }
        for key in _TEXT_ANSWERS:
            if getattr(self, key):
                found[key] = getattr(self, key)
        return found


_TEXT_ANSWERS = (
    "org_id",
    "welcomes",
    "how_to_approach",
    "contact_email",
    "contact_website",
    "contact_phone",
    "town",
)


@dataclass(frozen=True)
class CommitmentOption:
    """A commitment of a contract, with what a progress update against it is counted in."""

    id: str
    measure: str
    unit: str
    integer: bool
    organisation: str | None = None


@dataclass(frozen=True)
class UpdateOption:
    """A progress update already on the register, as the receiving organisation answers it."""

    id: str
    commitment: str
    organisation: str | None
    date: dt.date
    outcome: str | None = None  # confirmed, disputed, or None while it has no answer


@dataclass(frozen=True)
class ContractOption:
    """A contract as the delivery forms check against it (never its supplier's name)."""

    id: str
    reference: str
    title: str
    start: dt.date
    commitments: tuple[CommitmentOption, ...] = ()
    updates: tuple[UpdateOption, ...] = ()
    has_updates: bool = False
    has_confirmations: bool = False

    def commitment(self, text: str) -> CommitmentOption | None:
        """The commitment whose id is `text`, ignoring case and spaces around it."""
        wanted = text.strip().casefold()
        return next((c for c in self.commitments if c.id.casefold() == wanted), None)

    def update(self, text: str) -> UpdateOption | None:
        wanted = text.strip().casefold()
        return next((u for u in self.updates if u.id.casefold() == wanted), None)


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
    entries: Mapping[str, Entry] = field(default_factory=dict, compare=False)
    contracts: tuple[ContractOption, ...] = ()
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

    def welcomed(self, organisation: str) -> tuple[str, ...] | None:
        """The measures an organisation welcomes (None: not an organisation on the register)."""
        entry = self.entries.get(organisation)
        return entry.measures if entry is not None else None

    def contract(self, reference: str) -> ContractOption | None:
        """The contract whose reference is `reference`, ignoring case and spaces around it."""
        wanted = " ".join(reference.split()).casefold()
        return next((c for c in self.contracts if c.reference.casefold() == wanted), None)

    def whole_measures(self) -> tuple[str, ...]:
        """Ids of the measures whose unit is counted in whole numbers."""
        return self._whole


def load_choices(register_dir: Path, today: dt.date | None = None) -> Choices:
    """The choices from the register as the core checked it; a register with errors stops the
    start with ``RegisterError`` listing them (the intake cannot check answers against it)."""
    result = check(register_dir, today or dt.date.today())
    if isinstance(result, Failed):
        errors = [p for p in result.problems if p.is_error]
        raise RegisterError(
            f"the register in {register_dir} has {len(errors)} error(s) "
            f"(`python build.py check` lists them), the first: {format_text(errors[0])}"
        )
    return choices_from_register(result.register)


def choices_from_register(register: Register) -> Choices:
    """Every form's options, in the register's own order."""
    return Choices(
        measures=tuple(Option(m.id, m.title, m.priority, m.unit) for m in register.measures),
        priorities=tuple(Option(p.id, p.title) for p in register.priorities),
        units=tuple(Unit(u.id, u.singular, u.plural, u.integer) for u in register.units.values()),
        charter=tuple(Option(c.id, c.title) for c in register.charter),
        organisations=tuple(Option(o.id, o.name) for o in register.organisations),
        areas=tuple(Option(a.id, a.name) for a in register.areas),
        offers=tuple(Option(o.id, o.title) for o in register.offer_types),
        site_name=register.settings.site_name,
        entries={o.id: _entry(o) for o in register.organisations},
        contracts=tuple(_contract(c, register) for c in register.contracts),
    )


def _entry(org: Organisation) -> Entry:
    return Entry(
        id=org.id,
        name=org.name,
        description=org.description,
        areas=org.areas,
        measures=org.measures,
        offers=org.offers,
        org_id=org.org_id or "",
        welcomes=org.welcomes or "",
        how_to_approach=org.how_to_approach or "",
        contact_email=org.contact.email or "",
        contact_website=org.contact.website or "",
        contact_phone=org.contact.phone or "",
        # a safeguarded entry's location is never offered back, even to the form
        town="" if org.safeguarding else (org.town or ""),
        safeguarding=org.safeguarding,
    )


def _contract(contract: Contract, register: Register) -> ContractOption:
    unit_of = {m.id: m.unit for m in register.measures}
    commitments = []
    for c in contract.commitments:
        unit = register.units.get(unit_of.get(c.measure, ""))
        commitments.append(
            CommitmentOption(
                c.id,
                c.measure,
                unit.id if unit else "",
                bool(unit and unit.integer),
                c.organisation,
            )
        )
    organisation_of = {c.id: c.organisation for c in contract.commitments}
    updates = tuple(
        UpdateOption(
            u.id, u.commitment, organisation_of.get(u.commitment), u.date, contract.outcome(u.id)
        )
        for u in contract.updates
    )
    return ContractOption(
        contract.id,
        contract.reference,
        contract.title,
        contract.start,
        tuple(commitments),
        updates,
        has_updates=bool(contract.updates),
        has_confirmations=bool(contract.confirmations),
    )
