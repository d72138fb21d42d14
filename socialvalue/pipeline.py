"""The stages in order: load -> validate -> model. Each caller stops at the first failing stage."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .load import RawRegister, load
from .model import Register, model
from .problems import Problem
from .validate import validate


@dataclass(frozen=True)
class Checked:
    raw: RawRegister
    problems: list[Problem]
    register: Register | None  # None when there is any error

    def failed(self, strict: bool = False) -> bool:
        return any(p.is_error or strict for p in self.problems)


def check(register_dir: Path, today: dt.date | None = None) -> Checked:
    raw = load(register_dir)
    problems = validate(raw, today)
    register = None if any(p.is_error for p in problems) else model(raw)
    return Checked(raw, problems, register)
