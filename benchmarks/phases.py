"""Run `python build.py build` with each stage of the build timed, from outside the build's code.

    python benchmarks/phases.py TIMES.json build --register DIR --out DIR

The stage functions that `socialvalue.site.build_site` calls are wrapped in this process before
the real command line runs, so the build itself carries no timing code. Each stage's start and end
are written to TIMES.json as `time.time()` values, so the caller can line them up with its own
samples of the process tree's memory. Stages that the build no longer has are left out, and
`missing` in the JSON names them.
"""

from __future__ import annotations

import functools
import importlib
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

STARTED = time.time()
REPO = Path(__file__).resolve().parent.parent

# Function in socialvalue.site -> the phase it belongs to (several functions make one phase).
PHASES = {
    "commands.check": "check",
    "write_pages": "pages",
    "write_form_pages": "pages",
    "write_updates": "pages",
    "shellpages.plan": "shell pages",
    "shellpages.engine_tree": "shell pages",
    "_run_engine": "engine",
    "shellpages.read_shells": "stamping",
    "shellpages.write_cut": "stamping",
    "shellpages.write_stamped": "stamping (while Pagefind runs)",
    "shellpages.write_sitemap": "stamping",
    "write_feeds": "feeds and open data (while the engine runs)",
    "write_data_package": "feeds and open data (while the engine runs)",
    "_run_pagefind": "search index",
    "_swap": "swap",
}


def _timed(name: str, fn: Callable[..., Any], log: list[tuple[str, float, float]]) -> Callable:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.time()
        try:
            return fn(*args, **kwargs)
        finally:
            log.append((name, start, time.time()))

    return wrapper


def main(argv: list[str]) -> int:
    times_path, cli_args = Path(argv[0]), argv[1:]
    sys.path.insert(0, str(REPO))
    from socialvalue import cli, site

    log: list[tuple[str, float, float]] = []

    def owner(name: str) -> tuple[Any, str]:  # "module.function": a module of socialvalue
        head, _, tail = name.rpartition(".")
        return (importlib.import_module(f"socialvalue.{head}") if head else site), tail

    missing = [name for name in PHASES if not callable(getattr(*owner(name), None))]
    for name in PHASES:
        if name not in missing:
            module, attr = owner(name)
            setattr(module, attr, _timed(PHASES[name], getattr(module, attr), log))
    try:
        code = cli.main(cli_args)
    finally:
        result = {"started": STARTED, "ended": time.time(), "phases": log, "missing": missing}
        times_path.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
