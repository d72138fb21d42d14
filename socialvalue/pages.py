"""Stage 4: write every data page as a Markdown file (front matter + escaped HTML) into a docs tree.

Register text comes from pull requests, so it is never fed to Markdown: templates autoescape it into
HTML blocks, which Markdown passes through untouched. Front matter values are HTML-escaped too,
quotes included, because Material prints `page.meta.title` as text and `page.meta.description`
inside an attribute, both without escaping. The `content/*.md` pages are Markdown, so every value
they print (settings) is escaped for Markdown as well as HTML (`_markdown_text`).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import posixpath
import re
import shutil
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from . import charts, districtmap
from .areaindex import search_filters
from .halves import in_two
from .ledger import LedgerView, percent
from .lookups import PAGE_SIZE, RegisterView, summary
from .match import Opportunity
from .matchpages import match_pages, opportunity_pages, where_it_works
from .register.geodata import Boundaries
from .register.model import Organisation, Register
from .subjectwords import STOPWORDS


@dataclass(frozen=True)
class SiteContext:
    """What pages need to know about where the site lives (from mkdocs.yml)."""

    edit_base: str  # repo_url + edit_uri: prefix for "Suggest a change" links
    content_dir: Path
    templates_dir: Path
    boundaries: Boundaries | None = None  # the register's geo/ districts; None: no map


def _front(value: str) -> Markup:
    """A front-matter value: HTML-escaped for text or attribute (Material prints it raw), quoted."""
    return Markup(json.dumps(html.escape(value, quote=True), ensure_ascii=False))


# The characters Python-Markdown (with the tables extension) lets a backslash escape.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def _markdown_text(value: Any) -> Any:
    """A value printed into Markdown: its Markdown syntax backslash-escaped, so it stays text.

    Used as the `finalize` of content pages (every `{{ ... }}`) and as the `md` filter. Markup
    (already-made HTML) and non-strings pass unchanged; autoescape then HTML-escapes the result,
    which leaves backslashes alone.
    """
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return _MARKDOWN_SPECIAL.sub(r"\\\1", value)


def _gbp(value: float) -> str:
    return f"£{value:,.0f}" if float(value).is_integer() else f"£{value:,.2f}"


def _paragraphs(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split("\n\n") if p.strip()]


def _long_date(value: Any) -> str:
    return f"{value.day} {value:%B %Y}"


def _relpath(path: str, here: str) -> str:
    """`posixpath.relpath(path or ".", here or ".")` for two paths relative to the site root,
    without the two `abspath` calls (a quarter of writing a 10,000-page docs tree)."""
    if path.startswith("/") or here.startswith("/"):
        return posixpath.relpath(path or ".", here or ".")
    to = [part for part in path.split("/") if part and part != "."]
    at = [part for part in here.split("/") if part and part != "."]
    if ".." in to or ".." in at:
        return posixpath.relpath(path or ".", here or ".")
    common = 0
    for a, b in zip(to, at, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(at) - common) + to[common:]) or "."


def _rel(target: str, here: str) -> str:
    """A link from the page at directory `here` to `target`, both relative to the site root."""
    path, _, anchor = target.partition("#")
    rel = _relpath(path, here)
    if (path.endswith("/") or not path) and not rel.endswith("/"):
        rel += "/"
    return rel + (f"#{anchor}" if anchor else "")


def _bar_chart(
    bars: list[charts.Bar],
    here: str,
    caption: str,
    label_heading: str,
    count_heading: str = "Organisations",
) -> Markup:
    """A bar chart table (socialvalue/charts.py) with its links made relative to `here`."""
    linked = [replace(b, href=_rel(b.href, here)) if b.href else b for b in bars]
    table = charts.bar_chart(
        linked, caption=caption, label_heading=label_heading, count_heading=count_heading
    )
    return Markup(table)


def _figures_chart(
    rows: list[charts.FigureRow], here: str, caption: str, label_heading: str, **headings: str
) -> Markup:
    """A figures chart table (committed, reported, confirmed) with links relative to `here`."""
    linked = [replace(r, href=_rel(r.href, here)) if r.href else r for r in rows]
    return Markup(
        charts.figures_chart(
            linked, caption=caption, label_heading=label_heading, headings=headings
        )
    )


def _map_globals(view: RegisterView, boundaries: Boundaries | None) -> dict[str, Any]:
    """What the map templates use: `district_map(here, label)`, its legend and attribution."""
    if boundaries is None:
        return {"district_map": None, "map_legend": (), "map_attribution": ""}
    geometry = districtmap.project(boundaries)

    def district_map(here: str, label: str) -> Markup:
        areas = [replace(a, href=_rel(a.href, here)) for a in view.district_counts]
        return Markup(districtmap.render_map(geometry, areas, label=label))

    legend = districtmap.steps([a.count for a in view.district_counts])
    return {
        "district_map": district_map,
        "map_legend": legend,
        "map_attribution": boundaries.attribution,
    }


def environment(templates_dir: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(
        front=_front,
        gbp=_gbp,
        md=_markdown_text,
        paragraphs=_paragraphs,
        long_date=_long_date,
        rel=_rel,
        summary=summary,
        bar_chart=_bar_chart,
        figures_chart=_figures_chart,
        num=charts.format_number,
        percent=percent,
    )
    env.globals["figures_key"] = lambda **headings: Markup(charts.figures_key(headings))
    return env


_ITEM_START = '  <li class="sv-list__item">\n    <a class="sv-list__title" href="'


class OrgItems:
    """The items of the `org_list` macro (templates/pages/_macros.html), each organisation's
    made once: a large register shows every organisation on several lists (its areas, its
    measures, the A to Z), and only the link differs from page to page."""

    def __init__(self, view: RegisterView) -> None:
        self._view = view
        self._made: dict[tuple[str, bool], str] = {}

    def __call__(self, orgs: Iterable[Organisation], here: str, show_areas: bool = True) -> Markup:
        items: list[str] = []
        for org in orgs:
            rest = self._made.get((org.id, show_areas))
            if rest is None:
                meta = ""
                if show_areas:
                    names = ", ".join(escape(a.name) for a in self._view.areas_of(org))
                    meta = f'<p class="sv-list__meta">Areas: {names}</p>'
                rest = (
                    f'">{escape(org.name)}</a>\n'
                    f'    <p class="sv-list__text">{escape(summary(org.description))}</p>\n'
                    f"{meta}  </li>\n"
                )
                self._made[org.id, show_areas] = rest
            href = escape(_rel(f"register/{org.id}/", here))
            items += (_ITEM_START, href, rest)
        return Markup("".join(items))


_CARD_START = (
    '  <li class="sv-list__item svm-list__item svm-card">\n    <a class="sv-list__title" href="'
)


class OpportunityCards:
    """The cards of an opportunity page (templates/pages/opportunity.html): what each card says
    of its organisation is made once, as an organisation is on the pages of several kinds of
    help and areas; the link and "why it matched" are the page's own."""

    def __init__(self, register: Register) -> None:
        self._register = register
        self._made: dict[str, str] = {}

    def __call__(self, found: Iterable[Opportunity], here: str) -> Markup:
        cards: list[str] = []
        for item in found:
            org = item.organisation
            middle = self._made.get(org.id)
            if middle is None:
                where = where_it_works(org, self._register)
                middle = (
                    f'">{escape(org.name)}</a>\n'
                    f'    <p class="sv-list__text svm-card__text">'
                    f"{escape(summary(org.description))}</p>\n"
                    f'    <p class="svm-card__where">{escape(where)}</p>\n'
                    '    <p class="svm-why"><strong>Why it matched:</strong> '
                )
                self._made[org.id] = middle
            href = escape(_rel(f"register/{org.id}/", here))
            cards += (_CARD_START, href, middle, escape(item.why), "</p>\n  </li>\n")
        return Markup("".join(cards))


