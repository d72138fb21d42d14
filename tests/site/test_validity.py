"""The W3C Nu HTML Checker (vnu-jar from npm): no error in whole built sites, one JVM run."""

from __future__ import annotations

import json
import subprocess

import pytest
from site_support import ROOT, BuiltSite

pytestmark = pytest.mark.slow

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_sample_and_fixture_sites_have_no_html_errors(
    sample_site: BuiltSite, fixture_site: BuiltSite
) -> None:
    assert VNU.is_file(), f"{VNU} is missing: run `npm install` in {ROOT}"
    for site in (sample_site, fixture_site):  # the page types the ledger added are checked too
        assert site.file("ledger/").is_file()
        assert any((site.root / "contracts").glob("*/index.html"))
    result = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            "--skip-non-html",
            str(sample_site.root),
            str(fixture_site.root),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    roots = (str(sample_site.root), str(fixture_site.root))
    errors = []
    for m in messages:
        url = m.get("url", "")
        for root in roots:
            url = url.replace(f"file:{root}/", "")
        errors.append(f"{url}:{m.get('lastLine', '?')}: {m['message']}")
    assert errors == []
    assert result.returncode == 0
