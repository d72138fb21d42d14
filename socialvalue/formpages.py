"""The form pages of the static site, rendered from the same templates the intake uses.

The form markup and its rules live once, in templates/forms/ and register/schemas/intake/: the
static page shows the empty form; the intake re-renders the same block with errors when a post
without JavaScript fails. The site may import the intake's rendering (never the other way round).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from .intake.choices import choices_from_register
from .intake.pages import environment, form_context
from .intake.schemas import KIND_BY_SLUG, load_specs
from .register.model import Register


@dataclass(frozen=True)
class FormPage:
    slug: str  # the intake's form kind
    path: str  # the page's folder on the site
    description: str
    intro: tuple[str, ...]


FORM_PAGES = (
    FormPage(
        "pledge",
        "pledge",
        "Pledge a social value measure you will deliver through your contract.",
        (
            "Tell us which measure you will deliver, how much of it, and through which contract.",
            "Social value must be additional: it has to go beyond what your contract already asks"
            " for. Planting trees in the grounds of a police station you were hired to landscape "
            "is part of the contract; planting trees in a town council's park nearby is social "
            "value. Keeping on apprentices you already employ counts for a little; taking on new "
            "apprentices from the county counts for more.",
        ),
    ),
    FormPage(
        "charter",
        "sign-the-charter",
        "Sign the Suppliers Charter for your organisation.",
        (
            "Sign up to all of the Suppliers Charter's commitments, or to those you can keep now.",
            "If you agree, we will list your organisation's name and the commitments you signed "
            "on the page of Charter signatories. We never publish your name or email address.",
        ),
    ),
    FormPage(
        "register-request",
        "join-the-register",
        "Ask for your organisation to join the register, or update its entry.",
        (
            "Use this form if your voluntary, community or social enterprise organisation would "
            "welcome an approach from suppliers, or if your entry needs updating. If you use "
            "GitHub, you can also edit your entry yourself with a pull request.",
            "We check every request before it is published. Your own name and email address are "
            "only used to contact you about the request and are never published.",
        ),
    ),
    FormPage(
        "progress-update",
        "report-progress",
        "Report what you have delivered against a social value commitment in your contract.",
        (
            "Tell us what you delivered against one of the social value commitments in your "
            "contract. You need your contract reference and the commitment's id, as they are "
            "written in the contract's social value clause.",
            "We check every update before it appears on the contract's page, and we ask the "
            "organisation that benefited to confirm it. Your own name and email address are "
            "never published.",
        ),
    ),
    FormPage(
        "delivery-confirmation",
        "confirm-a-delivery",
        "Confirm or dispute a delivery a supplier reported to your organisation.",
        (
            "If a supplier reported social value delivered to your organisation, tell us whether "
            "you received it. You need the contract reference and the update's reference, as they "
            "are shown on the contract's page.",
            "We publish whether you confirmed or disputed the delivery, and why you disputed it. "
            "Your own name and email address are never published.",
        ),
    ),
)


def write_form_pages(
    register: Register, register_dir: Path, docs_dir: Path, templates_dir: Path
) -> int:
    """Write the form pages and the forms' CSS and JavaScript into the docs tree.

    The choices come from the checked register, through the intake's own function, so the
    static form and the intake's re-rendered one list the same options in the same order.
    """
    forms_dir = templates_dir / "forms"
    env = environment(forms_dir)
    choices = choices_from_register(register)
    intake_url = register.settings.intake_url
    specs = load_specs(register_dir / "schemas" / "intake")
    for page in FORM_PAGES:
        spec = specs[page.slug]
        context = form_context(
            spec, choices, action=f"{intake_url}/forms/{page.slug}", base_url="../"
        )
        form = env.get_template(f"{page.slug}.html").render(context)
        title = KIND_BY_SLUG[page.slug].title
        front = {
            "title": title,
            "description": page.description,
            "search_exclude": True,
            "hide": ["toc"],
            "scripts": ["assets/sv/forms.js"],
        }
        lines = [
            "---",
            *(f"{k}: {json.dumps(v)}" for k, v in front.items()),
            "---",
            '<div class="sv-page sv-form-page">',
            f"<h1>{title}</h1>",
            *(f"<p>{text}</p>" for text in page.intro),
            form,
            "</div>",
            "",
        ]
        target = docs_dir / page.path / "index.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(lines), encoding="utf-8")
    _write_shell(docs_dir)
    for asset in ("forms.css", "forms.js"):
        if (forms_dir / asset).is_file():
            (docs_dir / "assets" / "sv").mkdir(parents=True, exist_ok=True)
            shutil.copyfile(forms_dir / asset, docs_dir / "assets" / "sv" / asset)
    return len(FORM_PAGES) + 1


# The intake's pages in the site's own layout (socialvalue/intake/shell.py reads the built page).
# Its title and its content (between the two comments) are what the intake replaces; the
# stand-in h1 keeps the theme from adding a heading of its own and the page whole by itself.
SHELL = """---
title: "sv-intake-title"
description: "A page of the forms."
search_exclude: true
robots: "noindex"
hide: ["toc"]
scripts: ["assets/sv/forms.js"]
---
<div class="sv-page sv-form-page">
<!--sv-intake-content: the intake puts its page here -->
<h1>sv-intake-title</h1>
<!--/sv-intake-content-->
</div>
"""


def _write_shell(docs_dir: Path) -> None:
    target = docs_dir / "forms-shell" / "index.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(SHELL, encoding="utf-8")
