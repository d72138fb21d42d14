"""Update posts become pages, and both Atom feeds are valid, complete and repeatable."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fixtures import REPO, SAMPLE_REGISTER, TODAY, built_site, write_tree

from socialvalue.register.check import Failed, Passed, check
from socialvalue.register.model import Register
from socialvalue.register.problems import Problem, format_text
from socialvalue.updates import FEED_LIMIT, FEEDS, write_feeds, write_updates

A = "{http://www.w3.org/2005/Atom}"
SITE = "https://social-value.example.org/"  # the site_url of the fixture settings

FIRST = """
    ---
    date: 2026-10-15
    title: "Charter <draft> published"
    summary: A draft Charter & a call for comments.
    ---
    Read the [Charter](../../charter/). Write to {{ settings.contact_email }}.
    """
SECOND = """
    ---
    date: 2026-11-20
    title: Register opens
    summary: Sample entries are online.
    ---
    The register holds sample entries for {{ settings.county }}.
    """


def registered(register_dir: Path, content: Path | None = None) -> Register:
    checked = check(register_dir, TODAY, content)
    assert isinstance(checked, Passed), checked.problems
    return checked.register


def post_problems(register_dir: Path, content: Path) -> list[Problem]:
    return [p for p in check(register_dir, TODAY, content).problems if "/updates/" in p.path]


def posts(tmp_path: Path, files: dict[str, str]) -> Path:
    return write_tree(
        tmp_path / "content", {f"updates/{name}": text for name, text in files.items()}
    )


def parse(path: Path) -> ET.Element:
    return ET.parse(path).getroot()


def test_pages_are_written_newest_first_with_escaped_titles(
    tmp_path: Path, minimal_register
) -> None:
    content = posts(tmp_path, {"charter-draft.md": FIRST, "register-opens.md": SECOND})
    docs = tmp_path / "docs"
    assert write_updates(registered(minimal_register(), content), docs) == 3
    index = (docs / "updates/index.md").read_text(encoding="utf-8")
    assert index.index('href="register-opens/"') < index.index('href="charter-draft/"')
    assert "Charter &lt;draft&gt; published" in index and "A draft Charter &amp; a call" in index
    assert '<time datetime="2026-10-15">15 October 2026</time>' in index
    assert 'href="../updates.xml"' in index and 'href="../new-organisations.xml"' in index
    page = (docs / "updates/charter-draft/index.md").read_text(encoding="utf-8")
    assert page.startswith('---\ntitle: "Charter &lt;draft&gt; published"\n')
    assert 'edit_path: "content/updates/charter-draft.md"\n---\n' in page
    assert "<h1>Charter &lt;draft&gt; published</h1>" in page
    assert "Write to socialvalue@example.org." in page  # settings through Jinja2


def test_no_posts_still_gives_an_updates_page(tmp_path: Path, minimal_register) -> None:
    assert (
        write_updates(registered(minimal_register(), tmp_path / "content"), tmp_path / "docs") == 1
    )
    assert "There are no updates yet." in (tmp_path / "docs/updates/index.md").read_text(
        encoding="utf-8"
    )


def test_the_repository_posts_are_valid() -> None:
    found = registered(SAMPLE_REGISTER, REPO / "content").posts
    assert len(found) >= 2
    assert all(p.summary and p.title for p in found)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "no-front.md",
            "Just text.\n",
            [(1, None, "a post must start with front matter between `---` lines")],
        ),
        (
            "no-date.md",
            "---\ntitle: T\nsummary: S\n---\nBody\n",
            [(2, "date", "is missing, and it is required")],
        ),
        (
            "bad-date.md",
            "---\ndate: 20/11/2026\ntitle: T\nsummary: S\n---\n",
            [(2, "date", "must be a date written as YYYY-MM-DD")],
        ),
        (
            "extra.md",
            "---\ndate: 2026-11-20\ntitle: T\nsummary: S\nauthor: A\n---\n",
            [(5, "author", "is not a known field")],
        ),
        (
            "empty.md",
            "---\ndate: 2026-11-20\ntitle: ''\nsummary: S\n---\n",
            [(3, "title", "is empty, and it is required")],
        ),
        (
            "Bad Name.md",
            "---\ndate: 2026-11-20\ntitle: T\nsummary: S\n---\n",
            [(None, None, "the file name must use only lower-case letters, digits and hyphens")],
        ),
        (
            "huge.md",
            "---\ndate: 2026-11-20\ntitle: T\nsummary: S\n---\n" + "Words. " * 80_000,
            [(None, None, "the file is larger than 512 KB")],
        ),
        (
            "accents.md",  # the 512 KB cut falls inside a two-byte letter
            "---\ndate: 2026-11-20\ntitle: T\nsummary: S\n---\nx" + "é" * 270_000,
            [(None, None, "the file is larger than 512 KB")],
        ),
        (
            "broken.md",
            "---\ndate: 2026-11-20\ntitle: [T\nsummary: S\n---\n",
            [
                (
                    4,
                    None,
                    "YAML syntax error: did not find expected ',' or ']' "
                    "in a flow sequence that starts on line 3",
                )
            ],
        ),
    ],
)
def test_a_bad_post_is_a_located_problem(
    tmp_path: Path, minimal_register, name: str, text: str, expected: list
) -> None:
    content = posts(tmp_path, {name: text})
    problems = post_problems(minimal_register(), content)
    assert [(p.line, p.field, p.message) for p in problems] == expected
    assert all(Path(p.path).name == name for p in problems)


def test_a_bad_post_fails_the_check_with_every_problem(tmp_path: Path, minimal_register) -> None:
    content = posts(
        tmp_path, {"a.md": "no front matter\n", "b.md": "---\ntitle: T\nsummary: S\n---\n"}
    )
    checked = check(minimal_register(), TODAY, content)
    assert isinstance(checked, Failed)
    problems = [p for p in checked.problems if "/updates/" in p.path]
    assert [Path(p.path).name for p in problems] == ["a.md", "b.md"]
    assert "b.md:2: date: is missing, and it is required (" in format_text(problems[1])


def required(element: ET.Element, tag: str) -> ET.Element:
    found = element.find(A + tag)
    assert found is not None, f"<{tag}> is missing"
    return found


def check_atom(root: ET.Element) -> list[ET.Element]:
    """RFC 4287's required elements, and RFC 3339 timestamps; returns the entries."""
    assert root.tag == A + "feed"
    for tag in ("id", "title", "updated"):
        assert required(root, tag).text
    assert required(required(root, "author"), "name").text
    links = {link.get("rel"): link.get("href") for link in root.findall(A + "link")}
    assert links["self"] == required(root, "id").text
    entries = root.findall(A + "entry")
    for entry in entries:
        for tag in ("id", "title", "updated", "summary"):
            assert required(entry, tag).text
        dt.datetime.strptime(required(entry, "updated").text, "%Y-%m-%dT%H:%M:%SZ")
        alternate = [link for link in entry.findall(A + "link") if link.get("rel") == "alternate"]
        assert [link.get("href") for link in alternate] == [required(entry, "id").text]
    return entries


