"""The site build, from a register that passed the check to a live site/, one stage a line.

`build_site` reads top to bottom: pages, matcher data, forms, updates, engine, feeds, open data,
search index, swap. Nothing touches the output folder until the new site is complete: the build
happens in a sibling temporary folder, then two renames swap it in, so a failed build leaves the
last good site.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import outdir, shellpages
from .areaindex import AREA_INDEX, write_area_index
from .formpages import write_form_pages
from .halves import SPLIT_FROM
from .matchpages import write_match_data
from .opendata import published_schemas, write_data_package
from .pagefind_order import PagefindFormatError, stabilise
from .pages import SiteContext, copy_assets, write_pages
from .register.check import Passed
from .register.cores import both, may_fork
from .register.files import shown_path
from .register.model import Register
from .register.problems import format_text
from .register.yamlfile import read_yaml
from .searchtree import write_search_tree
from .updates import write_feeds, write_updates
from .watch import snapshot


@dataclass(frozen=True)
class SitePaths:
    register: Path
    out: Path
    root: Path = Path(".")  # holds mkdocs.yml, content/ and templates/

    @property
    def mkdocs_yml(self) -> Path:
        return self.root / "mkdocs.yml"


class BuildError(Exception):
    """A build step outside the data failed (ProperDocs or Pagefind); the message says which."""


def _mkdocs_config(paths: SitePaths, register: Register, docs: Path, site: Path) -> dict[str, Any]:
    doc, problems = read_yaml(paths.mkdocs_yml, shown_path(paths.mkdocs_yml))
    if doc is None or not isinstance(doc.value, dict):
        raise BuildError(
            "\n".join(format_text(p) for p in problems) or "mkdocs.yml is not a mapping"
        )
    config: dict[str, Any] = doc.value
    settings = register.settings
    config.update(
        site_name=settings.site_name,
        site_url=settings.site_url,
        docs_dir=str(docs.resolve()),
        site_dir=str(site.resolve()),
    )
    config["theme"]["custom_dir"] = str((paths.root / config["theme"]["custom_dir"]).resolve())
    config.setdefault("extra", {}).update(
        sample_data=settings.sample_data,
        body_name=settings.body_name,
        contact_email=settings.contact_email,
        intake_url=settings.intake_url,
    )
    return config


def _edit_base(config: dict[str, Any]) -> str:
    repo, edit = config.get("repo_url", "").rstrip("/"), config.get("edit_uri", "").strip("/")
    return f"{repo}/{edit}/" if repo and edit else ""


def _build_date(register: Register) -> dt.datetime:
    """The site's one build date: the register's own date, so the bytes repeat on any day."""
    return dt.datetime.combine(register.as_of, dt.time(), tzinfo=dt.UTC)


def _run_engine(
    config_path: Path, build_date: dt.datetime, meanwhile: Callable[[], object] | None = None
) -> None:
    """ProperDocs (the maintained continuation of MkDocs 1.6) in a child process, with
    `meanwhile` run here as it works (it uses one core of two).

    It reads `mkdocs.yml` and runs mkdocs-material unchanged. In its own process, its ~1 GB for
    10,000 pages is freed before Pagefind starts.
    """
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(build_date.timestamp()))}
    command = [
        sys.executable,
        "-m",
        "properdocs",
        "build",
        "--strict",
        "--quiet",
        "-f",
        str(config_path),
    ]
    result = outdir.run_child(command, env=env, meanwhile=meanwhile)
    if result.returncode != 0:
        raise BuildError(f"ProperDocs could not build the site:\n{result.stdout}{result.stderr}")


def _pagefind() -> list[str]:
    """The command that runs Pagefind: the binary that `python -m pagefind` would run, found the
    way it finds it (`PAGEFIND_BINARY_PATH`, then the `pagefind[bin]` wheel), without starting
    Python for it (a fifth of a second); that module if the wheel is not there."""
    if path := os.environ.get("PAGEFIND_BINARY_PATH"):
        return [str(Path(path).resolve())]
    try:
        from pagefind_bin import get_executable

        return [str(get_executable().resolve())]
    except (ImportError, FileNotFoundError):
        return [sys.executable, "-m", "pagefind"]


def _run_pagefind(
    site: Path, output: Path | None = None, meanwhile: Callable[[], object] | None = None
) -> None:
    """Pagefind's index of `site`, in `site/pagefind` or in `output`; `meanwhile` runs here as
    Pagefind works (it keeps about one and a half cores of two busy)."""
    command = [*_pagefind(), "--site", str(site), "--silent"]
    if output is not None:
        command += ["--output-path", str(output)]
    result = outdir.run_child(command, meanwhile=meanwhile)
    if result.returncode != 0:
        raise BuildError(f"Pagefind could not index the site:\n{result.stdout}{result.stderr}")
    try:  # same input, same bytes: Pagefind's filter order is random
        stabilise(output or site / "pagefind")
    except PagefindFormatError as exc:
        raise BuildError(
            f"Pagefind wrote an index this build cannot make repeatable: {exc}"
        ) from None


@dataclass
class Memo:
    """What a build keeps for `serve`'s quicker rebuilds (socialvalue/incremental.py)."""

    plan: shellpages.Plan | None = None
    digests: dict[str, str] = field(default_factory=dict)  # docs tree file -> SHA-256
    config: dict[str, Any] = field(default_factory=dict)  # without the build's own folders
    build_date: dt.datetime | None = None
    register: Register | None = None  # the register the live site shows

    @staticmethod
    def engine_inputs(config: dict[str, Any]) -> dict[str, Any]:
        """What the engine reads besides the docs tree: its settings and the theme's files."""
        theme = snapshot([Path(config["theme"]["custom_dir"])])
        fixed = {k: v for k, v in config.items() if k not in ("docs_dir", "site_dir")}
        return {"config": fixed, "theme": theme}


