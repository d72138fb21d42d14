"""The site's own page layout for the intake's pages, read from a built site.

The site build writes ``forms-shell/index.html``: an ordinary page of the site (its menu, its
sample-data banner, its footer, the forms' CSS and script) whose title is ``TITLE`` and whose
content sits between two comments (``MARKER`` ... ``<!--/sv-intake-content-->``). The intake
puts its own title and content there, so a form shown again with its errors, a confirmation
or a "page not found" look like every other page of the site.

Without a built site (``site_dir`` unset, or a site built before the shell existed) the intake
falls back to its own plain layout (``templates/forms/page.html``).

The shell sits at ``/forms-shell/`` and its links are relative (``../register/``), but the
intake answers at ``/forms/pledge``, ``/forms/pledge/confirmation`` or any missing address, so
every ``../`` (and ``..``, in links, the theme's settings and its first script) is made
root-relative (``/register/``): the intake serves the site at ``/`` whenever it has a
``site_dir``. The theme's inline scripts are allowed by hash in the pages' Content-Security-Policy.
"""

from __future__ import annotations

import base64
import hashlib
import html
import logging
import re
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("socialvalue.intake")

SHELL_PATH = "forms-shell/index.html"
TITLE = "sv-intake-title"
MARKER = "<!--sv-intake-content"  # the comment runs on: its text explains it
_UP = re.compile(r'"(?:\.\./)+')  # "../assets/..", in attributes, the theme's JSON and script
_UP_ONLY = re.compile(r'"\.\."')  # "..": the home page, the theme's base
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
_CANONICAL = re.compile(r'\s*<link rel="canonical"[^>]*>')
# The content: from the opening comment to the closing one (between them, a stand-in h1 keeps
# the built page itself a whole, accessible page).
_COMMENT = re.compile(r"<!--sv-intake-content.*?-->.*?<!--/sv-intake-content-->", re.S)


@dataclass(frozen=True)
class Shell:
    """A built page split around its content; ``wrap`` makes a whole page."""

    before: str
    after: str

    @property
    def headers(self) -> dict[str, str]:
        """The intake's Content-Security-Policy, allowing the theme's own inline scripts (by
        hash: nothing else inline runs) and nothing more."""
        hashes = " ".join(
            "'sha256-" + base64.b64encode(hashlib.sha256(code.encode()).digest()).decode() + "'"
            for code in _INLINE_SCRIPT.findall(self.before + self.after)
        )
        return {
            "Content-Security-Policy": "default-src 'self'; "
            f"script-src 'self' {hashes}; style-src 'self'; "
            "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        }

    def wrap(self, title: str, content: str) -> str:
        shown = html.escape(title, quote=True)
        return self.before.replace(TITLE, shown) + content + self.after.replace(TITLE, shown)


def read_shell(site_dir: Path | None) -> Shell | None:
    """The shell from a built site, or None (the intake then uses its plain layout)."""
    if site_dir is None:
        return None
    path = site_dir / SHELL_PATH
    if not path.is_file():
        log.warning("no %s in %s: the intake's pages use their plain layout", SHELL_PATH, site_dir)
        return None
    return shell_from(path.read_text(encoding="utf-8"))


def shell_from(text: str) -> Shell | None:
    """Split a built shell page; None when it has no content marker."""
    found = _COMMENT.search(text)
    if found is None or TITLE not in text:
        log.warning("%s has no content marker: the intake uses its plain layout", SHELL_PATH)
        return None
    return Shell(_rooted(text[: found.start()]), _rooted(text[found.end() :]))


def _rooted(part: str) -> str:
    part = _UP_ONLY.sub('"/"', _UP.sub('"/', part))
    return _CANONICAL.sub("", part, count=1)