def test_the_updates_feed(tmp_path: Path, minimal_register) -> None:
    content = posts(tmp_path, {"charter-draft.md": FIRST, "register-opens.md": SECOND})
    write_feeds(registered(minimal_register(), content), tmp_path / "site")
    root = parse(tmp_path / "site/updates.xml")
    entries = check_atom(root)
    assert required(root, "id").text == SITE + "updates.xml"
    assert required(root, "updated").text == "2026-11-20T00:00:00Z"
    assert [required(e, "id").text for e in entries] == [
        SITE + "updates/register-opens/",
        SITE + "updates/charter-draft/",
    ]
    assert required(entries[1], "title").text == "Charter <draft> published"
    content_html = required(entries[1], "content")
    assert content_html.get("type") == "html"
    assert (
        content_html.get("{http://www.w3.org/XML/1998/namespace}base")
        == SITE + "updates/charter-draft/"
    )
    assert '<a href="../../charter/">Charter</a>' in content_html.text


def test_the_new_organisations_feed_lists_the_newest_fifty_by_added_date(
    tmp_path: Path, minimal_register
) -> None:
    template = (minimal_register() / "organisations/sample-youth-club.yaml").read_text(
        encoding="utf-8"
    )
    extra = {}
    for n in range(FEED_LIMIT + 5):
        added = dt.date(2026, 2, 1) + dt.timedelta(days=n)  # all after sample-green-spaces
        text = (
            template.replace("sample-youth-club", f"sample-club-{n:02d}")
            .replace("org_id: GB-CHC-1000001\n", "")
            .replace("name: Sample Youth Club", f"name: Sample Club {n:02d}")
            .replace("sample: true", f"added: {added.isoformat()}\nsample: true")
        )
        extra[f"organisations/sample-club-{n:02d}.yaml"] = text
    register = registered(minimal_register(extra))
    write_feeds(register, tmp_path / "site")
    entries = check_atom(parse(tmp_path / "site/new-organisations.xml"))
    ids = [required(e, "id").text for e in entries]
    assert len(ids) == FEED_LIMIT
    assert ids[0] == SITE + "register/sample-club-54/"  # added 2026-03-27, the newest
    assert ids[-1] == SITE + "register/sample-club-05/"
    assert SITE + "register/sample-green-spaces/" not in ids  # added 2026-01-15: the 56th newest
    assert required(entries[0], "updated").text == "2026-03-27T00:00:00Z"


