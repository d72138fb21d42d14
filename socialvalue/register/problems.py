"""One shape for every data problem, and its three renderings (text, GitHub, JSON)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """A located, plain-English problem with the register data."""

    path: str
    line: int | None
    field: str | None
    message: str
    hint: str | None = None
    severity: Severity = "error"
    column: int | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def sort_key(problem: Problem) -> tuple:
    return (
        problem.path,
        problem.line or 0,
        problem.column or 0,
        problem.field or "",
        problem.message,
    )


def format_text(problem: Problem) -> str:
    """`path:line[:col]: field: [warning: ]message (hint)`, the compiler style editors jump to."""
    where = problem.path
    if problem.line is not None:
        where += f":{problem.line}"
        if problem.column is not None:
            where += f":{problem.column}"
    parts = [where]
    if problem.field:
        parts.append(problem.field)
    message = problem.message if problem.is_error else f"warning: {problem.message}"
    if problem.hint:
        message += f" ({problem.hint})"
    parts.append(message)
    return ": ".join(parts)


def _escape_github(value: str, *, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_github(problem: Problem) -> str:
    """A GitHub Actions workflow command, so the problem lands on the line in a pull request."""
    props = [f"file={_escape_github(problem.path, prop=True)}"]
    if problem.line is not None:
        props.append(f"line={problem.line}")
    if problem.column is not None:
        props.append(f"col={problem.column}")
    if problem.field:
        props.append(f"title={_escape_github(problem.field, prop=True)}")
    message = problem.message + (f" ({problem.hint})" if problem.hint else "")
    return f"::{problem.severity} {','.join(props)}::{_escape_github(message)}"


def format_json(problems: list[Problem]) -> str:
    errors = sum(p.is_error for p in problems)
    return json.dumps(
        {
            "ok": errors == 0,
            "errors": errors,
            "warnings": len(problems) - errors,
            "problems": [asdict(p) for p in problems],
        },
        indent=2,
        ensure_ascii=False,
    )


def summary(problems: list[Problem]) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if not problems:
        return "The register is valid: no problems found."
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return "Found " + " and ".join(parts) + "."
