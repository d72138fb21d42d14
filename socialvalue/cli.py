"""The command line behind build.py: parse arguments, run the pipeline, print problems, exit code."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import problems as fmt
from .pipeline import Checked, check
from .publish import write_data_package

FORMATS = ("text", "github", "json")


def _add_register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--register", type=Path, default=Path("register"), metavar="DIR",
                        help="the register folder (default: register)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python build.py",
                                     description="Check, build and serve the Social Value register site.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    p = sub.add_parser("check", help="validate the register and report every problem")
    _add_register(p)
    p.add_argument("--format", choices=FORMATS, default="text", help="how problems are printed")
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p = sub.add_parser("data", help="write the register as an open data package (CSV + datapackage.json)")
    _add_register(p)
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write into")
    return parser


def report(checked: Checked, output_format: str = "text") -> None:
    """Print every problem in the chosen format (stdout), and a summary line for people (stderr)."""
    if output_format == "json":
        print(fmt.format_json(checked.problems))
        return
    line = fmt.format_github if output_format == "github" else fmt.format_text
    for problem in checked.problems:
        print(line(problem))
    print(fmt.summary(checked.problems), file=sys.stderr)


def cmd_check(args: argparse.Namespace) -> int:
    checked = check(args.register)
    report(checked, args.format)
    return 1 if checked.failed(args.strict) else 0


def cmd_data(args: argparse.Namespace) -> int:
    checked = check(args.register)
    report(checked)
    if checked.failed():
        return 1
    path = write_data_package(checked.raw, args.out)
    print(f"Wrote the open data package to {path}", file=sys.stderr)
    return 0


COMMANDS = {"check": cmd_check, "data": cmd_data}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    return COMMANDS[args.command](args)
