"""Calendar arithmetic the register's rules share: whole months, clamped to the month's end."""

from __future__ import annotations

import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months (negative: earlier); 31 January + 1 month is 28/29 February."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable: day 28 exists in every month")


def months_before(day: dt.date, months: int) -> dt.date:
    return add_months(day, -months)
