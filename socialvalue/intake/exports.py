"""What staff take out of the intake: organisation files and the list of signatories (the items
for contract files are in ``contract_items.py``).

Neither ever carries the private contact name or email of the person who filled in a form.
"""

from __future__ import annotations

import difflib
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from socialvalue.intake.choices import Choices, load_choices
from socialvalue.intake.store import Submission, connect, list_submissions, migrate
from socialvalue.intake.yamltext import document
from socialvalue.register.yamlfile import read_yaml

ORGANISATION_HEADER = "# yaml-language-server: $schema=../schemas/organisation.schema.json"
SIGNATORIES_HEADER = (
    "# Suppliers who signed the Charter and agreed to be listed. Written by\n"
    "# `python -m socialvalue.intake export-signatories`: do not edit by hand."
)


def slugify(name: str, taken: Iterable[str] = (), limit: int = 80) -> str:
    """``"St Mary's Café & Co"`` -> ``"st-marys-cafe-and-co"``, with -2, -3 ... if taken."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = ascii_name.lower().replace("&", " and ").replace("'", "")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:limit].strip("-")
    slug = slug or "organisation"
    used = set(taken)
    candidate, number = slug, 2
    while candidate in used:
        suffix = f"-{number}"
        candidate = slug[: limit - len(suffix)].strip("-") + suffix
        number += 1
    return candidate


def organisation_yaml(
    payload: Mapping[str, Any], choices: Choices, register_dir: Path, today: date
) -> str:
    """The ``register/organisations/<id>.yaml`` file for an approved join or update request.

    An update starts from the entry as the register holds it and changes only what the request
    changed (``updated``): what the form does not ask (an address, ...) is kept.
    """
    if payload.get("request_type") == "update" and payload.get("organisation"):
        org_id = str(payload["organisation"])
        existing = _existing(register_dir, org_id)
        if existing is not None:
            return _write(updated(existing, payload, today))
    else:
        org_id = slugify(str(payload["name"]), choices.ids("organisations"))
    safeguarding = payload.get("safeguarding") is True
    data: dict[str, Any] = {"id": org_id, "name": payload["name"]}
    if payload.get("org_id"):
        data["org_id"] = payload["org_id"]
    data["description"] = payload["description"]
    data.update({key: list(payload[key]) for key in ("areas", "measures", "offers")})
    data.update({key: payload[key] for key in ("welcomes", "how_to_approach") if payload.get(key)})
    if contact := _contact({}, payload):
        data["contact"] = contact
    if payload.get("town") and not safeguarding:
        data["town"] = payload["town"]
    data.update(reviewed=today, added=today, safeguarding=safeguarding)
    return _write(data, fold_short=True)


def organisation_diff(
    payload: Mapping[str, Any], choices: Choices, register_dir: Path, today: date
) -> str:
    """For an update, the change to the entry's file as a unified diff ("" for a new entry)."""
    if payload.get("request_type") != "update" or not payload.get("organisation"):
        return ""
    org_id = str(payload["organisation"])
    path = register_dir / "organisations" / f"{org_id}.yaml"
    if not path.is_file():
        return ""
    old = path.read_text(encoding="utf-8")
    new = organisation_yaml(payload, choices, register_dir, today)
    shown = f"register/organisations/{org_id}.yaml"
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"a/{shown}",
        tofile=f"b/{shown}",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


# What the register-request form asks, by the file's keys (contact and safeguarding apart).
ASKED = ("name", "org_id", "description", "areas", "measures", "offers", "welcomes",
         "how_to_approach", "town")  # fmt: skip
FOLDED = ("description", "welcomes", "how_to_approach")


def updated(existing: Mapping[str, Any], payload: Mapping[str, Any], today: date) -> dict[str, Any]:
    """The entry with the request's answers applied: an answer left empty keeps what is there
    (staff remove things by hand), a list answer replaces the list (the form showed it whole),
    and keys the form does not ask are kept as they are. Private location goes when the
    request asks for safeguarding."""
    data = dict(existing)
    for key in ASKED:
        value = payload.get(key)
        if value not in (None, "", []):
            data[key] = list(value) if isinstance(value, list) else value
    contact = _contact(existing.get("contact") or {}, payload)
    if contact:
        data["contact"] = contact
    asked = payload.get("safeguarding")
    if isinstance(asked, bool) and (asked or "safeguarding" in existing):
        data["safeguarding"] = asked
    if data.get("safeguarding") is True:
        data.pop("town", None)
        data.pop("address", None)
    data["reviewed"] = today
    return data


