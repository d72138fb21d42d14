"""Shared fixtures. The plain functions behind them live in tests/fixtures.py.

- `write_tree(root, {"path": "text", ...}) -> root` writes files from inline text.
- `sample_register` is the repository's shipped register/ folder.
- `minimal_register(overrides=None, *, reviewed=REVIEWED) -> Path` writes a small valid
  register into tmp_path/register, with `overrides` replacing or adding files (None deletes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fixtures import (
    CHROMIUM,
    CHROMIUM_ARGS,
    REVIEWED,
    SAMPLE_REGISTER,
    Files,
    make_minimal_register,
)
from fixtures import write_tree as _write_tree
from playwright.sync_api import Browser, sync_playwright


@pytest.fixture
def write_tree() -> Callable[[Path, Files], Path]:
    """`write_tree(tmp_path, {"a.yaml": "..."})`: text is dedented, bytes are written as given."""
    return _write_tree


@pytest.fixture
def sample_register() -> Path:
    """The register shipped with the project (read it, never write into it)."""
    return SAMPLE_REGISTER


@pytest.fixture
def minimal_register(tmp_path: Path) -> Callable[..., Path]:
    """A factory: `minimal_register({"organisations/foo.yaml": "..."})` -> the register folder."""

    def make(overrides: Files | None = None, *, reviewed: dt.date = REVIEWED) -> Path:
        return make_minimal_register(tmp_path / "register", overrides, reviewed=reviewed)

    return make


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
