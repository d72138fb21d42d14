"""Stage 2a: Frictionless checks every row against its Table Schema; errors become Problems."""

from __future__ import annotations

import re
from difflib import get_close_matches
from typing import Any

from frictionless import Package, Resource, Schema

from .load import RawRegister, Row, Table
from .problems import Problem

TYPE_MESSAGES = {
    "array": ("must be a list", "write one item per line, each starting with `- `"),
    "date": ("must be a date written as YYYY-MM-DD", "like 2026-03-31"),
    "boolean": ("must be true or false", None),
    "integer": ("must be a whole number", "like 12"),
    "number": ("must be a number", "like 5000 or 12.5, with no £ sign or commas"),
    "object": (
        "must be a set of named values",
        "like `email: info@example.org` on the next line, indented",
    ),
    "string": ("must be text", "put it in quotes if it looks like a number, a date or true/false"),
}

PATTERN_HINTS = {
    "id": ("must use only lower-case letters, digits and single hyphens", "like sample-youth-club"),
    "org_id": (
        "is not an organisation identifier",
        "use the org-id.guide form, like GB-CHC-1234567 or GB-COH-01234567",
    ),
    "companies_house": ("is not a Companies House number", "8 letters or digits, like 01234567"),
    "website": ("is not a web address", "start it with https://"),
}


def unknown_field_problems(table: Table) -> list[Problem]:
    """Keys a schema does not know: usually a typo, so suggest the nearest known name."""
    known = table.field_names
    problems = []
    for row in table.rows:
        if not isinstance(row.data, dict):
            problems.append(Problem(row.path, row.line(), None, "expected a set of named fields"))
            continue
        for key in row.data:
            if str(key) not in known:
                close = get_close_matches(str(key), known, n=1)
                hint = (
                    f'did you mean "{close[0]}"?' if close else "known fields: " + ", ".join(known)
                )
                problems.append(
                    Problem(row.path, row.line(str(key)), str(key), "is not a known field", hint)
                )
    return problems


def _cells(row: Row, names: list[str]) -> list[Any]:
    data = row.data if isinstance(row.data, dict) else {}
    return [data.get(name) for name in names]


def frictionless_problems(raw: RawRegister) -> list[Problem]:
    """Validate every table as one in-memory Package, so declared foreign keys are checked too."""
    resources = []
    for table in raw.tables.values():
        names = table.field_names
        data = [names, *(_cells(row, names) for row in table.rows)]
        resources.append(
            Resource(name=table.name, data=data, schema=Schema.from_descriptor(table.schema))
        )
    report = Package(resources=resources).validate()
    problems: list[Problem] = []
    for task in report.tasks:
        table = raw.tables[task.name]
        for error in task.errors:
            problem = _to_problem(table, error)
            if problem is not None:
                problems.append(problem)
    return _dedupe(problems)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple] = set()
    unique = []
    for problem in problems:
        key = (problem.path, problem.line, problem.field)
        if key not in seen:
            seen.add(key)
            unique.append(problem)
    return unique


def _field(table: Table, name: str | None) -> dict[str, Any]:
    return next((f for f in table.schema.get("fields", []) if f["name"] == name), {})


def _to_problem(table: Table, error: Any) -> Problem | None:
    row_number = getattr(error, "row_number", None)
    if row_number is None:
        return Problem(table.path, None, None, f"{error.title}: {error.note}")
    row = table.rows[row_number - 2]
    name = getattr(error, "field_name", None)
    if error.type == "primary-key":
        if 'are all "None"' in error.note:  # a missing or mistyped id: reported as such already
            return None
        name = (table.schema.get("primaryKey") or [None])[0]
    elif error.type == "foreign-key":
        names = re.findall(r'"(\w+)"', error.note)[:1]
        name = names[0] if names else None
    value = row.get(name) if name else None
    message, hint = _explain(table, error, name, value)
    return Problem(row.path, row.line(name or ""), name, message, hint)


def _explain(table: Table, error: Any, name: str | None, value: Any) -> tuple[str, str | None]:
    spec = _field(table, name)
    if error.type == "type-error":
        if (
            spec.get("type") == "date"
            and isinstance(value, str)
            and re.fullmatch(r"\d{4}-\d\d?-\d\d?", value)
        ):
            return (
                f'"{value}" is not a real date',
                "check the month (01 to 12) and the day of the month",
            )
        return TYPE_MESSAGES.get(spec.get("type", "string"), ("has the wrong type", None))
    if error.type == "blank-row":
        return "this entry has none of the expected fields", "known fields: " + ", ".join(
            table.field_names
        )
    if error.type in ("unique-error", "primary-key"):
        position = re.search(r"position (\d+)", error.note)
        other = table.rows[int(position.group(1)) - 2] if position else None
        where = f" by {other.path}:{other.line(name or '')}" if other else ""
        return f'"{value}" is already used{where}', "each entry needs its own value"
    if error.type == "foreign-key":
        return _unknown_reference(table, name, value, error.note)
    if error.type == "constraint-error":
        return _constraint(spec, name, value, error.note)
    return f"{error.title}: {error.note}", None


def _unknown_reference(
    table: Table, name: str | None, value: Any, note: str
) -> tuple[str, str | None]:
    target = re.search(r'lookup table "([\w-]+)"', note)
    return (
        f'"{value}" is not a known {name}',
        f"use an id from {target.group(1) if target else 'the register'}",
    )


def _constraint(
    spec: dict[str, Any], name: str | None, value: Any, note: str
) -> tuple[str, str | None]:
    match = re.search(r'constraint "(\w+)" is "(.*)"', note)
    kind, limit = (match.group(1), match.group(2)) if match else ("", "")
    if kind == "required":
        return "is missing, and it is required", spec.get("description")
    if kind == "pattern":
        message, hint = PATTERN_HINTS.get(
            name or "", ("is not in the expected form", spec.get("description"))
        )
        return f'"{value}" {message}', hint
    if kind == "enum":
        options = spec.get("constraints", {}).get("enum", [])
        close = get_close_matches(str(value), [str(o) for o in options], n=1)
        hint = (
            f'did you mean "{close[0]}"?'
            if close
            else "use one of: " + ", ".join(map(str, options))
        )
        return f'"{value}" is not one of the allowed values', hint
    if kind == "maxLength":
        return f"is too long: {len(str(value))} characters, and the most is {limit}", "shorten it"
    if kind == "minLength":
        return f"is too short: {len(str(value))} characters, and the least is {limit}", spec.get(
            "description"
        )
    if kind == "minimum":
        return f"must be {limit} or more", None
    if kind == "maximum":
        return f"must be {limit} or less", None
    if kind == "unique":
        return f'"{value}" is used more than once', "each entry needs its own value"
    return f"does not meet the rule: {note}", None
