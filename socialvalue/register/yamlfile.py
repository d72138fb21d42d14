"""Read a YAML file once, keeping the line of every key and list item.

Register files come from pull requests, so every failure here becomes a located `Problem`
(encoding, syntax, empty file, duplicate keys), never an exception.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from sys import intern
from typing import Any

import yaml

try:  # libyaml is much faster on large registers; the pure-Python loader is the fallback.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from .cores import shared_map
from .indentation import describe as describe_misindent
from .indentation import misindented
from .problems import Problem

MAX_BYTES = 512 * 1024  # a register file is a few KB; a bigger one is a mistake or an attack
MAX_DEPTH = 100  # levels of nesting; an entry has a few, and libyaml crashes at tens of thousands
SHALLOW_CHARS = 2_000  # shorter text cannot nest past Python's recursion limit


_RESOLVED: dict[str, str] = {}  # plain scalar text -> its implicit tag (a pure function of it)
_RESOLVED_MAX = 200_000


class _RegisterLoader(_Loader):
    """Safe loading, except that only a real YYYY-MM-DD becomes a date.

    YAML's own timestamp rule turns `2026-13-01` into a crash (month 13) and
    `2026-10-01 10:00` into a datetime; both stay the text as written, so the schema
    reports a located "must be a date" problem instead.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        """PyYAML's tag resolution, with the answer for each plain scalar kept: register files
        repeat the same keys and values thousands of times, and resolving them again was a
        tenth of reading a large register."""
        if kind is yaml.ScalarNode and implicit[0]:
            tag = _RESOLVED.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(_RESOLVED) < _RESOLVED_MAX:
                    _RESOLVED[value] = tag
            return tag
        return super().resolve(kind, value, implicit)


def _date_or_text(loader: _RegisterLoader, node: yaml.ScalarNode) -> object:
    if len(node.value) == 10:  # YYYY-MM-DD, nearly every date in a register: read it directly
        try:
            return dt.date.fromisoformat(node.value)
        except ValueError:
            pass  # 2026-02-30 and the like: YAML's own rule decides, below
    try:
        value = loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)
    return value if type(value) is dt.date else loader.construct_scalar(node)


_RegisterLoader.add_constructor("tag:yaml.org,2002:timestamp", _date_or_text)


@dataclass(frozen=True)
class Located:
    """A parsed value with the 1-based line of each key path (`areas[1]`, `contact.email`)."""

    value: Any
    line: int
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        """The line of `key`, or of its nearest parent, or of the value itself."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = (
                key.rpartition(".")[0]
                if "." in key
                else key.partition("[")[0]
                if "[" in key
                else ""
            )
        return self.line


class _AliasFound(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_PLAIN_SCALARS = frozenset(
    "tag:yaml.org,2002:" + name for name in ("null", "bool", "int", "float", "timestamp")
)

_KEY_TAGS = frozenset({_STR, *_PLAIN_SCALARS})


class _Unusual(Exception):
    """A node the one-pass reader leaves to PyYAML's own constructor (merge keys, `!!set`...)."""


