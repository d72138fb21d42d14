"""The social value ledger: every contract commitment's figures, and their sums. Pure, no I/O.

A commitment has three figures in its measure's unit (`Contract.figures`): committed (the
quantum), reported by the supplier, and confirmed by the organisation that received the help.
Only the confirmed figure is help we know was delivered.

Units differ between measures (hours, pounds, trees), so figures are only ever added up within
one unit: a measure's total is one sum; a priority's, an area's or an organisation's is a count
of commitments and one sum per unit (`UnitSums`). Contracts whose supplier did not agree to be
named count in every sum, but their supplier is never part of a `Line` shown by name
(`Line.supplier` is None for them).

Areas are the receiving organisation's areas: an organisation working in two districts counts in
both (so the area rows add up to more than the total), and one that works county-wide counts
once, as county-wide, not in every district.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from .charts import Bar, FigureRow
from .register.contract_model import (
    ZERO,
    AuditOutcome,
    Confirmation,
    Contract,
    ContractCommitment,
    Figures,
    ProgressUpdate,
    State,
)
from .register.model import Measure, Organisation, Register, Signatory, Unit
from .register.names import companies_house_number, supplier_key

# Each state's short name and what it means, in plain English (the guidance says the same).
STATES: dict[str, tuple[str, str]] = {
    "on-track": ("On track", "Nothing is overdue. The supplier is still delivering."),
    "behind": (
        "Behind",
        "A commitment is past its due date and the supplier has reported less than it agreed.",
    ),
    "delivered-and-confirmed": (
        "Delivered and confirmed",
        "The organisations that received the help have confirmed all of it.",
    ),
    "disputed": (
        "Disputed",
        "An organisation that received help does not agree with something the supplier reported.",
    ),
    "grace-period": (
        "Grace period",
        "The audit found a commitment not met or counted twice. The supplier has time to put "
        "it right.",
    ),
    "closed-met": ("Closed: met", "The audit found every commitment met."),
    "closed-not-met": (
        "Closed: not met",
        "The audit found that at least one commitment was not met, and the time to put it right "
        "has passed.",
    ),
}
AUDIT_OUTCOMES = {
    "met": "Met",
    "not-met": "Not met",
    "double-counted": "Counted twice (double counting)",
}
NO_AUDIT = "Not audited yet"
COUNTY_WIDE = ("county-wide", "County-wide", None)
NO_ORGANISATION = ("none", "No organisation named", None)


def percent(part: Decimal, whole: Decimal) -> str:
    """`part` as a whole-number percentage of `whole`, rounded down ("0%" when whole is 0)."""
    if whole <= 0:
        return "0%"
    return f"{int(part * 100 // whole)}%"


@dataclass(frozen=True)
class Line:
    """One commitment of one contract, with everything a page or a CSV row needs."""

    contract: Contract
    commitment: ContractCommitment
    figures: Figures
    measure: Measure
    unit: Unit
    organisation: Organisation | None
    state: State
    audit: AuditOutcome | None

    @property
    def supplier(self) -> str | None:
        """The supplier's name, only when it agreed to be named."""
        return self.contract.supplier if self.contract.named else None

    @property
    def audit_text(self) -> str:
        return AUDIT_OUTCOMES[self.audit.outcome] if self.audit else NO_AUDIT

    @property
    def fully_confirmed(self) -> bool:
        return self.figures.confirmed >= self.figures.committed


@dataclass(frozen=True)
class UnitSums:
    unit: Unit
    committed: Decimal
    reported: Decimal
    confirmed: Decimal
    disputed: Decimal

    @property
    def confirmed_percent(self) -> str:
        return percent(self.confirmed, self.committed)


@dataclass(frozen=True)
class Group:
    """The lines under one priority, measure, area or organisation."""

    id: str
    label: str
    href: str | None  # from the site root, when there is a page for it
    commitments: int
    fully_confirmed: int
    sums: tuple[UnitSums, ...]  # one per unit, in the register's order of units


