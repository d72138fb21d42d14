"""`serve`'s quick rebuild: after a register change, write only the files that changed.

`update` writes the docs tree again (the cheap part of a build) and compares it, file by file,
with the one the last build kept in its `Memo` (SHA-256 of each file). When every changed page is
one the last build stamped from a shell (socialvalue/shellpages.py), and nothing the engine reads
on its own has changed (its configuration, the build date, the set of files), the changed pages
are stamped from the kept shells straight into the live site, each file replaced in one rename,
then the feeds and open data, then a new search index swapped in. The result is the same bytes
as a full build (tests/site/test_incremental.py); otherwise `update` touches nothing and returns
False, and the caller runs the full build.
"""

from __future__ import annotations

import filecmp
import os
import shutil
from pathlib import Path

from . import outdir, shellpages
from .opendata import write_data_package
from .register.check import Passed
from .site import (
    Memo,
    SitePaths,
    _build_date,
    _run_pagefind,
    digest_tree,
    write_docs,
)
from .updates import write_feeds


def _replace(target: Path, data: bytes) -> None:
    """Write `target` in one rename, so the server never sends half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.new")
    temporary.write_bytes(data)
    os.replace(temporary, target)


def _pages(digests: dict[str, str]) -> set[str]:
    return {rel for rel in digests if rel.endswith(".md")}


def _changed(memo: Memo, digests: dict[str, str]) -> tuple[list[str], list[str]] | None:
    """The docs tree's new or changed files and its removed ones, or None if the engine is needed:
    a page came or went (the sitemap and the engine's lists change) or one it renders changed."""
    if memo.plan is None or _pages(digests) != _pages(memo.digests):
        return None
    changed = sorted(rel for rel, digest in digests.items() if memo.digests.get(rel) != digest)
    if any(rel.endswith(".md") and rel not in memo.plan.stamped for rel in changed):
        return None
    return changed, sorted(set(memo.digests) - set(digests))


def _write_extras(checked: Passed, work: Path, out: Path) -> None:
    """The feeds and open data, written aside, then the files that differ put live."""
    extras = work / "extras"
    write_feeds(checked.register, extras)
    write_data_package(checked, extras / "data")
    for path in sorted(p for p in extras.rglob("*") if p.is_file()):
        live = out / path.relative_to(extras)
        if not live.is_file() or not filecmp.cmp(path, live, shallow=False):
            _replace(live, path.read_bytes())


def _swap_search_index(work: Path, out: Path) -> None:
    new = work / "pagefind"
    _run_pagefind(out, new)
    old = work / "pagefind-old"
    (out / "pagefind").rename(old)
    new.rename(out / "pagefind")


def update(paths: SitePaths, checked: Passed, memo: Memo) -> bool:
    """Bring the live site up to date with only the pages that changed; False (nothing written)
    when a full build is needed instead."""
    out = paths.out.resolve()
    if not outdir.is_marked_site(out) or memo.build_date != _build_date(checked.register):
        return False
    work = outdir.make_work_dir(out)
    try:
        config, _ = write_docs(paths, checked, work)
        docs, digests = work / "docs", digest_tree(work / "docs")
        found = _changed(memo, digests)
        if found is None or Memo.engine_inputs(config) != memo.config or memo.plan is None:
            return False
        changed, removed = found
        of_type = {rel: group for group in memo.plan.types for rel in group.pages}
        for rel in removed:  # files the engine copied as they were (matcher data)
            (out / rel).unlink(missing_ok=True)
        for rel in changed:
            if rel in of_type:
                html = shellpages.page_html(docs, of_type[rel], rel)
                _replace(shellpages.html_path(out, rel), html.encode("utf-8"))
            else:  # a file the engine copies as it is (matcher data, assets)
                _replace(out / rel, (docs / rel).read_bytes())
        memo.digests = digests
        _write_extras(checked, work, out)
        _swap_search_index(work, out)
    except BaseException:
        memo.plan = None  # the live site may be part-way: the next change gets a full build
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return True