def digest_tree(root: Path) -> dict[str, str]:
    """{file relative to root: SHA-256 of its bytes} for every file under root."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


def site_context(
    paths: SitePaths, register: Register, work: Path
) -> tuple[dict[str, Any], SiteContext]:
    """The engine's configuration for a build in `work`, and what the pages need from it."""
    config = _mkdocs_config(paths, register, work / "docs", work / "site")
    context = SiteContext(
        _edit_base(config), paths.root / "content", paths.root / "templates", register.boundaries
    )
    return config, context


def write_docs(paths: SitePaths, checked: Passed, work: Path) -> tuple[dict[str, Any], int]:
    """The docs tree in `work/docs` (every page as Markdown, for any engine) and the engine's
    configuration; returns the configuration and the page count."""
    register = checked.register
    docs = work / "docs"
    config, context = site_context(paths, register, work)
    count = write_pages(register, docs, context, published_schemas(checked), checked.today)

    def forms_and_updates() -> int:
        forms = write_form_pages(register, paths.register, docs, context.templates_dir)
        return forms + write_updates(register, docs)

    # The matcher's data (a second or so at 10,000) in a child on a large register.
    large = len(register.organisations) >= SPLIT_FROM and may_fork()
    more, _ = both(forms_and_updates, lambda: write_match_data(register, docs), split=large)
    copy_assets(context.templates_dir, docs)
    return config, count + more


