"""What a volunteer reads when their organisation file has a mistake, through the real command line.

Each case edits the minimal register's youth club file (tests/fixtures.py), runs
`python build.py check --register ... --today 2026-11-24` and compares the exact
`path:line: field: message (hint)` lines it prints for that file.

The youth club file, as the fixture writes it:

     1 id: sample-youth-club            10 welcomes: Volunteers for Tuesday evenings.
     2 name: Sample Youth Club          11 contact:
     3 org_id: GB-CHC-1000001           12   email: hello@youth-club.example.org
     4 description: A fictional ...     13   website: https://youth-club.example.org/
     5 areas: [norwich]                 14   phone: 01603 000 123
     6 measures:                        15 town: Norwich
     7   - pc-safe-spaces               16 reviewed: 2026-10-01
     8   - cc-youth-volunteering        17 sample: true
     9 offers: [money, volunteering]
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from fixtures import REPO, REVIEWED, TODAY, YOUTH_CLUB, make_minimal_register

FILE = "organisations/sample-youth-club.yaml"
YOUTH = textwrap.dedent(YOUTH_CLUB.replace("{reviewed}", REVIEWED.isoformat())).removeprefix("\n")
CONTACT = """contact:
  email: hello@youth-club.example.org
  website: https://youth-club.example.org/
  phone: 01603 000 123
