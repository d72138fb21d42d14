"""Which suppliers to invite to offer social value: `python build.py invite --spend FILE.csv`.

The policy (section 6): suppliers whose repeated transactions add up to the contract threshold
(`threshold_gbp`) in a rolling period (`aggregation_months`, both in register/settings.yaml) are
invited to identify social value they can provide.

Periods. A period starts on the day of a payment and runs for `aggregation_months` calendar
months: [start, add_months(start, months)), where add_months keeps the day of the month and
clamps it to the month's last day. With 12 months, payments on 15 March 2025 and 14 March 2026
fall in one period and a payment on 15 March 2026 does not. The end date shown is the last day
inside the period (14 March 2026 there). A refund (a negative amount) counts against the total.
Only periods that start on a payment day are counted, as staff would count by hand ("from this
payment, twelve months on").

What is reported, per supplier that reaches the threshold (total >= threshold):
- the first period: the earliest-starting period whose total reaches the threshold, which is
  when the invitation became due, and
- the highest period: the period with the highest total (the earliest such period on a tie),
  which shows how far over the threshold the supplier went,
with start date, end date and total (Decimal pounds, never float), the other spellings of the
name seen in the file (so staff can check the matching), and whether the register holds a
contract with commitments for the supplier. Suppliers are listed in alphabetical order.

Names match however they are written (see `supplier_key`); the name shown is the most common
spelling in the file (the first seen on a tie).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .register import Failed, check
from .register import problems as fmt
from .register.dates import add_months
from .register.model import Register, Settings
from .register.names import supplier_key
from .spendfile import Columns, Payment, SpendFileError, read_spend

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_HEADER = [
    "supplier",
    "first_period_start",
    "first_period_end",
    "first_period_total",
    "highest_period_start",
    "highest_period_end",
    "highest_period_total",
    "contract_with_commitments",
    "other_spellings",
]


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # the last day inside the period
    total: Decimal


@dataclass(frozen=True)
class Invitation:
    supplier: str  # the most common spelling
    key: str
    first: Period
    highest: Period
    has_contract: bool
    other_spellings: tuple[str, ...]


def _periods(payments: list[Payment], months: int) -> Iterable[Period]:
    """Each period that starts on a payment day, in date order (payments sorted by date)."""
    days = sorted({p.date for p in payments})
    by_day: dict[dt.date, Decimal] = {day: Decimal(0) for day in days}
    for payment in payments:
        by_day[payment.date] += payment.amount
    total, after = Decimal(0), 0  # `after`: index of the first day not yet added
    for first, start in enumerate(days):
        if first:
            total -= by_day[days[first - 1]]
        stop = add_months(start, months)
        while after < len(days) and days[after] < stop:
            total += by_day[days[after]]
            after += 1
        yield Period(start, stop - dt.timedelta(days=1), total)


def _spellings(payments: list[Payment]) -> list[str]:
    """Spellings, most common first (the first seen on a tie): Counter keeps insertion order."""
    counts = Counter(p.supplier for p in sorted(payments, key=lambda p: p.line))
    return [name for name, _ in counts.most_common()]


def invitations(
    payments: list[Payment],
    threshold: Decimal,
    months: int,
    known: frozenset[str] = frozenset(),
) -> list[Invitation]:
    """Every supplier whose payments in some period reach `threshold`, in alphabetical order.

    `known` holds the `supplier_key` of each supplier with a contract with commitments.
    """
    if months < 1:
        raise ValueError(f"a period must be at least one month, not {months}")
    groups: dict[str, list[Payment]] = {}
    for payment in payments:
        groups.setdefault(supplier_key(payment.supplier), []).append(payment)
    found = []
    for key, group in groups.items():
        periods = list(_periods(group, months))
        reaching = [p for p in periods if p.total >= threshold]
        if not reaching:
            continue
        highest = max(reaching, key=lambda p: (p.total, -p.start.toordinal()))
        names = _spellings(group)
        found.append(
            Invitation(names[0], key, reaching[0], highest, key in known, tuple(names[1:]))
        )
    return sorted(found, key=lambda i: (i.key, i.supplier))


def contracted_supplier_keys(register: Register) -> frozenset[str]:
    """The `supplier_key` of every supplier the register holds a contract with commitments for."""
    return frozenset(supplier_key(c.supplier) for c in register.contracts if c.commitments)


def money(value: Decimal) -> str:
    """£1,234.50 (a refund-heavy total shows as -£12.00)."""
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"


def _day(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def _terminal(text: str) -> str:
    """Text from the file, safe for a terminal: no control or format characters."""
    return "".join(
        "\N{REPLACEMENT CHARACTER}" if unicodedata.category(c) in ("Cc", "Cf") else c for c in text
    )


def format_text(found: list[Invitation], threshold: Decimal, months: int) -> str:
    span = f"a period of {months} month{'s' if months != 1 else ''}"
    if not found:
        return f"No supplier was paid {money(threshold)} or more in {span}.\n"
    count = f"{len(found)} supplier{'s' if len(found) != 1 else ''}"
    out = [
        f"{count} {'was' if len(found) == 1 else 'were'} paid {money(threshold)} or more "
        f"in {span}. Invite them to offer social value."
    ]
    for item in found:
        first, top = item.first, item.highest
        out += [
            "",
            _terminal(item.supplier),
            f"  First reached: {_day(first.start)} to {_day(first.end)}: {money(first.total)}",
            f"  Highest:       {_day(top.start)} to {_day(top.end)}: {money(top.total)}",
            "  Contract with commitments in the register: "
            + ("yes" if item.has_contract else "no"),
        ]
        if item.other_spellings:
            out.append("  Also written as: " + "; ".join(map(_terminal, item.other_spellings)))
    return "\n".join(out) + "\n"


def _safe(cell: str) -> str:
    """No spreadsheet formulas: a cell starting = + - @ (or tab, CR) gets a leading '."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def format_csv(found: list[Invitation]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for item in found:
        first, top = item.first, item.highest
        row = [
            item.supplier,
            first.start.isoformat(),
            first.end.isoformat(),
            f"{first.total:.2f}",
            top.start.isoformat(),
            top.end.isoformat(),
            f"{top.total:.2f}",
            "yes" if item.has_contract else "no",
            "; ".join(item.other_spellings),
        ]
        writer.writerow([_safe(cell) for cell in row])
    return buffer.getvalue()


