"""Corpus: `check` and `build` never disagree, over many type variants of every table.

Each variant makes one change to the minimal register (tests/fixtures.py) or adds one dated post:
a quoted value, null, an empty string, a wrong type, a list for text, text for a list, an
impossible date, an escape character, a YAML alias, a `.yml` file. Each runs the real command line
(`python build.py check`, then `python build.py build`, both with `--today`):

- check exits 0: build exits 0, with no traceback, and the decision is the same everywhere (the
  sample banner and settings.csv, the stale warning and the review report, page order, figures);
- check exits 1: build exits 1, with no traceback, and the last good site is left unchanged.

Checks and builds run two at a time. Refused variants build into an empty path (nothing may
appear); `KEEP_SITE` ones build over a copy of a real site, which must come through unchanged.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import pytest
from fixtures import REPO, SAMPLE_REGISTER, TODAY, make_minimal_register, write_tree
from test_validate import text_of

pytestmark = pytest.mark.slow

TIMEOUT = 180


class Outcome(NamedTuple):
    check: subprocess.CompletedProcess[str]
    build: subprocess.CompletedProcess[str]
    report: subprocess.CompletedProcess[str] | None
    out: Path
    kept: bool | None  # for KEEP_SITE variants: was the previous site left exactly as it was?


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """The real command line, told what day it is."""
    command = [sys.executable, str(REPO / "build.py"), str(args[0]), "--today", TODAY.isoformat()]
    return subprocess.run(
        [*command, *map(str, args[1:])],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def snapshot(site: Path) -> dict[str, str]:
    """Every file of a site folder, by path, with the hash of its bytes."""
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def run_variant(name: str, variant: Variant, work: Path, base: Path) -> Outcome:
    """Write the variant, check it, then build it (and report on it if its probe needs that)."""
    root = work / name
    register = make_minimal_register(root / "register", variant.files)
    content = root / "content"
    shutil.copytree(REPO / "content", content)
    write_tree(content / "updates", variant.posts)
    out = root / "site"
    check = cli("check", "--register", register, "--content", content)
    keep = check.returncode != 0 and name in KEEP_SITE
    if check.returncode == 0 or keep:
        shutil.copytree(base, out)
    before = snapshot(out) if keep else None
    build = cli("build", "--register", register, "--content", content, "--out", out)
    report = None
    if variant.report and check.returncode == 0:
        report = cli("report", "--register", register, "--content", content)
    kept = snapshot(out) == before if keep else None
    return Outcome(check, build, report, out, kept)


# The variants --------------------------------------------------------------------------------

Probe = Callable[[Outcome], None]


class Variant(NamedTuple):
    table: str
    files: dict[str, str | bytes | None]
    posts: dict[str, str] = {}
    expect: str | None = None  # "accepted" or "refused" where the policy fixes the answer
    probe: Probe | None = None  # for an accepted variant: the decision, the same everywhere
    report: bool = False  # the probe compares with `python build.py report`


PATHS = {
    "settings": "settings.yaml",
    "organisations": "organisations/sample-youth-club.yaml",
    "haven": "organisations/sample-safe-haven.yaml",
    "green": "organisations/sample-green-spaces.yaml",
}
SIGNATORY = """\
- id: sample-signer
  name: Sample Signer Ltd
  companies_house: AB123456
  commitments: [ch-living-wage]
  signed: 2026-02-01
