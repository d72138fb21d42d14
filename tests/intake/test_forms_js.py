"""forms.js runs the same rules as the server: the same table of answers, run under Node."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from socialvalue.intake.choices import load_choices
from socialvalue.intake.config import REPO_ROOT
from socialvalue.intake.forms import validate
from socialvalue.intake.schemas import load_specs, rules_json

from .test_forms import CASES, VALID, answers

FORMS_JS = REPO_ROOT / "templates" / "forms" / "forms.js"
RUNNER = """
const {svValidate} = require(process.argv[1]);
let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const jobs = JSON.parse(input);
  process.stdout.write(JSON.stringify(jobs.map((job) => svValidate(job.rules, job.raw))));
});
"""


def test_browser_and_server_give_the_same_errors(register_dir: Path) -> None:
    node = shutil.which("node")
    assert node, "Node.js is needed to run forms.js outside a browser"
    choices = load_choices(register_dir)
    specs = load_specs(REPO_ROOT / "register" / "schemas" / "intake")
    cases = [(kind, changes) for kind, changes, _ in CASES]
    cases += [(kind, {}) for kind in VALID]
    cases += [
        ("pledge", {"quantity": " 1,250 ", "period_end": "2026-4-1"}),
        ("charter", {"companies_house": " sc 123456 "}),
        (
            "pledge",
            {
                "quantity": "lots",
                "period_end": "2026-01-01",
                "measure": None,
                "additionality": "é" * 1000,
            },
        ),
    ]
    jobs = [
        {"rules": rules_json(specs[kind], choices), "raw": answers(kind, changes)}
        for kind, changes in cases
    ]
    # sort_keys, as Jinja's tojson does when the template embeds the rules
    result = subprocess.run(
        [node, "-e", RUNNER, str(FORMS_JS)],
        input=json.dumps(jobs, sort_keys=True),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    browser = json.loads(result.stdout)
    server = [
        [e.as_json() for e in validate(specs[kind], answers(kind, changes), choices).errors]
        for kind, changes in cases
    ]
    assert len(browser) == len(server) == len(cases)
    for case, got, expected in zip(cases, browser, server, strict=True):
        assert (case, got) == (case, expected)
