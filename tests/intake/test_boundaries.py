"""The intake stands alone: it imports no site-building code and only its few libraries."""

from __future__ import annotations

import ast
import sys

from socialvalue.intake.config import REPO_ROOT

PACKAGE = REPO_ROOT / "socialvalue" / "intake"
ALLOWED = {"starlette", "uvicorn", "multipart", "python_multipart", "jinja2", "yaml"}


def imported_modules() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.glob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
        found[path.name] = names
    return found


def test_the_intake_imports_only_itself_the_register_core_and_its_libraries() -> None:
    """Never the site's code: only itself, the register core and its libraries."""
    for name, modules in imported_modules().items():
        for module in modules:
            top = module.split(".")[0]
            if top == "socialvalue":
                assert module.startswith(("socialvalue.intake", "socialvalue.register")), module
            else:
                assert top in sys.stdlib_module_names or top in ALLOWED, (name, module)


def test_the_modules_stay_small() -> None:
    for path in PACKAGE.glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 300, path.name


def test_the_register_core_knows_nothing_of_the_site_or_the_intake() -> None:
    """socialvalue/register/ imports no Jinja2, mkdocs or Starlette, and nothing outside itself."""
    import ast
    from pathlib import Path

    core = Path(__file__).resolve().parents[2] / "socialvalue" / "register"
    for path in core.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                continue  # from .files import ...: inside the core
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                top = name.split(".")[0]
                assert top not in {"jinja2", "mkdocs", "properdocs", "starlette", "socialvalue"}, (
                    path.name,
                    name,
                )