"""
POST = "---\ndate: 2026-11-01\ntitle: Sample update\nsummary: A fictional update.\n---\n\nBody.\n"


def original(table: str) -> str:
    path = PATHS.get(table, f"{table}.yaml")
    if table == "settings":
        return (SAMPLE_REGISTER / path).read_text(encoding="utf-8")
    if table == "signatories":
        return SIGNATORY
    return text_of(path)


def v(table: str, *pairs: str, **extra) -> Variant:
    """Replacements (old, new, old, new, ...) in one file of the minimal register."""
    text = original(table)
    for old, new in zip(pairs[::2], pairs[1::2], strict=True):
        assert old in text, f"{table} no longer contains {old!r}"
        text = text.replace(old, new, 1)
    path = PATHS.get(table, f"{table}.yaml")
    files = {path: text}
    if table == "signatories":
        files = {"signatories.yaml": files[path]}
    name = "organisations" if table in ("haven", "green") else table
    return Variant(name, files, **extra)


def post(old: str, new: str, **extra) -> Variant:
    assert old in POST
    return Variant("updates", {}, {"sample-update.md": POST.replace(old, new, 1)}, **extra)


def page(outcome: Outcome, path: str) -> str:
    return (outcome.out / path).read_text(encoding="utf-8")


def csv_row(outcome: Outcome, table: str, key: str | None = None) -> dict[str, str]:
    """One row of site/data/TABLE.csv: the first, or the one whose id is `key`."""
    with (outcome.out / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    return next(row for row in rows if key is None or row["id"] == key)


def sample_banner(expected: bool | None = None) -> Probe:
    """The home page shows the sample banner exactly when settings.csv says sample_data true."""

    def probe(outcome: Outcome) -> None:
        shown = "sv-banner" in page(outcome, "index.html")
        value = csv_row(outcome, "settings").get("sample_data", "")
        assert value in ("true", "false", ""), value
        assert shown == (value == "true"), (shown, value)
        if expected is not None:
            assert shown == expected

    return probe


def threshold(expected: int) -> Probe:
    """The check page and settings.csv show the same threshold."""

    def probe(outcome: Outcome) -> None:
        assert float(csv_row(outcome, "settings")["threshold_gbp"]) == expected
        assert f"£{expected:,}" in page(outcome, "check/index.html")

    return probe


def in_order(path: str, *titles: str) -> Probe:
    def probe(outcome: Outcome) -> None:
        text = page(outcome, path)
        places = [text.find(title) for title in titles]
        assert -1 not in places and places == sorted(places), dict(zip(titles, places, strict=True))

    return probe


def cell(table: str, key: str, field: str, expected: str) -> Probe:
    def probe(outcome: Outcome) -> None:
        assert csv_row(outcome, table, key)[field] == expected

    return probe


def stale(*files: str) -> Probe:
    """The stale-review warnings of `check` name the same files as the report, namely `files`."""

    def probe(outcome: Outcome) -> None:
        warned = {
            Path(line.split(":", 1)[0]).name
            for line in outcome.check.stdout.splitlines()
            if ": reviewed: warning:" in line
        }
        assert outcome.report is not None and outcome.report.returncode == 0
        section = outcome.report.stdout.split("Entries not reviewed", 1)[1].split("\n\n", 1)[0]
        listed = {name for name in ALL_ORGS if name in section}
        assert warned == listed == set(files), (warned, listed, section)

    return probe


ALL_ORGS = ("sample-youth-club.yaml", "sample-safe-haven.yaml", "sample-green-spaces.yaml")
YML = text_of(PATHS["organisations"]).replace("sample-youth-club", "sample-yml-club")

VARIANTS: dict[str, Variant] = {
    # settings.yaml (copied from the repository's register)
    "settings-sample-data-quoted-false": v(
        "settings", "sample_data: true", 'sample_data: "false"', probe=sample_banner(False)
    ),
    "settings-sample-data-quoted-true": v(
        "settings", "sample_data: true", 'sample_data: "true"', probe=sample_banner(True)
    ),
    "settings-sample-data-yaml11-no": v(
        "settings", "sample_data: true", "sample_data: no", probe=sample_banner()
    ),
    "settings-sample-data-null": v("settings", "sample_data: true", "sample_data: null"),
    "settings-sample-data-empty": v("settings", "sample_data: true", "sample_data: ''"),
    "settings-sample-data-zero": v(
        "settings", "sample_data: true", "sample_data: 0", probe=sample_banner()
    ),
    "settings-threshold-quoted": v(
        "settings", "threshold_gbp: 5000", 'threshold_gbp: "5000"', probe=threshold(5000)
    ),
    "settings-threshold-quoted-7500": v(
        "settings", "threshold_gbp: 5000", 'threshold_gbp: "7500"', probe=threshold(7500)
    ),
    "settings-threshold-1e4": v(
        "settings", "threshold_gbp: 5000", "threshold_gbp: 1e4", probe=threshold(10000)
    ),
    "settings-threshold-words": v(
        "settings", "threshold_gbp: 5000", "threshold_gbp: five thousand", expect="refused"
    ),
    "settings-threshold-list": v("settings", "threshold_gbp: 5000", "threshold_gbp: [5000]"),
    "settings-threshold-null": v("settings", "threshold_gbp: 5000", "threshold_gbp: null"),
    "settings-aggregation-quoted": v(
        "settings", "aggregation_months: 12", 'aggregation_months: "12"'
    ),
    "settings-aggregation-fraction": v(
        "settings", "aggregation_months: 12", "aggregation_months: 12.5"
    ),
    "settings-review-age-quoted": v(
        "settings",
        "review_max_age_months: 12",
        'review_max_age_months: "1"',
        probe=stale(*ALL_ORGS),
        report=True,
    ),
    "settings-body-name-number": v(
        "settings",
        "body_name: Office of the Police and Crime Commissioner for Norfolk",
        "body_name: 123",
    ),
    "settings-county-mapping": v("settings", "county: Norfolk", "county: {name: Norfolk}"),
    "settings-site-name-list": v(
        "settings", "site_name: Social Value register and Suppliers Charter", "site_name: [a, b]"
    ),
    "settings-contact-email-empty": v(
        "settings", "contact_email: socialvalue@example.org", "contact_email: ''"
    ),
    "settings-body-name-escape": v(
        "settings",
        "body_name: Office of the Police and Crime Commissioner for Norfolk",
        'body_name: "Office \\e[31m for Norfolk"',
    ),
    # priorities.yaml
    "priorities-order-quoted": v(
        "priorities",
        "order: 1",
        'order: "5"',
        probe=in_order("priorities/index.html", "Cohesive communities", "Preventing crime"),
    ),
    "priorities-order-words": v("priorities", "order: 1", "order: one", expect="refused"),
    "priorities-order-float": v("priorities", "order: 1", "order: 1.0"),
    "priorities-title-null": v("priorities", "title: Preventing crime", "title: null"),
    "priorities-summary-number": v(
        "priorities", "summary: Stop crime before it happens.", "summary: 42"
    ),
    "priorities-kind-list": v("priorities", "kind: plan-priority", "kind: [plan-priority]"),
    "priorities-description-mapping": v(
        "priorities",
        "description: Safe spaces for young people and work for ex-offenders.",
        "description: {text: Safe spaces}",
    ),
    # units.yaml
    "units-integer-yes": v("units", "integer: false", 'integer: "yes"'),
    "units-integer-quoted-false": v("units", "integer: false", 'integer: "false"'),
    "units-singular-number": v("units", "singular: hour", "singular: 5"),
    "units-plural-empty": v("units", "plural: hours", "plural: ''"),
    # offer-types.yaml
    "offer-types-order-quoted": v(
        "offer-types",
        "order: 1",
        'order: "4"',
        probe=in_order(
            "opportunities/index.html", "Staff time and volunteering", "Donations and sponsorship"
        ),
    ),
    "offer-types-examples-text": v(
        "offer-types",
        "examples:\n    - A donation towards a youth club's running costs",
        "examples: A donation",
    ),
    "offer-types-examples-null": v(
        "offer-types",
        "examples: [Reviewing a charity's accounts, Helping to write HR policies]",
        "examples: null",
    ),
    "offer-types-examples-numbers": v(
        "offer-types",
        "examples: [Reviewing a charity's accounts, Helping to write HR policies]",
        "examples: [1, 2]",
    ),
    "offer-types-title-list": v(
        "offer-types", "title: Donations and sponsorship", "title: [Donations, sponsorship]"
    ),
    "offer-types-description-empty": v(
        "offer-types",
        "description: Money given to a VCSE or a community project.",
        "description: ''",
    ),
    # areas.yaml
    "areas-name-list": v("areas", "name: Breckland,", "name: [a, b],"),
    "areas-kind-null": v(
        "areas", "kind: district, description: Centre", "kind: null, description: Centre"
    ),
    "areas-description-number": v("areas", "description: The east coast.", "description: 12"),
    "areas-name-boolean": v("areas", "name: Broadland", "name: true"),
    # measures.yaml
    "measures-order-quoted": v(
        "measures",
        "order: 1",
        'order: "1"',
        probe=in_order(
            "priorities/preventing-crime/index.html", "Safe spaces for children and young adults"
        ),
    ),
    "measures-offers-text": v("measures", "offers: [volunteering]", "offers: volunteering"),
    "measures-unit-list": v("measures", "unit: pounds", "unit: [pounds]"),
    "measures-title-null": v("measures", "title: Community green spaces", "title: null"),
    "measures-counts-empty": v(
        "measures", "counts: Hours your staff spend volunteering.", "counts: ''"
    ),
    "measures-offers-empty-list": v("measures", "offers: [volunteering]", "offers: []"),
    # charter.yaml
    "charter-order-quoted": v(
        "charter",
        "order: 1",
        'order: "3"',
        probe=in_order("charter/index.html", "Spend locally", "Pay at least the real Living Wage"),
    ),
    "charter-sample-quoted-false": v("charter", "sample: true", 'sample: "false"'),
    "charter-sample-yes": v("charter", "sample: true", "sample: 'yes'"),
    "charter-theme-null": v("charter", "theme: staffing", "theme: null"),
    "charter-evidence-mapping": v(
        "charter",
        "evidence: Living Wage Foundation accreditation.",
        "evidence: {by: Living Wage Foundation}",
    ),
    # partners.yaml
    "partners-since-quoted": v(
        "partners",
        "since: 2025-09-01",
        'since: "2025-01-01"',
        probe=cell("partners", "sample-housing-partnership", "since", "2025-01-01"),
    ),
    "partners-since-month-13": v(
        "partners", "since: 2025-09-01", "since: 2025-13-01", expect="refused"
    ),
    "partners-priorities-text": v(
        "partners", "priorities: [preventing-crime, environment]", "priorities: environment"
    ),
    "partners-sample-quoted-false": v("partners", "sample: true", 'sample: "false"'),
    "partners-website-number": v(
        "partners", "website: https://housing.example.org/", "website: 12"
    ),
    "partners-name-null": v("partners", 'name: "Sample: Housing Partnership"', "name: null"),
    # signatories.yaml (one signatory added to the minimal register)
    "signatories-valid": v(
        "signatories",
        "signed: 2026-02-01",
        "signed: 2026-02-01",
        expect="accepted",
        probe=cell("signatories", "sample-signer", "signed", "2026-02-01"),
    ),
    "signatories-signed-feb-30": v(
        "signatories", "signed: 2026-02-01", "signed: 2026-02-30", expect="refused"
    ),
    "signatories-signed-quoted-feb-30": v(
        "signatories", "signed: 2026-02-01", 'signed: "2026-02-30"', expect="refused"
    ),
    "signatories-signed-quoted": v(
        "signatories",
        "signed: 2026-02-01",
        'signed: "2026-03-02"',
        probe=cell("signatories", "sample-signer", "signed", "2026-03-02"),
    ),
    "signatories-commitments-text": v(
        "signatories", "commitments: [ch-living-wage]", "commitments: ch-living-wage"
    ),
    "signatories-companies-house-number": v(
        "signatories", "companies_house: AB123456", "companies_house: 12345678"
    ),
    "signatories-name-list": v("signatories", "name: Sample Signer Ltd", "name: [a, b]"),
    "signatories-signed-empty": v("signatories", "signed: 2026-02-01", "signed: ''"),
    # organisations/*.yaml
    "organisations-reviewed-quoted": v(
        "organisations",
        "reviewed: 2026-10-01",
        "reviewed: '2026-01-05'",
        probe=stale(),
        report=True,
    ),
    "organisations-reviewed-quoted-stale": v(
        "organisations",
        "reviewed: 2026-10-01",
        "reviewed: '2025-01-05'",
        probe=stale("sample-youth-club.yaml"),
        report=True,
    ),
    "organisations-safeguarding-quoted-with-address": v(
        "green", "address: 1 Sample", 'safeguarding: "true"\naddress: 1 Sample', expect="refused"
    ),
    "organisations-safeguarding-quoted-no-address": v(
        "haven", "safeguarding: true", 'safeguarding: "true"'
    ),
    "organisations-safeguarding-quoted-false": v(
        "green",
        "address: 1 Sample",
        'safeguarding: "false"\naddress: 1 Sample',
        probe=cell("organisations", "sample-green-spaces", "address", "1 Sample Street, Dereham"),
    ),
    "organisations-added-empty": v("green", "added: 2026-01-15", "added: ''"),
    "organisations-added-quoted": v(
        "green",
        "added: 2026-01-15",
        "added: '2026-01-15'",
        probe=cell("organisations", "sample-green-spaces", "added", "2026-01-15"),
    ),
    "organisations-added-feb-30": v(
        "green", "added: 2026-01-15", "added: 2026-02-30", expect="refused"
    ),
    "organisations-name-list": v("organisations", "name: Sample Youth Club", "name: [a, b]"),
    "organisations-areas-text": v("organisations", "areas: [norwich]", "areas: norwich"),
    "organisations-contact-text": v(
        "haven", "contact:\n  email: contact@safe-haven.example.org", 'contact: "x"'
    ),
    "organisations-contact-null": v(
        "haven", "contact:\n  email: contact@safe-haven.example.org", "contact: null"
    ),
    "organisations-contact-email-list": v(
        "haven", "email: contact@safe-haven.example.org", "email: [contact@safe-haven.example.org]"
    ),
    "organisations-description-escape": v(
        "organisations",
        "description: A fictional youth club that runs evening sessions for young people.",
        'description: "A fictional youth club \\e[31m for young people, evenings."',
    ),
    "organisations-yaml-alias": v(
        "organisations",
        "description: A fictional",
        "description: &d A fictional",
        "welcomes: Volunteers for Tuesday evenings.",
        "welcomes: *d",
    ),
    "organisations-yml-file": Variant("organisations", {"organisations/sample-yml-club.yml": YML}),
    "organisations-sample-quoted-false": v("organisations", "sample: true", 'sample: "false"'),
    "organisations-town-number": v("organisations", "town: Norwich", "town: 123"),
    "organisations-measures-null": v(
        "organisations",
        "measures:\n  - pc-safe-spaces\n  - cc-youth-volunteering",
        "measures: null",
    ),
    "organisations-offers-mapping": v(
        "organisations", "offers: [money, volunteering]", "offers: {money: 1}"
    ),
    "organisations-reviewed-null": v("organisations", "reviewed: 2026-10-01", "reviewed: null"),
    "organisations-reviewed-datetime": v(
        "organisations", "reviewed: 2026-10-01", "reviewed: 2026-10-01T10:00:00"
    ),
    "organisations-org-id-number": v("organisations", "org_id: GB-CHC-1000001", "org_id: 1000001"),
    "organisations-phone-octal": v("organisations", "phone: 01603 000 123", "phone: 01603000123"),
    "organisations-empty-file": Variant("organisations", {PATHS["organisations"]: ""}),
    # content/updates/*.md (dated posts)
    "updates-valid": post(
        "title: Sample update",
        "title: Sample update",
        expect="accepted",
        probe=in_order("updates/index.html", "Sample update"),
    ),
    "updates-date-feb-30": post("date: 2026-11-01", "date: 2026-02-30", expect="refused"),
    "updates-date-quoted": post(
        "date: 2026-11-01", "date: '2026-11-02'", probe=in_order("updates.xml", "2026-11-02")
    ),
    "updates-title-list": post("title: Sample update", "title: [a, b]"),
    "updates-summary-null": post("summary: A fictional update.", "summary: null"),
    "updates-date-empty": post("date: 2026-11-01", "date: ''"),
}


# Refused variants built over a copy of a real site, which must come through byte for byte.
KEEP_SITE = {
    "settings-threshold-words",
    "priorities-order-words",
    "partners-since-month-13",
    "signatories-signed-feb-30",
    "organisations-safeguarding-quoted-with-address",
    "updates-date-feb-30",
}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Every variant checked and built, two at a time, over one good previous site."""
    work = tmp_path_factory.mktemp("corpus")
    base = work / "base-site"
    register = make_minimal_register(work / "base" / "register")
    built = cli("build", "--register", register, "--content", REPO / "content", "--out", base)
    assert built.returncode == 0, built.stderr
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {
            name: pool.submit(run_variant, name, variant, work, base)
            for name, variant in VARIANTS.items()
        }
        return {name: future.result() for name, future in futures.items()}


