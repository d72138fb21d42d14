"""Dated update posts (content/updates/*.md) as site pages, and the two Atom feeds.

A post is Markdown with front matter:

    ---
    date: 2026-11-20
    title: Register opens for sample entries
    summary: One or two sentences for the list page and the feed.
    ---

The file name (without .md) becomes the address: updates/<name>/. Posts are staff-written, like
the rest of content/, so their Markdown is used as written (with `settings` through Jinja2).
`write_updates` adds the pages to the docs tree before mkdocs runs; `write_feeds` writes
updates.xml and new-organisations.xml into the built site after it. Every date comes from the
data, never the clock, so the same input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown
import yaml
from jinja2 import Environment, StrictUndefined, TemplateError

from .atom import Entry, Feed, atom_feed
from .load import shown_path
from .model import Organisation, Register, Settings
from .problems import Problem, format_text
from .rules import ID

FOLDER = "updates"  # content/updates/ holds the posts; updates/ is their address on the site
FEED_LIMIT = 50
FIELDS = ("date", "title", "summary")
MARKDOWN_EXTENSIONS = ["attr_list", "md_in_html", "tables", "admonition"]
FEEDS = {"updates.xml": "Updates", "new-organisations.xml": "Organisations new to the register"}


@dataclass(frozen=True)
class Post:
    slug: str
    date: dt.date
    title: str
    summary: str
    body: str  # Markdown, before Jinja2
    path: str  # as people see it, for problems


class PostError(Exception):
    """Posts that cannot be published; the message lists each problem, compiler-style."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(format_text(p) for p in problems))


