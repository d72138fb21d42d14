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
from dataclasses import fields
from pathlib import Path

from . import outdir, shellpages
from .areaindex import AREA_INDEX, write_area_index
from .lookups import RegisterView
from .opendata import published_schemas, write_data_package
from .pages import pages_showing, renderer
from .register.check import Passed
from .register.model import Register
from .site import (
    Memo,
    SitePaths,
    _build_date,
    _run_pagefind,
    digest_tree,
    site_context,
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


def _swap_area_index(checked: Passed, work: Path, out: Path) -> None:
    """A new area index in place of the live one (a word or an organisation may have gone)."""
    write_area_index(checked.register, work / "areas")
    live = out / AREA_INDEX
    if live.is_dir():
        live.rename(work / "areas-old")
    (work / "areas").rename(live)


def _swap_search_index(work: Path, out: Path) -> None:
    new = work / "pagefind"
    _run_pagefind(out, new)
    old = work / "pagefind-old"
    (out / "pagefind").rename(old)
    new.rename(out / "pagefind")


LIVE_FIRST_MAX = 20  # changed organisations; more (a `git pull`) wait for the whole update


def _only_organisations_changed(old: Register, new: Register) -> set[str] | None:
    """The ids of the organisations that changed, if nothing else did and none came or went."""
    for spec in fields(Register):
        if spec.name != "organisations" and getattr(old, spec.name) != getattr(new, spec.name):
            return None
    before = {org.id: org for org in old.organisations}
    after = {org.id: org for org in new.organisations}
    if before.keys() != after.keys() or [o.id for o in old.organisations] != list(after):
        return None  # one came, went or moved in the A to Z: the lists shift, so do it all
    return {key for key, org in after.items() if before[key] != org}


def live_first(paths: SitePaths, checked: Passed, memo: Memo) -> int:
    """Before the quick rebuild: the pages that show a changed organisation (its own page and
    the lists it is in, now or before the change), rendered and stamped straight into the live
    site. Returns how many; 0 when this does not apply, and `update` then does everything.

    The pages are the bytes a full build gives for them; `update`, which follows, brings the
    rest of the site (counts, the matcher, feeds, search) up to date."""
    out = paths.out.resolve()
    old = memo.register
    if old is None or memo.plan is None or not outdir.is_marked_site(out):
        return 0
    changed = _only_organisations_changed(old, checked.register)
    if not changed or len(changed) > LIVE_FIRST_MAX:
        return 0
    before = {rel for rel, _, _ in pages_showing(RegisterView(old), changed, set())}
    work = outdir.make_work_dir(out)
    try:
        _, context = site_context(paths, checked.register, work)
        pages = renderer(checked.register, context, published_schemas(checked), checked.today)
        specs = pages_showing(pages.view, changed, before)
        of_type = {rel: group for group in memo.plan.types for rel in group.pages}
        if any(rel not in of_type for rel, _, _ in specs):
            return 0  # a page the engine renders itself: left to `update`
        pages.write(work / "docs", specs)
        for rel, _, _ in specs:
            html = shellpages.page_html(work / "docs", of_type[rel], rel)
            _replace(shellpages.html_path(out, rel), html.encode("utf-8"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return len(specs)


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
        memo.register = checked.register
        _write_extras(checked, work, out)
        _swap_area_index(checked, work, out)
        _swap_search_index(work, out)
    except BaseException:
        memo.plan = None  # the live site may be part-way: the next change gets a full build
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return True