Spec = tuple[str, str, dict[str, Any]]  # (output path, template, context) of one page


def _pages(view: RegisterView, matches: bool = True) -> Iterator[Spec]:
    """(output path, template, context) for every generated page (`matches=False`: all but the
    matcher's and the opportunity pages)."""
    yield "index.md", "home.html", {}
    yield "priorities/index.md", "priorities.html", {}
    for priority in view.register.priorities:
        yield f"priorities/{priority.id}/index.md", "priority.html", {"priority": priority}
    for measure in view.register.measures:
        yield f"measures/{measure.id}/index.md", "measure.html", {"measure": measure}
    yield "charter/index.md", "charter.html", {}
    pages = view.register_pages(PAGE_SIZE)
    for number, chunk in enumerate(pages, start=1):
        path = "register/index.md" if number == 1 else f"register/page/{number}/index.md"
        yield (
            path,
            "register-index.html",
            {"chunk": chunk, "page_number": number, "page_count": len(pages)},
        )
    for org in view.register.organisations:
        yield f"register/{org.id}/index.md", "organisation.html", {"org": org}
    yield "areas/index.md", "areas.html", {}
    for area in view.register.areas:
        yield f"areas/{area.id}/index.md", "area.html", {"area": area}
    yield "partners/index.md", "partners.html", {}
    yield "signatories/index.md", "signatories.html", {}
    for contract in view.register.contracts:
        if contract.named:  # the supplier agreed to be named: unnamed contracts have no page
            yield f"contracts/{contract.id}/index.md", "contract.html", {"contract": contract}
    yield "ledger/index.md", "ledger.html", {}
    yield "open-data/index.md", "open-data.html", {}
    yield "search/index.md", "search.html", {"search_filters": search_filters(view.register)}
    if matches:
        yield from match_pages(view)


def passthrough(page: str) -> str:
    """Wrap a rendered page's HTML body in one comment Markdown passes through untouched.

    templates/overrides/partials/content.html removes the markers. Escaped register text cannot
    hold "-->" (its ">" is "&gt;"), so only a template of ours could end the comment early.
    """
    _, front, body = page.split("---\n", 2)
    if "-->" in body:
        raise ValueError("a page template wrote '-->', which would end the pass-through comment")
    return f"---\n{front}---\n<!--sv-html\n{body}sv-html-->\n"


