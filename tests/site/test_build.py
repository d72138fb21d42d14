"""The build as a whole: same input, same bytes; a failed build keeps the last good site."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fixtures import run_build
from site_support import BuiltSite, tree_digest

pytestmark = pytest.mark.slow


def test_two_builds_of_the_same_register_are_byte_identical(
    fixture_site: BuiltSite, tmp_path: Path
) -> None:
    again = tmp_path / "site"
    result = run_build(fixture_site.register, again)
    assert result.returncode == 0, result.stderr
    first, second = tree_digest(fixture_site.root), tree_digest(again)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    assert any(name.startswith("pagefind/filter/") for name in first)  # the index is compared too


def test_failed_build_keeps_the_last_good_site(fixture_register: Path, tmp_path: Path) -> None:
    register = shutil.copytree(fixture_register, tmp_path / "register")
    out = tmp_path / "public" / "site"
    assert run_build(register, out).returncode == 0
    before = tree_digest(out)

    org = register / "organisations" / "sample-youth-club.yaml"
    org.write_text(
        org.read_text(encoding="utf-8").replace("areas: [norwich]", "areas: [norwch]"),
        encoding="utf-8",
    )
    line = org.read_text(encoding="utf-8").splitlines().index("areas: [norwch]") + 1
    result = run_build(register, out)

    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert f"organisations/sample-youth-club.yaml:{line}: areas" in output
    assert "Traceback" not in output
    assert tree_digest(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["site"]  # no temporary folders left


def test_build_into_a_new_folder_leaves_no_temporary_folders(fixture_site: BuiltSite) -> None:
    assert sorted(p.name for p in fixture_site.root.parent.iterdir()) == ["site"]


def test_the_site_is_built_by_properdocs_with_mkdocs_material(fixture_site: BuiltSite) -> None:
    html = (fixture_site.root / "index.html").read_text(encoding="utf-8")
    assert (
        '<meta name="generator" content="mkdocs-ProperDocs 1.6.7, mkdocs-material-9.8.1">' in html
    )
