"""The `schema` and `report` commands. cli.py adds them with `register_commands(sub)`."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from . import problems as fmt
from .jsonschema import OUTPUT, TABLE, render
from .load import load, shown_path
from .pipeline import check
from .report import format_csv, format_text, review


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date written as YYYY-MM-DD") from None


def add_register(parser: argparse.ArgumentParser) -> None:
    """The --register option every command takes."""
    parser.add_argument(
        "--register",
        type=Path,
        default=Path("register"),
        metavar="DIR",
        help="the register folder (default: register)",
    )


def register_commands(sub: Any) -> None:
    """Add the `schema` and `report` subcommands to cli.py's subparsers."""
    p = sub.add_parser("schema", help="write the JSON Schema editors use for organisation files")
    add_register(p)
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the committed schema is out of date",
    )
    p = sub.add_parser("report", help="list entries and areas that need a review, for staff")
    add_register(p)
    p.add_argument(
        "--format",
        choices=("text", "csv"),
        default="text",
        help="text for people, csv for a spreadsheet",
    )
    p.add_argument(
        "--today",
        type=_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="the date to measure review ages from (default: today)",
    )


def cmd_schema(args: argparse.Namespace) -> int:
    raw = load(args.register)
    if TABLE not in raw.tables:
        for problem in raw.problems:
            print(fmt.format_text(problem), file=sys.stderr)
        print(f"error: cannot read the {TABLE} Table Schema from {args.register}", file=sys.stderr)
        return 1
    text, target = render(raw), args.register / OUTPUT
    current = target.read_text(encoding="utf-8") if target.is_file() else None
    if args.check:
        if current == text:
            return 0
        print(
            f"{shown_path(target)}: the editor schema is out of date with {TABLE}.schema.yaml "
            "or the register's ids (run `python build.py schema` and commit the file)",
            file=sys.stderr,
        )
        return 1
    if current != text:
        target.write_text(text, encoding="utf-8")
    print(
        f"Wrote {shown_path(target)}" if current != text else f"{shown_path(target)} is up to date",
        file=sys.stderr,
    )
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    today = args.today or dt.date.today()
    checked = check(args.register, today)
    if checked.register is None:
        for problem in checked.problems:
            if problem.is_error:
                print(fmt.format_text(problem), file=sys.stderr)
        print(
            "The register has errors, so there is no report: fix them first "
            "(`python build.py check` lists them).",
            file=sys.stderr,
        )
        return 1
    findings = review(checked.register, checked.raw, today)
    if args.format == "csv":
        sys.stdout.write(format_csv(findings))
    else:
        sys.stdout.write(format_text(findings, checked.register, today))
    return 0


EXTRA_COMMANDS = {"schema": cmd_schema, "report": cmd_report}