def _walk(
    loader: _RegisterLoader,
    node: yaml.Node,
    prefix: str,
    lines: dict[str, int],
    dupes: list[tuple[str, int]],
    seen_nodes: set[int] | None,
) -> Any:
    """Record every key's line and build the value in the same pass.

    Produces what SafeConstructor would for the plain shapes register files use (text,
    numbers, booleans, null, dates, mappings with scalar keys, lists); anything else raises
    `_Unusual` so the caller falls back to PyYAML's constructor. `seen_nodes` finds aliases;
    it is None for a text with no `&`, which can hold no anchor and so no alias.
    """
    if seen_nodes is not None:
        if id(node) in seen_nodes:  # the composer shares one node for every alias of an anchor
            raise _AliasFound(node.start_mark.line + 1)
        seen_nodes.add(id(node))  # scalars too: 90,000 aliases of a 200 KB text are 18 GB
    kind = node.__class__
    tag = node.tag
    if kind is yaml.ScalarNode:
        if tag == _STR:
            return node.value
        if tag in _PLAIN_SCALARS:
            return loader.yaml_constructors[tag](loader, node)
        raise _Unusual
    if kind is yaml.MappingNode and tag == _MAP:
        mapping: dict[Any, Any] = {}
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if key_node.tag not in _KEY_TAGS or key_node.__class__ is not yaml.ScalarNode:
                raise _Unusual  # merge keys (`<<`), `=` and complex keys
            key = intern(str(key_node.value))  # one object per name: less memory, smaller pickles
            path = intern(f"{prefix}.{key}") if prefix else key
            line = key_node.start_mark.line + 1
            if key in seen:
                dupes.append((path, line))
            seen.add(key)
            lines[path] = line
            built_key = (
                key
                if key_node.tag == _STR and seen_nodes is None
                else _walk(loader, key_node, path, lines, dupes, seen_nodes)
            )
            if (  # most values: plain text
                seen_nodes is None
                and value_node.tag == _STR
                and value_node.__class__ is yaml.ScalarNode
            ):
                mapping[built_key] = value_node.value
            else:
                mapping[built_key] = _walk(loader, value_node, path, lines, dupes, seen_nodes)
        return mapping
    if kind is yaml.SequenceNode and tag == _SEQ:
        items = []
        for index, item in enumerate(node.value):
            path = intern(f"{prefix}[{index}]")
            lines[path] = item.start_mark.line + 1
            items.append(_walk(loader, item, path, lines, dupes, seen_nodes))
        return items
    raise _Unusual


def _lines_only(
    node: yaml.Node,
    prefix: str,
    lines: dict[str, int],
    dupes: list[tuple[str, int]],
    seen_nodes: set[int],
) -> None:
    """The line walk alone, for a document PyYAML's constructor builds (see `_walk`)."""
    if id(node) in seen_nodes:
        raise _AliasFound(node.start_mark.line + 1)
    seen_nodes.add(id(node))
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            path = f"{prefix}.{key}" if prefix else key
            if key in seen:
                dupes.append((path, key_node.start_mark.line + 1))
            seen.add(key)
            lines[path] = key_node.start_mark.line + 1
            _lines_only(value_node, path, lines, dupes, seen_nodes)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            path = f"{prefix}[{index}]"
            lines[path] = item.start_mark.line + 1
            _lines_only(item, path, lines, dupes, seen_nodes)


def _decode(path: Path, shown: str, data: bytes) -> tuple[str | None, list[Problem]]:
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = (
            len(data[line_start : exc.start].decode("utf-8", "replace")) + 1
        )  # characters, not bytes
        return None, [
            Problem(
                shown,
                line,
                None,
                f"the file is not valid UTF-8 text (byte 0x{data[exc.start]:02x} cannot be read)",
                "save the file with UTF-8 encoding; the GitHub web editor does this for you",
                column=column,
            )
        ]


