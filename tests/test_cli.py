"""`python build.py check`: the real command in a subprocess, its output formats and exit codes.

Every run passes `--today` (the fixtures' fixed TODAY), so no result depends on the real date.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fixtures import REPO, TODAY, make_minimal_register
from test_validate import CASES, YOUTH, edit, youth

DATED = {"check", "build", "report", "data", "schema", "serve"}
COMPILER_STYLE = re.compile(r"^\S+\.yaml(:\d+(:\d+)?)?: \S.*$")
AREA_LINE = (
    'sample-youth-club.yaml:5: areas: "Norwch" is not a known area (did you mean "norwich"?)'
)


def command(*args: str) -> list[str]:
    """The real command line, told what day it is (never the machine's clock)."""
    if args and args[0] in DATED and "--today" not in args:
        args = (args[0], "--today", TODAY.isoformat(), *args[1:])
    return [sys.executable, str(REPO / "build.py"), *args]


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command(*args),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def register(minimal_register):
    """`register(overrides)`: a minimal register reviewed today."""
    return lambda overrides=None: minimal_register(overrides, reviewed=TODAY)


def stale(areas: str = "[norwich]") -> dict[str, str]:
    """The youth club reviewed 400 days ago (and its areas as given)."""
    long_ago = (TODAY - dt.timedelta(days=400)).isoformat()
    text = edit(YOUTH, "reviewed: 2026-10-01", f"reviewed: {long_ago}")
    return {YOUTH: text.replace("areas: [norwich]", f"areas: {areas}")}


def test_clean_register_exits_0_silently(register):
    result = run("check", "--register", str(register()))

    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr.strip() == "The register is valid: no problems found."


def test_the_shipped_sample_register_passes():
    result = run("check")

    assert result.returncode == 0, result.stdout
    assert all(
        COMPILER_STYLE.match(line) and "warning:" in line for line in result.stdout.splitlines()
    )


def test_an_error_exits_1_with_a_compiler_style_line(register):
    root = register(youth("areas: [norwich]", "areas: [Norwch]"))

    result = run("check", "--register", str(root))

    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"{root.as_posix()}/organisations/{AREA_LINE}"]
    assert result.stderr.strip() == "Found 1 error."


