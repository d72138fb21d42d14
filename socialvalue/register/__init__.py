"""The register core: read the files, validate them with Frictionless and the register's own
rules, and build the typed model every other part of the project reads.

It knows nothing of Jinja2, mkdocs or Starlette: the site and the intake both import it.
"""

from .check import Checked, Failed, Passed, check
from .model import Register
from .problems import Problem

__all__ = ["Checked", "Failed", "Passed", "Problem", "Register", "check"]
