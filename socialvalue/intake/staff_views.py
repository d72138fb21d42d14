"""What the staff pages show: a submission's summary and answers, dates, the YAML to add.

Plain functions of a submission; ``StaffPages`` renders ``templates/forms/staff/``.
Names and email addresses appear only in ``answers`` (the detail page, behind the session).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from socialvalue.intake.choices import Choices
from socialvalue.intake.contract_items import contract_item
from socialvalue.intake.exports import (
    organisation_diff,
    organisation_yaml,
    signatories,
    signatories_yaml,
)
from socialvalue.intake.forms import FieldError
from socialvalue.intake.pages import environment
from socialvalue.intake.schemas import FieldRule, FormSpec
from socialvalue.intake.store import Submission
from socialvalue.register.yamlfile import parse_yaml

KIND_NAMES = {
    "pledge": "Pledge",
    "charter": "Charter signature",
    "register-request": "Register request",
    "progress-update": "Progress update",
    "delivery-confirmation": "Delivery confirmation",
}
KIND_PLURALS = {
    "pledge": "Pledges",
    "charter": "Charter signatures",
    "register-request": "Register requests",
    "progress-update": "Progress updates",
    "delivery-confirmation": "Delivery confirmations",
}
STATUS_NAMES = {"new": "New", "approved": "Approved", "rejected": "Rejected"}
MONTHS = (
    "January February March April May June July August September October November December"
).split()


def day(value: str) -> str:
    """``2026-04-01`` or ``2026-04-01T09:30:00Z`` -> ``1 April 2026`` (as given if not a date)."""
    try:
        parsed = date.fromisoformat(value[:10])
    except ValueError:
        return value
    return f"{parsed.day} {MONTHS[parsed.month - 1]} {parsed.year}"


def moment(stamp: str) -> str:
    """``2026-04-01T09:30:00Z`` -> ``1 April 2026 at 09:30 UTC``."""
    if len(stamp) < 16 or stamp[10] != "T":
        return day(stamp)
    return f"{day(stamp)} at {stamp[11:16]} UTC"


def _label(choices: Choices, table: str | None, value: Any) -> str:
    if table is None:
        return str(value)
    try:
        options = choices.table(table)
    except KeyError:
        return str(value)
    return next((option.label for option in options if option.id == value), str(value))


def shown(rule: FieldRule, value: Any, choices: Choices) -> list[str]:
    """An answer as the lines to show: labels for choices, Yes/No, dates in words."""
    if isinstance(value, bool):
        return ["Yes" if value else "No"]
    items = value if isinstance(value, list) else [value]
    lines = []
    for item in items:
        if rule.labels and str(item) in rule.labels:
            lines.append(rule.labels[str(item)])
        elif rule.type == "date":
            lines.append(day(str(item)))
        else:
            lines.append(_label(choices, rule.choices, item))
    return lines


def answers(submission: Submission, spec: FormSpec, choices: Choices) -> list[dict[str, Any]]:
    """Every answer given, in question order: [{label, lines}]. Personal data included."""
    found = []
    for rule in spec.fields:
        value = submission.payload.get(rule.name)
        if value is None or value == "" or value == []:
            continue
        found.append({"label": rule.label, "lines": shown(rule, value, choices)})
    return found


def summary(submission: Submission, choices: Choices) -> str:
    """One line on what was sent, naming organisations only (never a person)."""
    p = submission.payload
    if submission.kind == "pledge":
        measure = _label(choices, "measures", p.get("measure"))
        text = f"{p.get('supplier_name', '')}: {p.get('quantity', '')} for {measure}"
        if p.get("organisation"):
            text += f", with {_label(choices, 'organisations', p['organisation'])}"
        return text
    if submission.kind == "charter":
        chosen = len(p.get("commitments") or [])
        scope = "all commitments" if p.get("commitments_scope") == "all" else f"{chosen} chosen"
        listed = "to be listed" if p.get("listed") is True else "not to be listed"
        return f"{p.get('supplier_name', '')}: {scope}, {listed}"
    if submission.kind == "progress-update":
        quantity = f"{p.get('quantity', '')} for {p.get('commitment', '')}"
        return f"{p.get('contract_reference', '')}: {quantity}"
    if submission.kind == "delivery-confirmation":
        outcome = "disputed" if p.get("outcome") == "disputed" else "confirmed"
        return f"{p.get('contract_reference', '')}: update {p.get('update', '')} {outcome}"
    action = "Update" if p.get("request_type") == "update" else "Join"
    return f"{action}: {p.get('name', '')}"


@dataclass(frozen=True)
class Addition:
    """What to add to the register for an approved submission."""

    path: str  # where it goes, relative to the repository
    how: str  # one sentence: what to do with it
    text: str  # the YAML
    diff: str = ""  # for an update: the change to the entry's file, as a unified diff


def addition(
    submission: Submission, choices: Choices, register_dir: Path, today: date
) -> Addition | None:
    """The YAML to add for an approved register request, listed signatory, progress update or
    delivery confirmation; else None."""
    if submission.status != "approved":
        return None
    if submission.kind == "register-request":
        text = organisation_yaml(submission.payload, choices, register_dir, today)
        diff = organisation_diff(submission.payload, choices, register_dir, today)
        doc, _problems = parse_yaml(text, "<organisation>")
        org_id = doc.value["id"] if doc is not None else "new-organisation"
        how = (
            "This changes the entry already on the register: check the changes below, then "
            "replace the organisation's file with this one and open a pull request. What the "
            "request left empty, and what the form does not ask, stay as they were."
            if diff
            else "Save this as a new file, then check it and open a pull request."
        )
        return Addition(f"register/organisations/{org_id}.yaml", how, text, diff)
    if submission.kind in ("progress-update", "delivery-confirmation"):
        return contract_addition(submission, choices)
    if submission.kind == "charter":
        rows = signatories([submission], [option.id for option in choices.charter])
        if not rows:
            return None
        entry = signatories_yaml(rows).split("\n", 2)[2]  # without the file's two-line header
        return Addition(
            "register/signatories.yaml",
            "Add this entry to the list, or write the whole file from every approved "
            "signature with 'Write the signatories file' on the submissions page.",
            entry,
        )
    return None


def contract_addition(submission: Submission, choices: Choices) -> Addition | None:
    """The item to add to the contract's file; None when the contract has left the register."""
    contract = next(
        (c for c in choices.contracts if c.id == submission.payload.get("contract")), None
    )
    if contract is None:
        return None
    name, text = contract_item(submission, contract)
    where = f"{contract.reference} ({contract.title})"
    how = f"Add this item at the end of the {name}: list of the contract {where}"
    if text.startswith(f"{name}:"):
        how = f"The contract {where} has no {name} yet: add these lines at the end of its file"
    if submission.kind == "delivery-confirmation":
        update = next(
            (u for u in contract.updates if u.id == submission.payload.get("update")), None
        )
        if update is not None and update.outcome is not None:
            how += (
                f". Update {update.id} is already {update.outcome}: replace that confirmation"
                " with this one, as an update is confirmed once"
            )
    return Addition(
        f"register/contracts/{contract.id}.yaml",
        how + ", then check it and open a pull request.",
        text,
    )


class StaffPages:
    """Renders the staff templates inside their own page shell (``staff/page.html``)."""

    def __init__(self, templates_dir: Path, site_name: str) -> None:
        self._env = environment(templates_dir)
        self._site_name = site_name

    def render(
        self,
        template: str,
        title: str,
        *,
        csrf_token: str = "",
        notice: str = "",
        errors: Iterable[FieldError] = (),
        **context: Any,
    ) -> str:
        full: Mapping[str, Any] = {
            **context,
            "title": title,
            "site_name": self._site_name,
            "assets_url": "/forms/assets/",
            "staff_assets_url": "/staff/assets/",
            "csrf_token": csrf_token,
            "notice": notice,
            "errors": [error.as_json() for error in errors],
            "content_template": f"staff/{template}",
            "kind_names": KIND_NAMES,
            "kind_plurals": KIND_PLURALS,
            "status_names": STATUS_NAMES,
        }
        return self._env.get_template("staff/page.html").render(full)
