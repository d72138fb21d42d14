"""Pages and data for matching suppliers to opportunities.

- `match/`: the matcher form (GET, answers in the query string); the browser ranks with match.js.
- `check/`: "does social value apply?", a plain explanation and table, enhanced by check.js.
- `opportunities/`: an index, and one pre-rendered, paginated page per area and kind of help,
  ranked by the same `match()`: every match is reachable without JavaScript.
- `match/data/`: the JSON the browser matcher reads (`write_match_data`), so that it never
  downloads the whole register: `meta.json` (lists, labels, weights, shard sizes); per area
  `<area>/<offer>.json` (the area's organisations that welcome that help) and `<area>/all.json`;
  the same for every organisation under `any/`, for suppliers who work county-wide; and
  `words/<first two characters>.json`, the keyword index for the contract subject. The browser
  fetches only the shards it needs, choosing whichever set is smaller in bytes.

Shard rows are arrays, to keep them small:
    [rank, id, name, [area index], [offer index], [measure index], one-line description]
where the indexes point into meta.json's lists and `rank` is the organisation's place in the
tie-break order (the register's A-to-Z order, then id), so the browser never compares names itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .halves import SPLIT_FROM
from .lookups import PAGE_SIZE, RegisterView, summary
from .match import (
    MAX_MEASURES_SHOWN,
    THEMES_BY_OFFER,
    WEIGHTS,
    Opportunity,
    Profile,
    lower_first,
    match,
    organisation_keywords,
)
from .register.cores import both, dealt_back, may_fork
from .register.model import Area, OfferType, Organisation, Register
from .subjectwords import RELATED, STOPWORDS

TOP = 3  # the best matches shown as cards; the rest wait behind "Show N more matches"
DATA_DIR = "match/data"
ANYWHERE = "any"  # the shards holding every organisation, for suppliers who work county-wide
Page = tuple[str, str, dict[str, Any]]  # (output path, template, context)


def opportunity_path(area_id: str, offer_id: str, page: int = 1) -> str:
    """The site-relative folder of an opportunity page (page 1 has no /page/ part)."""
    base = f"opportunities/{area_id}/{offer_id}/"
    return base if page == 1 else f"{base}page/{page}/"


def opportunity_title(area: Area, offer: OfferType, county: str) -> str:
    where = f"anywhere in {county}" if area.county_wide else f"in {area.name}"
    return f"{offer.title}: opportunities {where}"


def where_it_works(org: Organisation, register: Register) -> str:
    """ "Works across Norfolk", or "Works in Norwich, Broadland" (areas in register order).
    match.js `whereText` says the same on the finder's cards."""
    county = register.county_area
    if county and county.id in org.areas:
        return "Works across " + register.settings.county
    return "Works in " + ", ".join(a.name for a in register.areas if a.id in org.areas)


def _opportunity_pages(
    register: Register, area: Area, offer: OfferType, found: list[Opportunity]
) -> Iterator[Page]:
    chunks = [found[i : i + PAGE_SIZE] for i in range(0, len(found), PAGE_SIZE)] or [[]]
    title = opportunity_title(area, offer, register.settings.county)
    for number, chunk in enumerate(chunks, start=1):
        context = {
            "area": area,
            "offer": offer,
            "offer_label": lower_first(offer.title),
            "title": title,
            "chunk": chunk,
            "start": (number - 1) * PAGE_SIZE + 1,
            "total": len(found),
            "page_number": number,
            "page_count": len(chunks),
            "path": opportunity_path,
            "top": TOP if number == 1 else 0,
        }
        yield opportunity_path(area.id, offer.id, number) + "index.md", "opportunity.html", context


def _welcoming(register: Register) -> dict[str, list[Organisation]]:
    """Offer id -> the organisations that welcome it: the only ones its pages can list."""
    return {
        offer.id: [org for org in register.organisations if offer.id in org.offers]
        for offer in register.offer_types
    }


# An Opportunity, with its organisation's place in the register for the organisation.
Match = tuple[int, int, tuple[str, ...], tuple[str, ...]]


def _matches(register: Register, pairs: list[tuple[Area, OfferType]]) -> list[list[Opportunity]]:
    """The matches of each (area, kind of help), best first; on a large register the pairs are
    shared with a forked child (matching is a second of work at 10,000 organisations)."""
    welcoming = _welcoming(register)  # an organisation matches only help it welcomes
    place = {id(org): n for n, org in enumerate(register.organisations)}

    def found(share: list[tuple[Area, OfferType]]) -> list[list[Match]]:
        return [
            [
                (place[id(o.organisation)], o.score, o.reasons, o.measures)
                for o in match(Profile((offer.id,), (area.id,)), register, welcoming[offer.id])
            ]
            for area, offer in share
        ]

    large = len(register.organisations) >= SPLIT_FROM and may_fork()
    mine, theirs = both(lambda: found(pairs[0::2]), lambda: found(pairs[1::2]), split=large)
    orgs = register.organisations  # the child's answers point into this process's objects
    return [
        [Opportunity(orgs[n], score, reasons, measures) for n, score, reasons, measures in each]
        for each in dealt_back(mine, theirs)
    ]


