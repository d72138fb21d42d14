"""The ledger's sums (socialvalue/ledger.py) on a worked example, and its open data (ledger.csv).

LEDGER_CONTRACTS adds two contracts to the minimal register (tests/fixtures.py); the site tests
build the fixture site with them too. The worked example, in each measure's unit:

| contract  | commitment   | measure, unit        | organisation, areas     | C   | R   | F   | D  |
| cleaning  | evenings     | pc-safe-spaces, hrs  | youth club, Norwich     | 100 | 50  | 30  | 20 |
| cleaning  | green        | env-green-spaces, £  | green spaces, 2 distr.  | 500 | 500 | 500 | 0  |
| (unnamed) | advice       | rh-advice..., hrs    | safe haven, county-wide | 60  | 60  | 60  | 0  |
| (unnamed) | volunteering | cc-youth-vol..., hrs | youth club, Norwich     | 40  | 10  | 0   | 0  |

C committed, R reported, F confirmed, D disputed. Hours add up to 200/120/90/20; pounds stay
apart (500/500/500/0). Norwich holds two commitments (140/60/30 hours); the green spaces trust
works in two districts and counts in both; the safe haven counts once, as county-wide.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from fixtures import TODAY, make_minimal_register

from socialvalue.charts import format_number
from socialvalue.ledger import LedgerView, percent
from socialvalue.opendata import write_data_package
from socialvalue.register.check import Passed, check
from socialvalue.register.model import Signatory

NAMED = """\
id: sample-cleaning
reference: SAMPLE-L1
title: "Sample: Cleaning of police buildings"
supplier: "Sample: Cleaning & Care Ltd"
companies_house: "00000001"
value_gbp: 20000
start: 2026-01-01
end: 2027-12-31
named: true
commitments:
  - id: evenings
    measure: pc-safe-spaces
    organisation: sample-youth-club
    quantum: 100
    due: 2027-06-30
  - id: green
    measure: env-green-spaces
    organisation: sample-green-spaces
    quantum: 500
    due: 2027-06-30
updates:
  - id: u1
    date: 2026-03-10
    commitment: evenings
    quantity: 30
    what: Staff helped on three evenings.
  - id: u2
    date: 2026-06-10
    commitment: evenings
    quantity: 20
    what: Staff helped on two more evenings.
  - id: u3
    date: 2026-07-01
    commitment: green
    quantity: 500
    what: A gift towards new benches.
confirmations:
  - {update: u1, outcome: confirmed, date: 2026-03-20}
  - update: u2
    outcome: disputed
    date: 2026-06-20
    note: We saw staff on one evening only.
  - {update: u3, outcome: confirmed, date: 2026-07-10}
sample: true
"""
UNNAMED_SUPPLIER = "Sample: Quietly Hidden Security Ltd"
UNNAMED = f"""\
id: sample-hidden
reference: SAMPLE-L2
title: "Sample: Security at events"
supplier: "{UNNAMED_SUPPLIER}"
companies_house: "00000002"
value_gbp: 30000
start: 2026-01-01
end: 2027-12-31
named: false
commitments:
  - id: advice
    measure: rh-advice-for-victim-vcses
    organisation: sample-safe-haven
    quantum: 60
    due: 2027-06-30
  - id: volunteering
    measure: cc-youth-volunteering
    organisation: sample-youth-club
    quantum: 40
    due: 2027-06-30
updates:
  - id: u1
    date: 2026-05-02
    commitment: advice
    quantity: 60
    what: Advice on safer premises.
  - id: u2
    date: 2026-09-12
    commitment: volunteering
    quantity: 10
    what: Two staff volunteered.
confirmations:
  - {{update: u1, outcome: confirmed, date: 2026-05-15}}