def build_site(
    paths: SitePaths, checked: Passed, shell_pages: bool = True, memo: Memo | None = None
) -> int:
    """Build the site from a register that passed the check; returns the page count.

    `shell_pages=False` has the engine render every page (socialvalue/shellpages.py: the same
    bytes, slower); the tests compare the two. `memo` keeps what `serve` needs to update the site
    when only some pages change.
    """
    register = checked.register
    out = outdir.check_out(paths.out, paths.register, paths.root)  # refuses what it did not make
    out.parent.mkdir(parents=True, exist_ok=True)
    outdir.remove_stale_work_dirs(out)
    work, built_site = outdir.make_work_dir(out), False
    try:
        site = work / "site"
        config, count = write_docs(paths, checked, work)
        areas, extras = work / "areas", work / "extras"

        def beside_engine() -> None:  # into folders of their own: the engine empties the site's
            write_area_index(register, areas)
            write_feeds(register, extras)
            write_data_package(checked, extras / "data")

        built = _engine(config, work, _build_date(register), shell_pages, beside_engine)
        stamped = [shellpages.html_path(site, rel) for rel in built.stamped] if built else []
        areas.rename(site / AREA_INDEX)
        _move_into(extras, site)
        searched = write_search_tree(site, work / "search-tree", stamped)

        def meanwhile() -> None:  # nothing here writes a page Pagefind reads
            _write_stamped(work, built)
            if memo is not None:
                memo.digests = digest_tree(work / "docs")
            for done in ("docs", "engine-docs"):  # seconds of deleting, off the end of the build
                shutil.rmtree(work / done, ignore_errors=True)

        if searched == site:  # no page is cut for Pagefind: it reads the site itself
            meanwhile()
            _run_pagefind(searched, site / "pagefind")
        else:
            _run_pagefind(searched, site / "pagefind", meanwhile)
        if memo is not None:
            memo.plan = built
            memo.config, memo.build_date = Memo.engine_inputs(config), _build_date(register)
            memo.register = register
        outdir.swap(site, out)
        built_site = True
    finally:
        if built_site:
            outdir.remove_work_dir_later(work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return count


def _move_into(source: Path, target: Path) -> None:
    """Everything in `source` moved into `target`, replacing files of the same name."""
    for entry in sorted(source.iterdir()):
        there = target / entry.name
        if entry.is_dir() and there.is_dir():
            _move_into(entry, there)
        else:
            os.replace(entry, there)


def _engine(
    config: dict[str, Any],
    work: Path,
    build_date: dt.datetime,
    shells: bool,
    meanwhile: Callable[[], object] | None = None,
) -> shellpages.Plan | None:
    """The engine on the docs tree, or on its shell pages and then stamping (the same bytes);
    `meanwhile` runs while the engine does, once. After the shells, only the pages' copies for
    Pagefind are written here: `_write_stamped` writes the pages while Pagefind runs."""
    docs, site = work / "docs", work / "site"
    built = shellpages.plan(docs, config.get("nav")) if shells else None
    if built is None or not built.types:
        _run_engine(_write_config(config, work), build_date, meanwhile)
        return None
    shellpages.engine_tree(docs, work / "engine-docs", built)
    engine_config = {**config, "docs_dir": str(work / "engine-docs")}
    _run_engine(_write_config(engine_config, work), build_date, meanwhile)
    try:  # the pages cut for Pagefind now; the pages themselves as it runs (`_write_stamped`)
        shellpages.read_shells(site, built)
        shellpages.write_cut(docs, built, work / "search-tree")
        shellpages.write_sitemap(site, built, config["site_url"])
    except (ValueError, KeyError):
        # A value the shells cannot place (an unusual site address, say): the engine renders
        # every page instead, which gives the same bytes, only slower.
        shutil.rmtree(site, ignore_errors=True)
        shutil.rmtree(work / "search-tree", ignore_errors=True)
        _run_engine(_write_config(config, work), build_date)
        return None
    except OSError as exc:
        raise _unwritten(exc) from None
    return built


def _unwritten(exc: OSError) -> BuildError:
    return BuildError(f"The pages could not be written from their shells: {exc!r}")


def _write_stamped(work: Path, built: shellpages.Plan | None) -> None:
    """The stamped pages into the site (their shells were read and their cut copies written)."""
    if built is None:
        return
    try:
        shellpages.write_stamped(work / "docs", work / "site", built)
    except OSError as exc:
        raise _unwritten(exc) from None


def _write_config(config: dict[str, Any], work: Path) -> Path:
    path = work / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path
