"""The command line behind build.py: parse arguments and run one command (socialvalue/commands.py).

Every command that reads the register takes `--register DIR` and, where a date matters,
`--today YYYY-MM-DD` (default: the machine's date): the clock is an input like the register.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from . import commands
from .invite import cmd_invite
from .register.cores import flush_output

FORMATS = ("text", "github", "json")


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date written as YYYY-MM-DD") from None


def _common(parser: argparse.ArgumentParser, today: bool = True) -> None:
    parser.add_argument(
        "--register",
        type=Path,
        default=Path("register"),
        metavar="DIR",
        help="the register folder (default: register)",
    )
    parser.add_argument(
        "--content",
        type=Path,
        default=Path("content"),
        metavar="DIR",
        help="the guidance pages and dated updates (default: content)",
    )
    if today:
        parser.add_argument(
            "--today",
            type=_date,
            default=None,
            metavar="YYYY-MM-DD",
            help="the date to check review ages and future dates against (default: today)",
        )


def _site_options(parser: argparse.ArgumentParser) -> None:
    _common(parser)
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("site"),
        metavar="DIR",
        help="output folder (default: site)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python build.py", description="Check, build and serve the Social Value register site."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    p = sub.add_parser("check", help="validate the register and report every problem")
    _common(p)
    p.add_argument("--format", choices=FORMATS, default="text", help="how problems are printed")
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.add_argument(
        "--changed",
        nargs="*",
        metavar="PATH",
        default=None,
        help="show warnings only for these files; count the others (for pull requests)",
    )
    p = sub.add_parser("data", help="write the register as open data (CSV + datapackage.json)")
    _common(p)
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write into")
    _site_options(sub.add_parser("build", help="check the register and build the site"))
    p = sub.add_parser("serve", help="build the site, then serve it with the intake on one address")
    _site_options(p)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--db", type=Path, default=Path("instance/intake.sqlite3"), metavar="PATH")
    p = sub.add_parser("schema", help="write the JSON Schema editors use for organisation files")
    _common(p)
    p.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if the schema is out of date"
    )
    p = sub.add_parser("report", help="list entries and areas that need a review, for staff")
    _common(p)
    p.add_argument("--format", choices=("text", "csv"), default="text")
    p = sub.add_parser("invite", help="list suppliers whose spend reaches the threshold")
    _common(p)
    p.add_argument("--spend", type=Path, required=True, metavar="FILE.csv", help="spend data")
    for role in ("date", "supplier", "amount"):
        p.add_argument(f"--{role}-column", default=role, metavar="NAME", help=f"default: {role}")
    p.add_argument("--format", choices=("text", "csv"), default="text")
    p = sub.add_parser("new-update", help="write a dated update post into content/updates/")
    _common(p)
    p.add_argument("title", help="the post's title, in quotes")
    p.add_argument("--summary", default="", help="one or two sentences for the list and the feed")
    return parser


COMMANDS = {
    "check": commands.cmd_check,
    "data": commands.cmd_data,
    "build": commands.cmd_build,
    "serve": commands.cmd_serve,
    "schema": commands.cmd_schema,
    "report": commands.cmd_report,
    "new-update": commands.cmd_new_update,
    "invite": cmd_invite,
}


# Commands that end holding the whole register, with every file they wrote closed and no
# thread or child left: `run` leaves without taking the heap apart object by object (a fifth
# of a second at 10,000 entries, seconds at 100,000).
QUICK_EXIT = {"check", "build", "data", "report"}


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = _parser()
    args = parser.parse_args(argv)
    return parser.parse_args(["build"]) if args.command is None else args


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    return COMMANDS[args.command](args)


def run() -> NoReturn:
    """build.py's entry: `main` on the process's own arguments, then exit with its code."""
    args = _arguments(None)
    try:
        code = COMMANDS[args.command](args)
        flush_output()
    except BrokenPipeError:  # `check | head`: the reader has gone, so there is no one to tell
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = BROKEN_PIPE
    if args.command in QUICK_EXIT:
        os._exit(code)
    sys.exit(code)


# What a program stopped by SIGPIPE reports (128 + 13), as `git log | head` does: not the
# check's own 1 (problems found), since not every problem was printed.
BROKEN_PIPE = 141
