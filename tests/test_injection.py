"""Hostile register text and settings stay text: in HTML attributes, Markdown, CSV, XML, terminals.

Each site is built by the real command line from a copy of the shipped register with hostile values
written in, then read back (BeautifulSoup, csv, upstream `frictionless validate`) and, where a
script or a redirect could run, loaded in Chromium from a local HTTP server.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fixtures import REPO, SAMPLE_REGISTER, TODAY, run_build
from playwright.sync_api import Browser
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from socialvalue.atom import Entry, Feed, atom_feed
from socialvalue.intake.csvsafe import safe_cell

sys.path.insert(0, str(Path(__file__).parent / "site"))  # site_support: serve a folder over HTTP
from site_support import serve  # noqa: E402


def payload(mark: str) -> str:
    """Turns `<meta content="...">` into a redirect, or starts a script, if left unescaped.

    At most 80 characters (an area name's limit); `mark` is one letter.
    """
    return f'0;url=/evil/" http-equiv="refresh"><script>alert("{mark}")</script>'


ORG = "acle-marshes-village-hall"
FORMULA_ORG = "cromer-clifftop-arts-collective"
FORMULA = '=HYPERLINK("https://example.org/","Sample")'
PHONE = "+44 1603 000 123"
# (page, text its description must show, text its title must show)
PAGES = {
    f"register/{ORG}/": payload("o"),
    "measures/pc-safe-spaces/": payload("m"),
    "priorities/preventing-crime/": payload("p"),
    "areas/breckland/": "Organisations that welcome an approach from suppliers in "
    + payload("a")
    + ".",
}


def copy_register(tmp: Path, edits: dict[str, list[tuple[str, str]]]) -> Path:
    """A copy of the shipped register, with (old, new) text replacements in the named files."""
    register = tmp / "register"
    shutil.copytree(SAMPLE_REGISTER, register)
    for name, pairs in edits.items():
        path = register / name
        text = path.read_text(encoding="utf-8")
        for old, new in pairs:
            assert old in text, f"{name} no longer holds {old!r}: update this test"
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    return register


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command line, told what day it is (fixtures.TODAY), never the machine's clock."""
    command = [sys.executable, "build.py", args[0], "--today", TODAY.isoformat(), *args[1:]]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)