def _settings(args: argparse.Namespace) -> tuple[Settings | None, Register | None]:
    checked = check(args.register, args.today or dt.date.today(), args.content)
    if isinstance(checked, Failed):
        for problem in checked.problems:
            if problem.is_error:
                print(fmt.format_text(problem), file=sys.stderr)
        print(
            "The register has errors, so its threshold cannot be read: fix them first "
            "(`python build.py check` lists them).",
            file=sys.stderr,
        )
        return None, None
    return checked.register.settings, checked.register


def cmd_invite(args: argparse.Namespace) -> int:
    path, shown_name = args.spend, str(args.spend)
    if not path.is_file():
        print(f"error: there is no file {shown_name}", file=sys.stderr)
        return 2
    columns = Columns(args.date_column, args.supplier_column, args.amount_column)
    try:
        payments, problems = read_spend(path.read_bytes(), shown_name, columns)
    except SpendFileError as exc:
        print(f"error: {shown_name}: {exc}", file=sys.stderr)
        return 2
    if problems:
        for problem in problems:
            print(fmt.format_text(problem), file=sys.stderr)
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        print(f"Found {count} in {shown_name}: no list was made.", file=sys.stderr)
        return 1
    settings, register = _settings(args)
    if settings is None or register is None:
        return 1
    threshold = Decimal(str(settings.threshold_gbp))
    months = settings.aggregation_months
    found = invitations(payments, threshold, months, contracted_supplier_keys(register))
    if args.format == "csv":
        sys.stdout.write(format_csv(found))
    else:
        sys.stdout.write(format_text(found, threshold, months))
    return 0
