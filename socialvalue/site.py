"""Stages 5-8: ProperDocs builds the generated docs tree, open data, Pagefind index, swap in.

Nothing touches the output folder until the new site is complete: the build happens in a sibling
temporary folder, then two renames swap it in, so a failed build leaves the last good site.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

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
    """A build step outside the data failed (ProperDocs or Pagefind); the message says which."""


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


def _run_engine(config_path: Path, build_date: dt.datetime) -> None:
    """ProperDocs (the maintained continuation of MkDocs 1.6) in a child process.

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
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise BuildError(f"ProperDocs could not build the site:\n{result.stdout}{result.stderr}")


def _run_pagefind(site: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BuildError(f"Pagefind could not index the site:\n{result.stdout}{result.stderr}")
    try:
        stabilise(site / "pagefind")  # same input, same bytes: Pagefind's filter order is random
    except PagefindFormatError as exc:
        raise BuildError(
            f"Pagefind wrote an index this build cannot make repeatable: {exc}"
        ) from None


def _swap(new: Path, out: Path) -> None:
    """Two renames put the new site live; the previous one is deleted after, off the clock.

    Deleting 10,000 pages takes seconds, and the new site is already live by then, so a detached
    process removes `<out>.old`; a build that finds one left over removes it first.
    """
    old = out.with_name(out.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    new.rename(out)
    if old.exists():
        remove = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
        subprocess.Popen(
            [sys.executable, "-c", remove, str(old)],
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


def build_site(paths: SitePaths, today: dt.date | None = None) -> tuple[Checked, int]:
    """Validate, then build; returns the check result and the page count (0: nothing built)."""
    checked = check(paths.register, today)
    if checked.failed():
        return checked, 0
    paths.out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{paths.out.name}.build-", dir=paths.out.parent))
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
        _run_engine(config_path, _build_date(checked))
        write_feeds(
            checked.register, paths.root / "content", site, checked.register.settings.site_url
        )
        write_data_package(checked.raw, site / "data")
        _run_pagefind(site)
        _swap(site, paths.out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return checked, count
