"""Stage 2d: the items inside a contract (register/contracts/<id>.yaml), which Frictionless sees
only as a list or a set of named values.

Each item is checked for its shape first (known fields, required fields, ids, numbers, dates,
web addresses, allowed values). A contract whose items all have the right shape is then read
as the model reads it (`contract_from_values`), and checked for meaning: the ids it names exist
and are not used twice, quantities are in the measure's unit, and its dates are in order.
The checks across contracts (double counting, progress, audits) are in `contract_rules.py`.

Every problem names the item's place in the file, like `commitments[1].measure`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any

from .contract_model import Contract, as_date, as_number, contract_from_values
from .contract_rules import contract_set_problems
from .problems import Problem
from .rules import ID, _file_name, is_web_address
from .tables import Record, TypedTable

TABLE = "contracts"
# The fields of each kind of item: name -> (kind, required). A kind is id, number, date, text,
# url, or the allowed values separated by "|".
ITEMS: dict[str, dict[str, tuple[str, bool]]] = {
    "commitments": {
        "id": ("id", True),
        "measure": ("id", True),
        "organisation": ("id", False),
        "quantum": ("number", True),
        "unit": ("id", False),
        "due": ("date", True),
    },
    "updates": {
        "id": ("id", True),
        "date": ("date", True),
        "commitment": ("id", True),
        "quantity": ("number", True),
        "what": ("text", True),
        "evidence": ("url", False),
    },
    "confirmations": {
        "update": ("id", True),
        "outcome": ("confirmed|disputed", True),
        "date": ("date", True),
        "note": ("text", False),
    },
    "audit.outcomes": {
        "commitment": ("id", True),
        "outcome": ("met|not-met|double-counted", True),
        "grace_until": ("date", False),
        "note": ("text", False),
    },
}
AUDIT = {"date": ("date", True), "outcomes": ("list", True)}
HEADLINE = ("id", "reference", "title", "supplier", "value_gbp", "start", "end", "named")
KIND_HINTS = {
    "id": ("must be an id", "lower-case letters, digits and single hyphens, like pc-safe-spaces"),
    "number": ("must be a number", "like 120 or 12.5, with no units or commas"),
    "date": ("must be a date written as YYYY-MM-DD", "like 2026-03-31"),
    "text": ("must be text", "write it after the colon, on one line"),
    "url": ("is not a web address", "start it with https://"),
}

Tables = Mapping[str, TypedTable]


def _at(record: Record, key: str, message: str, hint: str | None = None) -> Problem:
    return Problem(record.path, record.line(key), key, message, hint)


def _value_problem(kind: str, value: Any) -> tuple[str, str | None] | None:
    if "|" in kind:
        options = kind.split("|")
        if value in options:
            return None
        close = get_close_matches(str(value), options, n=1)
        hint = f'did you mean "{close[0]}"?' if close else "use one of: " + ", ".join(options)
        return f'"{value}" is not one of the allowed values', hint
    if kind == "id":
        ok = isinstance(value, str) and ID.fullmatch(value) is not None
    elif kind == "number":
        ok = as_number(value) is not None
    elif kind == "date":
        ok = as_date(value) is not None
    elif kind == "text":
        ok = isinstance(value, str) and bool(value.strip())
    elif kind == "url":
        ok = isinstance(value, str) and is_web_address(value)
    elif kind == "list":
        ok = isinstance(value, list)
    else:
        raise KeyError(kind)  # a spec names a kind this function does not know
    return None if ok else KIND_HINTS.get(kind, ("must be a list", "one item per line, `- `"))


def _shape(record: Record, where: str, item: object, spec: dict) -> Iterator[Problem]:
    """An item's fields against its spec: unknown, missing, or of the wrong kind."""
    if not isinstance(item, Mapping):
        yield _at(record, where, "must be a set of named values", "like `id: ...` on each line")
        return
    for key, value in item.items():
        if str(key) not in spec:
            close = get_close_matches(str(key), list(spec), n=1)
            hint = f'did you mean "{close[0]}"?' if close else "known fields: " + ", ".join(spec)
            yield _at(record, f"{where}.{key}", "is not a known field", hint)
        elif value is None or isinstance(value, str) and not value.strip():
            if spec[key][1]:
                yield _at(record, f"{where}.{key}", "is empty, and it is required")
        else:
            found = _value_problem(spec[key][0], value)
            if found:
                yield _at(record, f"{where}.{key}", *found)
    for key, (_, required) in spec.items():
        if required and key not in item:
            yield _at(record, f"{where}.{key}", "is missing, and it is required")


