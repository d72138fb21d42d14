"""The README's commands exist and run: a newcomer must be able to follow it without help."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    """Every `python build.py ...` and `python -m socialvalue...` command the README shows."""
    found = re.findall(r"(python (?:build\.py|-m socialvalue\.intake)(?: [a-z][a-z-]*)?)", README)
    return sorted(set(found))


def test_readme_shows_the_two_setup_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", README, flags=re.S)
    assert blocks[:2] == [
        "python -m pip install -e . && python build.py serve\n",
        "bash tests/setup.sh && python -m pytest\n",
    ]
    assert (ROOT / "tests" / "setup.sh").is_file()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash tests/setup.sh && python -m pytest" in ci


def _help(command: str) -> list[str]:
    words = command.split()[1:]  # drop "python"
    if words[0] == "-m":
        return [sys.executable, "-m", words[1], "--help"]
    return [sys.executable, "build.py", *words[1:2], "--help"]


@pytest.mark.parametrize("command", _commands())
def test_readme_command_exists(command: str) -> None:
    result = subprocess.run(_help(command), cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout


def test_readme_lists_the_commands_that_exist() -> None:
    assert len(_commands()) >= 5
    for name in ("check", "build", "serve", "data"):
        assert f"python build.py {name}" in README
