"""The staff review report: what in the register needs a person's attention. No I/O here.

Four checks, each row pointing at the file (and line) to open:
- entries whose `reviewed` date is older than settings.review_max_age_months;
- entries with no public contact route (no email, website or phone);
- measures that no organisation welcomes help with;
- districts that fewer than FEW_ORGANISATIONS organisations name.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import astuple, dataclass, fields

from .intake.csvsafe import safe_cell
from .register.dates import months_before
from .register.model import Register
from .register.problems import visible
from .register.tables import TypedTable

Tables = Mapping[str, TypedTable]
FEW_ORGANISATIONS = 3  # a district with fewer organisations than this is listed

SECTIONS = {
    "stale-review": "Entries not reviewed for over {months} months",
    "no-contact": "Entries with no contact route",
    "unwelcomed-measure": "Measures no organisation welcomes",
    "few-organisations": f"Districts with fewer than {FEW_ORGANISATIONS} organisations",
}


@dataclass(frozen=True)
class Finding:
    check: str  # a key of SECTIONS
    path: str
    line: int | None
    id: str
    name: str
    detail: str


def _lines(tables: Tables, table: str, field: str) -> dict[str, tuple[str, int]]:
    """{id: (path, line of `field`)} for every row of a table."""
    rows = tables[table].records
    return {
        str(row.get("id")): (row.path, row.line(field)) for row in rows if row.get("id") is not None
    }


def stale_reviews(register: Register, tables: Tables, today: dt.date) -> list[Finding]:
    months = register.settings.review_max_age_months
    cutoff = months_before(today, months)
    where = _lines(tables, "organisations", "reviewed")
    return [
        Finding(
            "stale-review",
            *where[o.id],
            o.id,
            o.name,
            f"last reviewed on {o.reviewed.isoformat()}, over {months} months ago",
        )
        for o in register.organisations
        if o.reviewed < cutoff
    ]


def no_contact(register: Register, tables: Tables) -> list[Finding]:
    where = _lines(tables, "organisations", "contact")
    return [
        Finding("no-contact", *where[o.id], o.id, o.name, "no email, website or phone")
        for o in register.organisations
        if not o.contact.any
    ]


def unwelcomed_measures(register: Register, tables: Tables) -> list[Finding]:
    welcomed = {m for o in register.organisations for m in o.measures}
    where = _lines(tables, "measures", "id")
    return [
        Finding(
            "unwelcomed-measure", *where[m.id], m.id, m.title, "no organisation lists this measure"
        )
        for m in register.measures
        if m.id not in welcomed
    ]


def few_organisations(register: Register, tables: Tables) -> list[Finding]:
    where = _lines(tables, "areas", "id")
    county = {register.county_area.id} if register.county_area else set()
    wide = sum(1 for o in register.organisations if county & set(o.areas))
    also = f"{wide} more {'works' if wide == 1 else 'work'} county-wide"
    findings = []
    for area in register.areas:
        if area.county_wide:
            continue
        count = sum(1 for o in register.organisations if area.id in o.areas)
        if count < FEW_ORGANISATIONS:
            noun = "organisation names" if count == 1 else "organisations name"
            findings.append(
                Finding(
                    "few-organisations",
                    *where[area.id],
                    area.id,
                    area.name,
                    f"{count} {noun} this district ({also})",
                )
            )
    return findings


def review(register: Register, tables: Tables, today: dt.date) -> list[Finding]:
    """Every finding, grouped by check in SECTIONS order, then by file and line."""
    findings = [
        *stale_reviews(register, tables, today),
        *no_contact(register, tables),
        *unwelcomed_measures(register, tables),
        *few_organisations(register, tables),
    ]
    order = list(SECTIONS)
    return sorted(findings, key=lambda f: (order.index(f.check), f.path, f.line or 0, f.id))


def format_text(findings: list[Finding], register: Register, today: dt.date) -> str:
    """One section per check, each row compiler-style (`path:line: name: detail`).

    Register text is shown with its control characters spelled out (it is printed to a terminal).
    """
    months = register.settings.review_max_age_months
    out = [f"Review report for {register.settings.site_name}, {today.isoformat()}"]
    for check, heading in SECTIONS.items():
        rows = [f for f in findings if f.check == check]
        out += ["", f"{heading.format(months=months)}: {len(rows) or 'none'}"]
        for f in rows:
            where = f.path if f.line is None else f"{f.path}:{f.line}"
            out.append(visible(f"  {where}: {f.name}: {f.detail}"))
    return "\n".join(out) + "\n"


def format_csv(findings: list[Finding]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([f.name for f in fields(Finding)])
    writer.writerows([safe_cell("" if v is None else str(v)) for v in astuple(f)] for f in findings)
    return buffer.getvalue()