"""


def edited(old: str, new: str) -> str:
    assert old in YOUTH, old
    return YOUTH.replace(old, new, 1)


def check_lines(tmp_path: Path, text: str) -> tuple[int, list[str]]:
    """Exit code, and the printed problem lines about the youth club file (register path cut)."""
    register = make_minimal_register(tmp_path / "register", {FILE: text})
    result = subprocess.run(
        [sys.executable, "build.py", "check", "--register", str(register)]
        + ["--today", TODAY.isoformat()],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in result.stderr, result.stderr
    prefix = f"{register}/{FILE}:"
    lines = (result.stdout + result.stderr).splitlines()
    return result.returncode, [ln.replace(prefix, "") for ln in lines if ln.startswith(prefix)]


INDENT = "YAML syntax error: "
CASES = {
    # (a) indentation: the mis-indented line itself, and the spaces its neighbours use
    "contact-route-indented-too-far": (
        edited("  email:", "   email:"),
        1,
        [
            f"12:4: {INDENT}line 12 is indented by 3 spaces; the lines around it use 2 "
            "(indent line 12 by 2 spaces, like the lines around it)"
        ],
    ),
    "contact-route-indented-too-little": (
        edited("  website:", " website:"),
        1,
        [
            f"13:2: {INDENT}line 13 is indented by 1 space; the lines around it use 2 "
            "(indent line 13 by 2 spaces, like the lines around it)"
        ],
    ),
    "first-contact-route-indented-too-little": (
        edited("  email:", " email:"),
        1,
        [
            f"12:2: {INDENT}line 12 is indented by 1 space; the lines around it use 2 "
            "(indent line 12 by 2 spaces, like the lines around it)"
        ],
    ),
    "last-contact-route-indented-too-far": (
        edited("  phone:", "   phone:"),
        1,
        [
            f"14:4: {INDENT}line 14 is indented by 3 spaces; the lines around it use 2 "
            "(indent line 14 by 2 spaces, like the lines around it)"
        ],
    ),
    "top-level-field-indented": (
        edited("\ndescription:", "\n description:"),
        1,
        [
            f"4:2: {INDENT}line 4 is indented by 1 space; the lines around it are not indented "
            "(remove the spaces at the start of line 4)"
        ],
    ),
    "colon-in-a-value-still-means-quotes": (
        edited("Volunteers for Tuesday", "Volunteers: Tuesday"),
        1,
        [
            f"10:21: {INDENT}mapping values are not allowed in this context "
            "(put text that contains ': ' in quotes)"
        ],
    ),
    "list-item-indented-too-far": (
        edited("  - cc-youth", "   - cc-youth"),
        1,
        [
            '7: measures: "pc-safe-spaces - cc-youth-volunteering" is not a known measure '
            "(these are items run together: start each on its own line with `- `, lined up)"
        ],
    ),
    # (b) empty values say they are empty, whatever the path
    "required-field-empty": (
        edited("name: Sample Youth Club", "name:"),
        1,
        ["2: name: is empty, and it is required"],
    ),
    "required-field-empty-quotes": (
        edited("name: Sample Youth Club", 'name: ""'),
        1,
        ["2: name: is empty, and it is required"],
    ),
    "required-field-empty-list": (
        edited("name: Sample Youth Club", "name: []"),
        1,
        ["2: name: is empty, and it is required"],
    ),
    "optional-field-empty-quotes": (
        edited("town: Norwich", 'town: ""'),
        0,
        ["15: town: warning: is empty (fill it in, or delete the line)"],
    ),
    "optional-field-empty": (
        edited("welcomes: Volunteers for Tuesday evenings.", "welcomes:"),
        0,
        ["10: welcomes: warning: is empty (fill it in, or delete the line)"],
    ),
    "contact-route-empty": (
        edited("email: hello@youth-club.example.org", "email:"),
        1,
        ["12: contact.email: is empty (fill it in, or delete the line)"],
    ),
    "contact-route-empty-list": (
        edited("phone: 01603 000 123", "phone: []"),
        1,
        ["14: contact.phone: is empty (fill it in, or delete the line)"],
    ),
    "list-item-empty": (
        edited("  - cc-youth-volunteering", "  -"),
        1,
        ["8: measures: an item is empty (write the measure's id after `- `, or delete the line)"],
    ),
    "inline-list-item-empty": (
        edited("[norwich]", '[norwich, ""]'),
        1,
        ["5: areas: an item is empty (write the area's id after `- `, or delete the line)"],
    ),
    "list-empty": (
        edited("[money, volunteering]", "[]"),
        1,
        ["9: offers: the list is empty (name at least one offer type)"],
    ),
    # (c) removing every contact route is a warning, and the check still passes
    "every-contact-removed": (
        edited(CONTACT, ""),
        0,
        [
            "1: contact: warning: the entry gives no way to contact the organisation "
            "(add an email address, website or phone number under contact)"
        ],
    ),
    "contact-left-empty": (
        edited(CONTACT, "contact:\n"),
        0,
        [
            "11: contact: warning: the entry gives no way to contact the organisation "
            "(add an email address, website or phone number under contact)"
        ],
    ),
    # (d) a title or a name written for an id suggests the id
    "measure-by-title": (
        edited("  - pc-safe-spaces", "  - Safe spaces for children and young adults"),
        1,
        [
            '7: measures: "Safe spaces for children and young adults" is not a known measure '
            '(that is the measure\'s title: write its id, "pc-safe-spaces")'
        ],
    ),
    "area-by-name": (
        edited("[norwich]", "[Norwich]"),
        1,
        [
            '5: areas: "Norwich" is not a known area '
            '(that is the area\'s name: write its id, "norwich")'
        ],
    ),
    "area-by-name-with-apostrophe": (
        edited("[norwich]", "[King's Lynn and West Norfolk]"),
        1,
        [
            '5: areas: "King\'s Lynn and West Norfolk" is not a known area '
            '(that is the area\'s name: write its id, "kings-lynn-and-west-norfolk")'
        ],
    ),
    # (e) an unknown id points to where the ids are listed
    "unknown-offer": (
        edited("[money, volunteering]", "[money, cake]"),
        1,
        [
            '9: offers: "cake" is not a known offer type '
            '(see the list of offer type ids in CONTRIBUTING.md, under "Lists of ids")'
        ],
    ),
}


@pytest.mark.parametrize("text, code, expected", CASES.values(), ids=CASES.keys())
def test_the_check_prints_this_for_the_mistake(
    tmp_path: Path, text: str, code: int, expected: list[str]
) -> None:
    assert check_lines(tmp_path, text) == (code, expected)


def test_the_contributing_guide_has_the_lists_the_hints_point_to() -> None:
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "\n## Lists of ids\n" in guide
    for heading in ("### Areas", "### Kinds of help", "### Measures"):
        assert f"\n{heading}\n" in guide
    assert "`kings-lynn-and-west-norfolk`" in guide and "`pc-safe-spaces`" in guide
