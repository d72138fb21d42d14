"""Stages 5-8: mkdocs build of the generated docs tree, open data, Pagefind index, swap into place.

Nothing touches the output folder until the new site is complete: the build happens in a sibling
temporary folder, then two renames swap it in, so a failed build leaves the last good site.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import outdir
from .formpages import write_form_pages
from .pagefind_order import PagefindFormatError, stabilise
from .pages import SiteContext, write_pages
from .pipeline import Checked, check
from .publish import published_schemas, write_data_package
from .updates import write_feeds, write_updates


@dataclass(frozen=True)
class SitePaths:
    register: Path
    out: Path
    root: Path = Path(".")  # holds mkdocs.yml, content/ and templates/

    @property
    def mkdocs_yml(self) -> Path:
        return self.root / "mkdocs.yml"


class BuildError(Exception):
    """A build step outside the data failed (mkdocs or Pagefind); the message says which."""


def _mkdocs_config(paths: SitePaths, checked: Checked, docs: Path, site: Path) -> dict[str, Any]:
    config = yaml.safe_load(paths.mkdocs_yml.read_text(encoding="utf-8"))
    settings = checked.register.settings
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


def _build_date(checked: Checked) -> dt.datetime:
    """The site's one build date: the newest review in the register, so the bytes repeat."""
    dates = [o.reviewed for o in checked.register.organisations] or [dt.date(2024, 1, 1)]
    return dt.datetime.combine(max(dates), dt.time(), tzinfo=dt.UTC)


def _run_mkdocs(config_path: Path, build_date: dt.datetime) -> None:
    """mkdocs in a child process: its ~1 GB for 10,000 pages is freed before Pagefind starts."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(build_date.timestamp()))}
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "--quiet",
        "-f",
        str(config_path),
    ]
    result = outdir.run_child(command, env=env)
    if result.returncode != 0:
        raise BuildError(f"mkdocs could not build the site:\n{result.stdout}{result.stderr}")


def _run_pagefind(site: Path) -> None:
    result = outdir.run_child([sys.executable, "-m", "pagefind", "--site", str(site), "--silent"])
    if result.returncode != 0:
        raise BuildError(f"Pagefind could not index the site:\n{result.stdout}{result.stderr}")
    try:
        stabilise(site / "pagefind")  # same input, same bytes: Pagefind's filter order is random
    except PagefindFormatError as exc:
        raise BuildError(
            f"Pagefind wrote an index this build cannot make repeatable: {exc}"
        ) from None


def build_site(paths: SitePaths, today: dt.date | None = None) -> tuple[Checked, int]:
    """Validate, then build; returns the check result and the page count (0: nothing built)."""
    out = outdir.check_out(paths.out, paths.register, paths.root)  # refuses what it did not make
    checked = check(paths.register, today)
    if checked.failed():
        return checked, 0
    out.parent.mkdir(parents=True, exist_ok=True)
    outdir.remove_stale_work_dirs(out)
    work = outdir.make_work_dir(out)
    try:
        docs, site = work / "docs", work / "site"
        config = _mkdocs_config(paths, checked, docs, site)
        context = SiteContext(_edit_base(config), paths.root / "content", paths.root / "templates")
        count = write_pages(checked.register, docs, context, published_schemas(checked.raw))
        count += write_form_pages(
            checked.raw, docs, paths.root / "templates", checked.register.settings.intake_url
        )
        count += write_updates(checked.register, paths.root / "content", docs)
        config_path = work / "mkdocs.yml"
        config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
        _run_mkdocs(config_path, _build_date(checked))
        write_feeds(
            checked.register, paths.root / "content", site, checked.register.settings.site_url
        )
        write_data_package(checked.raw, site / "data")
        _run_pagefind(site)
        outdir.swap(site, out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return checked, count
