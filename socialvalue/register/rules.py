"""Stage 2b: what Frictionless cannot check: ids in lists, file names, dates, contacts.

Every rule reads the values as Frictionless cast them (`Record.get`), never the YAML as written,
so a quoted date or "true" means here what it means in every other stage.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from difflib import get_close_matches
from pathlib import PurePosixPath
from urllib.parse import urlparse

from .dates import months_before
from .problems import Problem
from .tables import Record, TypedTable

EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)
PHONE = re.compile(r"\+?[0-9][0-9 ()-]{8,18}[0-9]")
CONTACT_KEYS = ("email", "website", "phone")
ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # the schemas' id pattern
LIST_DELIMITER = ";"  # separates list items in the published CSV files

# (table, list field) -> (table whose ids it names, the noun used in messages)
REFERENCES = {
    ("organisations", "areas"): ("areas", "area"),
    ("organisations", "measures"): ("measures", "measure"),
    ("organisations", "offers"): ("offer-types", "offer type"),
    ("measures", "offers"): ("offer-types", "offer type"),
    ("partners", "priorities"): ("priorities", "priority"),
    ("signatories", "commitments"): ("charter", "Charter commitment"),
}
# Lists of named values, not of ids or text: their items are checked in contracts.py.
RECORD_LISTS = {
    ("contracts", "commitments"),
    ("contracts", "updates"),
    ("contracts", "confirmations"),
}
LIST_PAGE = {  # where a volunteer finds the ids of each table
    "areas": 'CONTRIBUTING.md, under "Lists of ids"',
    "measures": 'CONTRIBUTING.md, under "Lists of ids"',
    "offer-types": 'CONTRIBUTING.md, under "Lists of ids"',
    "priorities": "register/priorities.yaml",
    "charter": "register/charter.yaml",
}

Tables = Mapping[str, TypedTable]
EMPTY_ITEM = "an item is empty"


def _records(tables: Tables, name: str) -> tuple[Record, ...]:
    table = tables.get(name)
    return table.records if table else ()


def reference_problems(tables: Tables) -> list[Problem]:
    problems = []
    for (table_name, field), (target_name, noun) in REFERENCES.items():
        targets = _records(tables, target_name)
        known = [str(r.get("id")) for r in targets if r.get("id") is not None]
        titles = _titles(targets)
        for record in _records(tables, table_name):
            items = record.get(field)
            if not isinstance(items, list):
                continue
            if not items and table_name == "organisations":
                where = record.line(field)
                hint = f"name at least one {noun}"
                problems.append(Problem(record.path, where, field, "the list is empty", hint))
            seen: set[str] = set()
            for index, item in enumerate(items):
                key = f"{field}[{index}]"
                if _is_empty(item):
                    hint = f"write the {noun}'s id after `- `, or delete the line"
                    problems.append(Problem(record.path, record.line(key), field, EMPTY_ITEM, hint))
                    continue
                if str(item) in seen:
                    problems.append(
                        Problem(
                            record.path,
                            record.line(key),
                            field,
                            f'"{item}" is listed twice',
                            "remove one of the two lines",
                            "warning",
                        )
                    )
                seen.add(str(item))
                if str(item) not in known:
                    hint = _id_hint(item, known, titles, target_name, noun)
                    message = f'"{item}" is not a known {noun}'
                    problems.append(Problem(record.path, record.line(key), field, message, hint))
    return problems


def _is_empty(value: object) -> bool:
    """Nothing written: `key:`, `key: ""`, only spaces, or an empty list or set of values."""
    return value is None or value in ([], {}) or isinstance(value, str) and not value.strip()


def _titles(targets: tuple[Record, ...]) -> dict[str, tuple[str, str]]:
    """Each record's title or name (folded) -> (its id, "title" or "name")."""
    found = {}
    for record in targets:
        for word in ("name", "title"):
            text = record.get(word)
            if isinstance(text, str) and text.strip() and record.get("id") is not None:
                found[text.strip().casefold()] = (str(record.get("id")), word)
    return found


def _id_hint(
    item: object, known: list[str], titles: dict[str, tuple[str, str]], target: str, noun: str
) -> str:
    """Suggest the id: from a title or name written in its place, or the nearest id."""
    parts = str(item).split(" - ")
    if len(parts) > 1 and all(part.strip() in known for part in parts):
        return "these are items run together: start each on its own line with `- `, lined up"
    by_title = titles.get(str(item).strip().casefold())
    if by_title:
        return f'that is the {noun}\'s {by_title[1]}: write its id, "{by_title[0]}"'
    close = get_close_matches(str(item).lower(), known, n=1, cutoff=0.6)
    if close:
        return f'did you mean "{close[0]}"?'
    return f"see the list of {noun} ids in {LIST_PAGE.get(target, 'the register')}"


def organisation_problems(tables: Tables, today: dt.date) -> list[Problem]:
    settings = _records(tables, "settings")
    max_age = settings[0].get("review_max_age_months", 12) if settings else 12
    stale_before = months_before(today, max_age)
    problems: list[Problem] = []
    table = tables.get("organisations")
    optional = _optional_fields(table.schema if table else {})
    for record in _records(tables, "organisations"):
        problems += _empty_optional(record, optional)
        problems += _file_name(record)
        problems += _dates(record, ("reviewed", "added"), today)
        problems += _stale(record, stale_before, max_age)
        problems += _contact(record)
    dated = (("partners", ("since", "annual_report_date")), ("signatories", ("signed",)))
    for name, fields in dated:
        for record in _records(tables, name):
            problems += _dates(record, fields, today)
    return problems