sample: true
"""
LEDGER_CONTRACTS = {
    "contracts/sample-cleaning.yaml": NAMED,
    "contracts/sample-hidden.yaml": UNNAMED,
}


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Passed:
    root = make_minimal_register(tmp_path_factory.mktemp("ledger") / "register", LEDGER_CONTRACTS)
    result = check(root, TODAY)
    assert isinstance(result, Passed), result.problems
    return result


@pytest.fixture(scope="module")
def ledger(checked: Passed) -> LedgerView:
    return LedgerView(checked.register, checked.today)


def sums(group) -> list[tuple[str, str, str, str, str]]:
    return [
        (s.unit.id, *(format_number(v) for v in (s.committed, s.reported, s.confirmed, s.disputed)))
        for s in group.sums
    ]


def test_each_commitment_has_its_own_three_figures(ledger: LedgerView):
    assert [
        (line.contract.id, line.commitment.id, line.figures.committed, line.figures.reported)
        + (line.figures.confirmed, line.figures.disputed, line.state)
        for line in ledger.lines
    ] == [
        ("sample-cleaning", "evenings", 100, 50, 30, 20, "disputed"),
        ("sample-cleaning", "green", 500, 500, 500, 0, "disputed"),
        ("sample-hidden", "advice", 60, 60, 60, 0, "on-track"),
        ("sample-hidden", "volunteering", 40, 10, 0, 0, "on-track"),
    ]
    assert [line.supplier for line in ledger.lines] == ["Sample: Cleaning & Care Ltd"] * 2 + [
        None,
        None,
    ]


def test_totals_are_added_up_within_each_unit_only(ledger: LedgerView):
    assert [
        (s.unit.id, s.committed, s.reported, s.confirmed, s.disputed, s.confirmed_percent)
        for s in ledger.totals
    ] == [("hours", 200, 120, 90, 20, "45%"), ("pounds", 500, 500, 500, 0, "100%")]


def test_by_measure_one_sum_in_the_measures_unit(ledger: LedgerView):
    assert [(g.id, g.commitments, g.fully_confirmed, sums(g)) for g in ledger.by_measure] == [
        ("pc-safe-spaces", 1, 0, [("hours", "100", "50", "30", "20")]),
        ("cc-youth-volunteering", 1, 0, [("hours", "40", "10", "0", "0")]),
        ("rh-advice-for-victim-vcses", 1, 1, [("hours", "60", "60", "60", "0")]),
        ("env-green-spaces", 1, 1, [("pounds", "500", "500", "500", "0")]),
    ]
    assert [(r.label, r.unit, r.href) for r in ledger.measure_rows][-1] == (
        "Community green spaces",
        "pounds (£)",
        "measures/env-green-spaces/",
    )


def test_by_area_counts_each_district_and_county_wide_once(ledger: LedgerView):
    assert [(g.id, g.label, g.commitments, sums(g)) for g in ledger.by_area] == [
        ("breckland", "Breckland", 1, [("pounds", "500", "500", "500", "0")]),
        ("broadland", "Broadland", 1, [("pounds", "500", "500", "500", "0")]),
        ("norwich", "Norwich", 2, [("hours", "140", "60", "30", "20")]),
        ("county-wide", "County-wide", 1, [("hours", "60", "60", "60", "0")]),
    ]
    assert [b.count for b in ledger.area_bars] == [1, 1, 2, 1]


def test_by_priority_and_by_organisation(ledger: LedgerView):
    assert [(g.id, g.commitments, g.fully_confirmed) for g in ledger.by_priority] == [
        ("preventing-crime", 1, 0),
        ("cohesive-communities", 1, 0),
        ("reducing-harm", 1, 1),
        ("environment", 1, 1),
    ]
    assert [(g.id, g.commitments, sums(g)) for g in ledger.by_organisation] == [
        ("sample-green-spaces", 1, [("pounds", "500", "500", "500", "0")]),
        ("sample-safe-haven", 1, [("hours", "60", "60", "60", "0")]),
        ("sample-youth-club", 2, [("hours", "140", "60", "30", "20")]),
    ]


def test_an_organisation_receives_from_named_and_unnamed_contracts(ledger: LedgerView, checked):
    (club,) = [o for o in checked.register.organisations if o.id == "sample-youth-club"]
    assert [(line.supplier, line.commitment.id) for line in ledger.received(club)] == [
        ("Sample: Cleaning & Care Ltd", "evenings"),
        (None, "volunteering"),
    ]


@pytest.mark.parametrize(
    ("name", "number", "found"),
    [
        ("Sample: Cleaning and Care Limited", None, ["sample-cleaning"]),  # by name
        ("Another name entirely", "00000001", ["sample-cleaning"]),  # by number
        ("Sample: Cleaning & Care Ltd", "99999999", []),  # numbers differ: not the same company
        (UNNAMED_SUPPLIER, "00000002", []),  # never linked to a contract it did not agree to
    ],
)
def test_a_signatorys_named_contracts(ledger: LedgerView, name, number, found):
    signatory = Signatory("s", name, (), TODAY, companies_house=number)
    assert [c.id for c in ledger.contracts_of(signatory)] == found


def test_numbers_and_percentages_as_people_read_them():
    assert [format_number(Decimal(v)) for v in ("1200", "12.50", "1E+3", "0")] == [
        "1,200",
        "12.5",
        "1,000",
        "0",
    ]
    assert [percent(Decimal(a), Decimal(b)) for a, b in [(30, 100), (2, 3), (5, 0)]] == [
        "30%",
        "66%",
        "0%",
    ]


def test_ledger_csv_has_one_row_per_commitment_and_no_unnamed_supplier(checked, tmp_path: Path):
    write_data_package(checked, tmp_path)
    text = (tmp_path / "ledger.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))

    assert [
        (r["contract"], r["supplier"], r["commitment"], r["unit"])
        + (r["committed"], r["reported"], r["confirmed"], r["disputed"], r["state"])
        for r in rows
    ] == [
        ("sample-cleaning", "Sample: Cleaning & Care Ltd", "evenings", "hours")
        + ("100", "50", "30", "20", "disputed"),
        ("sample-cleaning", "Sample: Cleaning & Care Ltd", "green", "pounds")
        + ("500", "500", "500", "0", "disputed"),
        ("", "", "volunteering", "hours", "40", "10", "0", "0", "on-track"),
        ("", "", "advice", "hours", "60", "60", "60", "0", "on-track"),
    ]
    for secret in (UNNAMED_SUPPLIER, "00000002", "SAMPLE-L2", "sample-hidden"):
        assert secret not in text


def test_the_figures_chart_is_a_table_with_hidden_bars_on_the_rows_own_scale():
    from bs4 import BeautifulSoup

    from socialvalue.charts import FigureRow, figures_chart

    row = FigureRow("<b>Trees</b>", "trees", Decimal(200), Decimal(250), Decimal(50), "m/")
    soup = BeautifulSoup(
        figures_chart([row], caption="C", label_heading="Measure", headings={}), "html.parser"
    )

    assert [th.get_text() for th in soup.select("thead th")] == [
        "Measure",
        "Unit",
        "Committed",
        "Reported by the supplier",
        "Confirmed by the organisation",
        "Compared",
    ]
    assert [td.get_text() for td in soup.select("tbody td")][:4] == ["trees", "200", "250", "50"]
    assert soup.select_one("tbody th a").get_text() == "<b>Trees</b>"  # escaped, so text
    svg = soup.select_one("svg")
    assert svg["aria-hidden"] == "true"
    assert [r["width"] for r in svg.find_all("rect")] == ["80", "100", "20"]  # of 250
