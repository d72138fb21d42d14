"""Small registers written from inline text, for any test that needs one.

`make_minimal_register(root, overrides)` writes a SMALL but complete, valid register into
`root`: the repository's own `datapackage.yaml`, `schemas/` and one-row `settings.yaml` (so
the data contract under test is the real one), plus the short inline tables below.
`overrides` replaces or adds files (paths relative to `root`); `None` deletes a file instead.

The minimal register holds 4 priorities, 2 units, 3 offer types, the 8 areas, 4 measures,
2 Charter commitments, 1 partner, no signatories and 3 organisations:

- `organisations/sample-youth-club.yaml`   Norwich, two measures, full contact
- `organisations/sample-safe-haven.yaml`   county-wide, `safeguarding: true`, email only
- `organisations/sample-green-spaces.yaml` Breckland and Broadland, town and address

Every organisation was reviewed on `REVIEWED` (2026-10-01): valid for `TODAY` (2026-11-24),
the fixed date the in-process tests pass to `validate`/`check` so they do not rot. Tests that
run the real command line pass `--today TODAY` too.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE_REGISTER = REPO / "register"
TODAY = dt.date(2026, 11, 24)
REVIEWED = dt.date(2026, 10, 1)

Files = Mapping[str, "str | bytes | None"]

# Copied from the repository's register/ so they always match its data contract. settings.yaml
# is one row of configuration, not sample data, and changes together with its schema.
COPIED = ("datapackage.yaml", "settings.yaml")


def write_tree(root: Path, files: Files) -> Path:
    """Write `files` (relative path -> content) under `root` and return `root`.

    Text is dedented and loses one leading newline, so a triple-quoted string can start on
    the line after the quotes; bytes are written exactly as given (tabs, Latin-1, BOMs).
    `None` deletes the file.
    """
    root.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = root / name
        if content is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).removeprefix("\n"), encoding="utf-8")
    return root


PRIORITIES = """
    - id: preventing-crime
      title: Preventing crime
      kind: plan-priority
      order: 1
      summary: Stop crime before it happens.
      description: Safe spaces for young people and work for ex-offenders.
    - id: cohesive-communities
      title: Cohesive communities
      kind: plan-priority
      order: 2
      summary: Stronger, connected communities.
      description: Jobs, volunteering and local spending.
    - id: reducing-harm
      title: Reducing harm
      kind: plan-priority
      order: 3
      summary: Protect people from harm.
      description: Victims of crime, domestic abuse and modern slavery.
    - id: environment
      title: Environment and climate
      kind: environment
      order: 4
      summary: Environmental benefits for Norfolk.
      description: Trees, energy and green spaces.
    """

UNITS = """
    - id: hours
      singular: hour
      plural: hours
      integer: false
    - id: pounds
      singular: pound (£)
      plural: pounds (£)
      integer: false
    """

OFFER_TYPES = """
    - id: money
      title: Donations and sponsorship
      order: 1
      description: Money given to a VCSE or a community project.
      examples:
        - A donation towards a youth club's running costs
    - id: volunteering
      title: Staff time and volunteering
      order: 2
      description: Your staff give their time to help a VCSE.
    - id: professional-advice
      title: Free professional support and advice
      order: 3
      description: Skills your business already has, given free to a VCSE.
      examples: [Reviewing a charity's accounts, Helping to write HR policies]
    """

AREAS = """
    - {id: breckland, name: Breckland, kind: district, description: Centre and south-west.}
    - {id: broadland, name: Broadland, kind: district, description: North and east of Norwich.}
    - {id: great-yarmouth, name: Great Yarmouth, kind: district, description: The east coast.}
    - id: kings-lynn-and-west-norfolk
      name: King's Lynn and West Norfolk
      kind: district
      description: The west of Norfolk.
    - {id: north-norfolk, name: North Norfolk, kind: district, description: The north coast.}
    - {id: norwich, name: Norwich, kind: district, description: The city of Norwich.}
    - {id: south-norfolk, name: South Norfolk, kind: district, description: South of Norwich.}
    - {id: norfolk, name: County-wide, kind: county, description: The whole of Norfolk.}
    """

MEASURES = """
    - id: pc-safe-spaces
      priority: preventing-crime
      order: 1
      title: Safe spaces for children and young adults
      explanation: Help more safe places for young people open.
      counts: Money, time or space that keeps a safe space running.
      offers: [money, volunteering]
      unit: hours
    - id: cc-youth-volunteering
      priority: cohesive-communities
      order: 1
      title: Volunteering with groups for young people
      explanation: Your staff help community groups for young people.
      counts: Hours your staff spend volunteering.
      offers: [volunteering]
      unit: hours
    - id: rh-advice-for-victim-vcses
      priority: reducing-harm
      order: 1
      title: Free professional advice for VCSEs that support victims
      explanation: Give your skills free to VCSEs that support victims.
      counts: Hours of free professional advice.
      offers: [professional-advice]
      unit: hours
    - id: env-green-spaces
      priority: environment
      order: 1
      title: Community green spaces
      explanation: Help communities look after green spaces.
      counts: Money or volunteering for a community green space.
      offers: [money, volunteering]
      unit: pounds
    """

CHARTER = """
    - id: ch-living-wage
      order: 1
      title: Pay at least the real Living Wage
      explanation: You pay all your staff at least the real Living Wage.
      evidence: Living Wage Foundation accreditation.
      theme: staffing
      sample: true
    - id: ch-local-spend
      order: 2
      title: Spend locally
      explanation: You buy from Norfolk businesses where you can.
      evidence: A summary of your local spend.
      theme: operations
      sample: true
    """

PARTNERS = """
    - id: sample-housing-partnership
      name: "Sample: Housing Partnership"
      adoption: partial
      priorities: [preventing-crime, environment]
      description: A fictional housing partnership.
      website: https://housing.example.org/
      since: 2025-09-01
      sample: true
    """

YOUTH_CLUB = """
    id: sample-youth-club
    name: Sample Youth Club
    org_id: GB-CHC-1000001
    description: A fictional youth club that runs evening sessions for young people.
    areas: [norwich]
    measures:
      - pc-safe-spaces
      - cc-youth-volunteering
    offers: [money, volunteering]
    welcomes: Volunteers for Tuesday evenings.
    contact:
      email: hello@youth-club.example.org
      website: https://youth-club.example.org/
      phone: 01603 000 123
    town: Norwich
    reviewed: {reviewed}
    sample: true
    """

SAFE_HAVEN = """
    id: sample-safe-haven
    name: Sample Safe Haven
    description: A fictional refuge service for people escaping domestic abuse.
    areas: [norfolk]
    measures: [rh-advice-for-victim-vcses]
    offers: [professional-advice]
    contact:
      email: contact@safe-haven.example.org
    safeguarding: true
    reviewed: {reviewed}
    sample: true
    """

GREEN_SPACES = """
    id: sample-green-spaces
    name: Sample Green Spaces Trust
    description: A fictional trust that looks after community green spaces.
    areas: [breckland, broadland]
    measures: [env-green-spaces]
    offers: [money, volunteering]
    contact:
      website: https://green-spaces.example.org/
    town: Dereham
    address: 1 Sample Street, Dereham
    added: 2026-01-15
    reviewed: {reviewed}
    sample: true
    """


def minimal_files(reviewed: dt.date = REVIEWED) -> dict[str, str]:
    """The minimal register's own files (not the descriptor and schemas copied from the repo)."""
    day = reviewed.isoformat()
    return {
        "priorities.yaml": PRIORITIES,
        "units.yaml": UNITS,
        "offer-types.yaml": OFFER_TYPES,
        "areas.yaml": AREAS,
        "measures.yaml": MEASURES,
        "charter.yaml": CHARTER,
        "partners.yaml": PARTNERS,
        "signatories.yaml": "[]\n",
        "organisations/sample-youth-club.yaml": YOUTH_CLUB.replace("{reviewed}", day),
        "organisations/sample-safe-haven.yaml": SAFE_HAVEN.replace("{reviewed}", day),
        "organisations/sample-green-spaces.yaml": GREEN_SPACES.replace("{reviewed}", day),
    }


def make_minimal_register(
    root: Path, overrides: Files | None = None, *, reviewed: dt.date = REVIEWED
) -> Path:
    """Write the minimal register into `root`, apply `overrides` (see `write_tree`); return `root`.

    `reviewed` is the review date of the three organisations.
    """
    root.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        shutil.copy(SAMPLE_REGISTER / name, root / name)
    shutil.copytree(SAMPLE_REGISTER / "schemas", root / "schemas", dirs_exist_ok=True)
    write_tree(root, minimal_files(reviewed))
    return write_tree(root, overrides or {})


# Browser tests drive Debian's Chromium (never `playwright install`); these flags keep it off the
# network, which this machine does not have.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def run_build(register: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """`python build.py build --register REGISTER --out OUT`, run from the repository root."""
    return subprocess.run(
        [sys.executable, "build.py", "build", "--today", TODAY.isoformat()]
        + ["--register", str(register), "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )


def make_synthetic_register(out: Path, orgs: int) -> Path:
    """A valid register of `orgs` generated organisations (benchmarks/make_register.py)."""
    subprocess.run(
        [sys.executable, "benchmarks/make_register.py", "--orgs", str(orgs), "--out", str(out)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    return out


def built_site(register_dir: Path, out: Path, content: Path | None = None, today: dt.date = TODAY):
    """Check, then build the site into `out` as `python build.py build` does; the Register."""
    from socialvalue.register.check import Passed, check
    from socialvalue.site import SitePaths, build_site

    checked = check(register_dir, today, content if content is not None else REPO / "content")
    assert isinstance(checked, Passed), checked.problems
    build_site(SitePaths(register_dir, out, REPO), checked)
    return checked.register
