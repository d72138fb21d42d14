"""A safeguarding entry (it may be a refuge) gives no location: refused by check, absent in build.

The check runs through the real command line (helpers in tests/test_hostile_register.py). The
build test builds a valid safeguarding entry and reads back every place the site publishes an
entry: the HTML pages, the open data CSV, the search index (Pagefind's gzip'd fragments) and the
matcher's JSON. A non-safeguarding entry's town and address are found in each of them, so the
search is known to look in the right places.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from pathlib import Path

import pytest
from fixtures import make_minimal_register
from test_hostile_register import HAVEN, assert_clean, cli, edited, refused, source

from socialvalue.register.safety import POSTCODE, STREET

EMAIL = "  email: contact@safe-haven.example.org"
LOCATIONS = [  # (old, new, line, field)
    ("name: Sample Safe Haven", "name: Sample Safe Haven NR1 2AB", 2, "name"),
    (
        "description: A fictional refuge",
        "description: At 12 Mill Lane, a fictional refuge",
        3,
        "description",
    ),
    ("sample: true", "sample: true\nhow_to_approach: Call at 12 Mill Lane any weekday.", 12, None),
    (EMAIL, EMAIL + "\n  website: https://x.example.org/nr1-2ab/", 9, "contact.website"),
    (EMAIL, EMAIL + "\n  website: https://x.example.org/?at=NR1%202AB", 9, "contact.website"),
    (EMAIL, "  email: nr12ab@safe-haven.example.org", 8, "contact.email"),
    (EMAIL, EMAIL + "\n  phone: 01603 000 124 (NR1 2AB)", 9, "contact.phone"),
    ("sample: true", "sample: true\ntown: Wymondham", 12, "town"),
    ("sample: true", "sample: true\naddress: The Old Mill, Wymondham", 12, "address"),
]


@pytest.mark.parametrize(("old", "new", "line", "field"), LOCATIONS)
def test_a_location_in_a_safeguarding_entry_is_refused(
    tmp_path: Path, old: str, new: str, line: int, field: str | None
) -> None:
    register = edited(tmp_path, HAVEN, old, new)
    field = field or new.rpartition("\n")[2].partition(":")[0]
    refused(cli("check", register), register / HAVEN, line, field, "a safeguarding entry must")


def test_a_refused_safeguarding_entry_is_never_built(tmp_path: Path) -> None:
    register = edited(tmp_path, HAVEN, "sample: true", "sample: true\ntown: Wymondham")
    site = tmp_path / "site"
    result = cli("build", register, "--out", str(site))
    assert_clean(result)
    assert result.returncode == 1
    assert not site.exists()


SAFE_HAVEN_EXTRA = """\
how_to_approach: Email us first; we reply within two working days.
welcomes: Free legal advice for the people we support.
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("safeguarding")
    haven = source(HAVEN).replace(EMAIL, EMAIL + "\n  phone: 01603 000 124") + SAFE_HAVEN_EXTRA
    register = make_minimal_register(tmp / "r", {HAVEN: haven})
    out = tmp / "site"
    result = cli("build", register, "--out", str(out))
    assert_clean(result)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def published(site: Path) -> dict[str, str]:
    """Every published text, by path: pages, CSV, JSON, feeds and the decoded search index."""
    texts = {}
    for path in sorted(site.rglob("*")):
        name = path.relative_to(site).as_posix()
        if path.suffix in (".html", ".csv", ".json", ".xml"):
            texts[name] = path.read_text(encoding="utf-8")
        elif path.suffix.startswith(".pf_"):
            texts[name] = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
    return texts


def test_the_search_reaches_every_published_place(site: Path) -> None:
    """The control: an ordinary entry's address appears in its page and the open data, and its
    text in the search index (addresses are not indexed: the page marks them data-pagefind-ignore),
    so the search below would find a location if one were there."""
    texts = published(site)
    for kind in ("register/sample-green-spaces/index.html", "data/"):
        hits = [n for n, t in texts.items() if n.startswith(kind) and "1 Sample Street" in t]
        assert hits, f"the control address is not in {kind}"
    assert any(n.startswith("pagefind/fragment/") and "Green Spaces" in t for n, t in texts.items())
    assert any(n.startswith("match/data/") for n in texts)


def test_a_safeguarding_entry_publishes_no_location(site: Path) -> None:
    for name, text in published(site).items():
        for part in _safe_haven_parts(name, text):
            assert not POSTCODE.search(part), (name, part)
            assert not STREET.search(part), (name, part)
            assert "Based in" not in part and "Address" not in part, (name, part)
    page = (site / "register/sample-safe-haven/index.html").read_text(encoding="utf-8")
    assert re.search(r"Location</dt>\s*<dd>Not published", page)


def _safe_haven_parts(name: str, text: str) -> list[str]:
    """What the file says about the safe haven: its page, its search fragment, its rows."""
    if name.endswith(".csv"):
        rows = list(csv.DictReader(text.splitlines()))
        mine = [r for r in rows if r.get("id") == "sample-safe-haven"]
        for row in mine:
            assert not row.get("town") and not row.get("address"), row
        return [json.dumps(r) for r in mine]
    if name.startswith("match/data/"):
        return [json.dumps(x) for x in json.loads(text) if "sample-safe-haven" in json.dumps(x)]
    if "sample-safe-haven" in name or (
        name.startswith("pagefind/fragment/") and "Safe Haven" in text
    ):
        return [text]
    return []
