"""What a confirmation page repeats of what was sent: never a person's name or email address.

The confirmation looks the submission up by its reference (the reference is the key: it is in
the link only the sender was sent to). A pledge repeats its measure, quantity and unit,
organisation and contract; a register request its organisation. A reference with nothing stored
(a robot's, whose answers were never kept) shows the confirmation alone.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from socialvalue.intake.choices import Choices
from socialvalue.intake.schemas import FormSpec


def details(spec: FormSpec, payload: dict[str, Any], choices: Choices) -> list[tuple[str, str]]:
    """(question, answer) rows for the confirmation page."""
    if spec.kind.slug == "pledge":
        return _pledge(spec, payload, choices)
    if spec.kind.slug == "register-request":
        action = "Update the entry" if payload.get("request_type") == "update" else "Join"
        return [("Request", action), ("Organisation", str(payload.get("name", "")))]
    return []


def _pledge(spec: FormSpec, payload: dict[str, Any], choices: Choices) -> list[tuple[str, str]]:
    measure = next((m for m in choices.measures if m.id == payload.get("measure")), None)
    unit = next((u for u in choices.units if measure and u.id == measure.unit), None)
    quantity = payload.get("quantity", "")
    amount = _number(quantity)
    if unit is not None:
        amount += " " + (unit.singular if quantity == 1 else unit.plural)
    organisation = choices.entries.get(str(payload.get("organisation", "")))
    rows = [
        ("Measure", measure.label if measure else str(payload.get("measure", ""))),
        ("Quantity", amount),
        (
            "Organisation",
            organisation.name if organisation else "Not for a particular organisation",
        ),
    ]
    status = payload.get("contract_status")
    if status == "contract":
        rows.append(("Contract reference", str(payload.get("contract_reference", ""))))
    elif status == "tender":
        rows.append(("Tender reference", str(payload.get("tender_reference", ""))))
    elif status == "not-awarded":
        rows.append(("Contract", spec.field("contract_status").labels.get(status, status)))
    elif payload.get("contract_reference"):  # sent before the question existed
        rows.append(("Contract reference", str(payload["contract_reference"])))
    return rows


def _number(value: Any) -> str:
    """12 -> "12", 1250 -> "1,250", 2.5 -> "2.5"."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{Decimal(str(value)).normalize():,f}"
