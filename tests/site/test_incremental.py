"""`serve`'s quick rebuild (socialvalue/incremental.py): the same bytes as a full build.

A site is built with a memo, as `serve` does; one organisation's description changes; `update`
writes only what changed into the live site. A full build of the changed register into another
folder must then match the updated site file for file, byte for byte. A change that moves pages
(a new organisation) is left to the full build: `update` says so and writes nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from fixtures import REPO, TODAY, make_minimal_register

from socialvalue.incremental import live_first, update
from socialvalue.register.check import Passed, check
from socialvalue.site import Memo, SitePaths, build_site, digest_tree


def _checked(register: Path) -> Passed:
    checked = check(register, TODAY, REPO / "content")
    assert isinstance(checked, Passed), checked.problems
    return checked


def _built(register: Path, out: Path) -> Memo:
    memo = Memo()
    build_site(SitePaths(register, out, REPO), _checked(register), memo=memo)
    return memo


def test_a_changed_description_gives_the_full_builds_bytes(tmp_path: Path) -> None:
    register = make_minimal_register(tmp_path / "register")
    live = tmp_path / "live"
    memo = _built(register, live)
    org = register / "organisations" / "sample-green-spaces.yaml"
    org.write_text(
        org.read_text(encoding="utf-8").replace("A fictional trust", "A changed & fictional trust"),
        encoding="utf-8",
    )
    assert update(SitePaths(register, live, REPO), _checked(register), memo)
    _built(register, tmp_path / "full")
    updated, full = digest_tree(live), digest_tree(tmp_path / "full")
    assert sorted(updated) == sorted(full)
    assert [name for name in full if updated[name] != full[name]] == []
    page = (live / "register" / "sample-green-spaces" / "index.html").read_text(encoding="utf-8")
    assert "A changed &amp; fictional trust" in page


def test_a_new_organisation_is_left_to_the_full_build(tmp_path: Path) -> None:
    register = make_minimal_register(tmp_path / "register")
    live = tmp_path / "live"
    memo = _built(register, live)
    before = digest_tree(live)
    source = register / "organisations" / "sample-green-spaces.yaml"
    text = source.read_text(encoding="utf-8").replace("sample-green-spaces", "sample-new-spaces")
    text = text.replace("Green Spaces Trust", "New Spaces Trust")
    (register / "organisations" / "sample-new-spaces.yaml").write_text(text, encoding="utf-8")
    assert not update(SitePaths(register, live, REPO), _checked(register), memo)
    assert digest_tree(live) == before
    shutil.rmtree(live)


def test_the_pages_showing_a_changed_entry_go_live_first_with_the_full_builds_bytes(
    tmp_path: Path,
) -> None:
    """`live_first` (before `update`) stamps the changed organisation's page and the lists that
    show it, now and before the change (an area it left), each with a full build's bytes."""
    register = make_minimal_register(tmp_path / "register")
    live = tmp_path / "live"
    memo = _built(register, live)
    before = digest_tree(live)
    org = register / "organisations" / "sample-green-spaces.yaml"
    text = org.read_text(encoding="utf-8")
    old_areas = next(line for line in text.splitlines() if line.startswith("areas:"))
    org.write_text(
        text.replace("A fictional trust", "A changed & fictional trust").replace(
            old_areas, "areas: [great-yarmouth]"
        ),
        encoding="utf-8",
    )

    shown = live_first(SitePaths(register, live, REPO), _checked(register), memo)

    _built(register, tmp_path / "full")
    now, full = digest_tree(live), digest_tree(tmp_path / "full")
    written = sorted(name for name in now if now[name] != before[name])
    assert shown == len(written)
    assert "register/sample-green-spaces/index.html" in written
    assert "areas/great-yarmouth/index.html" in written  # the list it joined
    left = [f"areas/{a.strip()}/index.html" for a in old_areas[7:].strip(" []").split(",")]
    assert all(name in written for name in left if name != "areas/great-yarmouth/index.html")
    assert [name for name in written if now[name] != full[name]] == []  # a full build's bytes
    assert "sitemap.xml" not in written and not any(n.startswith("pagefind/") for n in written)


def test_a_change_to_anything_but_organisations_is_not_put_live_first(tmp_path: Path) -> None:
    register = make_minimal_register(tmp_path / "register")
    live = tmp_path / "live"
    memo = _built(register, live)
    before = digest_tree(live)
    settings = register / "settings.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("threshold_gbp: 5000", "threshold_gbp: 6000"),
        encoding="utf-8",
    )

    assert live_first(SitePaths(register, live, REPO), _checked(register), memo) == 0
    assert digest_tree(live) == before
