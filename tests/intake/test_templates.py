"""The shared form templates: GOV.UK patterns and the accessibility rules that matter."""

from __future__ import annotations

import json
from pathlib import Path

import jinja2
import pytest
from bs4 import BeautifulSoup

from socialvalue.intake.choices import load_choices
from socialvalue.intake.config import REPO_ROOT
from socialvalue.intake.forms import validate
from socialvalue.intake.pages import TEMPLATE_OF, Pages, form_context
from socialvalue.intake.schemas import load_specs, rules_json

TEMPLATES = REPO_ROOT / "templates" / "forms"
SPECS = load_specs(REPO_ROOT / "register" / "schemas" / "intake")
AUTOCOMPLETE = {"organization", "name", "email", "tel", "off"}


def render(kind: str, register_dir: Path, errors: bool) -> BeautifulSoup:
    choices = load_choices(register_dir)
    spec = SPECS[kind]
    problems = validate(spec, {}, choices).errors if errors else ()
    html = Pages(TEMPLATES, "Test register", "https://sv.example.org/").form(
        spec, choices, f"/forms/{kind}", {}, problems
    )
    return BeautifulSoup(html, "html.parser")


@pytest.mark.parametrize("errors", [False, True], ids=["blank", "with-errors"])
@pytest.mark.parametrize("kind", list(TEMPLATE_OF))
def test_form_markup_follows_the_patterns(register_dir: Path, kind: str, errors: bool) -> None:
    soup = render(kind, register_dir, errors)
    assert soup.html["lang"] == "en-GB"
    assert soup.title.text.startswith("Error: ") == errors
    assert soup.select_one("a.sv-skip-link")["href"] == "#sv-main"
    assert (
        soup.select_one("main#sv-main") and soup.select_one("header") and soup.select_one("footer")
    )
    form = soup.select_one("form.sv-form")
    assert form.has_attr("novalidate") and form["method"] == "post"
    assert form["action"] == f"/forms/{kind}"
    for element in soup.select("input, select, textarea"):
        assert not element.has_attr("required") and not element.has_attr("pattern")
        assert element.get("type", "text") in ("text", "radio", "checkbox", "tel")
        if element.get("type") in ("radio", "checkbox"):
            assert not element.has_attr("autocomplete")
        elif element.has_attr("autocomplete"):
            assert element["autocomplete"] in AUTOCOMPLETE
        assert soup.select_one(f"label[for='{element['id']}']"), element["id"]
    for group in soup.select(".sv-radios, .sv-checkboxes"):
        assert group.find_parent("fieldset").select_one("legend").text.strip()
    ids = [tag["id"] for tag in soup.select("[id]")]
    assert len(ids) == len(set(ids))
    for described in soup.select("[aria-describedby]"):
        for ref in described["aria-describedby"].split():
            assert soup.select_one(f"#{ref}"), ref
    honeypot = soup.select_one(".sv-hp")
    assert honeypot["aria-hidden"] == "true"
    assert honeypot.select_one("input")["tabindex"] == "-1"
    assert soup.select_one(".sv-privacy a")["href"] == "https://sv.example.org/privacy/"
    assert soup.select_one("button[type=submit]").text.strip()
    rules = json.loads(soup.select_one("script#sv-form-rules[type='application/json']").string)
    assert rules["kind"] == kind and rules["order"] == [r.name for r in SPECS[kind].fields]


@pytest.mark.parametrize("kind", list(TEMPLATE_OF))
def test_each_error_shows_in_the_summary_and_inline_with_the_same_words(
    register_dir: Path, kind: str
) -> None:
    soup = render(kind, register_dir, errors=True)
    summary = soup.select_one(".sv-error-summary")
    assert summary["role"] == "alert" and summary["tabindex"] == "-1"
    assert not summary.has_attr("hidden")
    links = summary.select("a")
    assert links
    for link in links:
        target = soup.select_one(link["href"])
        assert target is not None and target.name in ("input", "select", "textarea")
        field = link["href"][len("#sv-") :]
        inline = soup.select_one(f"#sv-{field}-error")
        assert inline.select_one(".sv-visually-hidden").text == "Error:"
        assert inline.text == "Error: " + link.text
        assert inline.find_parent(class_="sv-form-group--error") is not None


def test_the_static_site_can_render_a_form_with_a_plain_environment(register_dir: Path) -> None:
    """What the lead's site build does: its own Environment, form_context, the form block."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True)
    choices = load_choices(register_dir)
    context = form_context(
        SPECS["pledge"],
        choices,
        action="https://intake.example/forms/pledge",
        base_url="https://sv.example.org/",
    )
    assert json.loads(json.dumps(context)) == context  # plain data only
    html = env.get_template("pledge.html").render(context)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("form")["action"] == "https://intake.example/forms/pledge"
    assert soup.select_one("html") is None and soup.select_one("h1") is None
    assert soup.select_one(".sv-error-summary").has_attr("hidden")
    groups = [g.get("label") for g in soup.select("#sv-measure optgroup")]
    assert groups == ["Preventing crime", "Environment"]
    assert json.loads(soup.select_one("#sv-form-rules").string) == rules_json(
        SPECS["pledge"], choices
    )


def test_rules_json_cannot_break_out_of_its_script_tag(register_dir: Path) -> None:
    evil = register_dir / "organisations" / "evil.yaml"
    text = (register_dir / "organisations" / "open-door.yaml").read_text(encoding="utf-8")
    evil.write_text(
        text.replace("id: open-door", "id: evil").replace(
            "name: Open Door Project", 'name: "</script><script>alert(1)</script>"'
        )
    )
    soup = render("pledge", register_dir, errors=False)
    assert len(soup.select("script")) == 2  # the rules blob and forms.js, nothing injected
    assert "</script><script>alert(1)" in soup.select_one("#sv-organisation").text


def test_the_confirmation_page_has_the_panel_and_no_personal_data() -> None:
    html = Pages(TEMPLATES, "Test register", "https://sv.example.org/").confirmation(
        SPECS["charter"], "SV-C-ABCD-EFGH"
    )
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one(".sv-panel h1").text.strip() == "Charter signature received"
    assert soup.select_one(".sv-panel__reference").text == "SV-C-ABCD-EFGH"
    assert [h.text for h in soup.select("h1")] == ["Charter signature received"]
    assert soup.select_one("h2").text == "What happens next"
