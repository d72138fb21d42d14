"""Command line: run the intake server, or export the signatories into the register.

    python -m socialvalue.intake --db PATH --host H --port P --site-url URL [--register DIR]
        [--site-dir DIR] [--allow-origin URL ...] [--rate-limit N] [--require-staff]
        [--request-timeout S] [--keep-alive S] [--max-connections N] [--max-header-kb N]
    python -m socialvalue.intake export-signatories --db PATH --register DIR

The staff token comes from the environment variable SV_STAFF_TOKEN. Without one the public
forms still run, but the staff API is not mounted (its addresses answer 404), unless
--require-staff is given: then the server refuses to start (exit 2).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from socialvalue.intake.config import REPO_ROOT, IntakeConfig, ServerLimits
from socialvalue.intake.server import run, staff_token_from_env


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["export-signatories"]:
        return export_command(args[1:])
    return serve_command(args)


def serve_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m socialvalue.intake",
        description="Run the intake server for the site's forms.",
    )
    parser.add_argument("--db", type=Path, required=True, help="SQLite file (created if absent)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--site-url", required=True, help="the site's public root, ending in /")
    parser.add_argument("--register", type=Path, default=REPO_ROOT / "register")
    parser.add_argument("--site-dir", type=Path, help="a built site to serve at /")
    parser.add_argument(
        "--allow-origin",
        action="append",
        default=[],
        help="another origin allowed to POST (repeatable)",
    )
    parser.add_argument("--rate-limit", type=int, default=30, help="POSTs per minute per IP")
    parser.add_argument(
        "--writer",
        choices=("group", "direct"),
        default="group",
        help="group commit (default) or one transaction per request",
    )
    parser.add_argument(
        "--require-staff", action="store_true", help="exit 2 unless SV_STAFF_TOKEN is set"
    )
    add_limits(parser)
    return parser


def add_limits(parser: argparse.ArgumentParser) -> None:
    """The ``ServerLimits`` options, defaulting to its values."""
    default = ServerLimits()
    parser.add_argument(
        "--request-timeout",
        type=float,
        default=default.request_timeout,
        metavar="SECONDS",
        help="time for a request to arrive in full (default: %(default)s)",
    )
    parser.add_argument(
        "--keep-alive",
        type=float,
        default=default.keep_alive,
        metavar="SECONDS",
        help="how long an idle connection stays open (default: %(default)s)",
    )
    parser.add_argument(
        "--max-connections",
        type=int,
        default=default.max_connections,
        metavar="N",
        help="connections beyond which requests get 503 (default: %(default)s)",
    )
    parser.add_argument(
        "--max-header-kb",
        type=int,
        default=default.max_header_bytes // 1024,
        metavar="N",
        help="request line and headers, in KB (default: %(default)s)",
    )


def limits_from(args: argparse.Namespace) -> ServerLimits:
    return ServerLimits(
        max_header_bytes=args.max_header_kb * 1024,
        request_timeout=args.request_timeout,
        keep_alive=args.keep_alive,
        max_connections=args.max_connections,
    )


def serve_command(argv: list[str]) -> int:
    args = serve_parser().parse_args(argv)
    try:
        token = staff_token_from_env()
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if token is None:
        if args.require_staff:
            print("error: --require-staff was given but SV_STAFF_TOKEN is not set", file=sys.stderr)
            return 2
        print(
            "warning: SV_STAFF_TOKEN is not set: the staff API is NOT mounted "
            "(/api/staff/... answers 404); the public forms run as usual",
            file=sys.stderr,
        )
    site_url = args.site_url if args.site_url.endswith("/") else args.site_url + "/"
    try:
        config = IntakeConfig(
            db_path=args.db,
            site_url=site_url,
            register_dir=args.register,
            site_dir=args.site_dir,
            allow_origins=tuple(args.allow_origin),
            staff_token=token,
            rate_limit=args.rate_limit,
            writer=args.writer,
        )
        limits = limits_from(args)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return run(config, args.host, args.port, limits)


def export_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m socialvalue.intake export-signatories",
        description="Write register/signatories.yaml from the "
        "approved Charter signatures that agreed to be "
        "listed.",
    )
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--register", type=Path, default=REPO_ROOT / "register")
    args = parser.parse_args(argv)
    if not args.db.is_file():
        print(f"error: {args.db}: no such database", file=sys.stderr)
        return 2
    from socialvalue.intake.exports import export_signatories

    count = export_signatories(args.db, args.register)
    print(f"wrote {args.register / 'signatories.yaml'}: {count} signatories")
    return 0


if __name__ == "__main__":
    sys.exit(main())
