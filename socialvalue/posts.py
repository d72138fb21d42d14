"""`python build.py new-update "Title"`: a dated post in content/updates/ whose front matter the
check accepts as written (the date and the escaping are done here, not by hand)."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from pathlib import Path

from .register.files import POSTS_FOLDER

BODY = "Write the update here, in Markdown. Keep it short and plain.\n"


def slug_of(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.replace("&", " and ")).strip("-")[:60].strip("-")


def new_post(content_dir: Path, title: str, summary: str, today: dt.date) -> Path:
    """Write content/updates/<slug>.md dated `today`; refuses to overwrite an existing post."""
    title = " ".join(title.split())
    if not title:
        raise ValueError("give the update a title, in quotes")
    slug = slug_of(title)
    if not slug:
        raise ValueError("the title needs at least one letter or digit")
    path = content_dir / POSTS_FOLDER / f"{slug}.md"
    if path.exists():
        raise ValueError(f"{path} already exists: choose another title or edit that post")
    summary = " ".join(summary.split()) or f"{title}."
    front = (  # JSON strings are valid YAML: quotes and colons in a title cannot break it
        f"---\ndate: {today.isoformat()}\ntitle: {json.dumps(title, ensure_ascii=False)}\n"
        f"summary: {json.dumps(summary, ensure_ascii=False)}\n---\n\n"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(front + BODY, encoding="utf-8")
    return path
