"""The command line behind build.py: parse arguments, run the pipeline, print problems."""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from . import problems as fmt
from .commands_extra import EXTRA_COMMANDS, add_register, register_commands
from .pipeline import Checked, check
from .publish import write_data_package
from .site import BuildError, SitePaths, build_site
from .updates import PostError
from .watch import watch

FORMATS = ("text", "github", "json")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python build.py", description="Check, build and serve the Social Value register site."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    p = sub.add_parser("check", help="validate the register and report every problem")
    add_register(p)
    p.add_argument("--format", choices=FORMATS, default="text", help="how problems are printed")
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p = sub.add_parser(
        "data", help="write the register as an open data package (CSV + datapackage.json)"
    )
    add_register(p)
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write into")
    for name, help_text in (
        ("build", "check the register and build the site"),
        ("serve", "build the site, then serve it with the intake on one address"),
    ):
        p = sub.add_parser(name, help=help_text)
        add_register(p)
        p.add_argument(
            "--out",
            type=Path,
            default=Path("site"),
            metavar="DIR",
            help="output folder (default: site)",
        )
        if name == "serve":
            p.add_argument("--host", default="127.0.0.1")
            p.add_argument("--port", type=int, default=8000)
            p.add_argument(
                "--db", type=Path, default=Path("instance/intake.sqlite3"), metavar="PATH"
            )
    register_commands(sub)
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


def cmd_build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    try:
        checked, count = build_site(SitePaths(args.register, args.out))
    except (BuildError, PostError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        print(f"The last good site in {args.out} was left in place.", file=sys.stderr)
        return 1
    report(checked)
    if checked.failed():
        print(
            f"The site was not built; the last good site in {args.out} was left in place.",
            file=sys.stderr,
        )
        return 1
    print(
        f"Built {count} pages into {args.out} in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Build, then serve the site and the intake together on one origin."""
    code = cmd_build(args)
    if code:
        return code
    from .intake.config import IntakeConfig
    from .intake.server import run as run_intake
    from .intake.server import staff_token_from_env

    try:
        token = staff_token_from_env()
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    origin = f"http://{args.host}:{args.port}"
    config = IntakeConfig(
        db_path=args.db,
        site_url=origin + "/",
        register_dir=args.register,
        site_dir=args.out.resolve(),
        allow_origins=(f"http://localhost:{args.port}", f"http://127.0.0.1:{args.port}"),
        staff_token=token,
    )
    if not _make_folder(args.db.parent):
        return 1
    if config.staff_token is None:
        print("Staff API off: set SV_STAFF_TOKEN to turn it on.", file=sys.stderr)
    print(f"Serving the site and the intake on {origin}/ (press Ctrl+C to stop)", file=sys.stderr)
    stop = threading.Event()
    sources = [args.register, Path("content"), Path("templates"), Path("mkdocs.yml")]
    threading.Thread(
        target=watch, args=(sources, lambda: cmd_build(args), stop), daemon=True
    ).start()
    try:
        return run_intake(config, args.host, args.port)
    finally:
        stop.set()


def _make_folder(folder: Path) -> bool:
    """The database folder, made if missing; False (with one sentence) when it cannot be."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(
            f"error: the intake cannot start: cannot make the database folder {folder} "
            f"({exc.strerror})",
            file=sys.stderr,
        )
        return False
    return True


COMMANDS = {
    "check": cmd_check,
    "data": cmd_data,
    "build": cmd_build,
    "serve": cmd_serve,
    **EXTRA_COMMANDS,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["build"])
    return COMMANDS[args.command](args)