def shape_problems(record: Record) -> list[Problem]:
    problems: list[Problem] = []
    for name in ("commitments", "updates", "confirmations"):
        for index, item in enumerate(record.values.get(name) or []):
            problems += _shape(record, f"{name}[{index}]", item, ITEMS[name])
    audit = record.values.get("audit")
    if audit is not None:
        problems += _shape(record, "audit", audit, AUDIT)
        outcomes = audit.get("outcomes") if isinstance(audit, Mapping) else None
        for index, item in enumerate(outcomes if isinstance(outcomes, list) else []):
            problems += _shape(record, f"audit.outcomes[{index}]", item, ITEMS["audit.outcomes"])
    for index, item in enumerate(record.values.get("commitments") or []):
        problems += _positive(record, f"commitments[{index}]", item, "quantum")
    for index, item in enumerate(record.values.get("updates") or []):
        problems += _positive(record, f"updates[{index}]", item, "quantity")
    return problems


def _positive(record: Record, where: str, item: object, key: str) -> list[Problem]:
    number = as_number(item.get(key)) if isinstance(item, Mapping) else None
    if number is not None and number <= 0:
        return [_at(record, f"{where}.{key}", "must be more than 0")]
    return []


@dataclass(frozen=True)
class NamedOrganisation:
    """An organisation a commitment names, looked up by `named_organisation_problems` once the
    organisations table is typed (on two cores, the other process types it)."""

    path: str
    line: int
    key: str
    id: str


def contract_problems(
    tables: Tables, today: dt.date
) -> tuple[list[Problem], list[NamedOrganisation]]:
    """Every contract's items, then the checks across contracts (for those well formed); and
    the organisations the well-formed contracts name, for `named_organisation_problems`."""
    table = tables.get(TABLE)
    if table is None:
        return [], []
    units = _measure_units(tables)
    problems: list[Problem] = []
    named: list[NamedOrganisation] = []
    contracts: list[tuple[Record, Contract]] = []
    for record in table.records:
        problems += _file_name(record)
        found = shape_problems(record)
        problems += found
        if found or any(record.values.get(k) is None for k in HEADLINE):
            continue
        contract = contract_from_values(record.values, record.path)
        problems += reference_problems(record, contract, set(units))
        named += _named_organisations(record, contract)
        problems += unit_problems(record, contract, units)
        problems += date_problems(record, contract, today)
        contracts.append((record, contract))
    return problems + contract_set_problems(tables, contracts, today), named


def _named_organisations(record: Record, contract: Contract) -> Iterator[NamedOrganisation]:
    for index, commitment in enumerate(contract.commitments):
        if commitment.organisation is not None:
            key = f"commitments[{index}].organisation"
            yield NamedOrganisation(record.path, record.line(key), key, commitment.organisation)


def named_organisation_problems(named: list[NamedOrganisation], tables: Tables) -> list[Problem]:
    """Each organisation a contract names is in the register."""
    known = {str(r.get("id")) for r in _records(tables, "organisations")}
    unknown = sorted((n for n in named if n.id not in known), key=lambda n: (n.path, n.line))
    ids = sorted(known) if unknown else []
    # The nearest id is looked for among every organisation (a tenth of a second each at
    # 10,000): for the first SUGGEST_FOR unknown ids only, so a register that lost its
    # organisations folder is still checked in seconds.
    suggest = {name.id for name in unknown[:SUGGEST_FOR]}
    return [
        _not_known(
            name.path,
            name.line,
            name.key,
            name.id,
            ids if name.id in suggest else [],
            "organisation",
        )
        for name in unknown
    ]


SUGGEST_FOR = 20  # unknown organisation ids that get a "did you mean"


def _records(tables: Tables, name: str) -> tuple[Record, ...]:
    table = tables.get(name)
    return table.records if table else ()


def _measure_units(tables: Tables) -> dict[str, tuple[str, bool]]:
    """measure id -> (its unit's id, whether the unit counts in whole numbers)."""
    integer = {str(r.get("id")): bool(r.get("integer")) for r in _records(tables, "units")}
    return {
        str(r.get("id")): (str(r.get("unit")), integer.get(str(r.get("unit")), False))
        for r in _records(tables, "measures")
    }


def _unknown(record: Record, key: str, value: str, known: set[str], noun: str) -> list[Problem]:
    if value in known:
        return []
    return [_not_known(record.path, record.line(key), key, value, sorted(known), noun)]


def _not_known(path: str, line: int, key: str, value: str, ids: list[str], noun: str) -> Problem:
    """`value` is not among `ids` (sorted, so the nearest is always the same one)."""
    close = get_close_matches(value, ids, n=1)
    article = "an" if noun[0] in "aeiou" else "a"
    hint = f'did you mean "{close[0]}"?' if close else f"use the id of {article} {noun}"
    return Problem(path, line, key, f'"{value}" is not a known {noun}', hint)


def _twice(record: Record, ids: list[str], where: str, noun: str) -> Iterator[Problem]:
    for index, value in enumerate(ids):
        if value in ids[:index]:
            first = record.line(f"{where}[{ids.index(value)}].id")
            yield _at(
                record,
                f"{where}[{index}].id",
                f'"{value}" is already the id of a {noun} on line {first}',
                f"give each {noun} its own id",
            )