def ledger_lines(register: Register, today: dt.date) -> list[Line]:
    """Every commitment of every contract, in the order of the contracts and their commitments."""
    measures = {m.id: m for m in register.measures}
    organisations = {o.id: o for o in register.organisations}
    lines = []
    for contract in register.contracts:
        state = contract.state(today)
        audit = contract.audit if contract.audit and contract.audit.date <= today else None
        for commitment in contract.commitments:
            measure = measures[commitment.measure]
            lines.append(
                Line(
                    contract=contract,
                    commitment=commitment,
                    figures=contract.figures(commitment.id),
                    measure=measure,
                    unit=register.units[measure.unit],
                    organisation=organisations.get(commitment.organisation or ""),
                    state=state,
                    audit=audit.outcome_of(commitment.id) if audit else None,
                )
            )
    return lines


def unit_sums(lines: Iterable[Line], units: Sequence[Unit]) -> tuple[UnitSums, ...]:
    """The figures of `lines` added up within each unit, in the order of `units`."""
    sums: dict[str, list[Decimal]] = {}
    for line in lines:
        f = line.figures
        totals = sums.setdefault(line.unit.id, [ZERO, ZERO, ZERO, ZERO])
        for index, value in enumerate((f.committed, f.reported, f.confirmed, f.disputed)):
            totals[index] += value
    return tuple(UnitSums(u, *sums[u.id]) for u in units if u.id in sums)


Key = tuple[str, str, str | None]  # a group's id, label and link


def group_lines(
    lines: Sequence[Line],
    keys: Callable[[Line], Iterable[str]],
    order: Sequence[Key],
    units: Sequence[Unit],
) -> list[Group]:
    """The lines grouped by the ids `keys` gives (a line may fall in several groups), in the
    order of `order`; groups with no lines are left out."""
    members: dict[str, list[Line]] = {}
    for line in lines:
        for key in keys(line):
            members.setdefault(key, []).append(line)
    return [
        Group(
            id=key,
            label=label,
            href=href,
            commitments=len(members[key]),
            fully_confirmed=sum(1 for line in members[key] if line.fully_confirmed),
            sums=unit_sums(members[key], units),
        )
        for key, label, href in order
        if key in members
    ]


def area_keys(register: Register) -> Callable[[Line], list[str]]:
    """A line's areas: its organisation's districts, or county-wide once."""
    areas = {a.id: a for a in register.areas}

    def keys(line: Line) -> list[str]:
        if line.organisation is None:
            return [NO_ORGANISATION[0]]
        served = [areas[a] for a in line.organisation.areas if a in areas]
        if any(a.county_wide for a in served):
            return [COUNTY_WIDE[0]]
        return [a.id for a in served]

    return keys