def said(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"


@pytest.mark.parametrize("name", list(VARIANTS))
def test_check_and_build_agree(outcomes: dict[str, Outcome], name: str) -> None:
    outcome, variant = outcomes[name], VARIANTS[name]
    check, build = outcome.check, outcome.build

    assert check.returncode in (0, 1), said(check)
    assert "Traceback" not in check.stdout + check.stderr, said(check)
    assert "Traceback" not in build.stdout + build.stderr, said(build)
    assert build.returncode == check.returncode, f"check: {said(check)}\nbuild: {said(build)}"
    if variant.expect is not None:
        assert ("accepted" if check.returncode == 0 else "refused") == variant.expect, said(check)
    if check.returncode:
        assert check.stdout.strip(), "a refused register names its problems"
        assert outcome.kept is not False, "the last good site was changed"
        assert outcome.kept or not outcome.out.exists(), "a refused build wrote a site"
    elif variant.probe is not None:
        variant.probe(outcome)


def test_the_corpus_covers_every_table() -> None:
    tables = {variant.table for variant in VARIANTS.values()}

    assert len(VARIANTS) >= 60
    assert tables == {
        "settings",
        "priorities",
        "units",
        "offer-types",
        "areas",
        "measures",
        "charter",
        "partners",
        "signatories",
        "organisations",
        "updates",
    }


def test_both_outcomes_occur_and_the_kept_sites_were_checked(
    outcomes: dict[str, Outcome],
) -> None:
    refused = {name for name, outcome in outcomes.items() if outcome.check.returncode}

    assert 0 < len(refused) < len(outcomes)
    assert KEEP_SITE <= refused, KEEP_SITE - refused
    assert all(outcomes[name].kept for name in KEEP_SITE)
