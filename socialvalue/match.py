"""Matching a supplier to the organisations that would welcome its help. Pure functions, no I/O.

A supplier describes itself as a `Profile`: the kinds of help it can offer (offer type ids, at
least one), where it works (area ids; the county-wide area means "anywhere in the county"), and
optionally the priorities it cares about, its contract's value and the contract's subject.

Eligibility: an organisation is a match only when BOTH hold
  1. it welcomes at least one kind of help the supplier offers, and
  2. it works where the supplier works: they share a district, or either side is county-wide.
Why: an organisation that does not want what the supplier can give, or that the supplier
cannot reach, is not an opportunity, however well it scores on anything else.

Score: a sum of integer weights (see WEIGHTS), higher first.
  offer     3 for each kind of help the supplier offers that the organisation welcomes:
            more shared kinds of help means more ways to work together.
  local     4 when the organisation works in one of the supplier's own districts, or
  county    2 when they meet only through county-wide working (either side). A local group is
            the easiest to help in person, and the supplier's own community sees the benefit.
  measure   2 for each of the organisation's measures the supplier could deliver: the measure
            can be delivered with one of the supplier's kinds of help, and it sits under one of
            the chosen priorities (any priority when none is chosen). Each one is a concrete way
            to count social value.
  priority  5 for each chosen priority that those measures cover. It is larger than one offer
            (3), so an organisation that serves what the supplier cares about moves ahead of one
            that only shares one more kind of help.
  subject   1 for each keyword of the contract's subject that the organisation's description or
            "what it welcomes" mentions: a hint, not a fact, so the lightest weight. Keywords
            and related words (socialvalue/subjectwords.py): "printing" meets "printed", and
            "IT support" looks for IT, cyber, digital, computer, online, software and laptop,
            so an entry that mentions several of them comes first among equals.
Tie-break (deterministic): score descending, then the register's one A-to-Z order of names
(`a_to_z`), then id, so equal matches read alphabetically.

Why it matched (`Opportunity.why`), the scored parts in this order, joined by "; ":
"welcomes <the shared kinds of help>", "works in <shared districts>" or "works across <county>",
"helps with <the first two deliverable measures> and N more", "mentions <subject words>".

Charter commitments (`relevant_commitments`): those in the themes the supplier's kinds of help
point to (THEMES_BY_OFFER), or all of them when its help points to none.

The contract value does not change the ranking: it only says whether social value applies
(`applies`), because every organisation deserves the same chance whatever the contract size.

THE BROWSER MATCHER (templates/assets/match.js) MIRRORS THIS MODULE FUNCTION BY FUNCTION, and
takes WEIGHTS, STOPWORDS, RELATED and THEMES_BY_OFFER from the data `matchpages.match_data` writes.
Change the two together; tests/match/test_match_parity.py proves they agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from .register.model import (
    Commitment,
    Measure,
    Organisation,
    Priority,
    Register,
    Settings,
    Unit,
    a_to_z,
)
from .subjectwords import organisation_words, subject_words

WEIGHTS: dict[str, int] = {
    "offer": 3,
    "local": 4,
    "county": 2,
    "measure": 2,
    "priority": 5,
    "subject": 1,
}
# Charter themes linked to kinds of help: help given through your staff points to the staffing
# commitments; help given through how you run the business points to the operations ones.
THEMES_BY_OFFER: dict[str, str] = {
    "jobs": "staffing",
    "training": "staffing",
    "volunteering": "staffing",
    "supply-chain": "operations",
    "in-kind": "operations",
}
MAX_MEASURES_SHOWN = 2

MeasureGroups = list[tuple[Priority, list[tuple[Measure, Unit]]]]


@dataclass(frozen=True)
class Profile:
    offers: tuple[str, ...]
    areas: tuple[str, ...]
    priorities: tuple[str, ...] = ()
    contract_value: float | None = None
    subject: str | None = None

    def __post_init__(self) -> None:
        if not self.offers or not self.areas:
            raise ValueError("a profile needs at least one offer and one area")


@dataclass(frozen=True)
class Opportunity:
    organisation: Organisation
    score: int
    reasons: tuple[str, ...]  # the parts of "why it matched", in a fixed order
    measures: tuple[str, ...] = ()  # ids of the organisation's measures the supplier could deliver

    @property
    def why(self) -> str:
        """The one line: "welcomes staff time and volunteering; works in Broadland; ..."."""
        return "; ".join(self.reasons)


def lower_first(title: str) -> str:
    """A title inside a sentence: "Safe spaces" -> "safe spaces"; "Cyber Essentials for ...",
    "Domestic Abuse Champions" and "VCSE premises" keep their capitals (names and acronyms)."""
    words = title.split(" ")
    first, second = words[0], (words[1] if len(words) > 1 else "")
    if first[1:] != first[1:].lower() or second[:1] != second[:1].lower():
        return title
    return title[:1].lower() + title[1:]


def keywords(text: str | None) -> list[str]:
    """The keyword stems of a contract subject, related words included, in order, no repeats."""
    return list(subject_words(text))


@lru_cache(maxsize=65536)
def _text_keywords(description: str, welcomes: str) -> frozenset[str]:
    return organisation_words(description + " " + welcomes)


def organisation_keywords(org: Organisation) -> frozenset[str]:
    """What the subject is compared with: the description and what the organisation welcomes."""
    return _text_keywords(org.description, org.welcomes or "")


@dataclass(frozen=True)
class _Context:
    """What every organisation's score needs, looked up once per `match` call."""

    offers: frozenset[str]  # the supplier's kinds of help
    county: str | None  # the county-wide area's id
    county_name: str
    area_names: dict[str, str]  # in register order
    offer_labels: dict[str, str]  # in register order
    deliverable: dict[str, tuple[int, str, Measure]]  # measure id -> (position, label, measure)
    subject: tuple[tuple[str, str], ...]  # (stem, word) of the contract subject's keywords
    texts: dict[tuple[str, ...], str] = field(default_factory=dict)  # reason texts, made once


