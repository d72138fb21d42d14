"""The engine on every generated page, against the engine on one shell page per page type.

    python benchmarks/engine_shell.py --register benchmarks/out/register-10000

1. The build's own docs tree and engine configuration are captured: `build_site` runs as usual
   up to the engine, whose call is replaced by a copy of its work folder.
2. `full`: ProperDocs builds that docs tree, as the build does now.
3. `shell`: generated pages (bodies passed through Markdown as one `<!--sv-html` comment) are
   grouped by type: their place in the tree with the page's own folder names taken out, and their
   front matter other than title and description. ProperDocs builds a docs tree holding the
   content pages and ONE page of each type; then Python stamps every other page of that type from
   its type's rendered page, replacing the title, meta description, canonical URL and article
   body. Both steps are timed and their process trees sampled for memory.
4. Every stamped page is compared with the page the full build made: identical bytes or not.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from peak_memory import trace  # noqa: E402

MARK = "<!--sv-html"


class _Captured(Exception):
    pass


def capture(register: Path, keep: Path) -> None:
    """Keep the docs tree and config the build would hand the engine; build nothing."""
    sys.path.insert(0, str(REPO))
    from socialvalue import site

    def grab(config_path: Path, build_date) -> None:  # noqa: ANN001 - the build's own signature
        shutil.rmtree(keep, ignore_errors=True)
        shutil.copytree(config_path.parent, keep)
        (keep / "epoch").write_text(str(int(build_date.timestamp())), encoding="utf-8")
        raise _Captured

    site._run_engine = grab
    try:
        site.build_site(site.SitePaths(register, keep.with_name(keep.name + "-unused"), REPO))
    except _Captured:
        return
    raise SystemExit("the build did not reach the engine: run `python build.py check` on it")


def _split(text: str) -> tuple[dict, str]:
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def _group(rel: Path, front: dict) -> str:
    rest = {k: v for k, v in front.items() if k not in ("title", "description")}
    return json.dumps([list(rel.parts[:1]), len(rel.parts), rest], sort_keys=True)


def plan(docs: Path) -> dict[str, list[Path]]:
    """{page type: [generated .md files]}, sorted; the first of each is the shell."""
    groups: dict[str, list[Path]] = {}
    for md in sorted(docs.rglob("*.md")):
        text = md.read_text(encoding="utf-8")
        if MARK not in text.split("---\n", 2)[-1][:20]:
            continue
        rel = md.relative_to(docs)
        groups.setdefault(_group(rel, _split(text)[0]), []).append(rel)
    return groups


def engine(keep: Path, docs: Path, site: Path) -> tuple[float, int]:
    config = yaml.safe_load((keep / "mkdocs.yml").read_text(encoding="utf-8"))
    config.update(docs_dir=str(docs), site_dir=str(site))
    path = keep / f"mkdocs-{site.name}.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    shutil.rmtree(site, ignore_errors=True)
    env = {**os.environ, "SOURCE_DATE_EPOCH": (keep / "epoch").read_text(encoding="utf-8")}
    command = [sys.executable, "-m", "properdocs", "build", "--strict", "--quiet", "-f", str(path)]
    code, wall, samples = trace(command, env=env)
    if code != 0:
        raise SystemExit(f"ProperDocs failed on {docs}")
    return wall, max((r for _, r in samples), default=0)


def _html_path(site: Path, rel: Path) -> Path:
    return (
        site / rel.parent / "index.html"
        if rel.name == "index.md"
        else site / rel.with_suffix("") / "index.html"
    )


def _url(rel: Path) -> str:
    return "" if rel.parent == Path(".") else rel.parent.as_posix() + "/"


def _fields(shell: str, was: dict, now: dict, site_url: str, old: Path, new: Path) -> str:
    """The page-specific values outside the article: title, description, canonical URL."""
    shell = shell.replace(was["title"], now["title"])
    if "description" in was:
        shell = shell.replace(f'content="{was["description"]}"', f'content="{now["description"]}"')
    return shell.replace(site_url + _url(old), site_url + _url(new))


def stamp(keep: Path, site: Path, site_url: str) -> dict[str, int]:
    """Write every non-shell generated page from its type's shell; count pages stamped."""
    docs, count = keep / "docs", 0
    for pages in plan(docs).values():
        shell_front, shell_body = _split((docs / pages[0]).read_text(encoding="utf-8"))
        shell = _html_path(site, pages[0]).read_text(encoding="utf-8")
        inner = shell_body.replace(MARK, "").replace("sv-html-->", "")
        head, tail = shell.split(inner, 1) if inner in shell else (None, None)
        if head is None:
            raise SystemExit(f"the shell body of {pages[0]} is not in its HTML")
        for rel in pages[1:]:
            front, body = _split((docs / rel).read_text(encoding="utf-8"))
            page = (
                _fields(head, shell_front, front, site_url, pages[0], rel)
                + body.replace(MARK, "").replace("sv-html-->", "")
                + _fields(tail, shell_front, front, site_url, pages[0], rel)
            )
            out = _html_path(site, rel)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(page, encoding="utf-8")
            count += 1
    return {"stamped": count}


def compare(keep: Path, full: Path, shell: Path) -> dict[str, object]:
    same, differ = 0, []
    for pages in plan(keep / "docs").values():
        for rel in pages[1:]:
            a, b = _html_path(full, rel), _html_path(shell, rel)
            if a.read_bytes() == b.read_bytes():
                same += 1
            else:
                differ.append(str(rel))
    return {"identical": same, "different": len(differ), "first_different": differ[:5]}


def shell_docs(keep: Path) -> Path:
    docs = keep / "docs-shell"
    shutil.rmtree(docs, ignore_errors=True)
    shutil.copytree(keep / "docs", docs)
    for pages in plan(keep / "docs").values():
        for rel in pages[1:]:
            (docs / rel).unlink()
    return docs


def main(argv: list[str]) -> int:
    if argv[:1] == ["--stamp"]:
        keep = Path(argv[1])
        site_url = yaml.safe_load((keep / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
        print(json.dumps(stamp(keep, keep / "site-shell", site_url)))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--register", type=Path, required=True)
    parser.add_argument("--keep", type=Path, default=HERE / "out" / "engine-shell")
    args = parser.parse_args(argv)
    keep = args.keep.resolve()
    capture(args.register.resolve(), keep)
    groups = plan(keep / "docs")
    generated = sum(len(p) for p in groups.values())
    total = sum(1 for _ in (keep / "docs").rglob("*.md"))
    print(f"{total} pages, {generated} generated in {len(groups)} types", flush=True)
    wall, peak = engine(keep, keep / "docs", keep / "site-full")
    print(f"full: engine {wall:.1f} s, peak {peak / 2**20:.0f} MiB", flush=True)
    wall, peak = engine(keep, shell_docs(keep), keep / "site-shell")
    print(f"shell: engine {wall:.1f} s, peak {peak / 2**20:.0f} MiB", flush=True)
    started = time.perf_counter()
    code, wall, samples = trace([sys.executable, __file__, "--stamp", str(keep)])
    peak = max((r for _, r in samples), default=0)
    print(f"shell: stamping {wall:.1f} s, peak {peak / 2**20:.0f} MiB (exit {code})", flush=True)
    print(json.dumps(compare(keep, keep / "site-full", keep / "site-shell")), flush=True)
    print(f"(compare {time.perf_counter() - started - wall:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
