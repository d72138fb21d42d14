"""The delivery forms' answers checked against the register's contracts (``sv:contract``).

A progress update names a contract by its reference and one of that contract's commitments;
a delivery confirmation names a contract and one of its updates. Both are looked up as the core
checked them (``Choices.contracts``), ignoring case, and stored as the register writes them.
The checks are those the core makes on the contract file, so an approved answer makes a valid
item: a known commitment or update, a whole number for a unit that counts whole things, a
date not in the future and not before the contract started (or the update it answers).

These run after the answers' own rules, on the answers that passed them; the browser cannot
run them (it has no contracts), so their errors come from the server only.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from socialvalue.intake.choices import Choices, ContractOption
from socialvalue.intake.schemas import FormSpec

Found = list[tuple[str, str]]  # (field, message)


def check_contracts(
    spec: FormSpec, data: dict[str, Any], choices: Choices, today: date | None
) -> Found:
    """Look the answers up in the register's contracts; tidy `data` in place to the ids found."""
    roles = {rule.contract: rule.name for rule in spec.fields if rule.contract}
    if "reference" not in roles or roles["reference"] not in data:
        return []
    field = roles["reference"]
    contract = choices.contract(str(data[field]))
    if contract is None:
        return [(field, spec.field(field).messages["contract"])]
    data[field] = contract.reference
    data["contract"] = contract.id
    found: Found = []
    earliest: date | None = None
    if "commitment" in roles:
        found += _commitment(spec, roles["commitment"], data, contract)
        earliest = contract.start
    if "update" in roles:
        found += _update(spec, roles["update"], data, contract)
        known = contract.update(str(data.get(roles["update"], "")))
        earliest = known.date if known and roles["update"] in data else None
    return found + _date(spec, data, earliest, today)


def _commitment(
    spec: FormSpec, field: str, data: dict[str, Any], contract: ContractOption
) -> Found:
    if field not in data:
        return []
    commitment = contract.commitment(str(data[field]))
    if commitment is None:
        del data[field]
        return [(field, spec.field(field).messages["contract"])]
    data[field] = commitment.id
    quantity = data.get("quantity")
    if commitment.integer and isinstance(quantity, float):
        return [("quantity", spec.field("quantity").messages["whole"])]
    return []


def _update(spec: FormSpec, field: str, data: dict[str, Any], contract: ContractOption) -> Found:
    if field not in data:
        return []
    update = contract.update(str(data[field]))
    messages = spec.field(field).messages
    if update is None:
        del data[field]
        return [(field, messages["contract"])]
    organisation = data.get("organisation")
    if update.organisation and organisation and update.organisation != organisation:
        del data[field]
        return [(field, messages["organisation"])]
    data[field] = update.id
    return []


def _date(
    spec: FormSpec, data: Mapping[str, Any], earliest: date | None, today: date | None
) -> Found:
    if "date" not in data:
        return []
    day = date.fromisoformat(str(data["date"]))
    messages = spec.field("date").messages
    if today is not None and day > today:
        return [("date", messages["future"])]
    if earliest is not None and day < earliest:
        return [("date", messages["early"])]
    return []
