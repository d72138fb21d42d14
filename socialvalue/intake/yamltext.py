"""Write YAML in the register's hand-written layout: flow lists of ids, folded long text.

Each scalar is written plain when that reads back as the same string, else double-quoted;
``document`` reads the whole text back and refuses to return anything that does not round-trip.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping
from datetime import date
from typing import Any

from socialvalue.register.yamlfile import parse_yaml

WIDTH = 88


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if text and "\n" not in text and text == text.strip() and _reads_as(text, text):
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return quoted if _reads_as(quoted, text) else json.dumps(text)


def flow_list(items: list[Any]) -> str:
    return "[" + ", ".join(scalar(item) for item in items) + "]"


def folded(text: str, indent: int = 2) -> str:
    """A ``>-`` block for long text, or a quoted scalar when folding would change the text."""
    pad = " " * indent
    out = ""
    breaks = 0  # new lines met since the last line of text
    for line in text.split("\n"):
        if not line:
            breaks += 1
            continue
        wrapped = textwrap.wrap(
            line, WIDTH - indent, break_long_words=False, break_on_hyphens=False
        )
        if out:  # in a folded block, n new lines are written as n empty lines
            out += "\n" * (breaks + 2)
        out += "\n".join(pad + part for part in wrapped)
        breaks = 0
    block = ">-\n" + out
    return block if out and _reads_as(block, text) else scalar(text)


def _reads_as(rendered: str, text: str) -> bool:
    return _read(f"k: {rendered}\n") == {"k": text}


def _read(text: str) -> Any:
    """The YAML as the register's own reader reads it (None when it cannot be read)."""
    doc, _problems = parse_yaml(text, "<written>")
    return doc.value if doc is not None else None


def document(
    entries: list[tuple[str, Any, str]], expected: Mapping[str, Any], header: str = ""
) -> str:
    """Lines ``key: value`` (kind: scalar, list, folded or map), checked against ``expected``."""
    out = [header] if header else []
    for key, value, kind in entries:
        if kind == "list":
            out.append(f"{key}: {flow_list(value)}")
        elif kind == "folded":
            out.append(f"{key}: {folded(value)}")
        elif kind == "map":
            out.append(f"{key}:")
            out.extend(f"  {k}: {scalar(v)}" for k, v in value.items())
        else:
            out.append(f"{key}: {scalar(value)}")
    text = "\n".join(out) + "\n"
    if _read(text) != dict(expected):
        raise ValueError("the YAML written does not read back as the data")  # a bug, not input
    return text
