"""Which line of a YAML file is indented wrongly, when the YAML reader stops on the next one.

A line indented one space too far (`   email:` among `  website:` lines) is often read happily,
and the reader stops on the line after it. So `yamlfile._syntax_problem` asks `misindented`
which of the two lines (the one the reader stopped on, and the line before it) is out of step
with its neighbours, and reports that line with the indentation its neighbours use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A line that opens a nested block: `contact:` or `welcomes: |`, with an optional comment.
_OPENS_BLOCK = re.compile(r":\s*(?:[|>][-+]?)?\s*(?:#.*)?$")


@dataclass(frozen=True)
class Misindent:
    line: int  # 0-based index of the mis-indented line
    indent: int  # spaces it starts with
    expected: int  # spaces the lines around it start with


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _is_content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _near(lines: list[str], start: int, step: int) -> int | None:
    """The nearest line with content from `start` (excluded), going by `step`."""
    index = start + step
    while 0 <= index < len(lines):
        if _is_content(lines[index]):
            return index
        index += step
    return None


def _parent_of(lines: list[str], parent: int | None, child: int) -> bool:
    return (
        parent is not None
        and bool(_OPENS_BLOCK.search(lines[parent]))
        and _indent(lines[parent]) < _indent(lines[child])
    )


def misindented(text: str, error_line: int) -> Misindent | None:
    """The mis-indented line near `error_line` (0-based), or None when indentation looks right."""
    lines = text.splitlines()
    if not 0 <= error_line < len(lines) or not _is_content(lines[error_line]):
        return None
    here, before = error_line, _near(lines, error_line, -1)
    if before is None or _parent_of(lines, before, here):
        return None
    at_here, at_before = _indent(lines[here]), _indent(lines[before])
    if at_here == at_before:
        return None
    after, earlier = _near(lines, here, 1), _near(lines, before, -1)
    at_after = _indent(lines[after]) if after is not None else None
    at_earlier = _indent(lines[earlier]) if earlier is not None else None
    before_alone = earlier is None or at_earlier != at_before or _parent_of(lines, earlier, before)
    if at_after == at_here and before_alone:
        return Misindent(before, at_before, at_here)
    if at_after == at_before:
        return Misindent(here, at_here, at_before)
    if at_earlier == at_before and (at_after is None or at_after < min(at_here, at_before)):
        return Misindent(here, at_here, at_before)
    return None


def describe(found: Misindent, offset: int = 0) -> tuple[str, str]:
    """(message, hint) for a mis-indented line, with its line number as the volunteer sees it."""
    number = found.line + 1 + offset
    spaces = "1 space" if found.indent == 1 else f"{found.indent} spaces"
    now = f"is indented by {spaces}" if found.indent else "is not indented"
    if found.expected == 0:
        return (
            f"line {number} {now}; the lines around it are not indented",
            f"remove the spaces at the start of line {number}",
        )
    return (
        f"line {number} {now}; the lines around it use {found.expected}",
        f"indent line {number} by {found.expected} spaces, like the lines around it",
    )
