"""HTML pages from the shared form templates (``templates/forms/``).

``form_context`` is public: the static site build uses it to render the same form blocks.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import Any

import jinja2

from socialvalue.intake.choices import Choices, Option
from socialvalue.intake.forms import FieldError
from socialvalue.intake.schemas import FormSpec, rules_json
from socialvalue.intake.shell import Shell

TEMPLATE_OF = {
    "pledge": "pledge.html",
    "charter": "charter.html",
    "register-request": "register-request.html",
    "progress-update": "progress-update.html",
    "delivery-confirmation": "delivery-confirmation.html",
}


def environment(templates_dir: Path) -> jinja2.Environment:
    """The Jinja2 environment the form templates expect (autoescaping on, nothing custom)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
    )


def choices_context(choices: Choices, only: Collection[str] | None = None) -> dict[str, Any]:
    """The ``choices`` the templates expect, as plain JSON-able data; ``only``: these measures."""
    units = {unit.id: unit.plural for unit in choices.units}
    measures = [m for m in choices.measures if only is None or m.id in only]
    groups = [
        {
            "id": p.id,
            "title": p.label,
            "options": [
                {"id": m.id, "label": m.label, "unit": units.get(m.unit, "")}
                for m in measures
                if m.group == p.id
            ],
        }
        for p in choices.priorities
    ]
    orphans = [m for m in measures if m.group not in {p.id for p in choices.priorities}]
    if orphans:
        groups.append(
            {
                "id": "",
                "title": "Other measures",
                "options": [
                    {"id": m.id, "label": m.label, "unit": units.get(m.unit, "")} for m in orphans
                ],
            }
        )
    return {
        "measure_groups": [g for g in groups if g["options"]],
        "organisations": _options(choices.organisations),
        "commitments": _options(choices.charter),
        "areas": _options(choices.areas),
        "offers": _options(choices.offers),
    }


def form_context(
    spec: FormSpec,
    choices: Choices,
    *,
    action: str,
    base_url: str,
    values: Mapping[str, Any] | None = None,
    errors: Iterable[FieldError] = (),
) -> dict[str, Any]:
    """Everything ``templates/forms/<kind>.html`` needs (see the comment at each template's top).

    When a pledge names an organisation on the register (from the link, or sent back with
    errors), the form shows it as chosen, in a hidden field, and lists only its measures.
    """
    shown = dict(values or {})
    fixed = _fixed_organisation(spec, choices, shown)
    return {
        "action": action,
        "values": shown,
        "errors": [error.as_json() for error in errors],
        "choices": choices_context(choices, choices.welcomed(fixed["id"]) if fixed else None),
        "rules": rules_json(spec, choices),
        "base_url": base_url,
        "organisation_fixed": fixed,
    }


def _fixed_organisation(
    spec: FormSpec, choices: Choices, values: Mapping[str, Any]
) -> dict[str, str] | None:
    for rule in spec.fields:
        chosen = values.get(rule.welcomed_by) if rule.welcomed_by else None
        entry = choices.entries.get(chosen) if isinstance(chosen, str) else None
        if entry is not None:
            return {"id": entry.id, "label": entry.name}
    return None


def _options(options: Iterable[Option]) -> list[dict[str, str]]:
    return [{"id": option.id, "label": option.label} for option in options]


class Pages:
    """Renders the intake's own pages: a form with its errors, a confirmation, a problem, a 404.

    With a ``shell`` (the built site's layout, ``shell.py``) they are pages of the site, whose
    links are root-relative; without one, pages in the plain ``page.html`` layout.
    """

    def __init__(
        self,
        templates_dir: Path,
        site_name: str,
        base_url: str,
        assets_url: str = "/forms/assets/",
        shell: Shell | None = None,
    ) -> None:
        self._env = environment(templates_dir)
        self._layout = shell
        self._shell = {
            "site_name": site_name,
            "base_url": "/" if shell else base_url,
            "assets_url": assets_url,
        }

    @property
    def headers(self) -> dict[str, str]:
        """Headers every page needs on top of ``replies.HTML_HEADERS`` (the site layout's CSP)."""
        return self._layout.headers if self._layout is not None else {}

    def form(
        self,
        spec: FormSpec,
        choices: Choices,
        action: str,
        values: Mapping[str, Any],
        errors: Iterable[FieldError] = (),
    ) -> str:
        context = form_context(
            spec,
            choices,
            action=action,
            base_url=self._shell["base_url"],
            values=values,
            errors=errors,
        )
        return self._page(spec.kind.title, spec.kind.title, TEMPLATE_OF[spec.kind.slug], context)

    def confirmation(
        self, spec: FormSpec, reference: str, details: Iterable[tuple[str, str]] = ()
    ) -> str:
        """``details``: what was sent, as (question, answer) rows; never a person's details."""
        context = {
            "kind": spec.kind.slug,
            "reference": reference,
            "details": list(details),
            "errors": [],
        }
        return self._page(f"{spec.kind.title}: received", "", "confirmation.html", context)

    def problem(self, heading: str, message: str) -> str:
        return self._page(heading, heading, "", {"errors": [], "message": message})

    def not_found(self) -> str:
        return self._page("Page not found", "Page not found", "not-found.html", {"errors": []})

    def _page(self, title: str, heading: str, template: str, context: dict[str, Any]) -> str:
        full = {
            **self._shell,
            "message": "",
            **context,
            "title": title,
            "heading": heading,
            "content_template": template,
        }
        if self._layout is None:
            return self._env.get_template("page.html").render(full)
        content = self._env.get_template("_content.html").render(full)
        shown = f"Error: {title}" if context.get("errors") else title
        return self._layout.wrap(shown, content)
