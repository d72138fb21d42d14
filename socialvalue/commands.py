"""What each command of build.py does: check the register once, then act on what passed."""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from .register import Failed, Passed, check
from .register import problems as fmt
from .register.files import shown_path

if TYPE_CHECKING:
    from .site import Memo

# The site, its templates and the intake are imported by the commands that use them, so that
# `check` (run on every pull request and by `serve` on every change) loads only the register core.


def _today(args: argparse.Namespace) -> dt.date:
    return getattr(args, "today", None) or dt.date.today()


def _check(args: argparse.Namespace) -> Passed | Failed:
    return check(args.register, _today(args), args.content)


def _print(problems: list[fmt.Problem], output_format: str = "text") -> None:
    """Every problem in the chosen format (stdout), and a summary line for people (stderr)."""
    if output_format == "json":
        print(fmt.format_json(problems))
        return
    line = fmt.format_github if output_format == "github" else fmt.format_text
    for problem in problems:
        print(line(problem))
    print(fmt.summary(problems), file=sys.stderr)


def _only_changed(problems: list[fmt.Problem], changed: list[str]) -> list[fmt.Problem]:
    """Errors everywhere; warnings only on the changed files (the rest are counted)."""
    wanted = {Path(p).as_posix().removeprefix("./") for p in changed}
    shown = [p for p in problems if p.is_error or p.path in wanted]
    hidden = len(problems) - len(shown)
    if hidden:
        print(
            f"{hidden} warning(s) on files this change did not touch "
            "(staff see them in `python build.py report`).",
            file=sys.stderr,
        )
    return shown


def cmd_check(args: argparse.Namespace) -> int:
    result = _check(args)
    problems = result.problems
    if args.changed is not None:
        problems = _only_changed(problems, args.changed)
    _print(problems, args.format)
    return 1 if result.failed(args.strict) else 0


def cmd_data(args: argparse.Namespace) -> int:
    from .opendata import write_data_package

    result = _check(args)
    _print(result.problems)
    if isinstance(result, Failed):
        return 1
    path = write_data_package(result, args.out)
    print(f"Wrote the open data package to {path}", file=sys.stderr)
    return 0


def cmd_build(args: argparse.Namespace, memo: Memo | None = None) -> int:
    from .halves import ChildFailed
    from .outdir import BuildStopped, OutputFolderError, check_out, stop_on_signals
    from .site import BuildError, SitePaths, build_site
    from .updates import PostError

    started = time.perf_counter()
    paths = SitePaths(args.register, args.out)
    try:  # before anything else: a folder the build did not make is never a target
        check_out(paths.out, paths.register, paths.root)
    except OutputFolderError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    result = _check(args)
    _print(result.problems)
    if isinstance(result, Failed):
        print(
            f"The site was not built; the last good site in {args.out} was left in place.",
            file=sys.stderr,
        )
        return 1
    try:
        with stop_on_signals():
            count = build_site(paths, result, memo=memo)
    except OutputFolderError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (BuildStopped, KeyboardInterrupt) as exc:
        print(
            f"Build stopped; the last good site in {args.out} was left in place.", file=sys.stderr
        )
        return 128 + getattr(exc, "signum", signal.SIGINT)
    except (BuildError, PostError, ChildFailed) as exc:
        print(f"error: {exc}", file=sys.stderr)
        print(f"The last good site in {args.out} was left in place.", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    print(f"Built {count} pages into {args.out} in {elapsed:.1f} s", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Build, then serve the site and the intake together on one origin."""
    from .register.yamlfile import remember_reads
    from .site import Memo
    from .watch import watch

    remember_reads()  # each change is checked against the whole register: read only what changed
    memo = Memo()
    code = cmd_build(args, memo)
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
    sources = [args.register, args.content, Path("templates"), Path("mkdocs.yml")]
    threading.Thread(
        target=watch, args=(sources, lambda: _serve_rebuild(args, memo), stop), daemon=True
    ).start()
    try:
        return run_intake(config, args.host, args.port)
    finally:
        stop.set()


def _serve_rebuild(args: argparse.Namespace, memo: Memo) -> None:
    """After a change `serve` saw: check the register (the check is the promise), then write only
    the files that changed into the live site, or build the whole site when that cannot do."""
    from .incremental import live_first, update
    from .site import BuildError, SitePaths
    from .updates import PostError

    started = time.perf_counter()
    result = _check(args)
    if isinstance(result, Passed) and memo.plan is not None:
        paths = SitePaths(args.register, args.out)
        try:
            shown = live_first(paths, result, memo)
            if shown:
                print(
                    f"The {shown} pages that show the change are live "
                    f"({time.perf_counter() - started:.1f} s); updating the rest.",
                    file=sys.stderr,
                )
            done = update(paths, result, memo)
        except (BuildError, PostError, OSError, ValueError) as exc:
            print(f"The quick update failed ({exc}); building the whole site.", file=sys.stderr)
            done = False
        if done:
            _print(result.problems)
            elapsed = time.perf_counter() - started
            print(f"Updated the changed pages in {args.out} in {elapsed:.1f} s", file=sys.stderr)
            return
    cmd_build(args, memo)


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


def cmd_schema(args: argparse.Namespace) -> int:
    from .editor_schema import OUTPUT, TABLE, render

    result = _check(args)
    if isinstance(result, Failed):
        _print([p for p in result.problems if p.is_error])
        print("error: fix the register first; the editor schema lists its ids", file=sys.stderr)
        return 1
    text = render(result.tables[TABLE].schema, result.register)
    target = args.register / OUTPUT
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
    shown = shown_path(target)
    print(f"Wrote {shown}" if current != text else f"{shown} is up to date", file=sys.stderr)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from .report import format_csv, format_text, review

    today = _today(args)
    result = _check(args)
    if isinstance(result, Failed):
        for problem in result.problems:
            if problem.is_error:
                print(fmt.format_text(problem), file=sys.stderr)
        print(
            "The register has errors, so there is no report: fix them first "
            "(`python build.py check` lists them).",
            file=sys.stderr,
        )
        return 1
    findings = review(result.register, result.tables, today)
    if args.format == "csv":
        sys.stdout.write(format_csv(findings))
    else:
        sys.stdout.write(format_text(findings, result.register, today))
    return 0


def cmd_new_update(args: argparse.Namespace) -> int:
    from .posts import new_post

    try:
        path = new_post(args.content, args.title, args.summary, _today(args))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Wrote {shown_path(path)}: edit its text, then run `python build.py check`.")
    return 0
