"""A register with organisations and contracts is validated on two cores (`check._parts`): a
forked child takes the smaller folder table with the small tables. The answer must be the one a
single process gives: every problem once, the same typed values, the tables in the same order.

Run in fresh processes (forking needs a process with one thread), with the split forced on, so
the test runs the same on one core or many.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from fixtures import REPO, TODAY, make_minimal_register
from test_contracts import CLEANING, cleaning

SCRIPT = """
import datetime as dt, importlib, os, sys
from pathlib import Path
check = importlib.import_module("socialvalue.register.check")  # the module, not its function
from socialvalue.register.files import load
from socialvalue.register.problems import format_text

register, pids = Path(sys.argv[1]), Path(sys.argv[2])
today = dt.date.fromisoformat(sys.argv[3])
check.SPLIT_ROWS = 10**9
alone, alone_tables = check.validate(load(register), today)
assert check._parts(load(register)) is None  # one process

check.SPLIT_ROWS = 1
check.may_fork = lambda: True
validate_part = check._validate_part
def tagged(raw, today):
    with pids.open("a") as out:
        out.write(f"{os.getpid()} {' '.join(sorted(raw.tables))}\\n")
    return validate_part(raw, today)
check._validate_part = tagged
split, split_tables = check.validate(load(register), today)

assert [format_text(p) for p in split] == [format_text(p) for p in alone], "other problems"
assert list(split_tables) == list(alone_tables), "the tables in another order"
for name, table in alone_tables.items():
    assert [r.values for r in split_tables[name].records] == [
        r.values for r in table.records
    ], name
    assert [r.path for r in split_tables[name].records] == [r.path for r in table.records]
print(len(split), sum(p.is_error for p in split))
"""

ORGANISATION = """\
id: sample-extra-{n}
name: Sample Extra {n}
description: A fictional organisation for the two-core check.
areas: [norwich]
measures: [pc-safe-spaces]
offers: [volunteering]
welcomes: Volunteers.
how_to_approach: Email us.
contact:
  email: extra-{n}@example.org
town: Norwich
reviewed: 2026-09-01
sample: true
"""


def _contract(n: int) -> str:
    return cleaning(
        ("id: sample-cleaning", f"id: sample-cleaning-{n}"),
        ("reference: SAMPLE-1", f"reference: SAMPLE-{n}"),
    )


def _broken_register(root: Path, contracts: int, extra_organisations: int) -> Path:
    """Problems in every part: contracts naming unknown organisations (and one whose id is
    mistyped), a contract with a bad item, an organisation with an unknown field, a measure
    with an unknown unit (a small table, which both processes validate)."""
    files: dict[str, str | None] = {
        f"contracts/sample-cleaning-{n}.yaml": _contract(n) for n in range(contracts)
    }
    files["contracts/sample-cleaning-1.yaml"] = cleaning(
        ("id: sample-cleaning", "id: sample-cleaning-1"),
        ("organisation: sample-youth-club", "organisation: sample-yuoth-club"),
    )
    files["contracts/sample-cleaning-2.yaml"] = cleaning(
        ("id: sample-cleaning", "id: sample-cleaning-2"),
        ("organisation: sample-youth-club", "organisation: sample-extra-0"),
        ("quantum: 100", "quantum: -3"),
    )
    files["contracts/sample-cleaning-3.yaml"] = cleaning(
        ("id: sample-cleaning", "id: sample-cleaning-3"),
        ("organisation: sample-youth-club", "organisation: sample-extra-1"),
    )
    for n in range(extra_organisations):
        files[f"organisations/sample-extra-{n}.yaml"] = ORGANISATION.format(n=n)
    if extra_organisations:  # a mistyped id: contract 3's organisation is not known
        files["organisations/sample-extra-1.yaml"] = (
            ORGANISATION.format(n=1).replace("id: sample-extra-1", "id: 1") + "colour: blue\n"
        )
    register = make_minimal_register(root, files)
    measures = register / "measures.yaml"
    measures.write_text(measures.read_text().replace("unit: ", "unit: nope-", 1))
    return register


@pytest.mark.parametrize(
    ("contracts", "organisations", "child"),
    [(6, 0, "organisations"), (6, 12, "contracts")],
    ids=["the organisations in the child", "the contracts in the child"],
)
def test_two_processes_find_what_one_finds(
    tmp_path: Path, contracts: int, organisations: int, child: str
) -> None:
    register = _broken_register(tmp_path / "register", contracts, organisations)
    pids = tmp_path / "pids.txt"

    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(register), str(pids), TODAY.isoformat()],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, done.stderr
    total, errors = map(int, done.stdout.split())
    assert errors >= 5 and total >= errors  # the broken files above were all found
    parts = [line.split() for line in pids.read_text().splitlines()[-2:]]
    assert len({pid for pid, *_ in parts}) == 2, "both parts in one process"
    there = next(tables for _, *tables in parts if child in tables)
    here = next(tables for _, *tables in parts if child not in tables)
    assert "measures" in there and "measures" in here  # the small tables in both
    assert {"organisations", "contracts"} - set(here) == {child}


def test_a_contract_naming_an_unknown_organisation_is_found_on_two_cores(tmp_path: Path) -> None:
    """The one rule that looks across the two folder tables, through the command line."""
    register = _broken_register(tmp_path / "register", 6, 12)
    script = textwrap.dedent(
        """
        import importlib, sys
        from socialvalue import cli
        check = importlib.import_module("socialvalue.register.check")
        check.SPLIT_ROWS = 1
        check.may_fork = lambda: True
        sys.exit(cli.main(sys.argv[1:]))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "check", "--today", TODAY.isoformat()]
        + ["--register", str(register)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 1
    out = done.stdout + done.stderr
    assert (
        'sample-cleaning-1.yaml:12: commitments[0].organisation: "sample-yuoth-club" is not a '
        'known organisation (did you mean "sample-youth-club"?)'
    ) in out
    assert 'sample-cleaning-3.yaml:12: commitments[0].organisation: "sample-extra-1" is not' in out
    assert "Traceback" not in out
    assert CLEANING.count("organisation:") == 2  # the lines above are the first commitment's
