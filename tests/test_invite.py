"""`python build.py invite`: who to invite to offer social value, from the spend-over-£500 CSV.

Every expected figure below is worked out by hand in the comments beside it. The threshold
is £5,000 and the period 12 months unless a test says otherwise (register/settings.yaml).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from fixtures import REPO, TODAY

from socialvalue.invite import (
    Invitation,
    Period,
    add_months,
    format_csv,
    format_text,
    invitations,
    supplier_key,
)
from socialvalue.register.problems import format_text as problem_text
from socialvalue.spendfile import Columns, SpendFileError, parse_amount, read_spend

D = dt.date
THRESHOLD = Decimal("5000")
DEFAULT_COLUMNS = Columns()
SAMPLE = REPO / "samples" / "spend-over-500-sample.csv"


def read(text: str, columns: Columns = DEFAULT_COLUMNS):
    """Payments and problems from inline CSV (dedented; line 1 is the header)."""
    return read_spend(textwrap.dedent(text).lstrip("\n").encode(), "spend.csv", columns)


def invite(text: str, months: int = 12, known: frozenset[str] = frozenset()) -> list[Invitation]:
    payments, problems = read(text)
    assert problems == []
    return invitations(payments, THRESHOLD, months, known)


def summary(found: list[Invitation]) -> list[tuple]:
    return [
        (i.supplier, i.first.start, i.first.end, i.first.total, i.highest.start, i.highest.total)
        for i in found
    ]


# --- add_months and the window edges -------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2025, 3, 15), 12, D(2026, 3, 15)),  # same day next year
        (D(2025, 11, 15), 2, D(2026, 1, 15)),  # across the new year
        (D(2024, 2, 29), 12, D(2025, 2, 28)),  # 2025 has no 29 February: clamped
        (D(2024, 2, 29), 48, D(2028, 2, 29)),  # leap year to leap year keeps the 29th
        (D(2025, 1, 31), 1, D(2025, 2, 28)),  # 31st clamped to a short month
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # ... in a leap year
        (D(2025, 5, 31), 1, D(2025, 6, 30)),  # a 30-day month
        (D(2025, 3, 31), 12, D(2026, 3, 31)),  # a 31st that exists stays
        (D(2025, 12, 31), 12, D(2026, 12, 31)),
    ],
)
def test_add_months_keeps_the_day_and_clamps_it(day, months, expected):
    assert add_months(day, months) == expected


def test_payments_on_15_march_and_14_march_next_year_share_a_period():
    # [15 Mar 2025, 15 Mar 2026): 3,000 + 2,000 = 5,000 reaches 5,000 (>=); the period's last
    # day is 14 March 2026.
    found = invite("""
        date,supplier,amount
        2025-03-15,Sample Landscaping Ltd,3000
        2026-03-14,Sample Landscaping Ltd,2000
    """)
    assert summary(found) == [
        ("Sample Landscaping Ltd", D(2025, 3, 15), D(2026, 3, 14), Decimal("5000"),
         D(2025, 3, 15), Decimal("5000")),
    ]  # fmt: skip


def test_a_payment_on_15_march_next_year_is_outside_the_period():
    # Period from 15 Mar 2025 holds 3,000 only; period from 15 Mar 2026 holds 2,000 only.
    assert (
        invite("""
        date,supplier,amount
        2025-03-15,Sample Landscaping Ltd,3000
        2026-03-15,Sample Landscaping Ltd,2000
    """)
        == []
    )


def test_29_february_period_ends_before_28_february():
    # add_months(29 Feb 2024, 12) = 28 Feb 2025, so the period is [29 Feb 2024, 28 Feb 2025):
    # 27 Feb 2025 is its last day (3,000 + 2,000 = 5,000), 28 Feb 2025 is outside.
    inside = invite("""
        date,supplier,amount
        29/02/2024,Sample Taxis Ltd,3000
        27/02/2025,Sample Taxis Ltd,2000
    """)
    assert [(i.first.start, i.first.end) for i in inside] == [(D(2024, 2, 29), D(2025, 2, 27))]
    assert (
        invite("""
        date,supplier,amount
        29/02/2024,Sample Taxis Ltd,3000
        28/02/2025,Sample Taxis Ltd,2000
    """)
        == []
    )


def test_31_january_one_month_period_ends_before_28_february():
    # months=1: add_months(31 Jan 2025, 1) = 28 Feb 2025, period [31 Jan, 28 Feb).
    text = """
        date,supplier,amount
        2025-01-31,Sample Taxis Ltd,4000
        2025-02-{day},Sample Taxis Ltd,1000
    """
    found = invite(text.format(day="27"), months=1)
    assert [(i.first.end, i.first.total) for i in found] == [(D(2025, 2, 27), Decimal("5000"))]
    assert invite(text.format(day="28"), months=1) == []


def test_first_period_and_highest_period_differ():
    # Periods start on payment days:
    #   1 Jan 2025 -> [1 Jan 2025, 1 Jan 2026): 3,000 + 2,000          = 5,000  (first to reach)
    #   1 Jun 2025 -> [1 Jun 2025, 1 Jun 2026): 2,000 + 4,000          = 6,000
    #   1 Mar 2026 -> [1 Mar 2026, 1 Mar 2027): 4,000 + 3,500          = 7,500  (highest)
    #   1 Feb 2027 -> 3,500
    found = invite("""
        date,supplier,amount
        2025-01-01,Sample Catering Ltd,3000
        2025-06-01,Sample Catering Ltd,2000
        2026-03-01,Sample Catering Ltd,4000
        2027-02-01,Sample Catering Ltd,3500
    """)
    assert found[0].first == Period(D(2025, 1, 1), D(2025, 12, 31), Decimal("5000"))
    assert found[0].highest == Period(D(2026, 3, 1), D(2027, 2, 28), Decimal("7500"))


def test_equal_highest_totals_show_the_earliest_period():
    # 1 Jan 2025 -> 5,000 (1 Jun 2026 is outside); 1 Jun 2026 -> 5,000. A tie: the earlier wins.
    found = invite("""
        date,supplier,amount
        2026-06-01,Sample Catering Ltd,5000
        2025-01-01,Sample Catering Ltd,5000
    """)
    assert found[0].highest.start == D(2025, 1, 1)


# --- names -----------------------------------------------------------------------------------


def test_spellings_of_one_supplier_share_a_key():
    spellings = [
        "Sample Landscaping Ltd",
        "SAMPLE LANDSCAPING LIMITED",
        "Sample Landscaping Ltd.",
        "  sample   landscaping   LTD ",
        "The Sample Landscaping Ltd",
        "Sample Landscaping, Ltd",
    ]
    assert {supplier_key(s) for s in spellings} == {"sample landscaping ltd"}
    assert (
        supplier_key("Smith & Sons PLC")
        == supplier_key("Smith and Sons plc")
        == ("smith and sons plc")
    )
    assert supplier_key("Smith&Sons plc") == "smith and sons plc"


def test_different_suppliers_keep_different_keys():
    # A missing "Ltd" is not guessed at, and "The" alone is a name, not a prefix.
    assert supplier_key("Sample Landscaping") != supplier_key("Sample Landscaping Ltd")
    assert supplier_key("Sample Landscapes Ltd") != supplier_key("Sample Landscaping Ltd")
    assert supplier_key("Sample Ltd") != supplier_key("Sample PLC")
    assert supplier_key("The") == "the"


def test_spellings_add_up_and_the_most_common_is_shown():
    # One supplier: 1,000 x 5 = 5,000. "Sample Taxis Ltd" is written twice, the others once.
    found = invite("""
        date,supplier,amount
        2025-01-06,SAMPLE TAXIS LTD,1000
        2025-02-06,Sample Taxis Ltd,1000
        2025-03-06,The Sample Taxis Limited,1000
        2025-04-06,Sample Taxis Ltd,1000
        2025-05-06,sample taxis ltd.,1000
    """)
    assert [(i.supplier, i.first.total) for i in found] == [("Sample Taxis Ltd", Decimal("5000"))]
    # The rest in the order first seen.
    assert found[0].other_spellings == (
        "SAMPLE TAXIS LTD",
        "The Sample Taxis Limited",
        "sample taxis ltd.",
    )


def test_a_tie_between_spellings_shows_the_first_seen():
    found = invite("""
        date,supplier,amount
        2025-01-06,Sample Print Shop Limited,2500
        2025-02-06,Sample Print Shop Ltd,2500
    """)
    assert found[0].supplier == "Sample Print Shop Limited"


# --- money -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234.5", "1234.5"),
        ("£1,234.50", "1234.50"),
        (" £ 12,345,678.90 ", "12345678.90"),
        ("-£250.00", "-250.00"),
        ("£-250", "-250"),
        ("600", "600"),
    ],
)
def test_amounts_read_pounds_and_thousands_commas(text, expected):
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["12,34", "1,2345", "£", "", "abc", "--5", "-£-5", "1.2.3", "€5"])
def test_amounts_that_are_not_money(text):
    assert parse_amount(text) is None


def test_totals_are_exact_decimal_pounds():
    # 4,999.94 + 0.03 + 0.03 = 5,000.00 exactly; in floats the sum is 4999.999999999999.
    found = invite("""
        date,supplier,amount
        2025-01-01,Sample Print Shop Ltd,"£4,999.94"
        2025-01-02,Sample Print Shop Ltd,£0.03
        2025-01-03,Sample Print Shop Ltd,0.03
    """)
    assert [i.first.total for i in found] == [Decimal("5000.00")]
    assert isinstance(found[0].first.total, Decimal)


def test_a_refund_counts_against_the_total():
    # 3,000 + 2,500 - 600 = 4,900: under 5,000 (without the refund it would be 5,500).
    text = """
        date,supplier,amount
        2025-01-10,Sample Catering Ltd,"£3,000.00"
        2025-04-10,Sample Catering Ltd,"£2,500.00"
        2025-06-10,Sample Catering Ltd,-£600.00
        {extra}
    """
    assert invite(text.format(extra="")) == []
    # With 100 more on 9 January 2026 (inside [10 Jan 2025, 10 Jan 2026)): 4,900 + 100 = 5,000.
    found = invite(text.format(extra="2026-01-09,Sample Catering Ltd,100"))
    assert [(i.first.start, i.first.total) for i in found] == [(D(2025, 1, 10), Decimal("5000"))]


def test_dd_mm_yyyy_is_day_first():
    # 05/01/2026 is 5 January 2026, the last day of [6 Jan 2025, 6 Jan 2026): 1,000 + 4,000.
    # Read month-first (1 May 2026) it would fall outside and nobody would be listed.
    found = invite("""
        date,supplier,amount
        2025-01-06,Sample Taxis Ltd,1000
        05/01/2026,Sample Taxis Ltd,4000
    """)
    assert [(i.first.end, i.first.total) for i in found] == [(D(2026, 1, 5), Decimal("5000"))]


def test_the_register_contract_flag_comes_from_known_keys():
    text = """
        date,supplier,amount
        2025-01-06,Sample Taxis Ltd,5000
        2025-01-06,Sample Office Supplies Limited,5000
    """
    found = invite(text, known=frozenset({supplier_key("The Sample Taxis Limited")}))
    assert [(i.supplier, i.has_contract) for i in found] == [
        ("Sample Office Supplies Limited", False),
        ("Sample Taxis Ltd", True),
    ]


# --- the file: bad rows, encodings, columns --------------------------------------------------


def located(problems) -> list[tuple]:
    return [(p.path, p.line, p.field) for p in problems]


def test_every_bad_row_is_reported_with_its_line_and_column():
    payments, problems = read("""
        Date,Supplier,Amount
        2025-01-06,Sample Taxis Ltd,600
        31/02/2025,Sample Taxis Ltd,600
        2025-01-08,  ,600
        2025-01-09,Sample Taxis Ltd,"12,34"
        2025-01-10,Sample Taxis Ltd
        soon,Sample Taxis Ltd,lots
        2025-01-12,Sample Taxis Ltd,700
    """)
    # Lines: 1 header, 2 good, 3 no 31 February, 4 blank supplier, 5 bad amount, 6 two cells,
    # 7 bad date and bad amount (both reported), 8 good.
    assert located(problems) == [
        ("spend.csv", 3, "Date"),
        ("spend.csv", 4, "Supplier"),
        ("spend.csv", 5, "Amount"),
        ("spend.csv", 6, "Amount"),
        ("spend.csv", 7, "Date"),
        ("spend.csv", 7, "Amount"),
    ]
    assert [p.line for p in payments] == [2, 8]
    assert problem_text(problems[0]) == (
        'spend.csv:3: Date: "31/02/2025" is not a date (write dates as YYYY-MM-DD or DD/MM/YYYY)'
    )
    assert problem_text(problems[2]) == (
        'spend.csv:5: Amount: "12,34" is not an amount of money '
        "(write amounts like 1234.50, £1,234.50 or -250.00 for a refund)"
    )
    assert problem_text(problems[3]) == (
        "spend.csv:6: Amount: the row has no amount: it has 2 cells, the header has 3 "
        "(check for a missing comma or a line broken in two)"
    )


def test_line_numbers_are_physical_lines_after_a_quoted_line_break():
    # The supplier cell on line 2 runs onto line 3, so the bad date is on line 4.
    _, problems = read("""
        date,supplier,amount
        2025-01-06,"Sample Taxis
        Ltd",600
        2025-13-01,Sample Taxis Ltd,600
    """)
    assert located(problems) == [("spend.csv", 4, "date")]


def test_blank_rows_are_passed_over_but_counted_in_line_numbers():
    payments, problems = read("date,supplier,amount\n\n,,\n2025-01-06,Sample Taxis Ltd,x\n")
    assert (payments, located(problems)) == ([], [("spend.csv", 4, "amount")])


def test_a_byte_order_mark_is_read_as_utf8():
    data = "\ufeffdate,supplier,amount\n2025-01-06,Sample Café Ltd,£600\n".encode()
    payments, problems = read_spend(data, "spend.csv")
    assert problems == []
    assert [(p.supplier, p.amount) for p in payments] == [("Sample Café Ltd", Decimal("600"))]


def test_a_file_that_is_not_utf8_gets_a_located_error():
    # Windows-1252 writes £ as the single byte 0xA3, on line 3 here.
    data = "date,supplier,amount\n2025-01-06,Sample Taxis Ltd,600\n2025-01-07,Sample,£600\n"
    payments, problems = read_spend(data.encode("cp1252"), "spend.csv")
    assert payments == []
    assert [problem_text(p) for p in problems] == [
        "spend.csv:3: the file is not UTF-8 text (byte 0xA3 cannot be read) "
        '(save it from your spreadsheet as "CSV UTF-8")'
    ]


def test_an_empty_file_is_a_problem():
    assert located(read_spend(b"", "spend.csv")[1]) == [("spend.csv", 1, None)]


def test_other_headers_are_mapped_and_case_does_not_count():
    payments, problems = read(
        """
        Payment Date,Supplier Name,Net Amount
        2025-01-06,Sample Taxis Ltd,600
        """,
        Columns(date="payment date", supplier="SUPPLIER NAME", amount="Net Amount"),
    )
    assert problems == []
    assert [(p.date, p.supplier, p.amount) for p in payments] == [
        (D(2025, 1, 6), "Sample Taxis Ltd", Decimal("600"))
    ]


def test_an_unknown_column_is_a_usage_error_naming_the_headers():
    with pytest.raises(SpendFileError) as error:
        read("Date,Supplier Name,Amount\n")
    assert str(error.value) == (
        'the header has no column called "supplier" (use --supplier-column to name the '
        'supplier column; the headers are: "Date", "Supplier Name", "Amount")'
    )


def test_a_column_named_twice_is_a_usage_error():
    with pytest.raises(SpendFileError, match='more than one column called "amount"'):
        read("date,supplier,amount,Amount\n")


# --- output ----------------------------------------------------------------------------------


def one(name: str) -> Invitation:
    period = Period(D(2025, 1, 6), D(2026, 1, 5), Decimal("5000.5"))
    return Invitation(name, supplier_key(name), period, period, False, ("-1 Other",))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_cannot_start_a_spreadsheet_formula(start):
    text = format_csv([one(start + 'HYPERLINK("http://example.org")')])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][0] == "'" + start + 'HYPERLINK("http://example.org")'
    assert rows[1][3] == "5000.50"
    assert rows[1][8] == "'-1 Other"


def test_text_output_replaces_control_characters_in_names():
    text = format_text([one("Sample\x1b[31m Taxis\u202e Ltd")], THRESHOLD, 12)
    assert "\x1b" not in text and "\u202e" not in text
    assert "Sample\ufffd[31m Taxis\ufffd Ltd" in text
    assert "£5,000.50" in text


def test_text_output_when_nobody_is_listed():
    assert format_text([], THRESHOLD, 12) == (
        "No supplier was paid £5,000.00 or more in a period of 12 months.\n"
    )


# --- the real command line -------------------------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), "invite", "--today", TODAY.isoformat(), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_sample_spend_file_as_csv():
    # By hand, from samples/spend-over-500-sample.csv (threshold 5,000, 12 months):
    # - Catering: periods from 10 Jun 2024 = 2,000 + 2,400 - 400 + 1,200 + 3,000 = 8,200 (first);
    #   from 10 Sep 2024 = 2,400 - 400 + 1,200 + 3,000 + 4,000 = 10,200 (highest).
    # - Landscaping: from 15 Mar 2025 = 2,500 + 1,500 + 1,000 (on 14 Mar 2026, the last day)
    #   = 5,000; 800 on 15 Mar 2026 is outside; from 1 Sep 2025 = 3,300.
    # - Office Supplies: one payment of 6,250.
    # - Taxis: 4 x 1,250 from 6 Jan 2025 to 5 Jan 2026 (05/01/2026) = 5,000.
    # Not listed: Print Shop 4,000 + 999.99 = 4,999.99; Window Cleaning 3,000 on 1 Apr 2025
    # and 2,500 on 1 Apr 2026, one day outside the period.
    result = run("--spend", str(SAMPLE), "--format", "csv")
    assert (result.returncode, result.stderr) == (0, "")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][:4] == [
        "supplier",
        "first_period_start",
        "first_period_end",
        "first_period_total",
    ]
    assert [row[:8] for row in rows[1:]] == [
        ["The Sample Catering Company PLC", "2024-06-10", "2025-06-09", "8200.00",
         "2024-09-10", "2025-09-09", "10200.00", "no"],
        ["Sample Landscaping Ltd", "2025-03-15", "2026-03-14", "5000.00",
         "2025-03-15", "2026-03-14", "5000.00", "no"],
        ["Sample Office Supplies Ltd", "2025-10-20", "2026-10-19", "6250.00",
         "2025-10-20", "2026-10-19", "6250.00", "no"],
        ["Sample Taxis Ltd", "2025-01-06", "2026-01-05", "5000.00",
         "2025-01-06", "2026-01-05", "5000.00", "no"],
    ]  # fmt: skip


def test_the_sample_spend_file_as_text():
    result = run("--spend", str(SAMPLE))
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "4 suppliers were paid £5,000.00 or more in a period of 12 months. "
        "Invite them to offer social value."
    )
    assert lines[2:7] == [
        "The Sample Catering Company PLC",
        "  First reached: 10 June 2024 to 9 June 2025: £8,200.00",
        "  Highest:       10 September 2024 to 9 September 2025: £10,200.00",
        "  Contract with commitments in the register: no",
        "  Also written as: Sample Catering Company plc",
    ]


def test_bad_rows_exit_1_with_every_problem_and_no_list(tmp_path: Path):
    spend = tmp_path / "spend.csv"
    spend.write_text(
        "date,supplier,amount\n2025-01-06,Sample Taxis Ltd,9000\n32/01/2025,Sample,1\n"
        "2025-01-08,Sample,£\n",
        encoding="utf-8",
    )
    result = run("--spend", str(spend))
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        f'{spend}:3: date: "32/01/2025" is not a date (write dates as YYYY-MM-DD or DD/MM/YYYY)',
        f'{spend}:4: amount: "£" is not an amount of money '
        "(write amounts like 1234.50, £1,234.50 or -250.00 for a refund)",
        f"Found 2 problems in {spend}: no list was made.",
    ]


def test_usage_errors_exit_2(tmp_path: Path):
    missing = run("--spend", str(tmp_path / "nope.csv"))
    assert (missing.returncode, missing.stdout) == (2, "")
    assert missing.stderr == f"error: there is no file {tmp_path / 'nope.csv'}\n"
    unknown = run("--spend", str(SAMPLE), "--amount-column", "Net")
    assert unknown.returncode == 2
    assert 'no column called "Net"' in unknown.stderr
    assert '"Date", "Supplier", "Expense type", "Amount"' in unknown.stderr


def test_mapped_columns_and_the_register_settings(tmp_path: Path, minimal_register):
    # aggregation_months: 6 -> [6 Jan 2025, 6 Jul 2025): 3,000 + 2,000 on 5 Jul 2025 = 5,000;
    # with 12 months the 6 Jul payment would join too (so the total shows which was used).
    settings = (REPO / "register" / "settings.yaml").read_text(encoding="utf-8")
    register = minimal_register(
        {"settings.yaml": settings.replace("aggregation_months: 12", "aggregation_months: 6")}
    )  # reviewed on fixtures.REVIEWED, valid on TODAY, which `run` passes as --today
    spend = tmp_path / "spend.csv"
    spend.write_text(
        "Paid,Payee,Net\n06/01/2025,Sample Taxis Ltd,3000\n05/07/2025,Sample Taxis Ltd,2000\n"
        "06/07/2025,Sample Taxis Ltd,700\n",
        encoding="utf-8",
    )
    result = run(
        "--spend", str(spend), "--register", str(register), "--format", "csv",
        "--date-column", "Paid", "--supplier-column", "Payee", "--amount-column", "Net",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    row = list(csv.reader(io.StringIO(result.stdout)))[1]
    assert row[:4] == ["Sample Taxis Ltd", "2025-01-06", "2025-07-05", "5000.00"]