@dataclass
class Renderer:
    """The templates and what every page sees, set up once for a register."""

    env: Environment
    view: RegisterView
    common: dict[str, Any]

    def write(self, docs_dir: Path, specs: Sequence[Spec]) -> None:
        for relative, template_name, context in specs:
            template = self.env.get_template(template_name)  # cached (auto_reload is off)
            target = docs_dir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            here = relative.removesuffix("index.md")
            target.write_text(
                passthrough(template.render(**self.common, **context, here=here)),
                encoding="utf-8",
            )


def renderer(
    register: Register, site: SiteContext, schemas: dict[str, dict], today: dt.date
) -> Renderer:
    env = environment(site.templates_dir / "pages")
    view = RegisterView(register)
    env.globals.update(_map_globals(view, site.boundaries))
    env.globals["org_items"] = OrgItems(view)
    env.globals["opportunity_cards"] = OpportunityCards(register)
    common = {
        "view": view,
        "register": register,
        "settings": register.settings,
        "edit_base": site.edit_base,
        "schemas": schemas,
        "ledger": LedgerView(register, today),
    }
    return Renderer(env, view, common)


def write_pages(
    register: Register,
    docs_dir: Path,
    site: SiteContext,
    schemas: dict[str, dict],
    today: dt.date,
) -> int:
    """Render every page of the register into `docs_dir`; returns how many were written.

    `today` is the day the check was made for: contracts' states on the pages are on that day.
    """
    pages = renderer(register, site, schemas, today)
    write_search_words(register, docs_dir)
    specs = list(_pages(pages.view))
    # Both cores on a large register: each process writes its own pages.
    in_two(specs, lambda share: pages.write(docs_dir, share))
    return len(specs) + copy_content(register, docs_dir, site, pages.env)


def pages_showing(view: RegisterView, ids: set[str], also: set[str]) -> list[Spec]:
    """The pages that show any of the organisations `ids` now: their own pages and the lists
    (register, area, measure and opportunity pages) they are in; and the pages at `also`
    (those that showed them before). For `serve`, to put a changed entry live first."""
    register = view.register
    orgs = [org for org in register.organisations if org.id in ids]
    areas = {a for org in orgs for a in org.areas}
    county = register.county_area
    everywhere = county is not None and county.id in areas  # every area page lists county-wide
    measures = {m for org in orgs for m in org.measures}
    found: list[Spec] = []
    for spec in _pages(view, matches=False):
        relative, _, context = spec
        if (
            relative in also
            or ("org" in context and context["org"].id in ids)
            or ("chunk" in context and any(org.id in ids for org in context["chunk"]))
            or ("area" in context and (everywhere or context["area"].id in areas))
            or ("measure" in context and context["measure"].id in measures)
        ):
            found.append(spec)
    offers = {offer for org in orgs for offer in org.offers}
    for spec in opportunity_pages(view, offers):
        relative, _, context = spec
        if relative in also or any(o.organisation.id in ids for o in context["chunk"]):
            found.append(spec)
    return found


SEARCH_WORDS = "search/words.json"
_WORD = re.compile(r"[^\W\d_]{3,}")  # letters only: "King's" gives "king"; short words are left out


def search_words(register: Register) -> list[str]:
    """The site's own vocabulary, for "did you mean" on a search with no results (search.js).

    Words of the names and titles people search for: organisations, areas, priorities,
    measures, kinds of help and Charter commitments; lower case, sorted, without stopwords.
    """
    texts = [o.name for o in register.organisations] + [a.name for a in register.areas]
    texts += [p.title for p in register.priorities] + [m.title for m in register.measures]
    texts += [o.title for o in register.offer_types] + [c.title for c in register.charter]
    words = {w.casefold() for text in texts for w in _WORD.findall(text)}
    return sorted(words - STOPWORDS)


def write_search_words(register: Register, docs_dir: Path) -> None:
    target = docs_dir / SEARCH_WORDS
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(search_words(register), ensure_ascii=False), encoding="utf-8")


def copy_content(register: Register, docs_dir: Path, site: SiteContext, env: Environment) -> int:
    """Render content/*.md through Jinja2 (for `settings` figures), with an edit path.

    Every printed value is escaped for Markdown, then for HTML: a setting can never become a link,
    an attribute list or a tag in the page.
    """
    env = env.overlay(finalize=_markdown_text)
    count = 0
    for source in sorted(site.content_dir.rglob("*.md")):
        relative = source.relative_to(site.content_dir)
        if relative.parts[0] == "updates":  # dated posts: socialvalue/updates.py writes their pages
            continue
        body = env.from_string(source.read_text(encoding="utf-8")).render(
            settings=register.settings
        )
        edit = f"content/{relative.as_posix()}"
        target = docs_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"---\nedit_path: {json.dumps(edit)}\n---\n{body}", encoding="utf-8")
        count += 1
    return count


def copy_assets(templates_dir: Path, docs_dir: Path) -> None:
    """The site's own CSS, JavaScript and images (templates/assets/) into the docs tree."""
    source = templates_dir / "assets"
    if source.is_dir():
        shutil.copytree(source, docs_dir / "assets" / "sv", dirs_exist_ok=True)
