"""The contract pages, the ledger page and the help on organisation pages, against the model.

The fixture site holds the two contracts of tests/test_ledger.py (one named, one not) and two
signatories of the named one's supplier; the sample site holds register/contracts/.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fixtures import TODAY
from site_support import BuiltSite
from test_ledger import UNNAMED_SUPPLIER

from socialvalue.charts import format_number
from socialvalue.ledger import STATES, LedgerView
from socialvalue.register.check import Passed, check
from socialvalue.register.model import Register

pytestmark = pytest.mark.slow


def model(register_dir: Path) -> Register:
    checked = check(register_dir, TODAY)
    assert isinstance(checked, Passed), checked.problems
    return checked.register


def text(node) -> str:
    return node.get_text(" ", strip=True)


def quantity(value, unit) -> str:
    return f"{format_number(value)} {unit.singular if value == 1 else unit.plural}"


def test_a_contract_page_shows_the_models_three_figures(fixture_site: BuiltSite) -> None:
    register = model(fixture_site.register)
    ledger = LedgerView(register, TODAY)
    (contract,) = [c for c in register.contracts if c.id == "sample-cleaning"]
    soup = fixture_site.soup(f"contracts/{contract.id}/")

    assert text(soup.find(class_="sv-state__title")) == STATES[contract.state(TODAY)][0]
    for line in ledger.lines_of(contract):
        block = soup.find(id=f"commitment-{line.commitment.id}").find_next_sibling("dl")
        shown = {
            row["data-figure"]: (
                text(row.dt),
                re.sub(r" \(\d+% of the commitment\)$", "", text(row.dd)),
            )
            for row in block.find_all(attrs={"data-figure": True})
        }
        org = line.organisation.name
        f = line.figures
        assert shown == {
            "committed": ("Committed", quantity(f.committed, line.unit)),
            "reported": ("Reported by the supplier", quantity(f.reported, line.unit)),
            "confirmed": (f"Confirmed by {org}", quantity(f.confirmed, line.unit)),
            **(
                {"disputed": (f"Disputed by {org}", quantity(f.disputed, line.unit))}
                if f.disputed
                else {}
            ),
        }
    chart = [
        [text(c) for c in row.find_all(["th", "td"])[:5]]
        for row in soup.select("table.sv-figures tbody tr")
    ]
    assert chart == [
        [line.measure.title, line.unit.plural]
        + [format_number(v) for v in (line.figures.committed, line.figures.reported)]
        + [format_number(line.figures.confirmed)]
        for line in ledger.lines_of(contract)
    ]


def test_only_named_contracts_have_a_page(fixture_site: BuiltSite, sample_site: BuiltSite):
    for site in (fixture_site, sample_site):
        register = model(site.register)
        pages = sorted(p.parent.name for p in (site.root / "contracts").glob("*/index.html"))
        assert pages == sorted(c.id for c in register.contracts if c.named)
        assert pages and len(pages) < len(register.contracts)


def _every_file_text(root: Path) -> dict[str, str]:
    """Every file of a built site as text; Pagefind's gzipped index is unzipped first."""
    found = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        found[path.relative_to(root).as_posix()] = data.decode("utf-8", errors="replace")
    return found


def test_an_unnamed_supplier_appears_nowhere(fixture_site: BuiltSite, sample_site: BuiltSite):
    checked = []
    for site in (fixture_site, sample_site):
        secrets = []
        for c in model(site.register).contracts:
            if not c.named:
                secrets += [c.supplier, c.supplier.removeprefix("Sample: "), c.reference, c.title]
                secrets += [c.companies_house or c.supplier, c.org_id or c.supplier]
        checked += secrets
        files = _every_file_text(site.root)
        assert any("pagefind" in name for name in files)
        leaks = [(name, s) for name, body in files.items() for s in secrets if s in body]
        assert leaks == []
    assert UNNAMED_SUPPLIER in checked and "Sample: Yare Valley Security Ltd" in checked


def _labels(soup: BeautifulSoup, within: str = "article") -> list[str]:
    """The text of every heading, caption, header cell, term and key item `within` the page."""
    article = soup.select_one(within)
    if article is None:
        return []
    tags = ["th", "dt", "caption", "h1", "h2", "h3"]
    found = [text(t) for t in article.find_all(tags)]
    return found + [text(li) for li in article.select(".sv-figures__key li")]


def test_delivered_never_labels_an_unconfirmed_figure(
    fixture_site: BuiltSite, sample_site: BuiltSite
):
    for site in (fixture_site, sample_site):
        register = model(site.register)
        urls = ["ledger/", *(f"contracts/{c.id}/" for c in register.contracts if c.named)]
        labels = [(url, label) for url in urls for label in _labels(site.soup(url))]
        for org in register.organisations:  # the help it received (the rest is older text)
            url = f"register/{org.id}/"
            labels += [(url, label) for label in _labels(site.soup(url), ".sv-received")]
        assert any("Confirmed by" in label for _, label in labels)
        wrong = [(u, lab) for u, lab in labels if "deliver" in lab.lower()]
        assert [(u, lab) for u, lab in wrong if "confirm" not in lab.lower()] == []


def test_an_organisation_page_shows_help_from_named_and_unnamed_suppliers(fixture_site):
    soup = fixture_site.soup("register/sample-youth-club/")
    rows = [
        [text(c) for c in r.find_all(["th", "td"])] for r in soup.select(".sv-received tbody tr")
    ]
    assert rows == [
        ["Sample: Cleaning & Care Ltd", "Safe spaces for children and young adults"]
        + ["100 hours", "30 hours"],
        ["A supplier", "Volunteering with groups for young people", "40 hours", "0 hours"],
    ]
    link = soup.select_one(".sv-received tbody a")["href"]
    assert link == "../../contracts/sample-cleaning/"


def test_signatories_link_to_their_named_contracts(fixture_site: BuiltSite):
    soup = fixture_site.soup("signatories/")
    links = [[a["href"] for a in p.find_all("a")] for p in soup.select(".sv-signatory-contracts")]
    assert links == [["../contracts/sample-cleaning/"]] * 2


def test_the_ledger_page_shows_the_models_sums(fixture_site: BuiltSite):
    ledger = LedgerView(model(fixture_site.register), TODAY)
    soup = fixture_site.soup("ledger/")
    measures = [
        [text(c) for c in r.find_all(["th", "td"])[:5]]
        for r in soup.select("table.sv-figures tbody tr")
    ]
    assert measures == [
        [r.label, r.unit, format_number(r.committed), format_number(r.reported)]
        + [format_number(r.confirmed)]
        for r in ledger.measure_rows
    ]
    areas = soup.find("caption", string="Figures by area, in each unit").find_parent("table")
    assert [text(r.th) for r in areas.select("tbody tr")] == [
        "Breckland",
        "Broadland",
        "Norwich",
        "County-wide",
    ]
    article = text(soup.find("article"))
    assert "1 of the 2 contracts is with a supplier that has not agreed to be named" in article
