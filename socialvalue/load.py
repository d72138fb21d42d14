"""Stage 1: read the register's descriptor, schemas and YAML files, keeping every line number."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .problems import Problem
from .yamlfile import Located, read_yaml, split_rows

DESCRIPTOR = "datapackage.yaml"


@dataclass(frozen=True)
class Row:
    """One record as written, with the file it came from."""

    path: str
    source: Located

    @property
    def data(self) -> Any:
        return self.source.value

    def line(self, key: str = "") -> int:
        return self.source.line_of(key) if key else self.source.line

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default) if isinstance(self.data, dict) else default


@dataclass(frozen=True)
class Table:
    name: str
    schema: dict[str, Any]
    rows: tuple[Row, ...]
    path: str  # the data file, or the folder of one-file-per-row resources
    one_file_per_row: bool = False

    @property
    def field_names(self) -> list[str]:
        return [f["name"] for f in self.schema.get("fields", [])]


@dataclass(frozen=True)
class RawRegister:
    root: Path
    descriptor: dict[str, Any]
    tables: dict[str, Table]
    problems: tuple[Problem, ...]


def shown_path(path: Path) -> str:
    """The path as people see it: relative to the working directory when it is below it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _read_mapping_file(path: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    doc, problems = read_yaml(path, shown_path(path))
    if doc is None:
        return None, problems
    if not isinstance(doc.value, dict):
        return None, [
            *problems,
            Problem(shown_path(path), doc.line, None, "expected a set of named fields"),
        ]
    return doc.value, problems


def _load_table(root: Path, resource: dict[str, Any]) -> tuple[Table | None, list[Problem]]:
    name = str(resource.get("name", "?"))
    schema, problems = _read_mapping_file(root / str(resource.get("schema", "")))
    if schema is None:
        return None, problems
    if "sv:files" in resource:
        pattern = str(resource["sv:files"])
        folder = (root / pattern).parent
        shown_folder = shown_path(
            folder
        )  # once, not per file: resolving paths is slow on big registers
        rows = []
        for file in sorted(folder.glob(Path(pattern).name)):
            shown = f"{shown_folder}/{file.name}"
            doc, file_problems = read_yaml(file, shown)
            problems += file_problems
            if doc is None:
                continue
            if not isinstance(doc.value, dict):
                problems.append(
                    Problem(
                        shown,
                        doc.line,
                        None,
                        "expected a set of named fields, like `name: ...`",
                        "start from the template in CONTRIBUTING.md",
                    )
                )
                continue
            rows.append(Row(shown, doc))
        return Table(name, schema, tuple(rows), shown_folder, True), problems
    file = root / str(resource.get("path", ""))
    shown = shown_path(file)
    doc, file_problems = read_yaml(file, shown)
    problems += file_problems
    if doc is None:
        return Table(name, schema, (), shown), problems
    if not isinstance(doc.value, list):
        problems.append(
            Problem(shown, doc.line, None, "expected a list of entries, each starting with `- `")
        )
        return Table(name, schema, (), shown), problems
    return Table(name, schema, tuple(Row(shown, r) for r in split_rows(doc)), shown), problems


def load(register_dir: Path) -> RawRegister:
    """Read everything the descriptor names. Problems are collected, never raised."""
    root = Path(register_dir)
    descriptor_path = root / DESCRIPTOR
    if not descriptor_path.is_file():
        problem = Problem(
            shown_path(descriptor_path),
            None,
            None,
            "there is no register here: datapackage.yaml is missing",
            "point --register at the folder that holds datapackage.yaml",
        )
        return RawRegister(root, {}, {}, (problem,))
    descriptor, problems = _read_mapping_file(descriptor_path)
    tables: dict[str, Table] = {}
    for resource in (descriptor or {}).get("resources", []):
        table, table_problems = _load_table(root, resource)
        problems += table_problems
        if table is not None:
            tables[table.name] = table
    return RawRegister(root, descriptor or {}, tables, tuple(problems))
