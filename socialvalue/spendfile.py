"""Read a body's published spend data (the "spend over £500" CSV) into payments.

Pure: `read_spend(data, path, columns)` takes the file's bytes and returns the payments it could
read and a located Problem for every row it could not (a bad row is never skipped silently).
Two cases stop the reading and raise SpendFileError, a usage error: a column that the header
does not have (the message lists the headers that exist) and a column name the header has twice.

The file must be UTF-8 (a byte-order mark is allowed, as Excel's "CSV UTF-8" writes one); any
other encoding gets a Problem on the line of the first byte that is not UTF-8. Header names match
whatever their case and surrounding spaces. Rows whose cells are all blank (spreadsheets leave
them at the end) are not payments and are passed over; every other row is read or reported.
Line numbers are physical lines, so a quoted cell that spans lines keeps the numbers true.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .register.problems import Problem

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
# An optional minus (before or after the pound sign), then digits with or without thousands
# commas, then optional pence.
AMOUNT = re.compile(r"(-?)£?(-?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?")
DATE_HINT = "write dates as YYYY-MM-DD or DD/MM/YYYY"
AMOUNT_HINT = "write amounts like 1234.50, £1,234.50 or -250.00 for a refund"


class SpendFileError(ValueError):
    """The file cannot be read as asked (a usage error): the message says why."""


@dataclass(frozen=True)
class Columns:
    """The header of each column the reader needs, as the user names them."""

    date: str = "date"
    supplier: str = "supplier"
    amount: str = "amount"


@dataclass(frozen=True)
class Payment:
    date: dt.date
    supplier: str
    amount: Decimal
    line: int


def shown(value: str, limit: int = 40) -> str:
    """A value from the file, quoted and safe to print: no control or format characters."""
    clean = "".join(
        "\N{REPLACEMENT CHARACTER}" if unicodedata.category(c) in ("Cc", "Cf") else c for c in value
    )
    if len(clean) > limit:
        clean = clean[: limit - 1] + "\N{HORIZONTAL ELLIPSIS}"
    return f'"{clean}"'


def parse_date(text: str) -> dt.date | None:
    """YYYY-MM-DD or DD/MM/YYYY; None when it is neither or not a real day."""
    text = text.strip()
    try:
        if ISO_DATE.fullmatch(text):
            return dt.date.fromisoformat(text)
        uk = UK_DATE.fullmatch(text)
        if uk:
            day, month, year = (int(part) for part in uk.groups())
            return dt.date(year, month, day)
    except ValueError:
        return None
    return None


def parse_amount(text: str) -> Decimal | None:
    """Pounds as Decimal, from "1234.5", "£1,234.50", "-£250" or "£-250"; None otherwise."""
    found = AMOUNT.fullmatch(text.strip().replace(" ", ""))
    if found is None or (found.group(1) and found.group(2)):
        return None
    sign, _, whole, pence = found.groups()
    try:
        value = Decimal(whole.replace(",", "") + (pence or ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        return None
    return -value if sign or found.group(2) else value


def _decode(data: bytes, path: str) -> tuple[str | None, Problem | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start]
        return None, Problem(
            path,
            line,
            None,
            f"the file is not UTF-8 text (byte 0x{byte:02X} cannot be read)",
            'save it from your spreadsheet as "CSV UTF-8"',
        )


def _column_indexes(header: list[str], columns: Columns) -> dict[str, int]:
    names = [cell.strip().casefold() for cell in header]
    indexes: dict[str, int] = {}
    for role in ("date", "supplier", "amount"):
        wanted = getattr(columns, role)
        found = [i for i, name in enumerate(names) if name == wanted.strip().casefold()]
        if len(found) > 1:
            raise SpendFileError(f"the header has more than one column called {shown(wanted)}")
        if not found:
            existing = ", ".join(shown(cell) for cell in header) or "none"
            raise SpendFileError(
                f"the header has no column called {shown(wanted)} (use --{role}-column to "
                f"name the {role} column; the headers are: {existing})"
            )
        indexes[role] = found[0]
    return indexes


def _wrong(role: str, value: str | None, width: int, cells: int) -> tuple[str, str] | None:
    """What is wrong with one cell of the row, as (message, hint), or None."""
    if value is None:
        return (
            f"the row has no {role}: it has {cells} cells, the header has {width}",
            "check for a missing comma or a line broken in two",
        )
    if role == "date" and parse_date(value) is None:
        return f"{shown(value)} is not a date", DATE_HINT
    if role == "supplier" and not value.strip():
        return "the supplier is blank", "every payment needs the supplier's name"
    if role == "amount" and parse_amount(value) is None:
        return f"{shown(value)} is not an amount of money", AMOUNT_HINT
    return None


def _read_row(
    cells: list[str], line: int, path: str, header: list[str], indexes: dict[str, int]
) -> tuple[Payment | None, list[Problem]]:
    values = {role: cells[i] if i < len(cells) else None for role, i in indexes.items()}
    problems = [
        Problem(path, line, header[indexes[role]].strip(), *wrong)
        for role, value in values.items()
        if (wrong := _wrong(role, value, len(header), len(cells)))
    ]
    if problems:
        return None, problems
    date, amount = parse_date(values["date"] or ""), parse_amount(values["amount"] or "")
    assert date is not None and amount is not None  # _wrong found nothing
    return Payment(date, (values["supplier"] or "").strip(), amount, line), []


def read_spend(
    data: bytes, path: str, columns: Columns = Columns()
) -> tuple[list[Payment], list[Problem]]:
    """Every payment in the file, and a Problem for every row that cannot be read."""
    text, problem = _decode(data, path)
    if text is None:
        return [], [problem] if problem else []
    reader = csv.reader(io.StringIO(text, newline=""))
    payments: list[Payment] = []
    problems: list[Problem] = []
    header: list[str] | None = None
    indexes: dict[str, int] = {}
    start = 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if header is None:
                header, indexes = cells, _column_indexes(cells, columns)
            elif any(cell.strip() for cell in cells):
                payment, found = _read_row(cells, line, path, header, indexes)
                problems.extend(found)
                if payment is not None:
                    payments.append(payment)
    except csv.Error as exc:
        problems.append(Problem(path, start, None, f"the file cannot be read as CSV: {exc}", None))
    if header is None:
        problems.append(
            Problem(path, 1, None, "the file is empty", "the first row must name the columns")
        )
    return payments, problems