def _context(profile: Profile, register: Register) -> _Context:
    return _Context(
        offers=frozenset(profile.offers),
        county=register.county_area.id if register.county_area else None,
        county_name=register.settings.county,
        area_names={a.id: a.name for a in register.areas},
        offer_labels={o.id: lower_first(o.title) for o in register.offer_types},
        deliverable={
            m.id: (n, lower_first(m.title), m)
            for n, m in enumerate(register.measures)
            if _deliverable(profile, m)
        },
        subject=tuple(subject_words(profile.subject).items()),
    )


def _text(context: _Context, kind: str, ids: Iterable[str]) -> str:
    """The reason for these area or offer ids, in register order ("works in Broadland, Norwich")."""
    key = (kind, *ids)
    if key not in context.texts:
        names = context.area_names if kind == "works in " else context.offer_labels
        context.texts[key] = kind + ", ".join(name for i, name in names.items() if i in key[1:])
    return context.texts[key]


def _place(profile: Profile, org: Organisation, context: _Context) -> tuple[str, str] | None:
    """("local" or "county", reason) when the organisation works where the supplier works."""
    shared = [a for a in org.areas if a in profile.areas and a != context.county]
    if shared:
        return "local", _text(context, "works in ", shared)
    if context.county in org.areas:
        return "county", "works across " + context.county_name
    if context.county in profile.areas:
        return "county", _text(context, "works in ", org.areas)
    return None


def _deliverable(profile: Profile, measure: Measure) -> bool:
    """The supplier could deliver it: one of its kinds of help, in its priorities (if any)."""
    return any(o in profile.offers for o in measure.offers) and (
        not profile.priorities or measure.priority in profile.priorities
    )


def _score(profile: Profile, org: Organisation, context: _Context) -> Opportunity | None:
    if context.offers.isdisjoint(org.offers):
        return None
    offers = [o for o in context.offer_labels if o in org.offers and o in context.offers]
    place = _place(profile, org, context) if offers else None
    if place is None:
        return None
    found = context.deliverable
    measures = sorted(found[i] for i in org.measures if i in found)
    priorities = {m.priority for _, _, m in measures} if profile.priorities else set()
    org_words = organisation_keywords(org) if context.subject else frozenset()
    mentioned = [word for stem, word in context.subject if stem in org_words]
    score = (
        WEIGHTS["offer"] * len(offers)
        + WEIGHTS[place[0]]
        + WEIGHTS["measure"] * len(measures)
        + WEIGHTS["priority"] * len(priorities)
        + WEIGHTS["subject"] * len(mentioned)
    )
    reasons = [_text(context, "welcomes ", offers), place[1]]
    if measures:
        shown = [label for _, label, _ in measures[:MAX_MEASURES_SHOWN]]
        more = len(measures) - len(shown)
        reasons.append("helps with " + ", ".join(shown) + (f" and {more} more" if more else ""))
    if mentioned:
        reasons.append("mentions " + ", ".join(mentioned))
    return Opportunity(org, score, tuple(reasons), tuple(m.id for _, _, m in measures))


def sort_key(opportunity: Opportunity) -> tuple[int, str, str]:
    org = opportunity.organisation
    return -opportunity.score, a_to_z(org.name), org.id


def match(
    profile: Profile, register: Register, among: Iterable[Organisation] | None = None
) -> list[Opportunity]:
    """Every eligible organisation, best first (see the module docstring for the rules).

    `among` narrows the organisations looked at, for a caller that knows the others cannot
    match (the opportunity pages pass those that welcome the page's kind of help)."""
    context = _context(profile, register)
    candidates = register.organisations if among is None else among
    found = (_score(profile, org, context) for org in candidates)
    return sorted((o for o in found if o is not None), key=sort_key)


def deliverable_measures(profile: Profile, register: Register) -> MeasureGroups:
    """Measures the supplier could deliver with its kinds of help (in its priorities, if any),
    grouped under their priority in register order, each with its unit."""
    groups = []
    for priority in register.priorities:
        if profile.priorities and priority.id not in profile.priorities:
            continue
        measures = [
            (m, register.units[m.unit])
            for m in register.measures_of(priority.id)
            if _deliverable(profile, m)
        ]
        if measures:
            groups.append((priority, measures))
    return groups


def relevant_commitments(profile: Profile, register: Register) -> list[Commitment]:
    """The Charter commitments in the themes the supplier's kinds of help point to
    (THEMES_BY_OFFER), in Charter order; all of them when its help points to no theme, because
    the Charter asks every supplier about both its staffing and its operations."""
    themes = {THEMES_BY_OFFER[o] for o in profile.offers if o in THEMES_BY_OFFER}
    chosen = [c for c in register.charter if c.theme in themes]
    return chosen or list(register.charter)


def applies(kind: str, value: float, settings: Settings) -> bool:
    """Whether social value is sought: one contract worth MORE than the threshold (excluding
    VAT), or repeat orders that ADD UP TO the threshold or more over the rolling window."""
    if kind == "contract":
        return value > settings.threshold_gbp
    if kind == "repeat":
        return value >= settings.threshold_gbp
    raise ValueError(f"unknown kind of spend: {kind!r}")
