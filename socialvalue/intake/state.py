"""What every request handler shares, built once by ``create_app``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from socialvalue.intake.choices import Choices
from socialvalue.intake.config import IntakeConfig
from socialvalue.intake.pages import Pages
from socialvalue.intake.ratelimit import RateLimiter
from socialvalue.intake.schemas import FormSpec
from socialvalue.intake.writers import DirectWriter, GroupWriter


@dataclass(frozen=True)
class Intake:
    config: IntakeConfig
    specs: Mapping[str, FormSpec]
    choices: Choices
    pages: Pages
    writer: GroupWriter | DirectWriter
    limiter: RateLimiter
