"""Pagefind: its CLI re-reading the built HTML against its Python API fed by the build.

    python benchmarks/pagefind_api.py --site benchmarks/out/site-10000 --sizes 10000 30000

A corpus of N organisation pages is made from a built site's `register/<id>/index.html` (taken
in turn, so past the site's own count pages repeat under new URLs), then indexed four ways, each
in its own process with the whole process tree's RSS sampled (Pagefind's API drives the same
binary as a child process):

- `cli`: `python -m pagefind --site CORPUS` (what the build does now: reads every whole page);
- `api-html`: `PagefindIndex.add_html_file` with each whole page;
- `api-article`: `add_html_file` with only the `<article data-pagefind-body>` element;
- `api-record`: `add_custom_record` with the page's text, title and filters, as the build could
  pass them from the model without writing or parsing HTML (the extraction here is timed apart,
  as `prep`);
- `api-record-short`: the same with only the title and first paragraph as the searchable text.
The API modes remove the stock client's 0.1 s sleep before each answer (see
`_without_poll_delay`); `SV_PAGEFIND_STOCK=1` keeps it. Each prints wall seconds, peak tree MiB,
the index's size and its page and filter counts.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import html
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from peak_memory import trace  # noqa: E402

MODES = ("cli", "api-html", "api-article", "api-record", "api-record-short")
ARTICLE = re.compile(r"<article[^>]*data-pagefind-body[^>]*>.*?</article>", re.S)
FILTER = re.compile(r'data-pagefind-filter="([^":]+):([^"]*)"')
TITLE = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
TAG = re.compile(r"<[^>]+>")
LEAD = re.compile(r"</h1>.*?<p>(.*?)</p>", re.S)
BATCH = 200  # requests in flight to Pagefind's service at once


def make_corpus(site: Path, n: int, out: Path) -> Path:
    sources = sorted((site / "register").glob("*/index.html"))
    sources = [p for p in sources if p.parent.name.startswith("sample-organisation-")]
    shutil.rmtree(out, ignore_errors=True)
    for i in range(n):
        source = sources[i % len(sources)]
        target = out / "register" / f"{source.parent.name}-{i // len(sources)}" / "index.html"
        target.parent.mkdir(parents=True)
        shutil.copyfile(source, target)
    return out


def _pages(corpus: Path) -> list[tuple[str, str]]:
    return [
        (f"/{p.parent.relative_to(corpus).as_posix()}/", p.read_text(encoding="utf-8"))
        for p in sorted(corpus.glob("register/*/index.html"))
    ]


def _record(url: str, page: str, short: bool = False) -> dict:
    article = ARTICLE.search(page).group(0)
    filters: dict[str, list[str]] = {}
    for key, value in FILTER.findall(article):
        filters.setdefault(key, []).append(html.unescape(value))
    title = html.unescape(TAG.sub("", TITLE.search(article).group(1)))
    text = html.unescape(" ".join(TAG.sub(" ", article).split()))
    if short:  # the title and the first paragraph only: what most searches are for
        lead = LEAD.search(article)
        text = title + ". " + html.unescape(TAG.sub("", lead.group(1)) if lead else "")
    return {
        "url": url,
        "content": text,
        "language": "en-gb",
        "meta": {"title": title},
        "filters": filters,
    }


def _without_poll_delay() -> None:
    """pagefind 1.5.2's client sleeps 0.1 s before reading each answer from its service, so it
    takes at most 10 pages a second; this removes that sleep (in this process only)."""
    import types

    import pagefind.service as service

    real_sleep = asyncio.sleep

    async def no_wait(delay: float, result: object = None) -> object:
        return await real_sleep(0, result)

    service.asyncio = types.SimpleNamespace(**{**vars(asyncio), "sleep": no_wait})


async def _index_api(mode: str, corpus: Path, output: Path) -> dict:
    from pagefind.index import IndexConfig, PagefindIndex

    if os.environ.get("SV_PAGEFIND_STOCK") != "1":
        _without_poll_delay()
    started = time.perf_counter()
    pages = _pages(corpus)
    if mode == "api-article":
        pages = [
            (u, f'<html lang="en"><body>{ARTICLE.search(p).group(0)}</body></html>')
            for u, p in pages
        ]
    short = mode == "api-record-short"
    records = [_record(u, p, short) for u, p in pages] if mode.startswith("api-record") else []
    prep = time.perf_counter() - started
    async with PagefindIndex(IndexConfig(output_path=str(output))) as index:
        for start in range(0, len(pages), BATCH):
            if records:
                calls = [index.add_custom_record(**r) for r in records[start : start + BATCH]]
            else:
                calls = [
                    index.add_html_file(content=p, url=u) for u, p in pages[start : start + BATCH]
                ]
            await asyncio.gather(*calls)
        await index.write_files(output_path=str(output))
    return {"prep_s": round(prep, 2)}


def _index_figures(output: Path) -> dict:
    entry = json.loads((output / "pagefind-entry.json").read_text(encoding="utf-8"))
    pages = sum(lang["page_count"] for lang in entry["languages"].values())
    size = sum(p.stat().st_size for p in output.rglob("*") if p.is_file())
    filters = 0
    for path in output.glob("filter/*.pf_filter"):
        filters += len(gzip.decompress(path.read_bytes()))
    return {"pages": pages, "index_mb": round(size / 1e6, 1), "filter_bytes": filters}


def run(mode: str, corpus: Path, output: Path) -> dict:
    shutil.rmtree(output, ignore_errors=True)
    if mode == "cli":
        command = [sys.executable, "-m", "pagefind", "--site", str(corpus), "--silent"]
        command += ["--output-path", str(output)]
    else:
        command = [sys.executable, __file__, "--worker", mode, str(corpus), str(output)]
    code, wall, samples = trace(command)
    if code != 0:
        raise SystemExit(f"{mode} failed (exit {code})")
    figures = {"mode": mode, "wall_s": round(wall, 2)}
    figures["peak_mib"] = round(max((r for _, r in samples), default=0) / 2**20)
    worker = output.with_suffix(".json")
    if worker.exists():
        figures.update(json.loads(worker.read_text(encoding="utf-8")))
    return figures | _index_figures(output)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--worker"]:
        mode, corpus, output = argv[1], Path(argv[2]), Path(argv[3])
        result = asyncio.run(_index_api(mode, corpus, output))
        output.with_suffix(".json").write_text(json.dumps(result), encoding="utf-8")
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=HERE / "out" / "site-10000")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000])
    parser.add_argument("--modes", nargs="+", default=list(MODES), choices=MODES)
    args = parser.parse_args(argv)
    out = HERE / "out" / "pagefind"
    for n in args.sizes:
        corpus = make_corpus(args.site, n, out / f"corpus-{n}")
        for mode in args.modes:
            print(json.dumps({"n": n} | run(mode, corpus, out / f"index-{n}-{mode}")), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
