"""benchmarks/make_register.py writes valid, deterministic synthetic registers."""

from __future__ import annotations

import datetime as dt
import importlib.util
import subprocess
import sys

from fixtures import REPO

from socialvalue.register.check import check

SCRIPT = REPO / "benchmarks" / "make_register.py"


def make_register_function():
    spec = importlib.util.spec_from_file_location("make_register", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make_register


def test_50_generated_organisations_pass_check(tmp_path):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--orgs", "50", "--out", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr

    checked = check(tmp_path, today=dt.date(2026, 11, 24))

    assert [p for p in checked.problems if p.is_error] == []
    assert len(checked.register.organisations) == 50
    assert checked.register.organisations[41].name == "Sample organisation 00042"
    assert all(
        o.sample and o.contact.email.endswith(".example.org")
        for o in checked.register.organisations
    )


def test_same_seed_same_bytes_and_never_reviewed_after_today(tmp_path):
    make_register = make_register_function()
    early = dt.date(2026, 9, 1)  # before the generator's anchor date
    one = make_register(20, tmp_path / "one", seed=7, today=early)
    two = make_register(20, tmp_path / "two", seed=7, today=early)

    files = sorted(p.name for p in (one / "organisations").iterdir())
    assert len(files) == 20
    assert all(
        (one / "organisations" / f).read_bytes() == (two / "organisations" / f).read_bytes()
        for f in files
    )
    checked = check(one, today=early)
    assert [p for p in checked.problems if p.is_error] == []
    assert max(o.reviewed for o in checked.register.organisations) <= early


def test_regenerating_with_fewer_organisations_removes_the_old_files(tmp_path):
    make_register = make_register_function()
    make_register(5, tmp_path)
    make_register(3, tmp_path)

    assert len(list((tmp_path / "organisations").glob("*.yaml"))) == 3
