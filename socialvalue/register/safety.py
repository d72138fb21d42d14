"""Stage 2c: rules that protect people: hidden characters, names that mislead, refuges' locations.

- No control or bidirectional-override character in any value (newlines only in the long text
  fields), so the feeds stay valid XML and no entry can rewrite a terminal line or hide text.
- Organisation names are not blank, not shared, and not look-alikes of each other.
- A safeguarding entry (it may be a refuge) gives no location anywhere: no postcode or street
  address in any text, contact route or web address, and no town or address field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import unquote

from .problems import Problem
from .tables import Record, TypedTable

MULTILINE = frozenset(
    {"description", "explanation", "counts", "evidence", "welcomes", "how_to_approach", "summary"}
)
BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
# Control characters (Unicode category Cc: C0, DEL, C1), bidirectional controls and line separators
_HIDDEN = "\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029" + "".join(sorted(BIDI))
HIDDEN = re.compile(f"[\n{_HIDDEN}]")
HIDDEN_MULTILINE = re.compile(f"[{_HIDDEN}]")
POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?[ -]?[0-9][A-Z]{2}\b", re.IGNORECASE)
STREET = re.compile(
    r"\b\d+[A-Za-z]?,?\s+(?:[A-Z][\w'’-]*\s+){1,4}"
    r"(?:Street|St|Road|Rd|Lane|Ln|Avenue|Ave|Close|Way|Drive|Dr|Court|Ct|Place|Pl|Crescent|"
    r"Gardens|Terrace|Row|Yard|Square|Walk|Grove|Mews|Hill|Parade|Quay)\b\.?"
)
CONFUSABLE = str.maketrans(  # Cyrillic and Greek letters that look like Latin ones
    "аеорсухіјѕԁһӏАВЕКМНОРСТХІЈЅαβεικνορτυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdhlABEKMHOPCTXIJSabeiknoptuxABEZHIKMNOPTYX",
)

Tables = Mapping[str, TypedTable]


def _strings(value: Any, key: str) -> Iterator[tuple[str, str]]:
    """(key path, text) of every string inside a value (lists and mappings included)."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{key}[{index}]")
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from _strings(item, f"{key}.{name}")


def _any_bad(value: list | dict, multiline: bool) -> bool:
    """Whether any text inside a list or mapping holds a hidden character: one search over
    all of it (joined by spaces, which are allowed) instead of one per string."""
    texts: list[str] = []
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            texts.append(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return _bad_character(" ".join(texts), multiline) is not None


def _bad_character(text: str, multiline: bool) -> str | None:
    found = (HIDDEN_MULTILINE if multiline else HIDDEN).search(text)
    return found.group() if found else None


def character_problems(tables: Tables) -> list[Problem]:
    problems = []
    for table in tables.values():
        for record in table.records:
            for name, value in record.values.items():
                if isinstance(value, str):  # most values: no generator needed
                    char = _bad_character(value, name in MULTILINE)
                    if char is not None:
                        problems.append(_character_problem(record, name, name, char))
                    continue
                if not isinstance(value, list | dict) or not _any_bad(value, name in MULTILINE):
                    continue  # nested values: paths are worked out only where one is found
                for key, text in _strings(value, name):
                    char = _bad_character(text, name in MULTILINE)
                    if char is not None:
                        problems.append(_character_problem(record, key, name, char))
    return problems


def _character_problem(record: Record, key: str, name: str, char: str) -> Problem:
    if char == "\n":
        message = "must be on one line"
        hint = "remove the line break; for long text on several lines use `>-`"
    else:
        message = f"contains a hidden control character (U+{ord(char):04X})"
        hint = "retype the text: control characters are invisible and not allowed"
    return Problem(record.path, record.line(key), name, message, hint)


def _visible(text: str) -> str:
    if text.isascii() and text.isprintable():  # nothing to drop but the spaces at the ends
        return text.strip()
    return "".join(c for c in text if not unicodedata.category(c).startswith(("Z", "C"))).strip()


def name_key(name: str) -> str:
    """What two names look like to a reader: look-alike letters, case and spacing folded."""
    folded = unicodedata.normalize("NFKC", name).translate(CONFUSABLE).casefold()
    return " ".join(seen for seen in map(_visible, folded.split()) if seen)


def name_problems(tables: Tables) -> list[Problem]:
    problems = []
    seen: dict[str, Record] = {}
    for table_name in ("organisations", "partners", "signatories"):
        seen.clear()
        for record in tables[table_name].records if table_name in tables else ():
            name = record.get("name")
            if not isinstance(name, str):
                continue
            if not _visible(name):
                hint = "give the organisation's name"
                message = "is blank: it holds only spaces or invisible characters"
                problems.append(Problem(record.path, record.line("name"), "name", message, hint))
                continue
            key = name_key(name)
            first = seen.setdefault(key, record)
            if first is not record:
                problems.append(_same_name(record, first, name))
    return problems


def _same_name(record: Record, first: Record, name: str) -> Problem:
    other = first.get("name")
    where = f"{first.path}:{first.line('name')}"
    if other == name:
        message = f'"{name}" is already the name of {where}'
    else:
        message = f'"{name}" looks the same as "{other}" ({where})'
    hint = "two entries cannot share a name: merge them, or tell them apart"
    return Problem(record.path, record.line("name"), "name", message, hint)


def safeguarding_problems(tables: Tables) -> list[Problem]:
    problems: list[Problem] = []
    table = tables.get("organisations")
    for record in table.records if table else ():
        if record.get("safeguarding") is True:
            problems += _location_problems(record)
    return problems


def _as_words(address: str) -> str:
    """A web address as words, so a postcode in its path (/le1-2ab/) is found too."""
    return re.sub(r"[-_/.+]", " ", unquote(address)).upper()


def _location_problems(record: Record) -> Iterable[Problem]:
    for field in ("address", "town"):
        if record.get(field):
            yield Problem(
                record.path,
                record.line(field),
                field,
                "a safeguarding entry must not give its location",
                f"remove the {field} line: safeguarding entries show no location",
            )
    for name, value in record.values.items():
        if name in ("address", "town", "id", "org_id", "reviewed", "added"):
            continue
        for key, text in _strings(value, name):
            readable = _as_words(text) if "website" in key else text
            if POSTCODE.search(readable) or STREET.search(readable):
                yield Problem(
                    record.path,
                    record.line(key),
                    key,
                    "a safeguarding entry must not give a postcode or street address",
                    "remove the postcode and street: the entry is published on every page, "
                    "in search and in the open data",
                )