def read_yaml(path: Path, shown: str) -> tuple[Located | None, list[Problem]]:
    """Parse the file at `path`; `shown` is the path printed in problems.

    Only a regular file of at most MAX_BYTES is read: a symbolic link, a device (a link to
    /dev/zero would read forever) or an oversized file is refused with a located problem.
    """
    try:
        info = path.lstat()  # one system call answers all three questions
    except FileNotFoundError:
        return None, [Problem(shown, None, None, "the file cannot be read: it does not exist")]
    except OSError as exc:
        return None, [Problem(shown, None, None, f"the file cannot be read: {exc.strerror}")]
    mode = info.st_mode
    key = (shown, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    if _memory is not None and _memory.get(str(path), (None,))[0] == key:
        return _memory[str(path)][1]
    try:
        if stat.S_ISLNK(mode) or not stat.S_ISREG(mode):
            what = "a symbolic link" if stat.S_ISLNK(mode) else "not a regular file"
            return None, [
                Problem(
                    shown,
                    None,
                    None,
                    f"the file is {what}, so it is not read",
                    "replace it with an ordinary file holding the entry",
                )
            ]
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        return None, [Problem(shown, None, None, f"the file cannot be read: {exc.strerror}")]
    if len(raw) > MAX_BYTES:
        return None, [
            Problem(
                shown,
                None,
                None,
                f"the file is larger than {MAX_BYTES // 1024} KB",
                "a register file holds a few KB of text: check it is the right file",
            )
        ]
    text, problems = _decode(path, shown, raw)
    read = (None, problems) if text is None else parse_yaml(text, shown)
    if _memory is not None:
        _memory[str(path)] = (key, read)
    return read


# path -> ((shown, inode, size, mtime, ctime), what read_yaml gave); None: not remembering.
_memory: dict[str, tuple[tuple[str, int, int, int, int], Read]] | None = None


def remember_reads() -> None:
    """From now on, keep what each file read as, and read it again only when its inode, size or
    times change. For `serve`, which checks the whole register again after every change; a
    one-off check reads every file once anyway."""
    global _memory
    if _memory is None:
        _memory = {}


PARALLEL_FROM = 2_000  # files; below this, starting a second process costs more than it saves

Read = tuple[Located | None, list[Problem]]


def _read_each(items: list[tuple[Path, str]]) -> list[Read]:
    return [read_yaml(path, shown) for path, shown in items]


def read_many(
    items: list[tuple[Path, str]], meanwhile: Callable[[], object] | None = None
) -> list[Read]:
    """`read_yaml` for each (path, shown), in order; `meanwhile()` is called here too.

    A large register is read on two cores (reading is most of a 10,000-entry check): a forked
    child and this process each take the next files whenever they are free (`shared_map`), and
    this process first runs `meanwhile` (the check imports Frictionless). The answer is the
    same list either way.
    """
    if len(items) < PARALLEL_FROM:
        if meanwhile is not None:
            meanwhile()
        return _read_each(items)
    return shared_map(_read_one, items, meanwhile=meanwhile, before=_ask_for)


def _read_one(item: tuple[Path, str]) -> Read:
    return read_yaml(*item)


def _ask_for(items: Sequence[tuple[Path, str]]) -> None:
    """Have the kernel start reading these files together, before they are read one by one:
    from a cold disk cache the reads then overlap (15,000 files: 1.2 s read one at a time,
    0.6 s asked for 50 at a time; 0.05 s more when they are in the cache already). Never
    opens a link, a pipe or a device; anything odd is left to `read_yaml` to report."""
    if not hasattr(os, "posix_fadvise"):
        return
    for path, _shown in items:
        try:  # only regular files: opening a pipe or a device can have effects of its own
            if not stat.S_ISREG(os.lstat(path).st_mode):
                continue
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY)
        except OSError:
            continue
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
        except OSError:
            pass
        finally:
            os.close(fd)


def parse_yaml(text: str, shown: str, first_line: int = 1) -> tuple[Located | None, list[Problem]]:
    """Parse YAML text (a file, or a post's front matter starting on `first_line`).

    The project's one YAML reader: safe loading, real dates only, every line kept, and no
    aliases (an alias can make a small file expand without limit).
    """
    offset = first_line - 1
    empty = Problem(
        shown,
        first_line,
        None,
        "the file is empty",
        "fill it in from the template in CONTRIBUTING.md",
    )
    if not text.strip() or all(
        ln.strip().startswith("#") or not ln.strip() for ln in text.splitlines()
    ):
        return None, [empty]
    too_deep = _too_deep(text) if _may_be_deep(text) else None
    if too_deep is not None:
        return None, [_deep_problem(shown, too_deep + offset)]
    loader = _RegisterLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, [empty]
        lines: dict[str, int] = {}
        dupes: list[tuple[str, int]] = []
        try:
            value = _walk(loader, node, "", lines, dupes, set() if "&" in text else None)
        except _Unusual:
            lines, dupes = {}, []
            _lines_only(node, "", lines, dupes, set())
            value = loader.construct_document(node)
    except _AliasFound as found:
        return None, [
            Problem(
                shown,
                _alias_line(text, found.line) + offset,
                None,
                "the file uses a YAML alias (`*name`), which register files may not use",
                "write the value out in full where it is needed",
            )
        ]
    except RecursionError:
        return None, [_deep_problem(shown, None)]
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, text, shown, offset)]
    except yaml.reader.ReaderError as exc:  # a control character such as NUL
        line, column = _line_and_column(text, exc.position, exc.character)
        return None, [
            Problem(
                shown,
                line + offset,
                None,
                f"the file contains a control character (#x{exc.character:04x}) "
                "that YAML does not allow",
                "delete it: it is invisible in most editors, so retype the line",
                column=column,
            )
        ]
    except yaml.YAMLError as exc:  # e.g. a value YAML cannot construct
        return None, [Problem(shown, None, None, f"YAML error: {exc}")]
    finally:
        loader.dispose()
    if value is None:  # only `---` or `null`: nothing to read
        return None, [empty]
    if offset:
        lines = {key: line + offset for key, line in lines.items()}
    problems = [
        Problem(shown, line + offset, key, "this field is given twice", "keep one of the two lines")
        for key, line in dupes
    ]
    return Located(value, node.start_mark.line + 1 + offset, lines), problems


