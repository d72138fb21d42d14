"""Contracts with social value commitments: the dataclasses, their figures and their state.

Pure: no I/O, and the clock is an argument (`today`). `contract_from_values` builds a
`Contract` from a record's values; the items inside its lists are read with `as_date` and
`as_number`, the same readings the rules (`contracts.py`) check them with.

Figures, per commitment (`Contract.figures(commitment_id)`), in the measure's unit:
- committed: the commitment's quantum;
- reported: the sum of the quantities of the updates for the commitment;
- confirmed: the sum over those updates that the receiving organisation confirmed;
- disputed: the sum over those updates that it disputed.

The state of a contract on `today` (`Contract.state(today)`), the first that applies:
1. audited (an audit dated on or before `today`):
   - "grace-period": an outcome is not-met or double-counted and its grace_until is on or
     after `today` (the supplier still has time to put it right);
   - "closed-met": every commitment has the outcome met;
   - "closed-not-met": otherwise (an outcome not met with no grace period running, or a
     commitment the audit gives no outcome for).
2. not audited:
   - "disputed": some update's delivery was disputed by the receiving organisation;
   - "behind": a commitment's due date has passed (due < `today`) and less than its quantum
     has been reported;
   - "delivered-and-confirmed": the contract has commitments, and for every one the confirmed
     quantity reaches the quantum;
   - "on-track": otherwise (including a contract that has not started yet).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

State = Literal[
    "on-track",
    "behind",
    "delivered-and-confirmed",
    "disputed",
    "grace-period",
    "closed-met",
    "closed-not-met",
]
NOT_MET = ("not-met", "double-counted")
ZERO = Decimal(0)


def as_date(value: object) -> dt.date | None:
    """A date as the register reads one (a YAML date, or text written YYYY-MM-DD); else None."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def as_number(value: object) -> Decimal | None:
    """An exact number (12, 12.5 or "12.5"); None for anything else, true/false included."""
    if type(value) is int:  # the common case, and exact
        return Decimal(value)
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _text(value: object) -> str | None:
    return str(value).strip() if value is not None else None


@dataclass(frozen=True)
class ContractCommitment:
    id: str
    measure: str
    quantum: Decimal
    due: dt.date
    organisation: str | None = None


@dataclass(frozen=True)
class ProgressUpdate:
    id: str
    date: dt.date
    commitment: str
    quantity: Decimal
    what: str
    evidence: str | None = None


@dataclass(frozen=True)
class Confirmation:
    update: str
    outcome: Literal["confirmed", "disputed"]
    date: dt.date
    note: str | None = None


@dataclass(frozen=True)
class AuditOutcome:
    commitment: str
    outcome: Literal["met", "not-met", "double-counted"]
    grace_until: dt.date | None = None
    note: str | None = None


@dataclass(frozen=True)
class Audit:
    date: dt.date
    outcomes: tuple[AuditOutcome, ...] = ()

    def outcome_of(self, commitment_id: str) -> AuditOutcome | None:
        return next((o for o in self.outcomes if o.commitment == commitment_id), None)


@dataclass(frozen=True)
class Figures:
    """One commitment's figures, in its measure's unit."""

    committed: Decimal
    reported: Decimal
    confirmed: Decimal
    disputed: Decimal


