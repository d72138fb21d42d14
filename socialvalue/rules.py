"""Stage 2b: what Frictionless cannot check: ids in lists, file names, dates, contacts, safety."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from difflib import get_close_matches
from pathlib import PurePosixPath
from urllib.parse import urlparse

from .load import RawRegister, Row, Table
from .problems import Problem
from .publish import LIST_DELIMITER

EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)
PHONE = re.compile(r"\+?[0-9][0-9 ()-]{8,18}[0-9]")
POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b", re.IGNORECASE)
CONTACT_KEYS = ("email", "website", "phone")
ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # the schemas' id pattern

# (table, list field) -> (table whose ids it names, the noun used in messages)
REFERENCES = {
    ("organisations", "areas"): ("areas", "area"),
    ("organisations", "measures"): ("measures", "measure"),
    ("organisations", "offers"): ("offer-types", "offer type"),
    ("measures", "offers"): ("offer-types", "offer type"),
    ("partners", "priorities"): ("priorities", "priority"),
    ("signatories", "commitments"): ("charter", "Charter commitment"),
}


def months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable: day 28 exists in every month")


def _ids(table: Table | None) -> list[str]:
    return [str(r.get("id")) for r in table.rows if r.get("id") is not None] if table else []


def reference_problems(raw: RawRegister) -> list[Problem]:
    problems = []
    for (table_name, field), (target_name, noun) in REFERENCES.items():
        table = raw.tables.get(table_name)
        known = _ids(raw.tables.get(target_name))
        known_set = set(known)
        for row in table.rows if table else ():
            items = row.get(field)
            if not isinstance(items, list):
                continue
            if not items and table_name == "organisations":
                problems.append(
                    Problem(
                        row.path,
                        row.line(field),
                        field,
                        "the list is empty",
                        f"name at least one {noun}",
                    )
                )
            seen: set[str] = set()
            for index, item in enumerate(items):
                key = f"{field}[{index}]"
                if str(item) in seen:
                    problems.append(
                        Problem(
                            row.path,
                            row.line(key),
                            field,
                            f'"{item}" is listed twice',
                            "remove one of the two lines",
                            "warning",
                        )
                    )
                seen.add(str(item))
                if str(item) not in known_set:
                    problems.append(_unknown(row, key, field, item, noun, known))
    return problems


def _unknown(row: Row, key: str, field: str, item: object, noun: str, known: list[str]) -> Problem:
    close = get_close_matches(str(item).lower(), known, n=1, cutoff=0.6)
    hint = f'did you mean "{close[0]}"?' if close else f"see the list of {noun} ids in the README"
    return Problem(row.path, row.line(key), field, f'"{item}" is not a known {noun}', hint)


def organisation_problems(raw: RawRegister, today: dt.date) -> list[Problem]:
    table = raw.tables.get("organisations")
    settings = raw.tables.get("settings")
    max_age = 12
    if (
        settings
        and settings.rows
        and isinstance(settings.rows[0].get("review_max_age_months"), int)
    ):
        max_age = settings.rows[0].get("review_max_age_months")
    problems: list[Problem] = []
    for row in table.rows if table else ():
        problems += _file_name(row)
        problems += _dates(row, today, months_before(today, max_age), max_age)
        problems += _contact(row)
        problems += _safeguarding(row)
    return problems


def _file_name(row: Row) -> Iterable[Problem]:
    stem = PurePosixPath(row.path).stem
    value = row.get("id")
    if isinstance(value, str) and value != stem:
        rename = f"rename the file to {value}.yaml, or " if ID.fullmatch(value) else ""
        yield Problem(
            row.path,
            row.line("id"),
            "id",
            f'"{value}" does not match the file name "{stem}.yaml"',
            f"{rename}change the id to {stem}",
        )


def _dates(row: Row, today: dt.date, stale_before: dt.date, max_age: int) -> Iterable[Problem]:
    for field in ("reviewed", "added"):
        value = row.get(field)
        if isinstance(value, dt.date) and value > today:
            yield Problem(
                row.path,
                row.line(field),
                field,
                f"{value.isoformat()} is in the future",
                f"use today's date ({today.isoformat()}) or an earlier one",
            )
    reviewed = row.get("reviewed")
    if isinstance(reviewed, dt.date) and reviewed < stale_before:
        yield Problem(
            row.path,
            row.line("reviewed"),
            "reviewed",
            f"the entry was last reviewed on {reviewed.isoformat()}, over {max_age} months ago",
            "check the entry is still right, then set reviewed to today's date",
            "warning",
        )


def _contact(row: Row) -> Iterable[Problem]:
    contact = row.get("contact")
    if not isinstance(contact, dict):
        return
    for key, value in contact.items():
        where = row.line(f"contact.{key}")
        field = f"contact.{key}"
        if key not in CONTACT_KEYS:
            close = get_close_matches(str(key), CONTACT_KEYS, n=1)
            hint = f'did you mean "{close[0]}"?' if close else "use email, website or phone"
            yield Problem(row.path, where, field, "is not a known contact route", hint)
        elif not isinstance(value, str):
            yield Problem(row.path, where, field, "must be text", "put it in quotes")
        elif key == "email" and not EMAIL.fullmatch(value):
            yield Problem(
                row.path,
                where,
                field,
                f'"{value}" is not a well-formed email address',
                "like info@example.org",
            )
        elif key == "website" and not _is_web_address(value):
            yield Problem(
                row.path,
                where,
                field,
                f'"{value}" is not a well-formed web address',
                "like https://www.example.org/",
            )
        elif key == "phone" and not PHONE.fullmatch(value):
            yield Problem(
                row.path,
                where,
                field,
                f'"{value}" is not a well-formed phone number',
                "like 01603 000 123",
            )


def _is_web_address(value: str) -> bool:
    parsed = urlparse(value)
    return (
        parsed.scheme in ("http", "https")
        and "." in parsed.netloc
        and " " not in value
        and not parsed.netloc.startswith(".")
    )


def _safeguarding(row: Row) -> Iterable[Problem]:
    if row.get("safeguarding") is not True:
        return
    for field in ("address", "town"):
        if row.get(field):
            yield Problem(
                row.path,
                row.line(field),
                field,
                "a safeguarding entry must not give its location",
                f"remove the {field} line: safeguarding entries show no location",
            )
    for field in ("description", "welcomes", "how_to_approach"):
        value = row.get(field)
        if isinstance(value, str) and POSTCODE.search(value):
            yield Problem(
                row.path,
                row.line(field),
                field,
                "a safeguarding entry must not give a postcode or street address",
                "remove the postcode and street from the text",
            )


def list_text_problems(raw: RawRegister) -> list[Problem]:
    """Free-text list items (like offer examples) must not hold the open data's list separator."""
    problems = []
    for table in raw.tables.values():
        names = [
            f["name"]
            for f in table.schema.get("fields", [])
            if f.get("type") == "array" and (table.name, f["name"]) not in REFERENCES
        ]
        for row, name in ((row, name) for row in table.rows for name in names):
            for index, item in enumerate(row.get(name) or []):
                if isinstance(item, str) and LIST_DELIMITER in item:
                    problems.append(
                        Problem(
                            row.path,
                            row.line(f"{name}[{index}]"),
                            name,
                            f'"{item}" contains "{LIST_DELIMITER}", '
                            "which separates list items in the open data",
                            "use a comma or a full stop instead",
                        )
                    )
    return problems


def settings_problems(raw: RawRegister) -> list[Problem]:
    table = raw.tables.get("settings")
    if table is not None and len(table.rows) != 1:
        return [
            Problem(
                table.path, 1, None, f"expected exactly one settings entry, found {len(table.rows)}"
            )
        ]
    return []