class LedgerView:
    """The ledger for the page templates, on the day the check was made for."""

    def __init__(self, register: Register, today: dt.date) -> None:
        self.register = register
        self.today = today
        self.lines = ledger_lines(register, today)
        self._units = list(register.units.values())

    def _groups(self, keys: Callable[[Line], Iterable[str]], order: Sequence[Key]) -> list[Group]:
        return group_lines(self.lines, keys, order, self._units)

    @cached_property
    def named_contracts(self) -> list[Contract]:
        return [c for c in self.register.contracts if c.named]

    @cached_property
    def _by_contract(self) -> dict[int, list[Line]]:
        """Lines by their contract (by identity), in ledger order: looked up once per page."""
        found: dict[int, list[Line]] = {}
        for line in self.lines:
            found.setdefault(id(line.contract), []).append(line)
        return found

    @cached_property
    def _by_organisation(self) -> dict[str, list[Line]]:
        found: dict[str, list[Line]] = {}
        for line in self.lines:
            if line.organisation is not None:
                found.setdefault(line.organisation.id, []).append(line)
        return found

    def lines_of(self, contract: Contract) -> list[Line]:
        return list(self._by_contract.get(id(contract), ()))

    @cached_property
    def totals(self) -> tuple[UnitSums, ...]:
        return unit_sums(self.lines, self._units)

    @cached_property
    def contract_count(self) -> int:
        return len(self.register.contracts)

    @cached_property
    def unnamed_count(self) -> int:
        return sum(1 for c in self.register.contracts if not c.named)

    @cached_property
    def by_measure(self) -> list[Group]:
        order = [(m.id, m.title, f"measures/{m.id}/") for m in self.register.measures]
        return self._groups(lambda line: [line.measure.id], order)

    @cached_property
    def by_priority(self) -> list[Group]:
        order = [(p.id, p.title, f"priorities/{p.id}/") for p in self.register.priorities]
        return self._groups(lambda line: [line.measure.priority], order)

    @cached_property
    def by_area(self) -> list[Group]:
        order = [(a.id, a.name, f"areas/{a.id}/") for a in self.register.districts]
        return self._groups(area_keys(self.register), [*order, COUNTY_WIDE, NO_ORGANISATION])

    @cached_property
    def by_organisation(self) -> list[Group]:
        order = [(o.id, o.name, f"register/{o.id}/") for o in self.register.organisations]
        return self._groups(
            lambda line: [line.organisation.id if line.organisation else NO_ORGANISATION[0]],
            [*order, NO_ORGANISATION],
        )

    @cached_property
    def measure_rows(self) -> list[FigureRow]:
        """Each measure's three figures (one unit per measure), for the figures chart."""
        return [
            FigureRow(g.label, s.unit.plural, s.committed, s.reported, s.confirmed, g.href)
            for g in self.by_measure
            for s in g.sums
        ]

    @staticmethod
    def commitment_rows(lines: Sequence[Line]) -> list[FigureRow]:
        """A contract's commitments' three figures, for the figures chart on its page."""
        return [
            FigureRow(
                line.measure.title,
                line.unit.plural,
                line.figures.committed,
                line.figures.reported,
                line.figures.confirmed,
            )
            for line in lines
        ]

    @cached_property
    def priority_bars(self) -> list[Bar]:
        """Commitments per priority, for the bar chart."""
        return [Bar(g.label, g.commitments, g.href) for g in self.by_priority]

    @cached_property
    def area_bars(self) -> list[Bar]:
        return [Bar(g.label, g.commitments, g.href) for g in self.by_area]

    def received(self, organisation: Organisation) -> list[Line]:
        """The commitments to an organisation, named contracts and unnamed alike."""
        return list(self._by_organisation.get(organisation.id, ()))

    def contracts_of(self, signatory: Signatory) -> list[Contract]:
        """A signatory's contracts whose supplier agreed to be named: by Companies House
        number when both have one, else by the supplier's name however it is written."""
        number = companies_house_number(signatory.companies_house, None)
        key = supplier_key(signatory.name)
        found = []
        for contract in self.named_contracts:
            theirs = companies_house_number(contract.companies_house, contract.org_id)
            if number and theirs:
                if number == theirs:
                    found.append(contract)
            elif supplier_key(contract.supplier) == key:
                found.append(contract)
        return found

    def update_rows(
        self, contract: Contract
    ) -> list[tuple[ProgressUpdate, Line, Confirmation | None]]:
        """A contract's progress updates by date, each with its commitment's line and the
        receiving organisation's word on it (None: not given yet)."""
        lines = {line.commitment.id: line for line in self.lines_of(contract)}
        words = {c.update: c for c in contract.confirmations}
        return [
            (update, lines[update.commitment], words.get(update.id))
            for update in sorted(contract.updates, key=lambda u: (u.date, u.id))
        ]

    @staticmethod
    def state_name(state: str) -> str:
        return STATES[state][0]

    @staticmethod
    def state_meaning(state: str) -> str:
        return STATES[state][1]
