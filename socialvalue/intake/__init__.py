"""The intake server: receives the site's forms, stores them in SQLite, serves staff.

It never imports the site-building code. Its rules come from the Frictionless Table Schemas in
``register/schemas/intake/`` and its valid ids from the register's YAML files.

Public interface:

- ``create_app(config: IntakeConfig) -> Starlette`` (``socialvalue.intake.app``)
- ``form_context(...)`` (``socialvalue.intake.pages``): the context the shared form templates
  in ``templates/forms/`` expect, for the static site build to render the same markup.
"""

from socialvalue.intake.config import IntakeConfig

__all__ = ["IntakeConfig"]
