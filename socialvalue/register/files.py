"""Stage 1: read the register's descriptor, schemas and YAML files, keeping every line number.

Every file in a register folder is either read or reported: a file the build would skip
silently (`foo.yml`, `notes.txt`, a symbolic link) is a problem, so `check` never says "valid"
about an entry it did not read. Every path the descriptor names stays inside the register.

A resource with `sv:published: false` in the descriptor is checked like every other but left
out of the open data (`Table.published`), for records whose open data is not designed yet.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .problems import Problem
from .yamlfile import MAX_BYTES, Located, Read, parse_yaml, read_many, read_yaml, split_rows

DESCRIPTOR = "datapackage.yaml"
POSTS_TABLE = "updates"  # content/updates/*.md front matter, checked like a register table
POSTS_SCHEMA = Path("schemas") / "updates.schema.yaml"
POSTS_FOLDER = "updates"


@dataclass(frozen=True)
class Row:
    """One record as written, with the file it came from."""

    path: str
    source: Located
    body: str = ""  # a post's Markdown after its front matter; empty for register rows

    @property
    def data(self) -> Any:
        return self.source.value

    def line(self, key: str = "") -> int:
        return self.source.line_of(key) if key else self.source.line


@dataclass(frozen=True)
class Table:
    name: str
    schema: dict[str, Any]
    rows: tuple[Row, ...]
    path: str  # the data file, or the folder of one-file-per-row resources
    one_file_per_row: bool = False
    published: bool = True  # False for posts and `sv:published: false`: checked, not open data

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
        return path.absolute().relative_to(Path.cwd().absolute()).as_posix()
    except ValueError:
        return path.as_posix()


def _inside(
    root: Path, relative: object, shown: str, field: str, line: int | None = None
) -> Path | Problem:
    """`root / relative`, or a problem (on the descriptor's `line`) when it leaves the register."""
    target = root / str(relative or "")
    try:
        target.resolve().relative_to(root.resolve())
    except ValueError:
        return Problem(
            shown,
            line,
            field,
            f'"{relative}" is outside the register folder',
            "every file the register uses must be inside its own folder",
        )
    return target


def _read_mapping_doc(path: Path) -> tuple[Located | None, list[Problem]]:
    doc, problems = read_yaml(path, shown_path(path))
    if doc is None:
        return None, problems
    if not isinstance(doc.value, dict):
        return None, [
            *problems,
            Problem(shown_path(path), doc.line, None, "expected a set of named fields"),
        ]
    return doc, problems


def _read_mapping_file(path: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    doc, problems = _read_mapping_doc(path)
    return (doc.value if doc else None), problems


@dataclass(frozen=True)
class _Folder:
    """A one-file-per-row resource whose files are listed but not yet read: `load` reads the
    files of every folder together, so a large register is shared evenly between two cores."""

    name: str
    schema: dict[str, Any]
    path: str
    wanted: list[tuple[Path, str]]  # (file, shown) for each file to read, in name order
    published: bool


def _folder_files(folder: Path, suffix: str) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """Each `*<suffix>` file as (file, shown); every other entry in the folder is reported."""
    shown_folder = shown_path(folder)  # once, not per file: resolving paths is slow at scale
    problems: list[Problem] = []
    # One directory listing whose entries know their type: no system call per file
    # (`os.scandir` sorted by name is the order `sorted(folder.iterdir())` gave).
    wanted: list[tuple[Path, str]] = []
    for entry in _listing(folder):
        file = Path(entry.path)
        shown = f"{shown_folder}/{entry.name}"
        if os.path.splitext(entry.name)[1] != suffix or entry.is_dir(follow_symlinks=False):
            problems.append(_stray(file, shown, suffix))
        else:
            wanted.append((file, shown))
    return wanted, problems


def _folder_table(folder: _Folder, reads: list[Read]) -> tuple[Table, list[Problem]]:
    """The table of a folder resource, from what each of its files read as."""
    rows: list[Row] = []
    problems: list[Problem] = []
    for (_file, shown), (doc, file_problems) in zip(folder.wanted, reads, strict=True):
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
    table = Table(folder.name, folder.schema, tuple(rows), folder.path, True, folder.published)
    return table, problems


def _listing(folder: Path) -> list[os.DirEntry[str]]:
    if not folder.is_dir():
        return []
    with os.scandir(folder) as listing:
        return sorted(listing, key=lambda entry: entry.name)


def _stray(file: Path, shown: str, suffix: str) -> Problem:
    if file.is_dir():
        return Problem(shown, None, None, "this folder is not read", "move its files up a level")
    if file.suffix.lower() in (".yaml", ".yml"):
        hint = f"rename it to {file.stem}{suffix}"
    else:
        hint = f"only {suffix} files belong here: move or delete it"
    return Problem(shown, None, None, f"this file is not read: it does not end in {suffix}", hint)


def _load_table(
    root: Path, resource: dict[str, Any], lines: Located | None = None, key: str = ""
) -> tuple[Table | _Folder | None, list[Problem]]:
    """One resource of the descriptor; `lines` and `key` locate its fields in the descriptor.
    A one-file-per-row resource comes back as a `_Folder`, its files listed but not read."""
    name = str(resource.get("name", "?"))
    published = resource.get("sv:published", True) is not False
    descriptor = shown_path(root / DESCRIPTOR)

    def line(field: str) -> int | None:
        return lines.line_of(f"{key}.{field}") if lines else None

    schema_path = _inside(root, resource.get("schema"), descriptor, "schema", line("schema"))
    if isinstance(schema_path, Problem):
        return None, [schema_path]
    schema, problems = _read_mapping_file(schema_path)
    if schema is None:
        return None, problems
    if "sv:files" in resource:
        parent = Path(str(resource["sv:files"])).parent
        folder = _inside(root, parent, descriptor, "sv:files", line("sv:files"))
        if isinstance(folder, Problem):
            return None, [*problems, folder]
        wanted, found = _folder_files(folder, Path(str(resource["sv:files"])).suffix)
        return _Folder(name, schema, shown_path(folder), wanted, published), problems + found
    file = _inside(root, resource.get("path"), descriptor, "path", line("path"))
    if isinstance(file, Problem):
        return None, [*problems, file]
    shown = shown_path(file)
    doc, file_problems = read_yaml(file, shown)
    problems += file_problems
    if doc is None:
        return Table(name, schema, (), shown, published=published), problems
    if not isinstance(doc.value, list):
        problems.append(
            Problem(shown, doc.line, None, "expected a list of entries, each starting with `- `")
        )
        return Table(name, schema, (), shown, published=published), problems
    table_rows = tuple(Row(shown, r) for r in split_rows(doc))
    return Table(name, schema, table_rows, shown, published=published), problems


def _split_front_matter(text: str) -> tuple[str, str] | None:
    """(front matter, body) of a post, or None when it does not start with a `---` block."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "".join(lines[1:index]), "".join(lines[index + 1 :])
    return None


def _post_text(file: Path, shown: str) -> tuple[str | None, list[Problem]]:
    unreadable = [Problem(shown, None, None, "the file cannot be read as UTF-8 text")]
    try:
        with file.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)  # a post is a few KB: never read a huge file whole
    except OSError:
        return None, unreadable
    if len(raw) > MAX_BYTES:  # before decoding: the cut may split a letter
        message = f"the file is larger than {MAX_BYTES // 1024} KB"
        return None, [Problem(shown, None, None, message, "a post is a few paragraphs long")]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError:
        return None, unreadable


def _post_row(file: Path, shown: str) -> tuple[Row | None, list[Problem]]:
    text, problems = _post_text(file, shown)
    if text is None:
        return None, problems
    parts = _split_front_matter(text)
    if parts is None:
        return None, [
            Problem(
                shown,
                1,
                None,
                "a post must start with front matter between `---` lines",
                "copy the top of an existing post",
            )
        ]
    doc, problems = parse_yaml(parts[0], shown, first_line=2)
    if doc is None:
        return None, problems
    if not isinstance(doc.value, dict):
        return None, [Problem(shown, 2, None, "the front matter must be named fields")]
    return Row(shown, doc, parts[1]), problems


def load_posts(root: Path, content_dir: Path) -> tuple[Table | None, list[Problem]]:
    """content/updates/*.md as a table of front matter rows, checked against its own schema."""
    schema, problems = _read_mapping_file(root / POSTS_SCHEMA)
    folder = content_dir / POSTS_FOLDER
    if schema is None or not folder.is_dir():
        return None, problems if folder.is_dir() else []
    rows: list[Row] = []
    for file in sorted(folder.iterdir()):
        shown = shown_path(file)
        if file.suffix != ".md" or file.is_symlink() or not file.is_file():
            problems.append(_stray(file, shown, ".md"))
            continue
        row, found = _post_row(file, shown)
        problems += found
        if row is not None:
            rows.append(row)
    return Table(POSTS_TABLE, schema, tuple(rows), shown_path(folder), True, False), problems


def load(
    register_dir: Path,
    content_dir: Path | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> RawRegister:
    """Read everything the descriptor names, and the posts. Problems are collected, never raised.
    `meanwhile()` is run while the folders are read (see `read_many`)."""
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
    located, problems = _read_mapping_doc(descriptor_path)
    descriptor = located.value if located else None
    loaded: dict[str, Table | _Folder] = {}
    for index, resource in enumerate((descriptor or {}).get("resources", [])):
        table, table_problems = _load_table(root, resource, located, f"resources[{index}]")
        problems += table_problems
        if table is not None:
            loaded[table.name] = table
    folders = [table for table in loaded.values() if isinstance(table, _Folder)]
    reads = iter(read_many([item for folder in folders for item in folder.wanted], meanwhile))
    tables: dict[str, Table] = {}
    for name, table in loaded.items():  # the descriptor's order
        if isinstance(table, _Folder):
            table, found = _folder_table(table, [next(reads) for _ in table.wanted])
            problems += found
        tables[name] = table
    if content_dir is not None:
        posts, post_problems = load_posts(root, content_dir)
        problems += post_problems
        if posts is not None:
            tables[posts.name] = posts
    return RawRegister(root, descriptor or {}, tables, tuple(problems))
