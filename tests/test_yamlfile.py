"""read_yaml: one parse that keeps the line of every key and item, and never raises on bad data."""

from __future__ import annotations

import datetime as dt

import pytest

from socialvalue.register.yamlfile import Located, read_yaml, split_rows


def read(write_tree, tmp_path, content: str | bytes):
    write_tree(tmp_path, {"org.yaml": content})
    return read_yaml(tmp_path / "org.yaml", "org.yaml")


def test_lines_of_keys_list_items_and_nested_keys(write_tree, tmp_path):
    doc, problems = read(
        write_tree,
        tmp_path,
        """
        # a comment first
        id: sample-club
        areas:
          - norwich
          - broadland
        contact:
          email: a@example.org
        offers: [money, volunteering]
        """,
    )

    assert problems == []
    assert doc.value["areas"] == ["norwich", "broadland"]
    assert doc.line == 2
    assert [
        (key, doc.line_of(key)) for key in ("id", "areas", "areas[1]", "contact.email", "offers[1]")
    ] == [("id", 2), ("areas", 3), ("areas[1]", 5), ("contact.email", 7), ("offers[1]", 8)]


def test_line_of_falls_back_to_the_nearest_parent_then_the_document():
    doc = Located({"contact": {}}, 3, {"contact": 9, "areas": 4})

    assert [doc.line_of(k) for k in ("contact.phone", "areas[7]", "missing", "")] == [9, 4, 3, 3]


def test_split_rows_gives_each_row_its_own_relative_lines(write_tree, tmp_path):
    doc, _ = read(
        write_tree,
        tmp_path,
        """
        - id: one
          name: One
        - id: two
          tags: [a, b]
        """,
    )

    rows = split_rows(doc)

    assert [(r.value["id"], r.line, r.line_of("id"), r.line_of("tags[1]")) for r in rows] == [
        ("one", 1, 1, 1),
        ("two", 3, 3, 4),
    ]


def test_a_key_given_twice_is_a_located_problem_and_the_last_value_wins(write_tree, tmp_path):
    doc, problems = read(
        write_tree,
        tmp_path,
        """
        id: a
        town: Norwich
        contact:
          email: a@example.org
          email: b@example.org
        town: Dereham
        """,
    )

    assert [(p.path, p.line, p.field, p.severity) for p in problems] == [
        ("org.yaml", 5, "contact.email", "error"),
        ("org.yaml", 6, "town", "error"),
    ]
    assert "given twice" in problems[0].message
    assert doc.value["town"] == "Dereham"


def test_dates_become_dates_only_when_they_are_real_days(write_tree, tmp_path):
    doc, problems = read(
        write_tree,
        tmp_path,
        """
        reviewed: 2026-10-01
        wrong_month: 2026-13-01
        wrong_day: 2026-02-30
        with_time: 2026-10-01 10:00:00
        quoted: "2026-10-01"
        """,
    )

    assert problems == []
    assert doc.value == {
        "reviewed": dt.date(2026, 10, 1),
        "wrong_month": "2026-13-01",
        "wrong_day": "2026-02-30",
        "with_time": "2026-10-01 10:00:00",
        "quoted": "2026-10-01",
    }


def test_a_utf8_byte_order_mark_is_accepted(write_tree, tmp_path):
    doc, problems = read(write_tree, tmp_path, "\ufeffid: a\nname: Café\n".encode())

    assert problems == []
    assert doc.value == {"id": "a", "name": "Café"}


