"""Hostile register files through the real command line: bombs, odd files, hidden characters, names.

Each test writes the minimal register (tests/fixtures.py) with one hostile change, runs
`python build.py check --today 2026-11-24` in a child process with a time limit and (for the
readers) a 1 GB address-space limit, so a regression fails the test instead of eating the
machine, and asserts: exit 1, no traceback, no raw control character in the output, and a
located `path[:line]: [field: ]message (hint)` line. tests/test_hostile_safeguarding.py does
the same for safeguarding entries, and builds the site to prove nothing sensitive is published.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from fixtures import REPO, TODAY, make_minimal_register, minimal_files

from socialvalue.register.yamlfile import MAX_BYTES

MEMORY = 1024**3  # bytes of address space for a check: the real one needs about a third of it
TIMEOUT = 60  # seconds; a check of the minimal register takes 1-2 s
RAW_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
ORGS = "organisations"
YOUTH = f"{ORGS}/sample-youth-club.yaml"
HAVEN = f"{ORGS}/sample-safe-haven.yaml"
GREEN = f"{ORGS}/sample-green-spaces.yaml"


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def cli(command: str, register: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """`python build.py COMMAND --register R --today 2026-11-24 ...`, time- and memory-bounded."""
    return subprocess.run(
        [sys.executable, "build.py", command, "--register", str(register)]
        + ["--today", TODAY.isoformat(), *extra],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        preexec_fn=_limit_memory if command == "check" else None,
    )


def refused(
    result: subprocess.CompletedProcess[str],
    path: Path,
    line: int | None,
    field: str | None,
    words: str,
) -> str:
    """Assert exit 1, a clean output, and the located problem line; return that line."""
    assert_clean(result)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "The register is valid" not in result.stderr
    where = re.escape(str(path)) + (rf":{line}(:\d+)?" if line is not None else "")
    what = rf"{re.escape(field)}: " if field else ""
    pattern = re.compile(rf"^{where}: {what}\S.* \(.+\)$", re.MULTILINE)
    found = [m.group() for m in pattern.finditer(result.stdout) if words in m.group()]
    assert found, f"no line like {pattern.pattern!r} saying {words!r} in:\n{result.stdout}"
    return found[0]


def assert_clean(result: subprocess.CompletedProcess[str]) -> None:
    """No traceback, no crash signal, no raw control character for a terminal to act on."""
    output = result.stdout + result.stderr
    assert result.returncode >= 0, f"killed by signal {-result.returncode}"
    assert "Traceback" not in output, output
    assert not RAW_CONTROL.search(output.replace("\n", "")), repr(output)


def org(name: str, extra: str = "") -> str:
    """A valid organisation file with `extra` lines at the end."""
    return (
        f"id: {name}\nname: Sample {name.title()}\n"
        "description: A fictional group written in by a hostile test.\n"
        "areas: [norwich]\nmeasures: [pc-safe-spaces]\noffers: [money]\n"
        "contact:\n  email: hello@example.org\nreviewed: 2026-10-01\nsample: true\n" + extra
    )


def billion_laughs() -> str:
    """About 1.3 KB that expands to 10**9 items if aliases are followed."""
    lines = ["laughs: &a [" + ", ".join(['"lol lol lol"'] * 10) + "]"]
    for prev, name in zip("abcdefghi", "bcdefghij", strict=True):
        lines.append(f"laughs_{name * 40}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_fast_with_little_memory(tmp_path: Path) -> None:
    text = org("sample-bomb") + billion_laughs()
    assert 1200 <= len(text.encode()) <= 1500
    register = make_minimal_register(tmp_path / "r", {f"{ORGS}/sample-bomb.yaml": text})
    result = cli("check", register)
    alias_line = text.splitlines().index(next(x for x in text.splitlines() if "*a" in x)) + 1
    refused(result, register / ORGS / "sample-bomb.yaml", alias_line, None, "YAML alias")


def test_aliases_of_one_long_text_are_refused(tmp_path: Path) -> None:
    """75,000 aliases of a 200 KB text: under the size cap, 15 GB once each alias is copied."""
    text = (
        org("sample-wide", f'welcomes: &w "{"x" * 200_000}"\n')
        + "offers_too: ["
        + ", ".join(["*w"] * 75_000)
        + "]\n"
    )
    assert len(text.encode()) < MAX_BYTES
    register = make_minimal_register(tmp_path / "r", {f"{ORGS}/sample-wide.yaml": text})
    refused(cli("check", register), register / ORGS / "sample-wide.yaml", 12, None, "YAML alias")


@pytest.mark.parametrize("opening", ["[", "- "], ids=["flow", "block"])
def test_deep_nesting_is_refused_without_crashing(tmp_path: Path, opening: str) -> None:
    """libyaml's composer recurses in C: 200,000 levels used to end in a segmentation fault."""
    text = opening * 200_000 + ("]" * 200_000 if opening == "[" else "x")
    register = make_minimal_register(tmp_path / "r", {f"{ORGS}/sample-deep.yaml": text})
    path = register / ORGS / "sample-deep.yaml"
    refused(cli("check", register), path, 1, None, "nested too deeply")


