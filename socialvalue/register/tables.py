"""Stage 2a: Frictionless checks every row against its Table Schema; errors become Problems.

The values Frictionless cast while it validated (a quoted "2026-01-05" becomes a date, "true"
becomes True, "1" becomes 1) are kept as each row's `values`: every later stage reads those,
so a value means the same thing in the check, the pages, the open data and the intake.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from difflib import get_close_matches
from functools import cache
from typing import Any, ClassVar

from .files import RawRegister, Row, Table
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


@dataclass(frozen=True)
class Record:
    """A row as validated: Frictionless's typed `values` (None where a cell was refused)."""

    path: str
    row: Row
    values: Mapping[str, Any]

    def line(self, key: str = "") -> int:
        return self.row.line(key)

    def get(self, key: str, default: Any = None) -> Any:
        value = self.values.get(key)
        return default if value is None else value


@dataclass(frozen=True)
class TypedTable:
    name: str
    schema: dict[str, Any]
    records: tuple[Record, ...]
    path: str
    published: bool = True


def import_frictionless() -> None:
    """Frictionless takes a third of a second to import: `check` has it imported while the
    second core starts reading the register, so this module imports it only when it runs."""
    import frictionless  # noqa: F401


@cache
def _keep_rows_class() -> type:
    from frictionless import Check

    class KeepRows(Check):
        """Keeps every row's cast values as Frictionless validates it (no second reading)."""

        type: ClassVar[str] = "sv-keep-rows"
        Errors: ClassVar[list[Any]] = []

        def __init__(self) -> None:
            super().__init__()
            self.rows: dict[str, dict[int, dict[str, Any]]] = {}

        def validate_row(self, row: Any) -> Iterator[Any]:
            self.rows.setdefault(self.resource.name, {})[row.row_number] = row.to_dict()
            yield from ()

    return KeepRows


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


def _rows_of(data: list[list[Any]]) -> Callable[[], list[list[Any]]]:
    return lambda: data


def frictionless_check(raw: RawRegister) -> tuple[list[Problem], dict[str, TypedTable]]:
    """Validate every table as one in-memory Package (so foreign keys are checked too).

    Returns the problems and, per table, the rows with the values as Frictionless cast them.
    """
    from frictionless import Checklist, Package, Resource, Schema

    resources = []
    for table in raw.tables.values():
        names = table.field_names
        data = [names, *(_cells(row, names) for row in table.rows)]
        resources.append(
            Resource(
                name=table.name,
                # A callable, not the list: Frictionless deep-copies a list of inline rows each
                # time it exports the descriptor (twice per validation), a fifth of the check.
                data=_rows_of(data),
                schema=Schema.from_descriptor(table.schema),
            )
        )
    keep = _keep_rows_class()()
    report = Package(resources=resources).validate(checklist=Checklist(checks=[keep]))
    problems: list[Problem] = []
    for task in report.tasks:
        table = raw.tables[task.name]
        for error in task.errors:
            problem = _to_problem(table, error)
            if problem is not None:
                problems.append(problem)
    typed = {}
    for table in raw.tables.values():
        cast = keep.rows.get(table.name, {})
        values = [cast.get(number, {}) for number in range(2, len(table.rows) + 2)]
        typed[table.name] = typed_table(table, values)
    return _dedupe(problems), typed


def typed_table(table: Table, values: Sequence[Mapping[str, Any]]) -> TypedTable:
    """The table with each row's values as Frictionless cast them (`values`, in row order)."""
    records = tuple(
        Record(row.path, row, cast) for row, cast in zip(table.rows, values, strict=True)
    )
    return TypedTable(table.name, table.schema, records, table.path, table.published)


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
    from frictionless import errors

    row_number = getattr(error, "row_number", None)
    if row_number is None:
        return Problem(table.path, None, None, f"{error.title}: {error.note}")
    row = table.rows[row_number - 2]
    name = getattr(error, "field_name", None)
    data = row.data if isinstance(row.data, dict) else {}
    if isinstance(error, errors.PrimaryKeyError):
        key = table.schema.get("primaryKey") or [None]
        name = key[0] if isinstance(key, list) else key
        if data.get(name) is None:  # a missing or mistyped id: reported as such already
            return None
    elif isinstance(error, errors.ForeignKeyError):
        name = error.field_names[0] if error.field_names else None
    value = data.get(name) if name else None
    message, hint = _explain(table, error, name, value, row_number)
    if message.startswith("is missing") and name in data:
        message = "is empty, and it is required"
    return Problem(row.path, row.line(name or ""), name, message, hint)