def reference_problems(record: Record, contract: Contract, measures: set[str]) -> list[Problem]:
    """Every id the contract names exists (organisations: `named_organisation_problems`); its
    commitments' ids are its own."""
    commitments = [c.id for c in contract.commitments]
    problems = list(_twice(record, commitments, "commitments", "commitment"))
    for index, commitment in enumerate(contract.commitments):
        where = f"commitments[{index}]"
        problems += _unknown(record, f"{where}.measure", commitment.measure, measures, "measure")
    for index, update in enumerate(contract.updates):
        key = f"updates[{index}].commitment"
        problems += _unknown(record, key, update.commitment, set(commitments), "commitment")
    updates = {u.id for u in contract.updates}
    for index, confirmation in enumerate(contract.confirmations):
        key = f"confirmations[{index}].update"
        problems += _unknown(record, key, confirmation.update, updates, "update")
    for index, outcome in enumerate(contract.audit.outcomes if contract.audit else ()):
        key = f"audit.outcomes[{index}].commitment"
        problems += _unknown(record, key, outcome.commitment, set(commitments), "commitment")
    return problems


def unit_problems(
    record: Record, contract: Contract, units: Mapping[str, tuple[str, bool]]
) -> list[Problem]:
    """Quantities are in the measure's unit; a unit that counts whole things needs whole numbers."""
    problems: list[Problem] = []
    by_id = {c.id: c for c in contract.commitments}
    for index, commitment in enumerate(contract.commitments):
        unit, integer = units.get(commitment.measure, ("", False))
        written = record.values["commitments"][index].get("unit")
        if written is not None and unit and written != unit:
            message = f'"{written}" is not the unit of {commitment.measure}, which is "{unit}"'
            hint = f"give the quantum in {unit}, and write unit: {unit} or leave it out"
            problems.append(_at(record, f"commitments[{index}].unit", message, hint))
        if integer and commitment.quantum != commitment.quantum.to_integral_value():
            key = f"commitments[{index}].quantum"
            problems.append(_at(record, key, f"must be a whole number of {unit}"))
    for index, update in enumerate(contract.updates):
        named = by_id.get(update.commitment)
        unit, integer = units.get(named.measure, ("", False)) if named else ("", False)
        if integer and update.quantity != update.quantity.to_integral_value():
            key = f"updates[{index}].quantity"
            problems.append(_at(record, key, f"must be a whole number of {unit}"))
    return problems


def _future(record: Record, key: str, day: dt.date, today: dt.date) -> list[Problem]:
    if day <= today:
        return []
    hint = f"use today's date ({today.isoformat()}) or an earlier one"
    return [_at(record, key, f"{day.isoformat()} is in the future", hint)]


def date_problems(record: Record, contract: Contract, today: dt.date) -> list[Problem]:
    """Start before end; commitments due within the contract; nothing reported or confirmed
    before it happened or in the future; the audit after the start, its grace after it."""
    c, problems = contract, []
    if c.end < c.start:
        problems.append(_at(record, "end", f"is before the start ({c.start.isoformat()})"))
    for index, commitment in enumerate(c.commitments):
        if not c.start <= commitment.due <= c.end:
            message = f"must be between the contract's start and end ({c.start} to {c.end})"
            problems.append(_at(record, f"commitments[{index}].due", message))
    for index, update in enumerate(c.updates):
        if update.date < c.start:
            message = f"is before the contract's start ({c.start.isoformat()})"
            problems.append(_at(record, f"updates[{index}].date", message))
        problems += _future(record, f"updates[{index}].date", update.date, today)
    dates: dict[str, dt.date] = {}
    for update in c.updates:
        dates.setdefault(update.id, update.date)  # an id used twice is reported elsewhere
    for index, confirmation in enumerate(c.confirmations):
        key, updated = f"confirmations[{index}].date", dates.get(confirmation.update)
        if updated is not None and confirmation.date < updated:
            message = f"is before the update it confirms ({updated.isoformat()})"
            problems.append(_at(record, key, message, "a confirmation comes after its update"))
        problems += _future(record, key, confirmation.date, today)
    if c.audit is not None:
        if c.audit.date < c.start:
            message = f"is before the contract's start ({c.start.isoformat()})"
            problems.append(_at(record, "audit.date", message))
        problems += _future(record, "audit.date", c.audit.date, today)
        for index, outcome in enumerate(c.audit.outcomes):
            if outcome.grace_until is not None and outcome.grace_until <= c.audit.date:
                key = f"audit.outcomes[{index}].grace_until"
                message = f"must be after the audit's date ({c.audit.date.isoformat()})"
                problems.append(_at(record, key, message))
    return problems