def _split(text: str) -> tuple[str, str] | None:
    """(front matter, body), or None when the text does not start with a `---` block."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "".join(lines[1:index]), "".join(lines[index + 1 :])
    return None


def _line_of(front: str, key: str) -> int:
    for number, line in enumerate(front.splitlines(), start=2):
        if line.startswith(f"{key}:"):
            return number
    return 1


def _front_problems(shown: str, front: str, meta: Any) -> list[Problem]:
    if not isinstance(meta, dict):
        return [
            Problem(shown, 2, None, "the front matter must be named fields", "like `title: ...`")
        ]
    problems = [
        Problem(
            shown,
            _line_of(front, str(k)),
            str(k),
            "is not a known field",
            "use date, title, summary",
        )
        for k in meta
        if k not in FIELDS
    ]
    for key in FIELDS:
        value, line = meta.get(key), _line_of(front, key)
        if value is None:
            problems.append(Problem(shown, line, key, "is missing, and it is required"))
        elif key == "date" and not isinstance(value, dt.date):
            problems.append(Problem(shown, line, key, "must be a date", "like 2026-11-20"))
        elif key != "date" and (not isinstance(value, str) or not value.strip()):
            problems.append(Problem(shown, line, key, "must be text", "put it in quotes"))
    return problems


def read_post(path: Path) -> tuple[Post | None, list[Problem]]:
    shown = shown_path(path)
    parts = _split(path.read_text(encoding="utf-8"))
    if parts is None:
        hint = "copy the top of an existing post"
        return None, [
            Problem(shown, 1, None, "a post must start with front matter between `---` lines", hint)
        ]
    front, body = parts
    try:
        meta = yaml.safe_load(front)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        return None, [
            Problem(
                shown,
                line,
                None,
                "the front matter is not valid YAML",
                "put text with a colon in quotes",
            )
        ]
    problems = _front_problems(shown, front, meta)
    if not ID.fullmatch(path.stem):
        message = "the file name must use only lower-case letters, digits and hyphens"
        problems.append(Problem(shown, None, None, message, "like sample-charter-published.md"))
    if problems:
        return None, problems
    day = meta["date"].date() if isinstance(meta["date"], dt.datetime) else meta["date"]
    return Post(path.stem, day, meta["title"].strip(), meta["summary"].strip(), body, shown), []


def load_posts(content_dir: Path) -> tuple[list[Post], list[Problem]]:
    """Every post, newest first, and every problem found on the way."""
    posts, problems = [], []
    for path in sorted((content_dir / FOLDER).glob("*.md")):
        post, found = read_post(path)
        problems += found
        if post is not None:
            posts.append(post)
    return sorted(posts, key=lambda p: (-p.date.toordinal(), p.slug)), problems


def _body(post: Post, settings: Settings) -> str:
    env = Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
    try:
        return env.from_string(post.body).render(settings=settings)
    except TemplateError as exc:
        problem = Problem(
            post.path, getattr(exc, "lineno", None), None, f"cannot be rendered: {exc.message}"
        )
        raise PostError([problem]) from None


def _front(**values: str) -> str:
    """Values HTML-escaped (Material prints titles raw), then JSON-quoted (valid YAML)."""
    lines = [
        f"{k}: {json.dumps(html.escape(v, quote=False), ensure_ascii=False)}"
        for k, v in values.items()
    ]
    return "---\n" + "\n".join(lines) + "\n---\n"


def _time(day: dt.date) -> str:
    return f'<time datetime="{day.isoformat()}">{day.day} {day:%B %Y}</time>'


def _item(post: Post) -> str:
    title, summary = html.escape(post.title), html.escape(post.summary)
    return (
        f'<li class="sv-list__item"><a class="sv-list__title" href="{post.slug}/">{title}</a>\n'
        f'<p class="sv-list__meta">{_time(post.date)}</p>\n'
        f'<p class="sv-list__text">{summary}</p></li>\n'
    )


def index_page(posts: list[Post]) -> str:
    about = "News about the register and the Suppliers Charter"
    items = "".join(_item(p) for p in posts)
    listing = f'<ul class="sv-list">\n{items}</ul>' if posts else "<p>There are no updates yet.</p>"
    feeds = " and ".join(
        f'<a href="../{name}">{title.lower()} (Atom feed)</a>' for name, title in FEEDS.items()
    )
    return (
        _front(title="Updates", description=f"{about}.")
        + '<div class="sv-page">\n<h1>Updates</h1>\n'
        f'<p class="sv-lead">{about}, newest first.</p>\n'
        f"<p>Follow them in a feed reader: {feeds}.</p>\n{listing}\n</div>\n"
    )


def post_page(post: Post, settings: Settings) -> str:
    edit = json.dumps(f"content/{FOLDER}/{post.slug}.md")
    return (
        _front(title=post.title, description=post.summary).removesuffix("---\n")
        + f"edit_path: {edit}\n---\n"
        f'<p class="sv-caption"><a href="../">Updates</a>: {_time(post.date)}</p>\n'
        f"<h1>{html.escape(post.title)}</h1>\n\n{_body(post, settings)}"
    )


def write_updates(register: Register, content_dir: Path, docs_dir: Path) -> int:
    """Write updates/index.md and one page per post into the docs tree; returns the page count."""
    posts, problems = load_posts(content_dir)
    if problems:
        raise PostError(problems)
    pages = {f"{FOLDER}/index.md": index_page(posts)}
    pages.update({f"{FOLDER}/{p.slug}/index.md": post_page(p, register.settings) for p in posts})
    for relative, text in pages.items():
        target = docs_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return len(pages)


def post_entries(posts: Iterable[Post], settings: Settings, site_url: str) -> list[Entry]:
    def content(post: Post) -> str:
        return markdown.markdown(_body(post, settings), extensions=MARKDOWN_EXTENSIONS)

    url = f"{site_url}{FOLDER}/"
    return [Entry(f"{url}{p.slug}/", p.title, p.date, p.summary, content(p)) for p in posts][
        :FEED_LIMIT
    ]


def organisation_entries(organisations: Iterable[Organisation], site_url: str) -> list[Entry]:
    """The newest FEED_LIMIT organisations by `added` date (entries without one are left out)."""
    added = sorted(
        (o for o in organisations if o.added), key=lambda o: (-o.added.toordinal(), o.id)
    )
    return [
        Entry(f"{site_url}register/{o.id}/", o.name, o.added, o.description)
        for o in added[:FEED_LIMIT]
    ]


def write_feeds(register: Register, content_dir: Path, site_dir: Path, site_url: str) -> None:
    """Write updates.xml and new-organisations.xml at the root of the built site."""
    site_url = site_url.rstrip("/") + "/"
    posts, problems = load_posts(content_dir)
    if problems:
        raise PostError(problems)
    settings = register.settings
    fallback = max((o.reviewed for o in register.organisations), default=dt.date(2024, 1, 1))
    entries = {
        "updates.xml": post_entries(posts, settings, site_url),
        "new-organisations.xml": organisation_entries(register.organisations, site_url),
    }
    site_dir.mkdir(parents=True, exist_ok=True)
    for name, title in FEEDS.items():
        feed = Feed(
            site_url + name,
            f"{title}: {settings.site_name}",
            settings.body_name,
            site_url,
            fallback,
        )
        (site_dir / name).write_bytes(atom_feed(feed, entries[name]))
