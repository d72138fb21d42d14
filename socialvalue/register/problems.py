"""One shape for every data problem, and its three renderings (text, GitHub, JSON)."""

from __future__ import annotations

import json
import re
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


# C0 and C1 controls, DEL, and the Unicode line separators and bidirectional controls that let text
# rewrite a terminal line or reorder what a reader sees ("Trojan Source").
_INVISIBLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
# What json.dumps leaves raw (it escapes C0 itself; its own layout uses newlines and spaces).
_RAW_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _shown(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` on one line with every control character spelled out, like `\\x1b` or `\\n`.

    Register text reaches a terminal and a CI log through problems: an escape sequence in a
    value must not clear a line, recolour it, or print a fake "valid" line of its own.
    """
    return _INVISIBLE.sub(_shown, text)


def sort_key(problem: Problem) -> tuple:
    return (
        problem.path,
        problem.line or 0,
        problem.column or 0,
        problem.field or "",
        problem.message,
    )


def format_text(problem: Problem) -> str:
    """`path:line[:col]: field: [warning: ]message (hint)`, the compiler style editors jump to.

    One line always: control characters in any part are spelled out (`visible`).
    """
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
    return visible(": ".join(parts))


def _escape_github(value: str, *, prop: bool = False) -> str:
    value = visible(value).replace("%", "%25")
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
    """Every problem as JSON; control characters stay as `\\u` escapes (the values are intact)."""
    errors = sum(p.is_error for p in problems)
    text = json.dumps(
        {
            "ok": errors == 0,
            "errors": errors,
            "warnings": len(problems) - errors,
            "problems": [asdict(p) for p in problems],
        },
        indent=2,
        ensure_ascii=False,
    )
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


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
