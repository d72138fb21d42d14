"""The contributor workflow files: they parse, and every command they or the docs show exists.

Covers .github/ (workflows, issue form, pull request template), .pre-commit-config.yaml,
CONTRIBUTING.md and docs/deploy.md.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from fixtures import REPO, SAMPLE_REGISTER, TODAY

from socialvalue.register.check import check
from socialvalue.register.files import load

GITHUB = REPO / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
PRE_COMMIT = REPO / ".pre-commit-config.yaml"
CONTRIBUTING = REPO / "CONTRIBUTING.md"
DOCS = (CONTRIBUTING, REPO / "docs/deploy.md")
COMMAND = re.compile(
    r"(?:\S*/)?python3?\s+(build\.py|-m\s+socialvalue\.intake)((?:[ \t]+[^\s|&;>]+)*)"
)


def read_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def workflow(name: str) -> dict[str, Any]:
    return read_yaml(GITHUB / "workflows" / name)


def triggers(flow: dict[str, Any]) -> dict[str, Any]:
    return flow.get("on", flow.get(True))  # YAML 1.1 reads a bare `on:` key as True


def steps(flow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in flow["jobs"].values() for step in job.get("steps", [])]


def runs(flow: dict[str, Any]) -> list[str]:
    return [line.strip() for step in steps(flow) for line in str(step.get("run", "")).splitlines()]


def code_blocks(markdown: str) -> list[tuple[str, str]]:
    """(language, text) of every fenced code block."""
    return re.findall(r"^```(\w*)\n(.*?)^```", markdown, flags=re.MULTILINE | re.DOTALL)


def commands_in(text: str) -> list[tuple[str, ...]]:
    """Each `python build.py ...` / `python -m socialvalue.intake ...` as (program, words...)."""
    found = []
    for match in COMMAND.finditer(text.replace("\\\n", " ")):
        program = "build.py" if match.group(1) == "build.py" else "intake"
        found.append((program, *shlex.split(match.group(2))))
    return found


def shown_commands() -> dict[str, list[tuple[str, ...]]]:
    shown: dict[str, list[tuple[str, ...]]] = {}
    for path in WORKFLOWS:
        shown[path.name] = [c for line in runs(read_yaml(path)) for c in commands_in(line)]
    hooks = [h for repo in read_yaml(PRE_COMMIT)["repos"] for h in repo["hooks"]]
    shown[PRE_COMMIT.name] = [c for hook in hooks for c in commands_in(hook["entry"])]
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        blocks = [block for _lang, block in code_blocks(text)]
        spans = re.findall(
            r"`([^`\n]+)`", re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)
        )
        shown[path.name] = [c for part in (*blocks, *spans) for c in commands_in(part)]
    return shown


def all_shown() -> list[tuple[str, ...]]:
    return sorted({command for commands in shown_commands().values() for command in commands})


def test_every_source_shows_commands() -> None:
    assert all(shown_commands().values()), shown_commands()


@pytest.mark.parametrize("command", all_shown(), ids=" ".join)
def test_each_shown_command_and_option_exists(command: tuple[str, ...]) -> None:
    program, *words = command
    sub = [w for w in words[:1] if not w.startswith("-")]
    if program == "build.py":
        assert sub, f"`python build.py` with no command in {command}"
        argv = [sys.executable, "build.py", *sub, "--help"]
    else:
        argv = [sys.executable, "-m", "socialvalue.intake", *sub, "--help"]
    result = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    for option in (w.split("=")[0] for w in words if w.startswith("--")):
        assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", result.stdout), (
            option,
            result.stdout,
        )


@pytest.mark.parametrize(
    "path",
    [*WORKFLOWS, *sorted((GITHUB / "ISSUE_TEMPLATE").glob("*.yml")), PRE_COMMIT],
    ids=lambda p: p.name,
)
def test_the_yaml_files_parse(path: Path) -> None:
    assert isinstance(read_yaml(path), dict)


def test_the_pull_request_check() -> None:
    flow = workflow("check.yml")
    assert "pull_request" in triggers(flow)
    setup = [s for s in steps(flow) if str(s.get("uses", "")).startswith("actions/setup-python@")]
    assert [s["with"]["python-version"] for s in setup] == ["3.11"]
    commands = runs(flow)
    check = "python build.py check --format github --changed $changed"  # warnings: changed files
    order = ["pip install -e .", check, "python build.py build"]
    assert [c for c in commands if c in order] == order


def test_the_deploy_to_github_pages() -> None:
    flow = workflow("deploy.yml")
    assert triggers(flow)["push"]["branches"] == ["main"]
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    assert "python build.py build" in runs({"jobs": {"build": build}})
    upload = [
        s
        for s in build["steps"]
        if str(s.get("uses", "")).startswith("actions/upload-pages-artifact@")
    ]
    assert [s["with"]["path"].rstrip("/") for s in upload] == ["site"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


def test_actions_are_pinned_to_a_major_version() -> None:
    for path in WORKFLOWS:
        for step in steps(read_yaml(path)):
            if "uses" in step:
                assert re.fullmatch(r"actions/[\w-]+@v\d+", step["uses"]), (path.name, step["uses"])


def test_the_pre_commit_hook_checks_register_changes() -> None:
    (repo,) = read_yaml(PRE_COMMIT)["repos"]
    assert repo["repo"] == "local"
    hooks = {hook["id"]: hook for hook in repo["hooks"]}
    hook = hooks["register-check"]
    assert hook["entry"] == "python build.py check"
    assert (hook["language"], hook["pass_filenames"]) == ("system", False)
    assert re.search(hook["files"], "register/organisations/sample.yaml")
    assert not re.search(hook["files"], "content/about.md")


def test_check_in_github_format_annotates_the_exact_line(tmp_path: Path, minimal_register) -> None:
    register = minimal_register(reviewed=dt.date.today())
    youth = register / "organisations/sample-youth-club.yaml"
    youth.write_text(
        youth.read_text(encoding="utf-8").replace("areas: [norwich]", "areas: [norwhich]"), "utf-8"
    )
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "check", "--format", "github"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::error file=register/organisations/sample-youth-club.yaml,line=5,title=areas::"
        '"norwhich" is not a known area (did you mean "norwich"?)'
    ]


# The issue form asks for what an organisation file holds, except what staff fill in.
STAFF_FIELDS = {"id", "reviewed", "added", "sample"}


def issue_form() -> dict[str, Any]:
    return read_yaml(GITHUB / "ISSUE_TEMPLATE/organisation.yml")


def test_the_issue_form_asks_for_every_field_of_an_organisation_file() -> None:
    table = load(SAMPLE_REGISTER).tables["organisations"].schema
    asked = {b["id"] for b in issue_form()["body"] if "id" in b} - {"consent"}
    expected = {f["name"] for f in table["fields"]} - STAFF_FIELDS - {"contact"}
    assert asked == expected | {"contact_email", "contact_website", "contact_phone"}
    required = {b["id"] for b in issue_form()["body"] if b.get("validations", {}).get("required")}
    assert (
        required
        == {f["name"] for f in table["fields"] if f.get("constraints", {}).get("required")}
        - STAFF_FIELDS
    )


@pytest.mark.parametrize(
    ("form_id", "table", "label"),
    [
        ("areas", "areas", "name"),
        ("measures", "measures", "title"),
        ("offers", "offer-types", "title"),
    ],
)
def test_the_issue_form_choices_are_the_register_names(
    form_id: str, table: str, label: str
) -> None:
    (block,) = [b for b in issue_form()["body"] if b.get("id") == form_id]
    assert block["attributes"]["multiple"] is True
    names = [row.data.get(label) for row in load(SAMPLE_REGISTER).tables[table].rows]
    assert block["attributes"]["options"] == names


def test_the_issue_template_config_and_pull_request_template() -> None:
    config = read_yaml(GITHUB / "ISSUE_TEMPLATE/config.yml")
    assert isinstance(config["blank_issues_enabled"], bool)
    assert all({"name", "url", "about"} <= set(link) for link in config["contact_links"])
    checklist = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")
    assert checklist.count("- [ ] ") >= 5


# CONTRIBUTING.md: lists, template, worked example and sample output kept true to the register.


def contributing() -> str:
    return CONTRIBUTING.read_text(encoding="utf-8")


def id_tables() -> dict[str, list[tuple[str, str]]]:
    """{"Area id": [(id, name), ...], ...} from the tables in "Lists of ids"."""
    section = contributing().split("## Lists of ids", 1)[1].split("\n## ", 1)[0]
    tables: dict[str, list[tuple[str, str]]] = {}
    current = ""
    for line in section.splitlines():
        header = re.fullmatch(r"\| (\w[\w ]* id) \| .* \|", line)
        row = re.fullmatch(r"\| `([^`]+)` \| (.+) \|", line)
        if header:
            current = header.group(1)
            tables.setdefault(current, [])
        elif row:
            tables[current].append((row.group(1), row.group(2)))
    return tables


@pytest.mark.parametrize(
    ("heading", "table", "label"),
    [
        ("Area id", "areas", "name"),
        ("Offer type id", "offer-types", "title"),
        ("Measure id", "measures", "title"),
    ],
)
def test_contributing_lists_every_id_in_the_register(heading: str, table: str, label: str) -> None:
    rows = load(SAMPLE_REGISTER).tables[table].rows
    assert id_tables()[heading] == [(row.data.get("id"), row.data.get(label)) for row in rows]


def yaml_blocks() -> list[str]:
    return [text for lang, text in code_blocks(contributing()) if lang == "yaml"]


def copy_of_register(tmp_path: Path) -> Path:
    target = tmp_path / "register"
    shutil.copytree(SAMPLE_REGISTER, target)
    return target


@pytest.mark.parametrize("which", ["template", "worked example"])
def test_the_template_and_worked_example_pass_the_check(tmp_path: Path, which: str) -> None:
    template, example = yaml_blocks()
    text = example if which == "worked example" else template
    assert ("Sample:" in text) == (which == "worked example")
    assert text.startswith("# yaml-language-server: $schema=../schemas/organisation.schema.json\n")
    register = copy_of_register(tmp_path)
    name = yaml.safe_load(text)["id"]
    (register / f"organisations/{name}.yaml").write_text(text, encoding="utf-8")
    problems = [p for p in check(register, TODAY).problems if Path(p.path).stem == name]
    assert problems == []


BREAKAGES = (
    ("areas: [north-norfolk]", "areas: [north-norflok]"),
    ("\ntown:", "\ntwon:"),
    ("reviewed: 2026-11-24", "reviewed: 24/11/2026"),
)


def test_the_sample_check_output_is_what_the_check_prints(tmp_path: Path) -> None:
    (console,) = [
        b for lang, b in code_blocks(contributing()) if lang == "console" and "build.py check" in b
    ]
    shown = [line for line in console.splitlines() if line.startswith("register/")]
    text = yaml_blocks()[1]
    for old, new in BREAKAGES:
        assert old in text
        text = text.replace(old, new, 1)
    register = copy_of_register(tmp_path)
    (register / "organisations/kingfisher-community-youth-club.yaml").write_text(
        text, encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    printed = [line for line in result.stdout.splitlines() if "kingfisher" in line]
    assert printed == shown
    assert f"Found {len(shown)} errors" in console


def test_contributing_names_the_real_repository_and_contact() -> None:
    text = contributing()
    repo_url = read_yaml(REPO / "mkdocs.yml")["repo_url"]
    settings = read_yaml(SAMPLE_REGISTER / "settings.yaml")[0]
    assert repo_url in text and settings["contact_email"] in text and settings["site_url"] in text
    links = set(re.findall(r"https://github\.com/[\w.-]+/[\w.-]+", text)) - {
        "https://github.com/signup"
    }
    assert links == {repo_url}
