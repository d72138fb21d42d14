"""The yardstick: a plain mkdocs-material site of N one-screen Markdown pages, indexed by Pagefind.

    python benchmarks/baseline.py --pages 10000 --out benchmarks/out/baseline-10000

Writes N pages (a heading, a paragraph, a short list and a link: about one screen each) and a
`mkdocs.yml` with mkdocs-material's defaults, Material's own search off (Pagefind instead) and a
one-page `nav` (a nav of every page would make each page list all N), then builds it with the
same engine as the register (ProperDocs) and indexes it with the Pagefind CLI. It shows what the
engine and Pagefind cost on their own for that many pages, with none of the register's work.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from peak_memory import trace  # noqa: E402

CONFIG = """site_name: Baseline
site_url: https://example.org/
theme:
  name: material
  font: false
plugins: []
nav:
  - Home: index.md
validation:
  nav:
    omitted_files: ignore
"""
WORDS = (
    "community garden sessions young people volunteers advice transport sport arts "
    "training work placement mentoring safety repair kitchen walks recovery carers"
).split()


def _page(number: int, rng: random.Random) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(60))
    items = "\n".join(f"- {rng.choice(WORDS).capitalize()} {rng.choice(WORDS)}" for _ in range(5))
    return (
        f"# Sample page {number:06d}\n\n{words.capitalize()}.\n\n{items}\n\n"
        f"[Back to the home page](../index.md)\n"
    )


def make_baseline(pages: int, out: Path, seed: int = 42) -> Path:
    """Write the baseline's docs tree and mkdocs.yml into `out` (replaced) and return `out`."""
    shutil.rmtree(out, ignore_errors=True)
    docs = out / "docs" / "pages"
    docs.mkdir(parents=True)
    (out / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    (out / "docs" / "index.md").write_text("# Baseline\n\nOne-screen pages.\n", encoding="utf-8")
    rng = random.Random(seed)
    for number in range(1, pages + 1):
        (docs / f"page-{number:06d}.md").write_text(_page(number, rng), encoding="utf-8")
    return out


def run_baseline(out: Path, engine: str = "properdocs") -> dict[str, tuple[float, int]]:
    """Build and index `out`: {phase: (wall seconds, peak tree RSS in bytes)}."""
    site = out / "site"
    shutil.rmtree(site, ignore_errors=True)
    steps = {
        "engine": [sys.executable, "-m", engine, "build", "--quiet", "-f", str(out / "mkdocs.yml")],
        "search index": [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"],
    }
    figures = {}
    for phase, command in steps.items():
        code, wall, samples = trace(command)
        if code != 0:
            raise SystemExit(f"baseline {phase} failed: {' '.join(command)}")
        figures[phase] = (wall, max((rss for _, rss in samples), default=0))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "baseline-10000")
    parser.add_argument("--engine", default="properdocs", help="properdocs (default) or mkdocs")
    args = parser.parse_args(argv)
    make_baseline(args.pages, args.out)
    for phase, (wall, peak) in run_baseline(args.out, args.engine).items():
        print(f"{phase}: {wall:.1f} s, peak tree RSS {peak / 2**20:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
