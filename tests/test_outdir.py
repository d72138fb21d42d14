"""`--out` through the real command line: what it refuses, what it replaces, what it cleans up.

Each test builds in its own copy of the project (register/, content/, templates/, mkdocs.yml) under
tmp_path and runs `python build.py build` there, so the repository itself is never the target.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fixtures import REPO, TODAY

from socialvalue import outdir
from socialvalue.outdir import BUILD_MARKER, SITE_MARKER

pytestmark = pytest.mark.slow


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project to build in, with a folder of someone's files and a plain file."""
    root = tmp_path / "project"
    for name in ("register", "content", "templates"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "someones-files").mkdir()
    (root / "someones-files" / "thesis.txt").write_text("Sample: years of work\n", encoding="utf-8")
    (root / "notes.txt").write_text("Sample notes\n", encoding="utf-8")
    (root / "link-to-register").symlink_to(root / "register", target_is_directory=True)
    return root


def _build_command(out: str) -> list[str]:
    build = [sys.executable, str(REPO / "build.py"), "build", "--today", TODAY.isoformat()]
    return [*build, "--register", "register", "--out", out]


def _build(project: Path, out: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _build_command(out), cwd=project, capture_output=True, text=True, timeout=600
    )


def _start_build(project: Path, out: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        _build_command(out),
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _tree(root: Path) -> dict[str, str]:
    """Every entry under `root` (not following links): file sha256, link target, or folder."""
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            key = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[key] = "link -> " + os.readlink(path)
            elif path.is_dir():
                found[key] = "folder"
            else:
                found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _until(condition: Callable[[], bool], timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def _work_dirs(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".site.build-"))


@pytest.mark.parametrize(
    ("out", "why"),
    [
        ("register", "it is the register folder"),
        ("register/organisations", "it is inside the register folder"),
        ("register/new/site", "it is inside the register folder"),
        ("content", "it is the content folder"),
        ("templates", "it is the templates folder"),
        (".", "it is the project folder"),
        ("..", "it holds the project folder"),
        ("someones-files", "it holds files no earlier build made"),
        ("notes.txt", "it is a file, not a folder"),
        ("link-to-register", "it is the register folder"),
    ],
)
def test_a_dangerous_out_is_refused_and_nothing_changes(project: Path, out: str, why: str) -> None:
    before = _tree(project.parent)
    result = _build(project, out)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: will not build into {out}")
    assert why in lines[0]
    assert _tree(project.parent) == before


def test_a_symlink_is_named_with_the_folder_it_points_to(project: Path) -> None:
    result = _build(project, "link-to-register")
    assert f"link-to-register (which is {project / 'register'})" in result.stderr


def test_an_old_folder_of_someone_elses_files_is_refused(project: Path) -> None:
    (project / "site.old").mkdir()
    (project / "site.old" / "keep.txt").write_text("Sample\n", encoding="utf-8")
    before = _tree(project.parent)
    result = _build(project, "site")
    assert result.returncode == 1
    assert f"{project / 'site.old'} is in the way" in result.stderr
    assert _tree(project.parent) == before


def test_an_empty_folder_is_built_into_then_the_build_replaces_it(project: Path) -> None:
    (project / "site").mkdir()
    first = _build(project, "site")
    assert first.returncode == 0, first.stderr
    marker = project / "site" / SITE_MARKER
    assert marker.read_text(encoding="utf-8").count("\n") == 1
    (project / "site" / "stale-page.html").write_text("<p>Sample</p>\n", encoding="utf-8")
    before = _tree(project / "site")

    second = _build(project, "site")

    assert second.returncode == 0, second.stderr
    after = _tree(project / "site")
    assert "stale-page.html" not in after  # the previous build was replaced, not merged
    assert {k: v for k, v in before.items() if k != "stale-page.html"} == after  # same bytes
    assert _until(lambda: not (project / "site.old").exists())
    assert _until(lambda: _work_dirs(project) == [])  # removed after the build, detached


def _write_work_dir(project: Path, name: str, owner: dict[str, object] | None) -> None:
    folder = project / name
    folder.mkdir()
    (folder / "mkdocs.yml").write_text("site_name: Sample\n", encoding="utf-8")
    if owner is not None:
        (folder / BUILD_MARKER).write_text(json.dumps(owner) + "\n", encoding="utf-8")


def test_stale_temporary_folders_of_dead_builds_are_removed_and_no_others(project: Path) -> None:
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    host, me = socket.gethostname(), os.getpid()
    _write_work_dir(project, ".site.build-dead0001", {"pid": ended.pid, "host": host})
    _write_work_dir(project, ".site.build-reused01", {"pid": me, "host": host, "start": "1"})
    _write_work_dir(project, ".site.build-alive001", {"pid": me, "host": host})
    _write_work_dir(project, ".site.build-otherhst", {"pid": ended.pid, "host": "b.example.org"})
    _write_work_dir(project, ".site.build-nomarker", None)
    _write_work_dir(project, ".other.build-dead0001", {"pid": ended.pid, "host": host})
    _write_work_dir(project, ".site.build-dead", {"pid": ended.pid, "host": host})

    result = _build(project, "site")

    assert result.returncode == 0, result.stderr
    kept = [
        ".site.build-alive001",
        ".site.build-dead",
        ".site.build-nomarker",
        ".site.build-otherhst",
    ]
    assert _until(lambda: _work_dirs(project) == kept)  # the build's own goes after it, detached
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".")) == [
        ".other.build-dead0001",
        ".site.build-alive001",
        ".site.build-dead",
        ".site.build-nomarker",
        ".site.build-otherhst",
    ]


