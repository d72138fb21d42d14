"""The area index: organisations by area and by word, for the filtered search on a large site.

On a site of tens of thousands of pages one Pagefind search with an area ticked costs seconds of
WebAssembly and over a megabyte of index (benchmarks/README.md, "Search at 100,000"): Pagefind
loads the whole area filter and counts every filter for every result. search.js uses this index
instead there, for a search with an area ticked, and fetches only what that search needs:

    search/areas/index.json        {"areas": [area name, ...], "filters": {name: [value, ...]},
                                    "chunk": DOCS_PER_FILE, "v": version}
    search/areas/<a>/w-<key>.json  {"w": {stem: [gap, ...]}, "v": version}: the stems of area a's
                                   organisations that begin with `key`: each gap is a code less
                                   the code before it (0 for the first), a code (number << 1) |
                                   in_name, numbers in register order, in_name 1 if the stem is
                                   in the name
    search/areas/<a>/f-<f>-<i>.json  {"n": [gap, ...], "v": version}: area a's organisations with
                                   value i of filter f
    search/areas/docs/d-<n>.json   {"d": [[page, name, text], ...], "v": version}: organisations
                                   n * DOCS_PER_FILE on

Every file carries the index's version (a digest of what it holds), so a page open while the
site is rebuilt never mixes one build's numbers with another's: area-search.js fetches a file
whose version is not index.json's again, and failing that leaves the search to Pagefind.

`a` and `i` are positions in index.json's lists, so no register text becomes a file name. An
organisation is in an area's files when `RegisterView.filter_areas` puts it there (the rule the
Pagefind filter, the opportunity pages and the matcher share), and its words are those Pagefind
indexes on its page: the name and the description. Words are cut with `words` below, which
area-search.js repeats exactly (`svAreaSearch.words`), and tests/site/test_area_index.py holds
the two together (the browser's Unicode tables may be newer than Python's: a letter added to
Unicode since Python's version can be cut differently).
"""

from __future__ import annotations

import hashlib
import json
import operator
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

from .lookups import TYPE_ORGANISATION, RegisterView
from .register.model import Register

AREA_INDEX = "search/areas"
DOCS_PER_FILE = 64  # a first page of 10 results fetches at most 10 small files
TEXT_LIMIT = 600  # characters of a description kept for the excerpt
_WORD = re.compile(r"[^\W_]+(?:[-\u2010\u2011][^\W_]+)*")  # area-search.js: RUN
_HYPHENS = re.compile("[-\u2010\u2011]")
# Left out of words: apostrophes ("don't" is "dont"), soft hyphens and zero-width characters
_JOINERS = dict.fromkeys(map(ord, "'\u2019\u02bc\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_VOWELS = frozenset("aeiou")
_UNDOUBLE = frozenset("bdfgmnprt")


def _has_vowel(text: str) -> bool:
    return not _VOWELS.isdisjoint(text)


def stem(word: str) -> str:
    """The word without the common English endings, so that forms of one word meet:
    "sessions" and "session"; "charities", "charity" and "charitie" (typed so far); "running"
    and "run"; "churches" and "church". Pagefind's Snowball stemmer goes further; this is
    rough but the same in the browser (area-search.js), and search matches stems' beginnings.
    """
    if len(word) > 3 and word.endswith("ies"):
        word = word[:-3] + "i"
    elif word.endswith("sses"):
        word = word[:-2]
    elif len(word) > 4 and word.endswith(("ches", "shes", "xes", "zes")):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("ie"):
        word = word[:-1]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and _has_vowel(word[:-2]):
        word = word[:-1]
    if len(word) > 5 and word.endswith("ing") and _has_vowel(word[:-3]):
        word = word[:-3]
        if len(word) > 2 and word[-1] == word[-2] and word[-1] in _UNDOUBLE:
            word = word[:-1]
    if len(word) > 2 and word.endswith("y") and word[-2] not in _VOWELS:
        word = word[:-1] + "i"
    return word


def fold(text: str) -> str:
    """Lower case without accents or joiners: "Café" and "cafe", "O'Brien" and "obrien"."""
    text = text.translate(_JOINERS).lower()
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if unicodedata.category(c) != "Mn")


def words(text: str, stems: dict[str, str] | None = None, joined: bool = False) -> list[str]:
    """The stems of `text`, in order: folded, runs of letters and digits of two or more. With
    `joined`, a hyphenated word also gives its parts together ("well-being": "well", "being",
    "wellbeing"), for the index, so that a search for "wellbeing" finds it.

    `stems` remembers each word's stem across calls (a register repeats its words)."""
    stems = {} if stems is None else stems
    out = []
    for run in _WORD.findall(fold(text)):
        parts = _HYPHENS.split(run)
        if joined and len(parts) > 1:
            parts.append("".join(parts))
        for word in parts:
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
    """The description on one line, cut after a word near TEXT_LIMIT characters ("…" says so)."""
    text = " ".join(description.split())
    if len(text) <= TEXT_LIMIT:
        return text
    return text[:TEXT_LIMIT].rsplit(" ", 1)[0] + " \u2026"


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
    version = hashlib.sha256(json.dumps(filters).encode())  # of everything the files hold
    for number, org in enumerate(register.organisations):
        docs.append([f"register/{org.id}/", org.name, _excerpt_text(org.description)])
        seen = dict.fromkeys(words(org.description, stems, joined=True), number << 1)
        seen.update(dict.fromkeys(words(org.name, stems, joined=True), (number << 1) | 1))
        values = [
            (name, value_at[name][value])
            for name, page_values in view.search_filters_of(org).items()
            if name != "area"  # an area has files of its own
            for value in page_values
            if value in value_at[name]
        ]
        areas = view.filter_areas(org)
        version.update(json.dumps([docs[-1], seen, values, [a.id for a in areas]]).encode())
        for area in areas:
            at = area_at[area.id]
            found = postings[at]
            for word, code in seen.items():  # numbers rise: each list is in order
                found[word].append(code)
            for value in values:
                members[at][value].append(number)
    v = version.hexdigest()[:16]
    root.mkdir(parents=True)
    others = {name: values for name, values in filters.items() if name != "area"}
    _dump(
        root / "index.json",
        {"areas": filters["area"], "chunk": DOCS_PER_FILE, "filters": others, "v": v},
    )
    (root / "docs").mkdir()
    for n, start in enumerate(range(0, len(docs), DOCS_PER_FILE)):
        _dump(root / "docs" / f"d-{n}.json", {"d": docs[start : start + DOCS_PER_FILE], "v": v})
    for at in range(len(register.areas)):
        _write_area(root / str(at), postings[at], members[at], others, v)


def _write_area(
    folder: Path,
    postings: dict[str, list[int]],
    members: dict[tuple[str, int], list[int]],
    filters: dict[str, list[str]],
    v: str,
) -> None:
    folder.mkdir()
    shards: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for word, codes in postings.items():
        shards[key(word)][word] = _gaps(codes)
    for name, shard in shards.items():
        _dump(folder / f"w-{name}.json", {"v": v, "w": shard})
    for name, values in filters.items():
        for i in range(len(values)):
            _dump(folder / f"f-{name}-{i}.json", {"n": _gaps(members.get((name, i), [])), "v": v})
