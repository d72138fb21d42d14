"""Stage 2: every problem with the register, all at once, sorted by file and line."""

from __future__ import annotations

import datetime as dt

from .fieldcheck import frictionless_problems, unknown_field_problems
from .load import RawRegister
from .problems import Problem, sort_key
from .rules import list_text_problems, organisation_problems, reference_problems, settings_problems

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


def validate(raw: RawRegister, today: dt.date | None = None) -> list[Problem]:
    """Frictionless first (types, constraints, keys), then the register's own rules."""
    today = today or dt.date.today()
    problems = list(raw.problems)
    if not raw.descriptor:
        return sorted(problems, key=sort_key)
    missing = [name for name in REQUIRED_TABLES if name not in raw.tables]
    for name in missing:
        problems.append(
            Problem(
                f"{raw.root.as_posix()}/datapackage.yaml",
                None,
                "resources",
                f'the "{name}" resource is missing or its schema cannot be read',
            )
        )
    if missing:
        return sorted(set(problems), key=sort_key)
    for table in raw.tables.values():
        problems += unknown_field_problems(table)
    problems += frictionless_problems(raw)
    problems += reference_problems(raw)
    problems += organisation_problems(raw, today)
    problems += settings_problems(raw)
    problems += list_text_problems(raw)
    return sorted(set(problems), key=sort_key)