def _contact(existing: Mapping[str, Any], payload: Mapping[str, Any]) -> dict[str, Any]:
    contact = dict(existing)
    for key in ("email", "website", "phone"):
        if payload.get(f"contact_{key}"):
            contact[key] = payload[f"contact_{key}"]
    website = contact.get("website")
    if isinstance(website, str) and not re.match(r"https?://", website):
        contact["website"] = "https://" + website
    return contact


def _write(data: Mapping[str, Any], fold_short: bool = False) -> str:
    """The file; long text folded (all of it for a new entry: an update folds only long text,
    so its diff shows only what changed)."""
    entries: list[tuple[str, Any, str]] = []
    for key, value in data.items():
        if isinstance(value, list):
            kind = "list"
        elif isinstance(value, dict):
            kind = "map"
        else:
            long = fold_short or (isinstance(value, str) and ("\n" in value or len(value) > 70))
            kind = "folded" if key in FOLDED and long else "scalar"
        entries.append((key, value, kind))
    return document(entries, dict(data), ORGANISATION_HEADER)


def _existing(register_dir: Path, org_id: str) -> dict[str, Any] | None:
    """The entry's file as the core's reader reads it (None when it is not there)."""
    path = register_dir / "organisations" / f"{org_id}.yaml"
    if not path.is_file():
        return None
    doc, _problems = read_yaml(path, path.name)
    data = doc.value if doc is not None else None
    return dict(data) if isinstance(data, dict) else None


def signatories(approved: Iterable[Submission], charter_ids: Iterable[str]) -> list[dict[str, Any]]:
    """Rows for ``register/signatories.yaml``: approved signatures that agreed to be listed.

    A supplier that signed again (same Companies House number, or else the same name) is listed
    once, with its latest signature. Commitments no longer in the charter are left out.
    """
    current = list(charter_ids)
    latest: dict[str, Submission] = {}
    for submission in approved:
        payload = submission.payload
        if submission.kind != "charter" or payload.get("listed") is not True:
            continue
        key = payload.get("companies_house") or " ".join(
            payload["supplier_name"].casefold().split()
        )
        latest[key] = submission
    rows: list[dict[str, Any]] = []
    taken: list[str] = []
    for submission in sorted(
        latest.values(), key=lambda s: (s.payload["supplier_name"].casefold(), s.created_at)
    ):
        payload = submission.payload
        commitments = [c for c in payload.get("commitments", []) if c in current]
        if not commitments:
            continue
        row: dict[str, Any] = {
            "id": slugify(payload["supplier_name"], taken),
            "name": payload["supplier_name"],
        }
        taken.append(row["id"])
        if payload.get("companies_house"):
            row["companies_house"] = payload["companies_house"]
        row["commitments"] = commitments
        row["signed"] = date.fromisoformat(submission.created_at[:10])
        rows.append(row)
    return rows


def signatories_yaml(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return SIGNATORIES_HEADER + "\n[]\n"
    parts = []
    for row in rows:
        entries = [
            (key, value, "list" if key == "commitments" else "scalar") for key, value in row.items()
        ]
        text = document(entries, row)
        parts.append(
            "\n".join(
                ("- " if i == 0 else "  ") + line
                for i, line in enumerate(text.rstrip("\n").split("\n"))
            )
        )
    return SIGNATORIES_HEADER + "\n" + "\n".join(parts) + "\n"


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` in one step, so a reader never sees half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def export_signatories(
    db_path: Path, register_dir: Path, charter_ids: Iterable[str] | None = None
) -> int:
    """Write ``register_dir/signatories.yaml`` from the database; return how many are listed.

    `charter_ids` are the commitments still in the Charter; a running intake passes those it
    checked at start, so the export does not read the register again."""
    conn = connect(db_path)
    try:
        migrate(conn)
        approved = list_submissions(conn, kind="charter", status="approved")
    finally:
        conn.close()
    if charter_ids is None:
        charter_ids = [option.id for option in load_choices(register_dir).charter]
    charter = list(charter_ids)
    rows = signatories(approved, charter)
    write_atomically(register_dir / "signatories.yaml", signatories_yaml(rows))
    return len(rows)