def _deep_problem(shown: str, line: int | None) -> Problem:
    return Problem(
        shown,
        line,
        None,
        "the file is nested too deeply to read",
        "a register entry is a few levels deep at most",
    )


def _may_be_deep(text: str) -> bool:
    """A cheap upper bound on nesting: each block level takes at least one character of a line's
    leading spaces, `-` or `?`, and each flow level one `[` or `{`. Only a text that could pass
    MAX_DEPTH is parsed a second time, for its events."""
    if len(text) <= SHALLOW_CHARS:
        return False
    flow = text.count("[") + text.count("{")
    block = max((len(line) - len(line.lstrip(" -?")) for line in text.splitlines()), default=0)
    return flow + block + 2 > MAX_DEPTH


def _too_deep(text: str) -> int | None:
    """The line where nesting passes MAX_DEPTH, found from parser events.

    libyaml's composer recurses in C, so `[[[[...` tens of thousands deep would crash the
    process (a segmentation fault, not an exception) before any Python check could run.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line + 1 if event.start_mark else 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None  # the real parse below reports the syntax error with its line
    return None


def _alias_line(text: str, fallback: int) -> int:
    """The line of the first `*alias` (the composer only keeps the anchor's line)."""
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if isinstance(token, yaml.AliasToken):
                return token.start_mark.line + 1
    except yaml.YAMLError:
        pass
    return fallback


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, shown: str, offset: int) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    reason = exc.problem or exc.context or "the YAML cannot be read"
    found = misindented(text, mark.line) if mark and "tab" not in reason else None
    if found is not None:  # the reader often stops on the line after the mis-indented one
        message, hint = describe_misindent(found, offset)
        line, column = found.line + 1 + offset, found.indent + 1
        return Problem(shown, line, None, f"YAML syntax error: {message}", hint, column=column)
    start = exc.context_mark
    if exc.problem and exc.context and not exc.context.startswith("while"):
        # e.g. "expected a single document ... but found another"
        reason = f"{exc.context} {exc.problem}"
    elif (
        exc.problem
        and exc.context
        and start is not None
        and mark is not None
        and start.line != mark.line
    ):
        where = exc.context.replace("while parsing", "in")
        reason += f" {where} that starts on line {start.line + 1 + offset}"
    return Problem(
        shown,
        mark.line + 1 + offset if mark else None,
        None,
        f"YAML syntax error: {reason}",
        _syntax_hint(reason, _char_at(text, mark)),
        column=mark.column + 1 if mark else None,
    )


def _char_at(text: str, mark: yaml.Mark | None) -> str:
    lines = text.splitlines()
    if mark is None or mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]


def _line_and_column(text: str, position: int, character: int) -> tuple[int, int]:
    """libyaml counts UTF-8 bytes, the pure-Python reader counts characters."""
    if position < len(text) and ord(text[position]) == character:
        before = text[:position]
    else:
        before = text.encode("utf-8")[:position].decode("utf-8", "replace")
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def _syntax_hint(reason: str, char: str = "") -> str:
    if "tab" in reason or char == "\t":
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in reason:
        return "put text that contains ': ' in quotes"
    if "another document" in reason:
        return "a file holds one entry: remove the second `---` line and what follows it"
    if "expected <block end>" in reason or "expected key" in reason or "indentation" in reason:
        return "check that this line is indented like the lines around it"
    return "check quotes, colons and indentation on this line and the one before"


def split_rows(doc: Located) -> list[Located]:
    """Split a list-of-mappings document into one `Located` per row, keys relative to it."""
    rows = []
    for index, value in enumerate(doc.value if isinstance(doc.value, list) else []):
        prefix = f"[{index}]"
        lines = {
            key[len(prefix) + 1 :]: line
            for key, line in doc.lines.items()
            if key.startswith(prefix + ".")
        }
        rows.append(Located(value, doc.lines.get(prefix, doc.line), lines))
    return rows
