"""Links between pages are made relative in Python (`_relpath`), faster than `posixpath.relpath`
but with its answers: checked here against it on every pair of a set of awkward paths."""

from __future__ import annotations

import itertools
import posixpath

import pytest

from socialvalue.pages import _rel, _relpath

PATHS = [
    "",
    "a",
    "a/",
    "a/b",
    "a/b/",
    "b",
    "a/c/d/",
    "./a",
    "a/./b",
    "a//b",
    "../x",
    "x/../a",
    "/abs/p",
    "register/",
    "register/sample-club/",
    "register/page/2/",
    "areas/norwich/",
    "index.html",
    "a/b/index.html",
]


@pytest.mark.parametrize(("path", "here"), list(itertools.product(PATHS, repeat=2)))
def test_relpath_gives_what_posixpath_gives(path, here):
    assert _relpath(path, here) == posixpath.relpath(path or ".", here or ".")


def test_a_link_keeps_its_anchor_and_its_trailing_slash():
    assert _rel("areas/norwich/#map", "register/sample-club/") == "../../areas/norwich/#map"
    assert _rel("", "register/sample-club/") == "../../"
    assert _rel("register/", "register/") == "./"
