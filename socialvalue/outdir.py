"""The output folder: what a build may replace, its temporary folders, and its child processes.

A build replaces `--out` with a whole new site, so it must never be pointed at something it did not
make. `check_out` refuses, before any work, the register, `content/`, `templates/` and the project
folder (or any folder holding or inside them), a file, and any non-empty folder without the marker
file that every build writes into its site. Only marked folders are ever removed.

Each temporary build folder carries its own marker (owner pid, host, start time), so a later build
can remove the ones a killed build left behind, and never a running build's. Child processes
(mkdocs, Pagefind) are bound to the build: on Linux they get SIGTERM when it dies, even by SIGKILL.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

SITE_MARKER = ".socialvalue-site"
SITE_MARKER_TEXT = (
    "This folder was written by `python build.py build` (Social Value register site); "
    "the next build replaces it.\n"
)
BUILD_MARKER = ".socialvalue-build"


class OutputFolderError(Exception):
    """`--out` names a folder the build must not replace; the message says which and why."""


class BuildStopped(BaseException):
    """SIGTERM or SIGINT arrived during a build (BaseException, like KeyboardInterrupt)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


# --- What --out may be ------------------------------------------------------------------------


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _clash(out: Path, name: str, folder: Path, *, inside_ok: bool = False) -> str | None:
    if out == folder:
        return f"it is the {name}"
    if _inside(folder, out):
        return f"it holds the {name} ({folder})"
    if not inside_ok and _inside(out, folder):
        return f"it is inside the {name} ({folder})"
    return None


def is_marked_site(folder: Path) -> bool:
    """True if `folder` is a site an earlier build wrote (it holds the site marker file)."""
    marker = folder / SITE_MARKER
    return marker.is_file() and not marker.is_symlink()


def _in_the_way(path: Path) -> str | None:
    """Why a build may not replace or remove `path`, or None when it may (absent, empty, marked)."""
    if not path.exists() and not path.is_symlink():
        return None
    if path.is_symlink() or not path.is_dir():
        return "it is a file, not a folder"
    try:
        if is_marked_site(path) or not any(path.iterdir()):
            return None
    except OSError as exc:
        return f"it cannot be read ({exc.strerror})"
    return (
        f"it holds files no earlier build made (there is no {SITE_MARKER} file in it); "
        "empty it or choose a new folder"
    )


def check_out(out: Path, register: Path, root: Path) -> Path:
    """The resolved output folder, or OutputFolderError if a build must not replace it."""
    resolved = out.resolve()
    shown = str(out) if out.absolute() == resolved else f"{out} (which is {resolved})"
    root = root.resolve()
    protected = (
        ("project folder (it holds mkdocs.yml)", root, True),
        ("register folder", register.resolve(), False),
        ("content folder", (root / "content").resolve(), False),
        ("templates folder", (root / "templates").resolve(), False),
    )
    for name, folder, inside_ok in protected:
        why = _clash(resolved, name, folder, inside_ok=inside_ok)
        if why:
            raise OutputFolderError(f"will not build into {shown}: {why}; choose another folder")
    why = _in_the_way(resolved)
    if why:
        raise OutputFolderError(f"will not build into {shown}: {why}")
    why = _in_the_way(_old(resolved))
    if why:
        raise OutputFolderError(
            f"will not build into {shown}: {_old(resolved)} is in the way: {why}"
        )
    return resolved


# --- The swap -----------------------------------------------------------------------------------


def _old(out: Path) -> Path:
    return out.with_name(out.name + ".old")


_REMOVE_MARKED = (  # a folder, only if it holds the marker file named
    "import os, shutil, sys; p, marker = sys.argv[1:]; "
    "os.path.isfile(os.path.join(p, marker)) and shutil.rmtree(p, ignore_errors=True)"
)


