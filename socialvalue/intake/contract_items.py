"""The item staff add to a contract file for an approved progress update or delivery
confirmation. Never carries the private contact name or email of the person who filled in a form.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from socialvalue.intake.choices import ContractOption
from socialvalue.intake.exports import slugify
from socialvalue.intake.store import Submission
from socialvalue.intake.yamltext import scalar
from socialvalue.register.yamlfile import parse_yaml


def update_id(reference: str, taken: Iterable[str]) -> str:
    """A fresh update id from the submission's reference (SV-U-7K3M-9QXA -> u-7k3m-9qxa): the
    same every time staff look, and unique in the contract (-2, -3 ... if it is taken)."""
    return slugify("u-" + reference[5:], taken)


def contract_item(submission: Submission, contract: ContractOption) -> tuple[str, str]:
    """(list name, YAML) of the `updates:` or `confirmations:` item for an approved answer, as
    written in a contract file (indented two spaces); the list's own line comes first when the
    contract has no such list yet."""
    p = submission.payload
    if submission.kind == "progress-update":
        taken = [u.id for u in contract.updates]
        item: dict[str, Any] = {
            "id": update_id(submission.reference, taken),
            "date": date.fromisoformat(p["date"]),
            "commitment": p["commitment"],
            "quantity": p["quantity"],
            "what": p["what"],
        }
        if p.get("evidence"):
            item["evidence"] = p["evidence"]
        name, started = "updates", contract.has_updates
    else:
        item = {
            "update": p["update"],
            "outcome": p["outcome"],
            "date": date.fromisoformat(p["date"]),
        }
        if p["outcome"] == "disputed" and p.get("note"):
            item["note"] = p["note"]
        name, started = "confirmations", contract.has_confirmations
    text = list_item(item)
    return name, (text if started else f"{name}:\n{text}")


def list_item(item: Mapping[str, Any]) -> str:
    """One item of a list inside a file, ``  - key: value`` then ``    key: value``; refused
    (ValueError, a bug) unless it reads back as the item."""
    lines = [
        f"{key}: {_number(value) if key == 'quantity' else scalar(value)}"
        for key, value in item.items()
    ]
    text = "".join(("  - " if i == 0 else "    ") + line + "\n" for i, line in enumerate(lines))
    doc, _problems = parse_yaml("items:\n" + text, "<written>")
    if doc is None or doc.value != {"items": [dict(item)]}:
        raise ValueError("the YAML written does not read back as the item")
    return text


def _number(value: Any) -> str:
    """12 or 12.5, never 1e-05 (which YAML reads as text)."""
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(int(value))
    return format(number, "f")
