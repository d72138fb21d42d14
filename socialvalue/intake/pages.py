"""HTML pages from the shared form templates (``templates/forms/``).

``form_context`` is public: the static site build uses it to render the same form blocks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import jinja2

from socialvalue.intake.choices import Choices, Option
from socialvalue.intake.forms import FieldError
from socialvalue.intake.schemas import FormSpec, rules_json

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


def choices_context(choices: Choices) -> dict[str, Any]:
    """The ``choices`` the templates expect, as plain JSON-able data."""
    units = {unit.id: unit.plural for unit in choices.units}
    groups = [
        {
            "id": p.id,
            "title": p.label,
            "options": [
                {"id": m.id, "label": m.label, "unit": units.get(m.unit, "")}
                for m in choices.measures
                if m.group == p.id
            ],
        }
        for p in choices.priorities
    ]
    orphans = [m for m in choices.measures if m.group not in {p.id for p in choices.priorities}]
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
    """Everything ``templates/forms/<kind>.html`` needs (see the comment at each template's top)."""
    return {
        "action": action,
        "values": dict(values or {}),
        "errors": [error.as_json() for error in errors],
        "choices": choices_context(choices),
        "rules": rules_json(spec, choices),
        "base_url": base_url,
    }


def _options(options: Iterable[Option]) -> list[dict[str, str]]:
    return [{"id": option.id, "label": option.label} for option in options]


class Pages:
    """Renders the intake's own pages: a form with its errors, a confirmation, a problem."""

    def __init__(
        self, templates_dir: Path, site_name: str, base_url: str, assets_url: str = "/forms/assets/"
    ) -> None:
        self._env = environment(templates_dir)
        self._shell = {"site_name": site_name, "base_url": base_url, "assets_url": assets_url}

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

    def confirmation(self, spec: FormSpec, reference: str) -> str:
        context = {"kind": spec.kind.slug, "reference": reference, "errors": []}
        return self._page(f"{spec.kind.title}: received", "", "confirmation.html", context)

    def problem(self, heading: str, message: str) -> str:
        return self._page(heading, heading, "", {"errors": [], "message": message})

    def _page(self, title: str, heading: str, template: str, context: dict[str, Any]) -> str:
        page = self._env.get_template("page.html")
        full = {
            **self._shell,
            "message": "",
            **context,
            "title": title,
            "heading": heading,
            "content_template": template,
        }
        return page.render(full)