def _explain(
    table: Table, error: Any, name: str | None, value: Any, row_number: int
) -> tuple[str, str | None]:
    from frictionless import errors

    spec = _field(table, name)
    if isinstance(error, errors.TypeError):
        return _type_message(spec, value)
    if isinstance(error, errors.BlankRowError):
        return "this entry has none of the expected fields", "known fields: " + ", ".join(
            table.field_names
        )
    if isinstance(error, errors.UniqueError | errors.PrimaryKeyError):
        other = _first_with(table, name, value, row_number)
        where = f" by {other.path}:{other.line(name or '')}" if other else ""
        return f'"{value}" is already used{where}', "each entry needs its own value"
    if isinstance(error, errors.ForeignKeyError):
        return f'"{value}" is not a known {name}', f"use an id from {error.reference_name}"
    if isinstance(error, errors.ConstraintError):
        return _constraint(spec, name, value)
    return f"{error.title}: {error.note}", None


def _type_message(spec: dict[str, Any], value: Any) -> tuple[str, str | None]:
    kind = spec.get("type", "string")
    if value is None or value in ([], {}) or isinstance(value, str) and not value.strip():
        if spec.get("constraints", {}).get("required"):
            return "is empty, and it is required", spec.get("description")
        return "is empty", "fill it in, or delete the line"
    if kind == "date" and isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d?-\d\d?", value):
        return (
            f'"{value}" is not a real date',
            "check the month (01 to 12) and the day of the month",
        )
    return TYPE_MESSAGES.get(kind, ("has the wrong type", None))


def _first_with(table: Table, name: str | None, value: Any, before: int) -> Row | None:
    """The first row, before row number `before`, that holds the same value."""
    for row in table.rows[: before - 2]:
        if isinstance(row.data, dict) and name and row.data.get(name) == value:
            return row
    return None


def _constraint(spec: dict[str, Any], name: str | None, value: Any) -> tuple[str, str | None]:
    """Which of the field's constraints the value breaks, worked out from the schema itself."""
    rules = spec.get("constraints", {})
    text = str(value) if value is not None else ""
    if value is None or text == "":
        return "is missing, and it is required", spec.get("description")
    if "pattern" in rules and not re.fullmatch(rules["pattern"], text):
        message, hint = PATTERN_HINTS.get(
            name or "", ("is not in the expected form", spec.get("description"))
        )
        return f'"{value}" {message}', hint
    if "enum" in rules and value not in rules["enum"]:
        options = [str(o) for o in rules["enum"]]
        close = get_close_matches(text, options, n=1)
        hint = f'did you mean "{close[0]}"?' if close else "use one of: " + ", ".join(options)
        return f'"{value}" is not one of the allowed values', hint
    if "maxLength" in rules and len(text) > rules["maxLength"]:
        most = rules["maxLength"]
        return f"is too long: {len(text)} characters, and the most is {most}", "shorten it"
    if "minLength" in rules and len(text) < rules["minLength"]:
        least = rules["minLength"]
        message = f"is too short: {len(text)} characters, and the least is {least}"
        return message, spec.get("description")
    if "minimum" in rules and _number(value) < rules["minimum"]:
        return f"must be {rules['minimum']} or more", None
    if "maximum" in rules and _number(value) > rules["maximum"]:
        return f"must be {rules['maximum']} or less", None
    return "does not meet the field's rules", spec.get("description")


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0