def post_problems(tables: Tables) -> list[Problem]:
    """A post's file name is its address: lower-case letters, digits and hyphens."""
    return [
        Problem(
            record.path,
            None,
            None,
            "the file name must use only lower-case letters, digits and hyphens",
            "like sample-charter-published.md",
        )
        for record in _records(tables, "updates")
        if not ID.fullmatch(PurePosixPath(record.path).stem)
    ]


def _optional_fields(schema: dict) -> list[str]:
    """Fields that may be left out (contact has its own rule, `_contact`)."""
    return [
        f["name"]
        for f in schema.get("fields", [])
        if not f.get("constraints", {}).get("required") and f["name"] != "contact"
    ]


def _empty_optional(record: Record, optional: list[str]) -> Iterable[Problem]:
    """`town:` or `town: ""` is allowed, but say so: the volunteer may have meant to fill it in."""
    data = record.row.data if isinstance(record.row.data, dict) else {}
    for name in optional:
        if name in data and _is_empty(data[name]):
            hint = "fill it in, or delete the line"
            yield Problem(record.path, record.line(name), name, "is empty", hint, "warning")


def _file_name(record: Record) -> Iterable[Problem]:
    stem = PurePosixPath(record.path).stem
    value = record.get("id")
    if isinstance(value, str) and value != stem:
        rename = f"rename the file to {value}.yaml, or " if ID.fullmatch(value) else ""
        yield Problem(
            record.path,
            record.line("id"),
            "id",
            f'"{value}" does not match the file name "{stem}.yaml"',
            f"{rename}change the id to {stem}",
        )


def _dates(record: Record, fields: tuple[str, ...], today: dt.date) -> Iterable[Problem]:
    for field in fields:
        value = record.get(field)
        if isinstance(value, dt.date) and value > today:
            yield Problem(
                record.path,
                record.line(field),
                field,
                f"{value.isoformat()} is in the future",
                f"use today's date ({today.isoformat()}) or an earlier one",
            )


def _stale(record: Record, stale_before: dt.date, max_age: int) -> Iterable[Problem]:
    reviewed = record.get("reviewed")
    if isinstance(reviewed, dt.date) and reviewed < stale_before:
        yield Problem(
            record.path,
            record.line("reviewed"),
            "reviewed",
            f"the entry was last reviewed on {reviewed.isoformat()}, over {max_age} months ago",
            "check the entry is still right, then set reviewed to today's date",
            "warning",
        )


def _contact(record: Record) -> Iterable[Problem]:
    contact = record.get("contact")
    if contact is None and isinstance(record.row.data, dict) and record.row.data.get("contact"):
        return  # written, but refused by the table check, which says why
    if not isinstance(contact, dict) or not any(contact.get(k) for k in CONTACT_KEYS):
        yield Problem(
            record.path,
            record.line("contact"),
            "contact",
            "the entry gives no way to contact the organisation",
            "add an email address, website or phone number under contact",
            "warning",
        )
        return
    for key, value in contact.items():
        yield from _contact_route(record, str(key), value)


def _contact_route(record: Record, key: str, value: object) -> Iterable[Problem]:
    where, field = record.line(f"contact.{key}"), f"contact.{key}"
    if key not in CONTACT_KEYS:
        close = get_close_matches(key, CONTACT_KEYS, n=1)
        hint = f'did you mean "{close[0]}"?' if close else "use email, website or phone"
        yield Problem(record.path, where, field, "is not a known contact route", hint)
    elif _is_empty(value):
        yield Problem(record.path, where, field, "is empty", "fill it in, or delete the line")
    elif not isinstance(value, str):
        yield Problem(record.path, where, field, "must be text", "put it in quotes")
    elif key == "email" and not EMAIL.fullmatch(value):
        message = f'"{value}" is not a well-formed email address'
        yield Problem(record.path, where, field, message, "like info@example.org")
    elif key == "website" and not is_web_address(value):
        message = f'"{value}" is not a well-formed web address'
        yield Problem(record.path, where, field, message, "like https://www.example.org/")
    elif key == "phone" and not PHONE.fullmatch(value):
        message = f'"{value}" is not a well-formed phone number'
        yield Problem(record.path, where, field, message, "like 01603 000 123")


def is_web_address(value: str) -> bool:
    parsed = urlparse(value)
    return (
        parsed.scheme in ("http", "https")
        and "." in parsed.netloc
        and " " not in value
        and not parsed.netloc.startswith(".")
    )


def list_text_problems(tables: Tables) -> list[Problem]:
    """Free-text list items (like offer examples) must be text without the list separator."""
    problems = []
    for table in tables.values():
        names = [
            f["name"]
            for f in table.schema.get("fields", [])
            if f.get("type") == "array"
            and (table.name, f["name"]) not in REFERENCES
            and (table.name, f["name"]) not in RECORD_LISTS
        ]
        for record, name in ((r, n) for r in table.records for n in names):
            for index, item in enumerate(record.get(name) or []):
                where = record.line(f"{name}[{index}]")
                if not isinstance(item, str) or not item.strip():
                    message = "each item must be text" if item is not None else "an item is empty"
                    hint = "write the item after `- `, in quotes if it looks like a number"
                    problems.append(Problem(record.path, where, name, message, hint))
                elif LIST_DELIMITER in item:
                    message = (
                        f'"{item}" contains "{LIST_DELIMITER}", '
                        "which separates list items in the open data"
                    )
                    hint = "use a comma or a full stop instead"
                    problems.append(Problem(record.path, where, name, message, hint))
    return problems


def settings_problems(tables: Tables) -> list[Problem]:
    table = tables.get("settings")
    if table is not None and len(table.records) != 1:
        count = len(table.records)
        message = f"expected exactly one settings entry, found {count}"
        return [Problem(table.path, 1, None, message)]
    return []
