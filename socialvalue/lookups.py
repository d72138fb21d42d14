"""Read-only lookups over a Register for the page templates: indexes built once, no I/O."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cached_property

from .charts import Bar
from .districtmap import MapArea
from .register.model import Area, Measure, OfferType, Organisation, Priority, Register, Unit

PAGE_SIZE = 100  # organisations on one page of a list (the register, an opportunity page)


TYPE_ORGANISATION = "Organisation"  # the "Kind of page" filter's value for an organisation


class RegisterView:
    def __init__(self, register: Register) -> None:
        self.register = register
        self.priority_by_id: dict[str, Priority] = {p.id: p for p in register.priorities}
        self.measure_by_id: dict[str, Measure] = {m.id: m for m in register.measures}
        self.offer_by_id: dict[str, OfferType] = {o.id: o for o in register.offer_types}
        self.area_by_id: dict[str, Area] = {a.id: a for a in register.areas}
        self.commitment_by_id = {c.id: c for c in register.charter}
        self.by_measure: dict[str, list[Organisation]] = defaultdict(list)
        self.by_area: dict[str, list[Organisation]] = defaultdict(list)
        for org in register.organisations:  # already sorted by name
            for measure_id in org.measures:
                self.by_measure[measure_id].append(org)
            for area_id in org.areas:
                self.by_area[area_id].append(org)

    def unit(self, measure: Measure) -> Unit:
        return self.register.units[measure.unit]

    @cached_property
    def districts(self) -> list[Area]:
        return list(self.register.districts)

    @cached_property
    def county(self) -> Area | None:
        return self.register.county_area

    @cached_property
    def by_priority(self) -> dict[str, list[Organisation]]:
        """Organisations that welcome help with at least one measure of each priority."""
        result: dict[str, list[Organisation]] = {p.id: [] for p in self.register.priorities}
        for org in self.register.organisations:
            for priority in self.priorities_of(org):
                result[priority.id].append(org)
        return result

    @cached_property
    def priority_bars(self) -> list[Bar]:
        """Organisations per priority, for the bar chart (links from the site root)."""
        return [
            Bar(p.title, len(self.by_priority[p.id]), f"priorities/{p.id}/")
            for p in self.register.priorities
        ]

    @cached_property
    def measure_bars(self) -> dict[str, list[Bar]]:
        """Organisations per measure, by priority id, for the bar charts."""
        return {
            p.id: [
                Bar(m.title, len(self.by_measure.get(m.id, [])), f"measures/{m.id}/")
                for m in self.register.measures_of(p.id)
            ]
            for p in self.register.priorities
        }

    @cached_property
    def district_counts(self) -> list[MapArea]:
        """Each district's name and number of organisations, for the map and its table."""
        return [
            MapArea(a.id, a.name, len(self.by_area.get(a.id, [])), f"areas/{a.id}/")
            for a in self.districts
        ]

    @cached_property
    def district_bars(self) -> list[Bar]:
        """The map's numbers as a bar chart table."""
        return [Bar(a.name, a.count, a.href) for a in self.district_counts]

    def measures_by_priority(
        self, measure_ids: tuple[str, ...] | None = None
    ) -> list[tuple[Priority, list[Measure]]]:
        """Measures grouped under their priority, in register order; all when ids is None."""
        wanted = None if measure_ids is None else set(measure_ids)
        groups = []
        for priority in self.register.priorities:
            measures = [
                m
                for m in self.register.measures_of(priority.id)
                if wanted is None or m.id in wanted
            ]
            if measures:
                groups.append((priority, measures))
        return groups

    def priorities_of(self, org: Organisation) -> list[Priority]:
        ids = {self.measure_by_id[m].priority for m in org.measures}
        return [p for p in self.register.priorities if p.id in ids]

    def offers_of(self, org: Organisation) -> list[OfferType]:
        return [o for o in self.register.offer_types if o.id in org.offers]

    def areas_of(self, org: Organisation) -> list[Area]:
        return [a for a in self.register.areas if a.id in org.areas]

    def filter_areas(self, org: Organisation) -> list[Area]:
        """The areas an organisation is found under when someone filters by area.

        The one rule, as the opportunity pages and the matcher (match.py) apply it: an
        organisation that works county-wide is found under every district as well as under the
        county-wide area; a local organisation under its own districts only.
        """
        county = self.county
        if county is not None and county.id in org.areas:
            return list(self.register.areas)
        return self.areas_of(org)

    def search_filters_of(self, org: Organisation) -> dict[str, list[str]]:
        """The values of the search filters an organisation's page carries (Pagefind's, on the
        page; the area index's, socialvalue/areaindex.py), in the page's order."""
        return {
            "type": [TYPE_ORGANISATION],
            "area": [a.name for a in self.filter_areas(org)],
            "priority": [p.title for p in self.priorities_of(org)],
            "offer": self.offer_titles(org.offers),
        }

    def offer_titles(self, ids: tuple[str, ...]) -> list[str]:
        return [self.offer_by_id[i].title for i in ids if i in self.offer_by_id]

    def register_pages(self, size: int) -> list[list[Organisation]]:
        orgs = list(self.register.organisations)
        return [orgs[i : i + size] for i in range(0, len(orgs), size)] or [[]]

    def signatory_commitments(self, ids: tuple[str, ...]) -> list:
        return [self.commitment_by_id[i] for i in ids if i in self.commitment_by_id]


def summary(text: str, limit: int = 180) -> str:
    """The first sentence of a description, cut at a word boundary when it is long."""
    first = re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0] + "…"