@pytest.mark.parametrize(
    ("content", "line", "column", "fragment"),
    [
        pytest.param(
            "id: a\ntown: Norwich caf\xe9\n".encode("latin-1"), 2, 18, "byte 0xe9", id="latin-1"
        ),
        # The column counts characters: "£" is two bytes of UTF-8 but one column.
        pytest.param(
            "id: a\ntown: £5 caf".encode() + b"\xe9\n",
            2,
            13,
            "not valid UTF-8",
            id="latin-1-after-utf8",
        ),
        pytest.param("id: a\ntown: Norwich\x00\n", 2, 14, "control character (#x0000)", id="nul"),
        pytest.param(
            "id: a\ntown: café\x07\n", 2, 11, "control character (#x0007)", id="bell-after-utf8"
        ),
        pytest.param(
            "id: a\nareas: [norwich\nname: b\n", 3, 5, "starts on line 2", id="unclosed-bracket"
        ),
        pytest.param(
            b"id: a\nareas:\n\t- norwich\n", 3, 1, "indent with spaces, not tabs", id="tab"
        ),
        pytest.param(
            "id: a\nwelcomes: Help: on Tuesdays\n",
            2,
            15,
            "put text that contains ': ' in quotes",
            id="colon-in-value",
        ),
        pytest.param(
            "id: a\ncontact:\n    email: a@example.org\n  phone: '01603'\n",
            4,
            3,
            "indented like the lines around it",
            id="bad-indentation",
        ),
        pytest.param(
            "id: a\n---\nid: b\n",
            2,
            1,
            "expected a single document in the stream but found another",
            id="two-documents",
        ),
        pytest.param(
            "id: a\ntown: !!python/object:os.system x\n",
            2,
            7,
            "could not determine a constructor",
            id="python-tag",
        ),
    ],
)
def test_unreadable_files_give_one_located_problem(
    write_tree, tmp_path, content, line, column, fragment
):
    doc, problems = read(write_tree, tmp_path, content)

    assert doc is None
    assert [(p.path, p.line, p.column, p.field, p.severity) for p in problems] == [
        ("org.yaml", line, column, None, "error")
    ]
    assert fragment in problems[0].message + " (" + str(problems[0].hint) + ")"
    assert "\n" not in problems[0].message


@pytest.mark.parametrize(
    "content", ["", "   \n\n", "# only\n# comments\n", "---\n", "--- # c\n", "null\n"]
)
def test_empty_and_comment_only_files_are_empty(write_tree, tmp_path, content):
    doc, problems = read(write_tree, tmp_path, content)

    assert doc is None
    assert [(p.path, p.line, p.message) for p in problems] == [("org.yaml", 1, "the file is empty")]


def test_a_missing_file_is_a_problem_not_an_exception(tmp_path):
    doc, problems = read_yaml(tmp_path / "nope.yaml", "nope.yaml")

    assert doc is None
    assert [(p.path, p.line) for p in problems] == [("nope.yaml", None)]
    assert "cannot be read" in problems[0].message


@pytest.mark.parametrize(
    "text",
    [
        "id: sample-club\nname: 'Sample: a club'\nactive: yes\ncount: 0x1A\nratio: 1_000.5\n",
        "a: ~\nb: null\nc: ''\nd: 2026-02-30\ne: 2026-03-01\nf: 2026-03-01 10:00\ng: .inf\n",
        "1: one\ntrue: two\n~: three\n2026-01-01: four\n",  # keys that are not text
        "base: {x: 1}\nmerged:\n  <<: {y: 2}\n  z: 3\n",  # a merge key: PyYAML's own route
        "tags: !!set {a, b}\npairs: !!omap [{a: 1}, {b: 2}]\nraw: !!binary aGVsbG8=\n",
        "- [1, [2, [3, {k: v}]]]\n- {? explicit : value}\n",
        'text: |\n  two\n  lines\nfolded: >\n  one\n  line\nquoted: "true"\n',
    ],
)
def test_the_one_pass_reader_builds_what_pyyaml_builds(text):
    """`parse_yaml` builds plain shapes itself; the value must be PyYAML's, shape for shape."""
    import yaml

    from socialvalue.register.yamlfile import _RegisterLoader, parse_yaml

    doc, problems = parse_yaml(text, "org.yaml")

    assert problems == []
    expected = yaml.load(text, Loader=_RegisterLoader)  # noqa: S506 - the register's safe loader
    assert doc.value == expected
    assert repr(doc.value) == repr(expected)  # same types too (True is not 1, a date not text)


@pytest.mark.parametrize(
    "text",
    [
        "a: !!str {x: 1}\n",  # a mapping tagged as text is not text
        "a.b: 1\na:\n  b: 2\n",  # a dotted key is not a duplicate of a nested one
        "name: Smith & Sons\nother: &x plain\n",  # an anchor with no alias is fine
    ],
)
def test_the_one_pass_reader_agrees_with_pyyaml_on_tags_and_keys(text):
    import yaml

    from socialvalue.register.yamlfile import _RegisterLoader, parse_yaml

    doc, problems = parse_yaml(text, "org.yaml")
    try:
        expected = yaml.load(text, Loader=_RegisterLoader)  # noqa: S506 - the register's loader
    except yaml.YAMLError:
        assert doc is None and len(problems) == 1
        return
    assert problems == []
    assert repr(doc.value) == repr(expected)