def _special_file(kind: str, folder: Path) -> Path:
    path = folder / "sample-special.yaml"
    if kind == "link-to-dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "link-to-a-file":
        path.symlink_to(folder / "sample-youth-club.yaml")
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path.write_text(org("sample-special", "welcomes: " + "x" * MAX_BYTES + "\n"))
    return path


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("link-to-dev-zero", "is a symbolic link"),
        ("link-to-a-file", "is a symbolic link"),
        ("fifo", "is not a regular file"),
        ("too-big", f"larger than {MAX_BYTES // 1024} KB"),
    ],
)
def test_special_files_are_refused_and_never_hang(tmp_path: Path, kind: str, words: str) -> None:
    register = make_minimal_register(tmp_path / "r")
    path = _special_file(kind, register / ORGS)
    refused(cli("check", register), path, None, None, words)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("sample-other.yml", "rename it to sample-other.yaml"),
        ("sample-other.YAML", "rename it to sample-other.yaml"),
        ("notes.txt", "only .yaml files belong here"),
        ("sample-folder", "this folder is not read"),
    ],
)
def test_files_the_build_would_skip_are_reported(tmp_path: Path, name: str, words: str) -> None:
    register = make_minimal_register(tmp_path / "r")
    if name == "sample-folder":
        (register / ORGS / name).mkdir()
        (register / ORGS / name / "sample-hidden.yaml").write_text(org("sample-hidden"))
    else:
        (register / ORGS / name).write_text(org("sample-other"))
    refused(cli("check", register), register / ORGS / name, None, None, words)


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("path: units.yaml", "path: ../../etc/passwd", "path"),
        ("path: units.yaml", "path: /etc/hostname", "path"),
        ("schemas/areas.schema.yaml", "../outside.schema.yaml", "schema"),
        ("schemas/areas.schema.yaml", "schemas/../../outside.schema.yaml", "schema"),
        ("sv:files: organisations/*.yaml", "sv:files: ../elsewhere/*.yaml", "sv:files"),
    ],
)
def test_descriptor_paths_must_stay_inside(tmp_path: Path, old: str, new: str, field: str) -> None:
    register = make_minimal_register(tmp_path / "r")
    (tmp_path / "outside.schema.yaml").write_text(
        (register / "schemas/areas.schema.yaml").read_text()
    )
    (tmp_path / "elsewhere").mkdir()
    descriptor = register / "datapackage.yaml"
    text = descriptor.read_text()
    assert old in text
    descriptor.write_text(text.replace(old, new))
    line = text[: text.index(old)].count("\n") + 1
    refused(cli("check", register), descriptor, line, field, "is outside the register folder")


def source(file: str) -> str:
    """The minimal register's `file` as written to disk (line 1 is `id:`)."""
    return textwrap.dedent(minimal_files()[file]).removeprefix("\n")


