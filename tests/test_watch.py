"""watch(): real files, a real thread. Waits are bounded Event waits, never bare sleeps."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fixtures import built_site, write_tree

from socialvalue.watch import snapshot, watch

INTERVAL = 0.1
WITHIN = 5.0  # seconds a change may take to be noticed


class Rebuilds:
    """Runs `action(n)` on the n-th call; `wait_for(n)` returns once n calls have finished."""

    def __init__(self, action: Callable[[int], None] = lambda n: None) -> None:
        self.count = 0
        self.action = action
        self._changed = threading.Condition()

    def __call__(self) -> None:
        try:
            self.action(self.count + 1)
        finally:
            with self._changed:
                self.count += 1
                self._changed.notify_all()

    def wait_for(self, count: int, timeout: float = WITHIN) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: self.count >= count, timeout)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path,
        {"register/a.yaml": "a: 1\n", "content/page.md": "# Page\n", "mkdocs.yml": "x: 1\n"},
    )


@pytest.fixture
def watching(tree: Path) -> Iterator[Callable[[Rebuilds], None]]:
    stop = threading.Event()
    threads: list[threading.Thread] = []

    def start(rebuilds: Rebuilds) -> None:
        paths = [tree / "register", tree / "content", tree / "mkdocs.yml", tree / "missing"]
        thread = threading.Thread(target=watch, args=(paths, rebuilds, stop, INTERVAL), daemon=True)
        thread.start()
        threads.append(thread)
        stop.wait(3 * INTERVAL)  # let the first snapshot be taken before the test edits anything

    yield start
    stop.set()
    for thread in threads:
        thread.join(WITHIN)
        assert not thread.is_alive(), "watch() did not stop when asked"


def test_an_edit_rebuilds_once(tree: Path, watching) -> None:
    rebuilds = Rebuilds()
    watching(rebuilds)
    (tree / "register/a.yaml").write_text("a: 2\nb: 3\n", encoding="utf-8")
    assert rebuilds.wait_for(1)
    assert not rebuilds.wait_for(2, timeout=10 * INTERVAL)


def test_no_change_no_rebuild(watching) -> None:
    rebuilds = Rebuilds()
    watching(rebuilds)
    assert not rebuilds.wait_for(1, timeout=15 * INTERVAL)


@pytest.mark.parametrize(
    "change",
    [
        lambda root: (root / "content/new.md").write_text("# New\n", encoding="utf-8"),
        lambda root: (root / "content/page.md").unlink(),
        lambda root: (root / "mkdocs.yml").write_text("x: 22\n", encoding="utf-8"),
        lambda root: (root / "missing").write_text("now here\n", encoding="utf-8"),
    ],
    ids=["new file", "deleted file", "single file", "watched path appears"],
)
def test_new_deleted_and_single_files_count(tree: Path, watching, change) -> None:
    rebuilds = Rebuilds()
    watching(rebuilds)
    change(tree)
    assert rebuilds.wait_for(1)


def test_a_burst_of_edits_is_one_rebuild(tree: Path, watching) -> None:
    rebuilds = Rebuilds()
    watching(rebuilds)
    for n in range(20):  # far quicker than one interval, like `git pull` writing many files
        (tree / f"register/file-{n}.yaml").write_text(f"n: {n}\n", encoding="utf-8")
    assert rebuilds.wait_for(1)
    assert not rebuilds.wait_for(2, timeout=10 * INTERVAL)


def test_a_failing_rebuild_does_not_stop_the_watcher(tree: Path, watching, capsys) -> None:
    def fail_first(count: int) -> None:
        if count == 1:
            raise RuntimeError("boom")

    rebuilds = Rebuilds(fail_first)
    watching(rebuilds)
    (tree / "register/a.yaml").write_text("a: 20\n", encoding="utf-8")
    assert rebuilds.wait_for(1)
    (tree / "register/a.yaml").write_text("a: 300\n", encoding="utf-8")
    assert rebuilds.wait_for(2)
    assert "RuntimeError: boom" in capsys.readouterr().err


def test_editor_scratch_files_are_ignored(tree: Path) -> None:
    before = snapshot([tree])
    write_tree(
        tree,
        {
            "content/.#page.md": "lock",
            "content/page.md.swp": "x",
            "content/page.md~": "x",
            "register/__pycache__/a.pyc": "x",
        },
    )
    assert snapshot([tree]) == before


@pytest.mark.slow
def test_an_edited_organisation_shows_on_the_rebuilt_page(tmp_path: Path, minimal_register) -> None:
    """What `serve` does: watch the register, rebuild the site, and the page shows the edit."""
    register = minimal_register()
    out = tmp_path / "site"
    built_site(register, out)
    page = out / "register/sample-youth-club/index.html"
    assert "Sample Youth Club" in page.read_text(encoding="utf-8")

    stop = threading.Event()
    rebuilds = Rebuilds(lambda n: built_site(register, out))
    thread = threading.Thread(
        target=watch, args=([register], rebuilds, stop, INTERVAL), daemon=True
    )
    thread.start()
    try:
        stop.wait(3 * INTERVAL)
        source = register / "organisations/sample-youth-club.yaml"
        text = source.read_text(encoding="utf-8")
        source.write_text(
            text.replace("name: Sample Youth Club", "name: Sample Riverside Youth Club"), "utf-8"
        )
        assert rebuilds.wait_for(1, timeout=60)
        assert "Sample Riverside Youth Club" in page.read_text(encoding="utf-8")
    finally:
        stop.set()
        thread.join(60)