def test_feeds_without_entries_are_still_valid_and_dated_from_the_data(
    tmp_path: Path, minimal_register
) -> None:
    register = registered(minimal_register())
    write_feeds(register, tmp_path / "site")
    root = parse(tmp_path / "site/updates.xml")
    assert check_atom(root) == []
    assert (
        required(root, "updated").text == "2026-10-01T00:00:00Z"
    )  # the newest review, not the clock


def test_feeds_are_byte_for_byte_repeatable(tmp_path: Path) -> None:
    register = registered(REPO / "register", REPO / "content")
    for out in ("one", "two"):
        write_feeds(register, tmp_path / out)
    for name in FEEDS:
        first = (tmp_path / "one" / name).read_bytes()
        assert first == (tmp_path / "two" / name).read_bytes()
        assert first.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n") and first.endswith(
            b"</feed>\n"
        )


def test_every_page_links_both_feeds() -> None:
    main = (REPO / "templates/overrides/main.html").read_text(encoding="utf-8")
    start = main.index("{% block extrahead %}")
    block = main[start : main.index("{% endblock %}", start)]
    for name in FEEDS:
        # "alternate feed", not plain "alternate": Material fetches sitemap.xml for every plain one.
        assert '<link rel="alternate feed" type="application/atom+xml"' in block
        assert f"href=\"{{{{ '{name}' | url }}}}\"" in block


@pytest.mark.slow
def test_the_built_site_has_the_update_pages_and_feeds(tmp_path: Path, minimal_register) -> None:
    """Needs the hooks: site.py calls write_updates and write_feeds; pages.py skips updates/."""
    from bs4 import BeautifulSoup

    register = built_site(minimal_register(), tmp_path / "site", REPO / "content")
    site = tmp_path / "site"
    found = register.posts
    for post in found:
        page = BeautifulSoup(
            (site / f"updates/{post.slug}/index.html").read_text("utf-8"), "html.parser"
        )
        assert page.h1.get_text() == post.title
    index = BeautifulSoup((site / "updates/index.html").read_text("utf-8"), "html.parser")
    assert [a["href"] for a in index.select("a.sv-list__title")] == [f"{p.slug}/" for p in found]
    assert not (site / "updates" / f"{found[0].slug}.html").exists()
    for name in FEEDS:
        check_atom(parse(site / name))
    home = BeautifulSoup((site / "index.html").read_text("utf-8"), "html.parser")
    feeds = home.select('head link[rel~="alternate"][type="application/atom+xml"]')
    assert sorted(link["href"] for link in feeds) == sorted(FEEDS)