@dataclass(frozen=True)
class Contract:
    id: str
    reference: str
    title: str
    supplier: str
    value_gbp: Decimal
    start: dt.date
    end: dt.date
    named: bool
    source_path: str
    org_id: str | None = None
    companies_house: str | None = None
    rating: str | None = None
    commitments: tuple[ContractCommitment, ...] = ()
    updates: tuple[ProgressUpdate, ...] = ()
    confirmations: tuple[Confirmation, ...] = ()
    audit: Audit | None = None
    sample: bool = False

    def outcome(self, update_id: str) -> str | None:
        """The receiving organisation's word on an update: confirmed, disputed or None."""
        found = next((c for c in self.confirmations if c.update == update_id), None)
        return found.outcome if found else None

    def figures(self, commitment_id: str) -> Figures:
        commitment = next(c for c in self.commitments if c.id == commitment_id)
        sums = {"reported": ZERO, "confirmed": ZERO, "disputed": ZERO}
        for update in self.updates:
            if update.commitment != commitment_id:
                continue
            sums["reported"] += update.quantity
            outcome = self.outcome(update.id)
            if outcome is not None:
                sums[outcome] += update.quantity
        return Figures(commitment.quantum, **sums)

    def state(self, today: dt.date) -> State:
        """See the module's docstring for what each state means."""
        if self.audit is not None and self.audit.date <= today:
            return self._audited_state(self.audit, today)
        figures = [(c, self.figures(c.id)) for c in self.commitments]
        if any(f.disputed > 0 for _, f in figures):
            return "disputed"
        if any(c.due < today and f.reported < f.committed for c, f in figures):
            return "behind"
        if figures and all(f.confirmed >= f.committed for _, f in figures):
            return "delivered-and-confirmed"
        return "on-track"

    def _audited_state(self, audit: Audit, today: dt.date) -> State:
        for outcome in audit.outcomes:
            grace = outcome.grace_until
            if outcome.outcome in NOT_MET and grace is not None and grace >= today:
                return "grace-period"
        outcomes = [audit.outcome_of(c.id) for c in self.commitments]
        if all(o is not None and o.outcome == "met" for o in outcomes):
            return "closed-met"
        return "closed-not-met"


def _items(values: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    items = values.get(key)
    return [i for i in items if isinstance(i, Mapping)] if isinstance(items, list) else []


def _commitment(item: Mapping[str, Any]) -> ContractCommitment:
    return ContractCommitment(
        id=str(item["id"]),
        measure=str(item["measure"]),
        quantum=as_number(item["quantum"]) or ZERO,
        due=as_date(item["due"]) or dt.date.min,
        organisation=_text(item.get("organisation")),
    )


def _update(item: Mapping[str, Any]) -> ProgressUpdate:
    return ProgressUpdate(
        id=str(item["id"]),
        date=as_date(item["date"]) or dt.date.min,
        commitment=str(item["commitment"]),
        quantity=as_number(item["quantity"]) or ZERO,
        what=str(item["what"]).strip(),
        evidence=_text(item.get("evidence")),
    )


def _confirmation(item: Mapping[str, Any]) -> Confirmation:
    return Confirmation(
        update=str(item["update"]),
        outcome=item["outcome"],
        date=as_date(item["date"]) or dt.date.min,
        note=_text(item.get("note")),
    )


def _audit(value: object) -> Audit | None:
    if not isinstance(value, Mapping) or as_date(value.get("date")) is None:
        return None
    outcomes = tuple(
        AuditOutcome(
            commitment=str(item["commitment"]),
            outcome=item["outcome"],
            grace_until=as_date(item.get("grace_until")),
            note=_text(item.get("note")),
        )
        for item in _items(value, "outcomes")
    )
    return Audit(as_date(value["date"]) or dt.date.min, outcomes)


def contract_from_values(values: Mapping[str, Any], source_path: str) -> Contract:
    """A Contract from a record that passed the check (its items are complete and well formed)."""
    optional = {k: values[k] for k in ("org_id", "companies_house", "rating") if values.get(k)}
    return Contract(
        id=str(values["id"]),
        reference=str(values["reference"]),
        title=str(values["title"]),
        supplier=str(values["supplier"]),
        value_gbp=Decimal(str(values["value_gbp"])),
        start=values["start"],
        end=values["end"],
        named=bool(values["named"]),
        source_path=source_path,
        commitments=tuple(_commitment(i) for i in _items(values, "commitments")),
        updates=tuple(_update(i) for i in _items(values, "updates")),
        confirmations=tuple(_confirmation(i) for i in _items(values, "confirmations")),
        audit=_audit(values.get("audit")),
        sample=bool(values.get("sample")),
        **optional,
    )