def test_a_large_folder_read_on_two_cores_gives_the_same_answer(tmp_path):
    """`read_many` forks a reader for half the files: the answer is the sequential one, in order,
    bad files included. Run in a fresh process: one thread, as forking needs."""
    import subprocess
    import sys

    script = """
import sys
from pathlib import Path
from socialvalue.register import yamlfile
folder = Path(sys.argv[1])
texts = ["id: a-{0}\\nname: Sample {0}\\nstarted: 2026-01-0{1}\\n", "id: [unclosed {0}\\n",
         "id: b-{0}\\nid: twice\\n", "", "- a list {0}\\n"]
items = []
for n in range(60):
    path = folder / f"{n:03}.yaml"
    path.write_text(texts[n % len(texts)].format(n, n % 9 + 1), encoding="utf-8")
    items.append((path, path.name))
import os, threading, time
os.mkfifo(folder / "pipe.yaml")  # asked for ahead of reading: never waited on
(folder / "zero.yaml").symlink_to("/dev/zero")  # nor followed
items[10:10] = [(folder / "pipe.yaml", "pipe.yaml"), (folder / "zero.yaml", "zero.yaml")]
from socialvalue.register import cores
yamlfile.PARALLEL_FROM = 10
cores.CHUNK = 4
assert threading.active_count() == 1
cores.may_fork = lambda: True  # on any machine, one core or many
asked = []
fadvise = os.posix_fadvise
def counted(fd, offset, length, advice):
    asked.append(advice)
    return fadvise(fd, offset, length, advice)
os.posix_fadvise = counted
parallel = yamlfile.read_many(items)
assert asked and set(asked) == {os.POSIX_FADV_WILLNEED}, "no file asked for ahead here"
assert parallel == yamlfile._read_each(items), "different answers"
assert [doc.value["id"] for doc, _ in parallel[:1]] == ["a-0"]
read_yaml = yamlfile.read_yaml
def tagged_read(path, shown):
    time.sleep(0.005)  # each process gets its turn
    return os.getpid(), read_yaml(path, shown)
yamlfile.read_yaml = tagged_read
called = []
tagged = yamlfile.read_many(items, meanwhile=lambda: called.append(os.getpid()))
assert called == [os.getpid()], "meanwhile: once, here"
assert [read for _, read in tagged] == parallel
pids = [pid for pid, _ in tagged]
assert len(set(pids)) == 2, "one process read them all"
assert all(len(set(pids[n : n + 4])) == 1 for n in range(0, 62, 4)), "a chunk split"
print(sum(1 for doc, problems in parallel if problems))
"""
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, timeout=60
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "38"  # 12 each of: unclosed, twice, empty; the pipe, the link


def test_remembered_reads_follow_every_change_to_the_file(tmp_path):
    """`serve` keeps what each file read as; a file written again (even to the same size, in
    the same second) is read again."""
    import os

    from socialvalue.register import yamlfile

    path = tmp_path / "org.yaml"
    path.write_text("id: first\n", encoding="utf-8")
    saved = yamlfile._memory
    try:
        yamlfile._memory = None
        yamlfile.remember_reads()
        first, _ = yamlfile.read_yaml(path, "org.yaml")
        again, _ = yamlfile.read_yaml(path, "org.yaml")
        assert again is first  # not read again
        stamp = path.stat()
        saved_by_editor = tmp_path / "org.yaml.new"  # an editor's save: a new file renamed
        saved_by_editor.write_text("id: other\n", encoding="utf-8")  # same size
        os.utime(saved_by_editor, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # same time
        os.replace(saved_by_editor, path)
        changed, _ = yamlfile.read_yaml(path, "org.yaml")
        assert changed.value == {"id": "other"}  # a new inode
        shown_elsewhere, _ = yamlfile.read_yaml(path, "elsewhere/org.yaml")
        assert shown_elsewhere is not changed
    finally:
        yamlfile._memory = saved