# Runs a build as this script's child and stops it with a signal once mkdocs runs. The script is a
# child subreaper (Linux), so the build's orphans become its children: it can tell how each ended
# and which are still running.
HARNESS = r"""
import ctypes, json, os, signal, subprocess, sys, time
import psutil

ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
command, sig = json.loads(sys.argv[1]), int(sys.argv[2])
build = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def mkdocs():
    for child in psutil.Process(build.pid).children(recursive=True):
        try:
            if child.cmdline()[1:3] in (["-m", "mkdocs"], ["-m", "properdocs"]):
                return child.pid
        except psutil.Error:
            pass


deadline, pid = time.monotonic() + 120, None
while pid is None and time.monotonic() < deadline and build.poll() is None:
    pid = mkdocs()
    time.sleep(0.05)
build.send_signal(sig)
_, stderr = build.communicate(timeout=60)
ended, deadline = {}, time.monotonic() + 15
while time.monotonic() < deadline:
    try:
        orphan, status = os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        break  # no children left
    if orphan == 0:
        time.sleep(0.02)
    elif os.WIFSIGNALED(status):
        ended[orphan] = signal.Signals(os.WTERMSIG(status)).name
    else:
        ended[orphan] = f"exit {os.WEXITSTATUS(status)}"
left = [p.pid for p in psutil.Process().children(recursive=True)]
print(json.dumps({"code": build.returncode, "stderr": stderr, "mkdocs": pid, "ended": ended,
                  "left": left}))
"""


def _stop_during_mkdocs(project: Path, sig: signal.Signals) -> dict:
    """Start a build, send it `sig` while mkdocs runs; how the build and its orphans ended."""
    command = [sys.executable, "-c", HARNESS, json.dumps(_build_command("site")), str(int(sig))]
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    stopped = json.loads(result.stdout)
    assert stopped["mkdocs"] is not None, "the build never started mkdocs"
    assert stopped["left"] == [], "the build's children outlived it"
    return stopped


def test_a_killed_build_leaves_no_children_and_the_next_build_cleans_up(project: Path) -> None:
    stopped = _stop_during_mkdocs(project, signal.SIGKILL)
    assert stopped["code"] == -signal.SIGKILL
    assert stopped["ended"] == {str(stopped["mkdocs"]): "SIGTERM"}  # told to end, did not crash
    debris = _work_dirs(project)
    assert len(debris) == 1
    assert not (project / "site").exists()

    result = _build(project, "site")

    assert result.returncode == 0, result.stderr
    assert _until(lambda: _work_dirs(project) == [])
    assert (project / "site" / SITE_MARKER).is_file()


def test_a_terminated_build_cleans_up_and_says_so(project: Path) -> None:
    stopped = _stop_during_mkdocs(project, signal.SIGTERM)
    assert stopped["code"] == 128 + signal.SIGTERM
    assert stopped["ended"] == {}  # the build ended mkdocs itself
    assert "Build stopped; the last good site in site was left in place." in stopped["stderr"]
    assert "Traceback" not in stopped["stderr"]
    assert _work_dirs(project) == []
    assert not (project / "site").exists()


def test_work_beside_a_child_runs_while_it_does_and_an_error_there_stops_it(
    tmp_path: Path,
) -> None:
    """`run_child(meanwhile=...)`: the child's output is still captured, and a failure beside
    it kills the child rather than waiting for it."""
    child = [sys.executable, "-c", "import sys; print('out'); print('err', file=sys.stderr)"]
    seen: list[str] = []
    done = outdir.run_child(child, meanwhile=lambda: seen.append("beside"))
    assert (done.returncode, done.stdout, done.stderr, seen) == (0, "out\n", "err\n", ["beside"])

    pid_file = tmp_path / "pid"
    sleeper = [
        sys.executable,
        "-c",
        f"import os, time; open({str(pid_file)!r}, 'w').write(str(os.getpid())); time.sleep(60)",
    ]

    def fail() -> None:
        assert _until(pid_file.exists)
        raise KeyError("beside")

    started = time.monotonic()
    with pytest.raises(KeyError):
        outdir.run_child(sleeper, meanwhile=fail)
    assert time.monotonic() - started < 30
    pid = int(pid_file.read_text())
    assert _until(lambda: not _alive(pid))


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
            return stat.read().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False


def test_a_finished_builds_folder_is_removed_only_while_it_holds_the_marker(
    tmp_path: Path,
) -> None:
    """The detached remover's own command, run to its end here."""
    marked, unmarked = tmp_path / "marked", tmp_path / "unmarked"
    for folder in (marked, unmarked):
        (folder / "search-tree").mkdir(parents=True)
        (folder / "search-tree" / "page.html").write_text("<p>Sample</p>\n", encoding="utf-8")
    (marked / BUILD_MARKER).write_text("{}\n", encoding="utf-8")
    for folder in (marked, unmarked):
        command = [sys.executable, "-c", outdir._REMOVE_MARKED, str(folder), BUILD_MARKER]
        subprocess.run(command, check=True, timeout=60)
    assert not marked.exists()
    assert (unmarked / "search-tree" / "page.html").is_file()
