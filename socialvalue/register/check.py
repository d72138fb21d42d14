"""The register core's one entry point: read -> Frictionless -> the register's rules -> model.

    result = check(Path("register"), today, content_dir=Path("content"))
    if isinstance(result, Failed): print the problems, stop
    result.register  # a Register: never optional once the check has passed

What `check` passes, every stage builds from `result.register`, which holds the values exactly
as they were validated. Warnings (a stale review) travel with a passed result.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .contract_rules import annual_report_problems
from .contracts import NamedOrganisation, contract_problems, named_organisation_problems
from .cores import both, may_fork
from .files import RawRegister, load, shown_path
from .geodata import FILE as GEO_FILE
from .geodata import Boundaries, register_boundaries
from .model import Register, build_register
from .problems import Problem, sort_key
from .rules import (
    list_text_problems,
    organisation_problems,
    post_problems,
    reference_problems,
    settings_problems,
)
from .safety import character_problems, name_problems, safeguarding_problems
from .tables import (
    TypedTable,
    frictionless_check,
    import_frictionless,
    typed_table,
    unknown_field_problems,
)

REQUIRED_TABLES = (
    "settings",
    "priorities",
    "units",
    "offer-types",
    "areas",
    "measures",
    "charter",
    "partners",
    "signatories",
    "organisations",
)


@dataclass(frozen=True)
class Passed:
    """The register has no errors: `register` is complete; `problems` holds only warnings."""

    raw: RawRegister
    tables: dict[str, TypedTable]
    problems: list[Problem]
    register: Register
    today: dt.date  # the day the check was made for: states and ages on the pages use it too

    def failed(self, strict: bool = False) -> bool:
        return strict and bool(self.problems)


@dataclass(frozen=True)
class Failed:
    """The register has at least one error; nothing may be built from it."""

    raw: RawRegister
    problems: list[Problem]

    def failed(self, strict: bool = False) -> bool:
        return True


Checked = Passed | Failed


def _missing_tables(raw: RawRegister) -> list[Problem]:
    where = shown_path(raw.root / "datapackage.yaml")
    return [
        Problem(where, None, "resources", f'the "{name}" resource is missing or unreadable')
        for name in REQUIRED_TABLES
        if name not in raw.tables
    ]


def validate(raw: RawRegister, today: dt.date) -> tuple[list[Problem], dict[str, TypedTable]]:
    """Frictionless first (types, constraints, keys), then the register's own rules.

    A register with two large one-file-per-row tables (organisations and contracts) is
    validated on two cores: see `_parts`.
    """
    problems = list(raw.problems)
    if not raw.descriptor:
        return sorted(problems, key=sort_key), {}
    missing = _missing_tables(raw)
    if missing:
        return sorted(set(problems + missing), key=sort_key), {}
    parts = _parts(raw)
    if parts is None:
        found, tables, named = _validate_part(raw, today)
    else:
        here, there, name = parts
        (found, tables, named), (their_found, values, their_named) = both(
            lambda: _validate_part(here, today),
            lambda: _sendable(_validate_part(there, today), name),
            split=True,
        )
        tables[name] = typed_table(raw.tables[name], values)
        found += their_found
        named += their_named
    problems += found
    problems += named_organisation_problems(named, tables)
    # The problems of the small tables both parts validated are the same: one of each stays.
    return sorted(set(problems), key=sort_key), {name: tables[name] for name in raw.tables}


SPLIT_ROWS = 1_000  # rows of the second-largest folder table; below this, one process


def _parts(raw: RawRegister) -> tuple[RawRegister, RawRegister, str] | None:
    """(the tables this process validates, those a forked child validates, the name of the
    child's folder table); None when one process should validate everything.

    The child takes the second-largest one-file-per-row table (the contracts, beside the
    organisations) with every small table, which both parts need for their references; this
    process takes everything else. No rule looks across two folder tables except a contract
    naming an organisation, which waits until both are typed (`named_organisation_problems`).
    """
    folders = sorted(
        (table for table in raw.tables.values() if table.one_file_per_row),
        key=lambda table: len(table.rows),
        reverse=True,
    )
    if len(folders) < 2 or len(folders[1].rows) < SPLIT_ROWS or not may_fork():
        return None
    second = folders[1].name
    here = {name: table for name, table in raw.tables.items() if name != second}
    there = {
        name: table
        for name, table in raw.tables.items()
        if name == second or not table.one_file_per_row
    }
    return replace(raw, tables=here), replace(raw, tables=there), second


Part = tuple[list[Problem], dict[str, TypedTable], list[NamedOrganisation]]


def _validate_part(raw: RawRegister, today: dt.date) -> Part:
    problems: list[Problem] = []
    for table in raw.tables.values():
        problems += unknown_field_problems(table)
    found, tables = frictionless_check(raw)
    problems += found
    problems += reference_problems(tables)
    problems += organisation_problems(tables, today)
    problems += settings_problems(tables)
    problems += list_text_problems(tables)
    problems += post_problems(tables)
    problems += character_problems(tables)
    problems += name_problems(tables)
    problems += safeguarding_problems(tables)
    found, named = contract_problems(tables, today)
    problems += found
    problems += annual_report_problems(tables, today)
    return problems, tables, named


def _sendable(
    part: Part, name: str
) -> tuple[list[Problem], list[Mapping[str, Any]], list[NamedOrganisation]]:
    """What the child sends back: the rows it read are this process's already, so only the
    problems, the cast values of table `name` and the organisations its contracts name."""
    problems, tables, named = part
    return problems, [record.values for record in tables[name].records], named


def _boundaries(
    register_dir: Path, tables: dict[str, TypedTable]
) -> tuple[Boundaries | None, list[Problem]]:
    """The map's district outlines (geo/), checked against the register's district ids."""
    areas = tables["areas"].records
    districts = [str(r.get("id")) for r in areas if r.get("kind") != "county" and r.get("id")]
    return register_boundaries(register_dir, districts, shown_path(register_dir / GEO_FILE))


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The check makes millions of small objects and keeps them: Python's cycle collector would
    walk them again at every full collection (a tenth of the check at 10,000 entries). Nothing
    here makes reference cycles worth collecting before it ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check(register_dir: Path, today: dt.date, content_dir: Path | None = None) -> Checked:
    """Read, validate and model the register (and the posts in `content_dir`, if given)."""
    with _no_cycle_collection():
        return _check(register_dir, today, content_dir)


def _check(register_dir: Path, today: dt.date, content_dir: Path | None) -> Checked:
    raw = load(register_dir, content_dir, meanwhile=import_frictionless)
    problems, tables = validate(raw, today)
    if not tables or any(p.is_error for p in problems):
        return Failed(raw, problems)
    boundaries, found = _boundaries(Path(register_dir), tables)
    problems = sorted(problems + found, key=sort_key)
    if any(p.is_error for p in found):
        return Failed(raw, problems)
    return Passed(raw, tables, problems, build_register(tables, boundaries), today)