def opportunity_pages(view: RegisterView, offers: set[str]) -> Iterator[Page]:
    """The opportunity pages of the kinds of help in `offers`, in every area."""
    register = view.register
    pairs = [(a, o) for a in register.areas for o in register.offer_types if o.id in offers]
    for (area, offer), found in zip(pairs, _matches(register, pairs), strict=True):
        yield from _opportunity_pages(register, area, offer, found)


def match_pages(view: RegisterView) -> Iterator[Page]:
    """(output path, template, context) for the matcher, the threshold check and opportunities."""
    register = view.register
    counts: dict[tuple[str, str], int] = {}
    pairs = [(a, o) for a in register.areas for o in register.offer_types]
    for (area, offer), found in zip(pairs, _matches(register, pairs), strict=True):
        pages = list(_opportunity_pages(register, area, offer, found))
        counts[area.id, offer.id] = pages[0][2]["total"]
        yield from pages
    common = {"counts": counts, "path": opportunity_path}
    yield "opportunities/index.md", "opportunities.html", common
    yield "match/index.md", "match.html", common
    yield "check/index.md", "check.html", {}


def _meta(register: Register) -> dict[str, Any]:
    county = register.county_area
    return {
        "weights": WEIGHTS,
        "stopwords": sorted(STOPWORDS),
        "related": RELATED,
        "themesByOffer": THEMES_BY_OFFER,
        "maxMeasuresShown": MAX_MEASURES_SHOWN,
        "county": county.id if county else None,
        "anywhere": ANYWHERE,
        "countyName": register.settings.county,
        "areas": [[a.id, a.name] for a in register.areas],
        "offers": [[o.id, o.title, lower_first(o.title)] for o in register.offer_types],
        "priorities": [[p.id, p.title] for p in register.priorities],
        "measures": [
            {
                "id": m.id,
                "title": m.title,
                "label": lower_first(m.title),
                "priority": m.priority,
                "offers": list(m.offers),
                "unit": register.units[m.unit].plural,
            }
            for m in register.measures
        ],
        "commitments": [[c.id, c.title, c.theme] for c in register.charter],
    }


def _row(rank: int, org: Organisation, index: dict[str, dict[str, int]]) -> list[Any]:
    def positions(kind: str, ids: tuple[str, ...]) -> list[int]:
        return sorted(index[kind][i] for i in ids if i in index[kind])

    return [
        rank,
        org.id,
        org.name,
        positions("areas", org.areas),
        positions("offers", org.offers),
        positions("measures", org.measures),
        summary(org.description),
    ]


def _dump(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _shards(
    name: str,
    rows: list[tuple[Organisation, list[Any]]],
    offers: list[str],
    files: dict[str, bytes],
) -> dict[str, int]:
    """Write `name`/all.json and `name`/<offer>.json; returns their sizes in bytes."""
    sizes = {}
    for offer in ["all", *offers]:
        data = _dump([row for org, row in rows if offer == "all" or offer in org.offers])
        files[f"{DATA_DIR}/{name}/{offer}.json"] = data
        sizes[offer] = len(data)
    return sizes


def _words(ranked: list[Organisation]) -> dict[str, bytes]:
    """words/<first two characters>.json: {stem: ranks that mention it, as gaps from the last}."""
    postings: dict[str, dict[str, list[int]]] = {}
    for rank, org in enumerate(ranked):
        for stem in organisation_keywords(org):
            postings.setdefault(stem[:2], {}).setdefault(stem, []).append(rank)
    files = {}
    for prefix, stems in sorted(postings.items()):
        gaps = {
            stem: [r - (ranks[n - 1] if n else 0) for n, r in enumerate(ranks)]
            for stem, ranks in sorted(stems.items())
        }
        files[f"{DATA_DIR}/words/{prefix}.json"] = _dump(gaps)
    return files


def match_data(register: Register) -> dict[str, bytes]:
    """The browser matcher's files: site-relative path -> bytes (deterministic)."""
    index = {
        "areas": {a.id: n for n, a in enumerate(register.areas)},
        "offers": {o.id: n for n, o in enumerate(register.offer_types)},
        "measures": {m.id: n for n, m in enumerate(register.measures)},
    }
    ranked = list(register.organisations)  # already in the register's one A-to-Z order
    rows = [(org, _row(rank, org, index)) for rank, org in enumerate(ranked)]
    offers = [o.id for o in register.offer_types]
    files: dict[str, bytes] = {}
    sizes = {
        a.id: _shards(a.id, [(o, r) for o, r in rows if a.id in o.areas], offers, files)
        for a in register.areas
    }
    sizes[ANYWHERE] = _shards(ANYWHERE, rows, offers, files)
    files.update(_words(ranked))
    files[f"{DATA_DIR}/meta.json"] = _dump({**_meta(register), "shards": sizes})
    return files


def write_match_data(register: Register, docs_dir: Path) -> int:
    """Write the browser matcher's JSON into the docs tree; returns how many files."""
    files = match_data(register)
    for relative, data in files.items():
        target = docs_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return len(files)
