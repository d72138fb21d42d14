"""The area index: organisations by area and by word, for the filtered search on a large site.

On a site of tens of thousands of pages one Pagefind search with an area ticked costs seconds of
WebAssembly and over a megabyte of index (benchmarks/README.md, "Search at 100,000"): Pagefind
loads the whole area filter and counts every filter for every result. search.js uses this index
instead there, for a search with an area ticked, and fetches only what that search needs:

    search/areas/index.json        {"areas": [area name, ...], "filters": {name: [value, ...]},
                                    "chunk": DOCS_PER_FILE}
    search/areas/<a>/w-<key>.json  {stem: [gap, ...]} for the stems of area a's organisations
                                   that begin with `key`: each gap is a code less the code before
                                   it (0 for the first), a code (number << 1) | in_name, numbers
                                   in register order, in_name 1 if the stem is in the name
    search/areas/<a>/f-<f>-<v>.json  [gap, ...]: area a's organisations with value v of filter f
    search/areas/docs/d-<n>.json   [[page, name, text], ...] for organisations n * DOCS_PER_FILE on

`a` and `v` are positions in index.json's lists, so no register text becomes a file name. An
organisation is in an area's files when `RegisterView.filter_areas` puts it there (the rule the
Pagefind filter, the opportunity pages and the matcher share), and its words are those Pagefind
indexes on its page: the name and the description. Words are cut with `words` below, which
search.js repeats exactly (`svAreaWords`); tests/site/test_area_index.py holds the two together.
"""

from __future__ import annotations

import json
import operator
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

from .lookups import RegisterView
from .register.model import Organisation, Register

AREA_INDEX = "search/areas"
DOCS_PER_FILE = 64  # a first page of 10 results fetches at most 10 small files
TEXT_LIMIT = 600  # characters of a description kept for the excerpt
TYPE_ORGANISATION = "Organisation"
_WORD = re.compile(r"[^\W_]+")  # letters and digits: what search.js's /[\p{L}\p{N}]+/gu finds
_KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def stem(word: str) -> str:
    """A plural's singular, roughly: "sessions" -> "session", "charities" -> "charity"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str, stems: dict[str, str] | None = None) -> list[str]:
    """The stems of `text`, in order: NFC, lower case, runs of letters and digits, two or more.

    `stems` remembers each word's stem across calls (a register repeats its words)."""
    stems = {} if stems is None else stems
    out = []
    for word in _WORD.findall(unicodedata.normalize("NFC", text).lower()):
        found = stems.get(word)
        if found is None:
            found = stems[word] = stem(word)
        if len(word) >= 2:
            out.append(found)
    return out


def key(word: str) -> str:
    """The file a stem lives in: its first two characters, any but a-z and 0-9 as _hex."""
    return "".join(c if c in _KEY_CHARS else f"_{ord(c):x}" for c in word[:2])


def _gaps(numbers: list[int]) -> list[int]:
    """Each number less the one before (the first less 0): small numbers, short JSON."""
    return list(map(operator.sub, numbers, [0, *numbers[:-1]]))


def _dump(path: Path, value: object) -> None:
    path.write_text(
        json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True),
        encoding="utf-8",
    )


def _excerpt_text(description: str) -> str:
    text = " ".join(description.split())
    if len(text) <= TEXT_LIMIT:
        return text
    return text[:TEXT_LIMIT].rsplit(" ", 1)[0]


def _filter_values(view: RegisterView, org: Organisation) -> dict[str, list[str]]:
    """The values of an organisation's page's Pagefind filters, but for the area."""
    return {
        "priority": [p.title for p in view.priorities_of(org)],
        "offer": view.offer_titles(org.offers),
        "type": [TYPE_ORGANISATION],
    }


def search_filters(register: Register) -> dict[str, list[str]]:
    """Every value of each search filter, in the order the search page lists them."""
    return {
        "area": [a.name for a in register.areas],
        "priority": [p.title for p in register.priorities],
        "offer": [o.title for o in register.offer_types],
        "type": [TYPE_ORGANISATION, "Measure", "Priority", "Charter commitment"],
    }


def write_area_index(register: Register, root: Path) -> None:
    """Write the area index into the folder `root` (not there yet), for `site/search/areas`."""
    view = RegisterView(register)
    filters = search_filters(register)
    area_at = {a.id: i for i, a in enumerate(register.areas)}
    value_at = {name: {v: i for i, v in enumerate(values)} for name, values in filters.items()}
    postings: list[dict[str, list[int]]] = [defaultdict(list) for _ in register.areas]
    members: list[dict[tuple[str, int], list[int]]] = [defaultdict(list) for _ in register.areas]
    docs: list[list[str]] = []
    stems: dict[str, str] = {}
    for number, org in enumerate(register.organisations):
        docs.append([f"register/{org.id}/", org.name, _excerpt_text(org.description)])
        seen: dict[str, int] = dict.fromkeys(words(org.description, stems), number << 1)
        seen.update(dict.fromkeys(words(org.name, stems), (number << 1) | 1))
        values = [
            (name, value_at[name][v])
            for name, vs in _filter_values(view, org).items()
            for v in vs
            if v in value_at[name]
        ]
        for area in view.filter_areas(org):
            at = area_at[area.id]
            found = postings[at]
            for word, code in seen.items():  # numbers rise: each list is in order
                found[word].append(code)
            for value in values:
                members[at][value].append(number)
    root.mkdir(parents=True)
    _dump(
        root / "index.json",
        {
            "areas": filters["area"],
            "chunk": DOCS_PER_FILE,
            "filters": {k: v for k, v in filters.items() if k != "area"},
        },
    )
    (root / "docs").mkdir()
    for n, start in enumerate(range(0, len(docs), DOCS_PER_FILE)):
        _dump(root / "docs" / f"d-{n}.json", docs[start : start + DOCS_PER_FILE])
    for at in range(len(register.areas)):
        _write_area(root / str(at), postings[at], members[at], filters)


def _write_area(
    folder: Path,
    postings: dict[str, list[int]],
    members: dict[tuple[str, int], list[int]],
    filters: dict[str, list[str]],
) -> None:
    folder.mkdir()
    shards: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for word, codes in postings.items():
        shards[key(word)][word] = _gaps(codes)
    for name, shard in shards.items():
        _dump(folder / f"w-{name}.json", shard)
    for name, values in filters.items():
        if name == "area":
            continue
        for i in range(len(values)):
            _dump(folder / f"f-{name}-{i}.json", _gaps(members.get((name, i), [])))