@pytest.mark.parametrize("areas", ["[norwich]", "[Norwch]"], ids=["a warning", "an error"])
def test_a_reader_that_stops_early_gets_no_traceback(register, areas):
    """`python build.py check | head -1`: the reader goes before the problems are printed."""
    root = register(stale(areas))
    process = subprocess.Popen(
        command("check", "--register", str(root)),
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before the command can write its first line

    errors = process.stderr.read().decode()
    process.wait(timeout=120)

    assert "Traceback" not in errors and "Error" not in errors, errors
    assert process.returncode == 141  # as if stopped by SIGPIPE: not everything was said


def test_a_closed_standard_output_is_not_a_crash(register) -> None:
    """`python build.py check >&-`: nothing to print to, and the register is still checked."""
    root = register()
    done = subprocess.run(
        command("check", "--register", str(root)),
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        preexec_fn=lambda: os.close(1),
    )

    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0


def test_paths_are_relative_to_the_working_directory(register, tmp_path):
    register(youth("areas: [norwich]", "areas: [Norwch]"))  # written to tmp_path/register

    text = run("check", cwd=tmp_path)
    github = run("check", "--format", "github", cwd=tmp_path)

    assert text.stdout.splitlines() == [f"register/organisations/{AREA_LINE}"]
    assert github.stdout.splitlines() == [
        "::error file=register/organisations/sample-youth-club.yaml,line=5,title=areas::"
        '"Norwch" is not a known area (did you mean "norwich"?)'
    ]


def test_warnings_exit_0_but_1_with_strict(register):
    root = register(stale())

    lenient = run("check", "--register", str(root))
    strict = run("check", "--register", str(root), "--strict")

    assert (lenient.returncode, strict.returncode) == (0, 1)
    assert lenient.stdout == strict.stdout
    assert re.fullmatch(
        r"\S+/sample-youth-club\.yaml:16: reviewed: warning: .*over 12 months ago.*\n",
        lenient.stdout,
    )
    assert lenient.stderr.strip() == "Found 1 warning."


def test_github_format(register):
    root = register(
        {
            **youth("areas: [norwich]", "areas: [Norwch]"),
            "organisations/sample-green-spaces.yaml": "id: a\n  bad: indent\n",
        }
    )

    result = run("check", "--register", str(root), "--format", "github")

    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert [re.sub(r"file=[^,]*/", "file=", line) for line in lines] == [
        "::error file=sample-green-spaces.yaml,line=2,col=6::YAML syntax error: "
        "mapping values are not allowed in this context (put text that contains ': ' in quotes)",
        '::error file=sample-youth-club.yaml,line=5,title=areas::"Norwch" is not a known area '
        '(did you mean "norwich"?)',
    ]


def test_json_format(register):
    root = register(stale(areas="[Norwch]"))

    result = run("check", "--register", str(root), "--format", "json")

    data = json.loads(result.stdout)
    assert result.returncode == 1
    assert (data["ok"], data["errors"], data["warnings"]) == (False, 1, 1)
    assert [
        (Path(p["path"]).name, p["line"], p["field"], p["severity"]) for p in data["problems"]
    ] == [
        ("sample-youth-club.yaml", 5, "areas", "error"),
        ("sample-youth-club.yaml", 16, "reviewed", "warning"),
    ]
    assert data["problems"][0]["hint"] == 'did you mean "norwich"?'


def test_json_format_when_clean(register):
    result = run("check", "--register", str(register()), "--format", "json")

    assert result.returncode == 0
    assert json.loads(result.stdout) == {"ok": True, "errors": 0, "warnings": 0, "problems": []}


def test_a_folder_without_a_register_exits_1(tmp_path):
    result = run("check", "--register", str(tmp_path / "nowhere"))

    assert result.returncode == 1
    assert "there is no register here: datapackage.yaml is missing" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["frobnicate"],
        ["check", "--format", "xml"],
        ["check", "--wat"],
        ["data"],
        ["check", "--register"],
    ],
    ids=[
        "unknown-command",
        "unknown-format",
        "unknown-option",
        "data-without-out",
        "register-without-dir",
    ],
)
def test_usage_errors_exit_2(args):
    result = run(*args)

    assert result.returncode == 2
    assert "usage:" in (result.stdout + result.stderr).lower()
    assert "Traceback" not in result.stderr


def test_no_bad_input_gives_a_traceback(tmp_path):
    """Every case of the bad-input table (test_validate.py), through the real command line."""

    def one(name: str) -> tuple[str, int, str, str]:
        root = make_minimal_register(tmp_path / name, CASES[name].files)
        result = run("check", "--register", str(root))
        return name, result.returncode, result.stdout, result.stderr

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(one, CASES))

    failures = []
    for name, code, out, err in results:
        case = CASES[name]
        expected = 1 if case.severity == "error" else 0
        if (
            "Traceback" in out + err
            or not out
            or code not in (0, 1)
            or code != expected
            or not all(COMPILER_STYLE.match(line) for line in out.splitlines())
            or not err.strip().startswith(("Found", "The register"))
        ):
            failures.append((name, code, out[-500:], err[-1500:]))
    assert failures == []
    assert len(results) == len(CASES)


def test_changed_shows_warnings_only_for_the_changed_files(register):
    """The pull-request check: errors anywhere, warnings only on the files a change touched."""
    root = register(
        {
            **stale(),
            "organisations/sample-green-spaces.yaml": edit(
                "organisations/sample-green-spaces.yaml",
                "reviewed: 2026-10-01",
                "reviewed: 2024-01-01",
            ),
        }
    )
    youth = str(root / YOUTH)

    everything = run("check", "--register", str(root), "--format", "github")
    changed = run("check", "--register", str(root), "--format", "github", "--changed", youth)

    assert everything.stdout.count("::warning") == 2
    assert changed.stdout.count("::warning") == 1 and "sample-youth-club.yaml" in changed.stdout
    assert "1 warning(s) on files this change did not touch" in changed.stderr
    assert changed.returncode == 0
