"""Dated update posts (content/updates/*.md) as site pages, and the two Atom feeds.

A post is Markdown with front matter:

    ---
    date: 2026-11-20
    title: Register opens for sample entries
    summary: One or two sentences for the list page and the feed.
    ---

The register core reads and checks each post's front matter (`python build.py check`); the file
name (without .md) becomes the address: updates/<name>/. Posts are staff-written, like
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
from pathlib import Path

import markdown
from jinja2 import Environment, StrictUndefined, TemplateError

from .atom import Entry, Feed, atom_feed
from .register.model import Organisation, Post, Register, Settings
from .register.problems import Problem, format_text

FOLDER = "updates"  # content/updates/ holds the posts; updates/ is their address on the site
FEED_LIMIT = 50
MARKDOWN_EXTENSIONS = ["attr_list", "md_in_html", "tables", "admonition"]
FEEDS = {"updates.xml": "Updates", "new-organisations.xml": "Organisations new to the register"}


class PostError(Exception):
    """A post whose body cannot be rendered; the message is one located problem."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(format_text(p) for p in problems))


def _body(post: Post, settings: Settings) -> str:
    env = Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
    try:
        return env.from_string(post.body).render(settings=settings)
    except TemplateError as exc:
        problem = Problem(
            post.source_path,
            getattr(exc, "lineno", None),
            None,
            f"cannot be rendered: {exc.message}",
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


def index_page(posts: Iterable[Post]) -> str:
    about = "News about the register and the Suppliers Charter"
    posts = list(posts)
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


def write_updates(register: Register, docs_dir: Path) -> int:
    """Write updates/index.md and one page per post into the docs tree; returns the page count."""
    posts = register.posts
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
        ((o.added, o) for o in organisations if o.added is not None),
        key=lambda pair: (-pair[0].toordinal(), pair[1].id),
    )
    return [
        Entry(f"{site_url}register/{o.id}/", o.name, day, o.description)
        for day, o in added[:FEED_LIMIT]
    ]


def write_feeds(register: Register, site_dir: Path) -> None:
    """Write updates.xml and new-organisations.xml at the root of the built site."""
    site_url = register.settings.site_url.rstrip("/") + "/"
    settings = register.settings
    fallback = register.as_of
    entries = {
        "updates.xml": post_entries(register.posts, settings, site_url),
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