def _remove_detached(folder: Path, marker: str) -> None:
    """Remove `folder` in a process of its own, which outlives this one, if it holds `marker`."""
    subprocess.Popen(
        [sys.executable, "-c", _REMOVE_MARKED, str(folder), marker],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def remove_work_dir_later(work: Path) -> None:
    """A finished build's temporary folder (the copies Pagefind read: a second or more of
    deleting at 10,000 pages) is removed after the build, by a detached process, and only
    while it holds the build's marker."""
    _remove_detached(work, BUILD_MARKER)


def swap(new: Path, out: Path) -> None:
    """Mark `new` as a build, then two renames put it live at `out`; the old site goes after.

    `out` and `<out>.old` are checked again first (the build took a while). Deleting 10,000 pages
    takes seconds and the new site is already live by then, so a detached process removes
    `<out>.old`, and only if it carries the marker.
    """
    (new / SITE_MARKER).write_text(SITE_MARKER_TEXT, encoding="utf-8")
    old = _old(out)
    for path in (out, old):
        why = _in_the_way(path)
        if why:
            raise OutputFolderError(f"did not replace {out}: {path} changed in the build: {why}")
    if is_marked_site(old):
        shutil.rmtree(old)
    elif old.exists():
        old.rmdir()  # empty (checked above)
    if is_marked_site(out):
        out.rename(old)
    elif out.exists():
        out.rmdir()  # empty (checked above)
    new.rename(out)
    if old.exists():
        _remove_detached(old, SITE_MARKER)


# --- Temporary build folders --------------------------------------------------------------------


def _proc_stat(pid: int) -> tuple[str, str] | None:
    """A process's state letter and start time (clock ticks since boot), or None (not Linux)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[-1].split()  # after the command name, which may hold spaces
    return fields[0], fields[19]


def _owner() -> dict[str, object]:
    stat = _proc_stat(os.getpid())
    pid, host = os.getpid(), socket.gethostname()
    return {"pid": pid, "host": host, "start": stat[1] if stat else None}


def _running(owner: dict[str, object]) -> bool:
    """Whether the build that wrote `owner` may still be running (True when unsure)."""
    pid = owner.get("pid")
    if owner.get("host") != socket.gethostname() or not isinstance(pid, int) or pid <= 0:
        return True
    if sys.platform != "linux":
        return True  # no cheap, safe liveness test there: keep the folder
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # alive, another user's
    stat = _proc_stat(pid)
    if stat is None:
        return True
    state, started = stat
    recorded = owner.get("start")
    return state != "Z" and (recorded is None or started == recorded)  # not finished, not reused


def _work_pattern(out: Path) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(out.name)}\.build-[a-z0-9_]{{8}}")


def make_work_dir(out: Path) -> Path:
    """A new temporary folder next to `out`, marked with this process as its owner."""
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.build-", dir=out.parent))
    (work / BUILD_MARKER).write_text(json.dumps(_owner()) + "\n", encoding="utf-8")
    return work


def _owner_of(folder: Path) -> dict[str, object] | None:
    marker = folder / BUILD_MARKER
    if folder.is_symlink() or marker.is_symlink() or not marker.is_file():
        return None
    try:
        owner = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return owner if isinstance(owner, dict) else None


def remove_stale_work_dirs(out: Path) -> list[Path]:
    """Remove temporary folders that killed builds left next to `out`; return them.

    Only folders named like this build's temporary folders, holding its marker, whose owner
    process (on this host) has ended. A running build's folder, or anyone else's, is kept.
    """
    if not out.parent.is_dir():
        return []
    pattern, removed = _work_pattern(out), []
    for folder in sorted(out.parent.iterdir()):
        if not pattern.fullmatch(folder.name) or not folder.is_dir():
            continue
        owner = _owner_of(folder)
        if owner is not None and not _running(owner):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


# --- Child processes ----------------------------------------------------------------------------

# Runs first in the child: asks Linux to send SIGTERM when the parent dies (PR_SET_PDEATHSIG = 1),
# checks the parent has not died already, then becomes the real command (the request survives exec).
_BIND_TO_PARENT = (
    "import ctypes, os, signal, sys\n"
    "ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0)\n"
    "if os.getppid() != int(sys.argv[1]):\n"
    "    sys.exit(1)\n"
    "os.execv(sys.argv[2], sys.argv[2:])\n"
)


def run_child(
    command: Sequence[str],
    env: dict[str, str] | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `command` (its first item an absolute path) to the end, output captured as text;
    `meanwhile` runs in this process while the child does (the child's output goes to files, so
    a long `meanwhile` never leaves it blocked on a full pipe).

    The child ends with the build: on Linux it gets SIGTERM if the build dies, however it dies;
    if the build is stopped by an exception (see `stop_on_signals`), or `meanwhile` raises, the
    child is killed.
    """
    argv = list(command)
    if sys.platform == "linux":
        argv = [sys.executable, "-c", _BIND_TO_PARENT, str(os.getpid()), *argv]
    if meanwhile is None:
        return subprocess.run(argv, capture_output=True, text=True, env=env)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        with subprocess.Popen(argv, stdout=out, stderr=err, env=env) as child:
            try:
                meanwhile()
            except BaseException:
                child.kill()
                raise
            code = child.wait()
        texts = []
        for file in (out, err):
            file.seek(0)
            texts.append(file.read().decode("utf-8", errors="replace"))
    return subprocess.CompletedProcess(argv, code, texts[0], texts[1])


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGINT into BuildStopped, so the build's `finally` blocks run.

    Only in the main thread (Python allows no handlers elsewhere); the old handlers come back after.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        raise BuildStopped(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
