"""Pages for matching suppliers to opportunities (the matcher, opportunity pages, threshold check)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .views import RegisterView


def match_pages(view: RegisterView) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(output path, template, context) for each matching page; filled in by the matcher work."""
    return iter(())