def yaml_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile")
    register = copy_register(
        tmp,
        {
            f"organisations/{ORG}.yaml": [
                ("  A charity that runs an old village hall", f"  {payload('o')} runs a hall"),
                ("  email: trustees@", f'  phone: "{PHONE}"\n  email: trustees@'),
            ],
            f"organisations/{FORMULA_ORG}.yaml": [
                ("description: >-\n", f"description: >-\n  {FORMULA} ")
            ],
            "measures.yaml": [
                ("    Young people need safe places", f"    {payload('m')}. Young people")
            ],
            "priorities.yaml": [
                (
                    "summary: Help stop crime",
                    f"summary: >-\n    {payload('p')} Help stop crime",
                )
            ],
            "areas.yaml": [("name: Breckland", f"name: {yaml_quoted(payload('a'))}")],
        },
    )
    out = tmp / "site"
    result = run_build(register, out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def soup(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


@pytest.mark.slow
@pytest.mark.parametrize("url", list(PAGES))
def test_descriptions_and_titles_stay_inside_their_attribute(hostile_site: Path, url: str) -> None:
    page = soup(hostile_site, url)
    description = page.find("meta", attrs={"name": "description"})
    assert description is not None and description["content"].startswith(PAGES[url])
    assert page.find("meta", attrs={"http-equiv": True}) is None
    assert not [s for s in page.find_all("script") if "alert" in s.get_text()]


@pytest.mark.slow
def test_an_area_name_stays_text_in_the_page_title(hostile_site: Path) -> None:
    title = soup(hostile_site, "areas/breckland/").title
    assert title is not None and title.get_text().startswith(payload("a") + " - ")


@pytest.mark.slow
@pytest.mark.browser
def test_no_script_or_redirect_runs_in_chromium(hostile_site: Path, browser: Browser) -> None:
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with serve(hostile_site) as base:
        for url in PAGES:
            page.goto(base + url, wait_until="load")
            with pytest.raises(PlaywrightTimeout):
                page.wait_for_url("**/evil/**", timeout=1500)
            assert (page.url, dialogs) == (base + url, [])
            content = page.locator('meta[name="description"]').get_attribute("content")
            assert content is not None and content.startswith(PAGES[url])
    context.close()
    assert dialogs == []


@pytest.mark.slow
def test_open_data_neutralises_formulas_and_keeps_phone_numbers(hostile_site: Path) -> None:
    with (hostile_site / "data" / "organisations.csv").open(encoding="utf-8", newline="") as f:
        rows = {row["id"]: row for row in csv.DictReader(f)}
    assert rows[FORMULA_ORG]["description"].startswith("'" + FORMULA)
    assert rows[ORG]["contact_phone"] == PHONE
    assert rows[ORG]["description"].startswith(payload("o"))
    starts = [v[0] for row in rows.values() for v in row.values() if v]
    assert not [s for s in starts if s in "=@"]


@pytest.mark.slow
def test_upstream_frictionless_validates_the_neutralised_csv(hostile_site: Path) -> None:
    command = Path(sys.executable).parent / "frictionless"
    found = str(command) if command.exists() else shutil.which("frictionless")
    assert found, "the frictionless command is not installed"
    result = subprocess.run(
        [found, "validate", str(hostile_site / "data" / "datapackage.json")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


HOSTILE_SETTINGS = {
    "body_name": "Office [x](javascript:alert(1))",
    "county": "Norfolk <script>alert(1)</script>",
    "site_name": "Sample *register* {: onclick=alert(1)}",
    "site_url": 'https://social-value.example.org/"><script>alert(1)</script>/',
}


def settings_edits(values: dict[str, str]) -> list[tuple[str, str]]:
    shipped = {
        "body_name": "Office of the Police and Crime Commissioner for Norfolk",
        "county": "Norfolk",
        "site_name": "Social Value register and Suppliers Charter",
        "site_url": "https://social-value.example.org/",
    }
    return [
        (f"{key}: {shipped[key]}\n", f"{key}: {yaml_quoted(value)}\n")
        for key, value in values.items()
    ]


def test_check_refuses_markup_in_settings_with_a_located_message(tmp_path: Path) -> None:
    register = copy_register(tmp_path, {"settings.yaml": settings_edits(HOSTILE_SETTINGS)})
    result = run_build(register, tmp_path / "site")
    assert result.returncode == 1
    output = result.stdout + result.stderr
    located = [line for line in output.splitlines() if "settings.yaml:" in line]
    fields = sorted(line.split(": ")[1] for line in located)
    assert fields == sorted(HOSTILE_SETTINGS), output
    assert all("is not in the expected form" in line for line in located)
    assert not (tmp_path / "site").exists()


def test_real_names_with_brackets_and_apostrophes_pass(tmp_path: Path) -> None:
    names = {
        "body_name": "Office of the Police and Crime Commissioner for Norfolk (OPCCN)",
        "county": "King's Lynn, Norfolk",
        "site_name": "Mayor’s Office for Policing and Crime - Social Value",
        "site_url": "https://www.example.org/social-value/",
    }
    register = copy_register(tmp_path, {"settings.yaml": settings_edits(names)})
    result = cli("check", "--register", str(register))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def unchecked_settings_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Hostile settings in a register whose schema was loosened: escaping must hold on its own."""
    tmp = tmp_path_factory.mktemp("loose")
    register = copy_register(tmp, {"settings.yaml": settings_edits(HOSTILE_SETTINGS)})
    schema = register / "schemas" / "settings.schema.yaml"
    lines = schema.read_text(encoding="utf-8").splitlines(keepends=True)
    schema.write_text("".join(x for x in lines if "pattern:" not in x), encoding="utf-8")
    result = run_build(register, tmp / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    return tmp / "site"


@pytest.mark.slow
@pytest.mark.parametrize("url", ["about/", "accessibility/", "what-counts/", "areas/"])
def test_settings_stay_text_in_markdown_and_html(unchecked_settings_site: Path, url: str) -> None:
    page = soup(unchecked_settings_site, url)
    assert not [a for a in page.find_all("a") if "javascript:" in a.get("href", "")]
    assert not [s for s in page.find_all("script") if "alert" in s.get_text()]
    assert not page.find_all(attrs={"onclick": True})
    assert page.title is not None and HOSTILE_SETTINGS["site_name"] in page.title.get_text()
    canonical = page.find("link", rel="canonical")
    assert canonical is not None and canonical["href"].startswith(HOSTILE_SETTINGS["site_url"])
    text = page.get_text()
    if url == "about/":
        assert HOSTILE_SETTINGS["body_name"] in text and HOSTILE_SETTINGS["site_name"] in text
    if url == "what-counts/":
        assert HOSTILE_SETTINGS["county"] in text


@pytest.mark.slow
@pytest.mark.browser
def test_no_setting_runs_a_script_in_chromium(unchecked_settings_site: Path, browser: Browser):
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with serve(unchecked_settings_site) as base:
        for url in ["", "about/", "what-counts/"]:
            page.goto(base + url, wait_until="load")
            assert page.url == base + url
    context.close()
    assert dialogs == []


ESCAPE = "\x1b[2K\rThe register is valid: no problems found.\x1b[8m"


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_check_spells_out_control_characters(tmp_path: Path, fmt: str) -> None:
    quoted = '"' + ESCAPE.replace("\x1b", "\\e").replace("\r", "\\r") + '"'
    register = copy_register(
        tmp_path,
        {f"organisations/{ORG}.yaml": [("sample: true\n", f"sample: true\n{quoted}: x\n")]},
    )
    result = cli("check", "--register", str(register), "--format", fmt)
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "\x1b" not in output and "\r" not in output
    assert "\\x1b[2K\\rThe register is valid" in output  # GitHub writes its ":" as %3A
    lines = [line for line in output.splitlines() if "no problems found" in line]
    assert len(lines) == 1 and ORG in lines[0]


DAY = dt.date(2026, 1, 5)


def feed_with(text: str) -> bytes:
    entry = Entry(f"https://example.org/{text}/", f"Sample {text}", DAY, text, f"<p>{text}</p>")
    return atom_feed(
        Feed("https://example.org/f.xml", text, text, "https://example.org/", DAY), [entry]
    )


def test_atom_replaces_characters_xml_forbids() -> None:
    forbidden = "a\x00b\x1b[2Kc\x08d\x0c\ufffe"
    root = ET.fromstring(feed_with(forbidden))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert (
        root.findtext("a:entry/a:summary", namespaces=ns) == "a\ufffdb\ufffd[2Kc\ufffdd\ufffd\ufffd"
    )
    assert root.findtext("a:title", namespaces=ns) == "a\ufffdb\ufffd[2Kc\ufffdd\ufffd\ufffd"
    link = root.find("a:entry/a:link", ns)
    assert link is not None and "\ufffd" in link.get("href", "")


def test_atom_keeps_every_character_xml_allows() -> None:
    allowed = "tab\there, line\nbreak, café, 😀, \x85 \u2028"
    root = ET.fromstring(feed_with(allowed))
    summary = root.findtext(
        "{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}summary"
    )
    assert summary == allowed


def test_the_staff_report_csv_neutralises_formulas(tmp_path: Path) -> None:
    old = 'name: "Sample: Cromer Clifftop Arts Collective"'
    register = copy_register(
        tmp_path, {f"organisations/{FORMULA_ORG}.yaml": [(old, f"name: {yaml_quoted(FORMULA)}")]}
    )
    result = cli("report", "--register", str(register), "--format", "csv", "--today", "2026-11-24")
    assert result.returncode == 0, result.stdout + result.stderr
    rows = list(csv.DictReader(result.stdout.splitlines()))
    names = [row["name"] for row in rows if FORMULA_ORG in row["path"]]
    assert names and all(name == "'" + FORMULA for name in names)


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("+44 caller", "'+44 caller"),
        ("\t=1", "'\t=1"),
        ("+44 1603 000 123", "+44 1603 000 123"),
        ("-1.5", "-1.5"),
        ("(01603) 000-123", "(01603) 000-123"),
        ("A plain sentence = fine", "A plain sentence = fine"),
    ],
)
def test_the_formula_rule(cell: str, shown: str) -> None:
    assert safe_cell(cell) == shown