def edited(tmp_path: Path, file: str, old: str, new: str) -> Path:
    """The minimal register with `old` replaced by `new` (YAML source text) in `file`."""
    text = source(file)
    assert old in text, f"{file} no longer holds {old!r}"
    return make_minimal_register(tmp_path / "r", {file: text.replace(old, new, 1)})


YOUTH_NAME = "name: Sample Youth Club"
YOUTH_TEXT = "description: A fictional youth club that runs evening sessions for young people."
YOUTH_LAST = "sample: true"  # the file's last line (17): new fields go after it
CONTROL = [  # (old, new YAML text, line, field, words)
    (YOUTH_NAME, r'name: "Sample\0 Youth Club"', 2, "name", "U+0000"),
    (YOUTH_NAME, r'name: "Sample Youth Club\e[31m"', 2, "name", "U+001B"),
    (
        YOUTH_TEXT,
        r'description: "A fictional club \u202Ebulc htuoy for young people."',
        4,
        None,
        "",
    ),
    (YOUTH_NAME, r'name: "Sample Youth\nClub"', 2, "name", "must be on one line"),
    (
        YOUTH_LAST,
        YOUTH_LAST + '\nhow_to_approach: "Ring us.\\x1b[2K\\rThe register is valid.\\e[0m"',
        18,
        "how_to_approach",
        "U+001B",
    ),
]


@pytest.mark.parametrize(("old", "new", "line", "field", "words"), CONTROL)
def test_control_characters_are_refused(
    tmp_path: Path, old: str, new: str, line: int, field: str | None, words: str
) -> None:
    register = edited(tmp_path, YOUTH, old, new)
    field = field or new.partition(":")[0]
    refused(cli("check", register), register / YOUTH, line, field, words or "U+202E")


@pytest.mark.parametrize("output", ["text", "github", "json"])
def test_an_escape_sequence_never_reaches_the_terminal(tmp_path: Path, output: str) -> None:
    """A name that echoes into a problem message is spelled out (`\\x1b`), in every format."""
    register = edited(tmp_path, HAVEN, "name: Sample Safe Haven", r'name: "Sample Youth Club\e"')
    result = cli("check", register, "--format", output)
    assert_clean(result)
    assert result.returncode == 1
    assert "looks the same as" in result.stdout
    assert "\\x1b" in result.stdout or "\\u001b" in result.stdout, result.stdout


def test_a_raw_nul_byte_is_located(tmp_path: Path) -> None:
    text = source(YOUTH).replace("Sample Youth Club", "Sample Youth\0Club").encode()
    register = make_minimal_register(tmp_path / "r", {YOUTH: text})
    refused(cli("check", register), register / YOUTH, 2, None, "control character (#x0000)")


def test_a_line_break_is_allowed_in_a_description(tmp_path: Path) -> None:
    new = r'description: "A fictional youth club.\nIt runs evening sessions for young people."'
    result = cli("check", edited(tmp_path, YOUTH, YOUTH_TEXT, new))
    assert_clean(result)
    assert (result.returncode, result.stdout) == (0, ""), result.stdout + result.stderr


HAVEN_NAME = "name: Sample Safe Haven"
NAMES = [  # (new name line for the safe haven, file with the problem, words)
    ('name: "   "', HAVEN, "is blank"),
    (r'name: "\u200B\u200B"', HAVEN, "is blank"),
    ("name: Sample Youth Club", YOUTH, "is already the name of"),
    (r'name: "Sample Youth \u0421lub"', YOUTH, "looks the same as"),  # Cyrillic Es
    ('name: "sample  YOUTH   club "', YOUTH, "looks the same as"),
]


@pytest.mark.parametrize(("new", "file", "words"), NAMES)
def test_names_must_be_visible_and_distinct(
    tmp_path: Path, new: str, file: str, words: str
) -> None:
    register = edited(tmp_path, HAVEN, HAVEN_NAME, new)
    line = refused(cli("check", register), register / file, 2, "name", words)
    if file == YOUTH:  # the message names the other entry, with its line
        assert f"{register / HAVEN}:2" in line
