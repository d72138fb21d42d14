"""Test data and helpers for the intake tests: a small register, valid answers, a real server."""
# ruff: noqa: E501  (the register rows are easier to read one to a line)

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from socialvalue.intake.config import REPO_ROOT

SITE = "https://sv.example.org"
TOKEN = "staff-token-for-tests-0123456789"

D = "A sample entry written for the intake's tests."  # every required description

REGISTER: dict[str, str] = {
    "settings.yaml": """\
- body_name: Office of the Police and Crime Commissioner for Testshire
  body_short_name: OPCCT
  county: Testshire
  site_name: Test register
  site_url: https://sv.example.org/
  contact_email: socialvalue@example.org
  threshold_gbp: 5000
  aggregation_months: 12
  review_max_age_months: 12
  sample_data: true
""",
    "priorities.yaml": f"""\
- {{id: preventing-crime, title: Preventing crime, kind: plan-priority, order: 1, summary: S, description: {D}}}
- {{id: environment, title: Environment, kind: environment, order: 2, summary: S, description: {D}}}
""",
    "units.yaml": """\
- {id: hours, singular: hour, plural: hours, integer: false}
- {id: people, singular: person, plural: people, integer: true}
""",
    "measures.yaml": f"""\
- {{id: pc-safe-spaces, priority: preventing-crime, order: 1, title: Safe spaces, unit: hours, explanation: {D}, counts: Hours., offers: [money]}}
- {{id: pc-jobs, priority: preventing-crime, order: 2, title: Jobs for ex-offenders, unit: people, explanation: {D}, counts: People., offers: [volunteering]}}
- {{id: env-trees, priority: environment, order: 1, title: Tree planting, unit: people, explanation: {D}, counts: Trees., offers: [volunteering]}}
""",
    "charter.yaml": f"""\
- {{id: ch-living-wage, order: 1, title: Pay the real Living Wage, explanation: {D}, evidence: E, theme: staffing, sample: true}}
- {{id: ch-prompt-payment, order: 2, title: Pay suppliers promptly, explanation: {D}, evidence: E, theme: operations, sample: true}}
""",
    "areas.yaml": f"""\
- {{id: norwich, name: Norwich, kind: district, description: {D}}}
- {{id: broadland, name: Broadland, kind: district, description: {D}}}
""",
    "offer-types.yaml": f"""\
- {{id: money, title: Donations, order: 1, description: {D}}}
- {{id: volunteering, title: Staff time, order: 2, description: {D}}}
""",
    "partners.yaml": "[]\n",
    "signatories.yaml": "[]\n",
    "organisations/riverside-youth.yaml": """\
id: riverside-youth
name: Riverside Youth Hub
description: A youth club by the river, open four evenings a week.
areas: [norwich]
measures: [pc-safe-spaces]
offers: [money]
contact: {email: hello@riverside.example.org}
reviewed: 2026-01-10
added: 2025-03-01
""",
    "contracts/sample-youth-evenings.yaml": """\
# SAMPLE contract for the intake's tests: `updates` comes last, so an approved update's YAML
# can be appended to the file as it is.
id: sample-youth-evenings
reference: SAMPLE-CT-2026-001
title: "Sample: Youth evenings and jobs"
supplier: "Sample: Acme Facilities Ltd"
value_gbp: 40000
start: 2026-01-01
end: 2027-12-31
named: false
sample: true
commitments:
  - id: safe-evenings
    measure: pc-safe-spaces
    organisation: riverside-youth
    quantum: 200
    due: 2027-06-30
  - id: jobs
    measure: pc-jobs
    organisation: open-door
    quantum: 4
    due: 2027-12-31
updates:
  - id: u1
    date: 2026-06-15
    commitment: safe-evenings
    quantity: 40
    what: Forty hours of evening sessions at the youth hub.
""",
    "organisations/open-door.yaml": """\
id: open-door
name: Open Door Project
description: Helps people leaving prison to find homes and work.
areas: [broadland]
measures: [pc-jobs]
offers: [volunteering]
contact: {email: hello@open-door.example.org}
reviewed: 2026-01-10
added: 2025-05-01
""",
}


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """The files under `root`; a register also gets the repository's descriptor and schemas."""
    if "settings.yaml" in files:
        shutil.copytree(REPO_ROOT / "register" / "schemas", root / "schemas", dirs_exist_ok=True)
        shutil.copy(REPO_ROOT / "register" / "datapackage.yaml", root / "datapackage.yaml")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def staff(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def valid_pledge(**changes: Any) -> dict[str, Any]:
    pledge = {
        "measure": "pc-jobs",
        "organisation": "open-door",
        "quantity": "3",
        "supplier_name": "Acme Facilities Ltd",
        "contact_name": "Jo Bloggs",
        "contact_email": "jo.bloggs@acme.example",
        "contract_status": "contract",
        "contract_reference": "OPCC-2026-014",
        "period_start": "2026-04-01",
        "period_end": "2027-03-31",
        "additionality": "Three paid jobs beyond the two apprentices the contract needs.",
    }
    pledge.update(changes)
    return pledge


def valid_charter(**changes: Any) -> dict[str, Any]:
    charter = {
        "supplier_name": "Acme Facilities Ltd",
        "companies_house": "01234567",
        "contact_name": "Jo Bloggs",
        "contact_email": "jo.bloggs@acme.example",
        "commitments_scope": "all",
        "listed": "yes",
    }
    charter.update(changes)
    return charter


def valid_request(**changes: Any) -> dict[str, Any]:
    request = {
        "request_type": "join",
        "name": "St Mary's Café & Community Larder",
        "org_id": "GB-CHC-1234567",
        "description": "A community larder and café that cooks with young people every week.",
        "areas": ["norwich"],
        "measures": ["pc-safe-spaces", "pc-jobs"],
        "offers": ["money"],
        "welcomes": "Food, volunteers on Saturdays, and help with our accounts.",
        "how_to_approach": "Email us, or call in on a Tuesday morning.",
        "contact_email": "hello@stmarys.example",
        "contact_website": "www.stmarys.example",
        "contact_phone": "01603 123456",
        "town": "Norwich",
        "safeguarding": "no",
        "requester_name": "Sam Private",
        "requester_email": "sam.private@home.example",
    }
    request.update(changes)
    return request


def valid_update(**changes: Any) -> dict[str, Any]:
    answers = {
        "contract_reference": " sample-ct-2026-001 ",  # any case: the register's is stored
        "commitment": "Jobs",
        "date": "2026-10-01",
        "quantity": "2",
        "what": 'Two people hired from the "Open Door" scheme: both still in post.',
        "evidence": "https://www.example.org/news/two-jobs",
        "contact_name": "Pat Supplier",
        "contact_email": "pat@supplier.example",
    }
    return answers | changes


def valid_confirmation(**changes: Any) -> dict[str, Any]:
    answers = {
        "organisation": "riverside-youth",
        "contract_reference": "SAMPLE-CT-2026-001",
        "update": "U1",
        "outcome": "confirmed",
        "date": "2026-07-01",
        "contact_name": "Kim Receiver",
        "contact_email": "kim@riverside.example",
    }
    return answers | changes


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str
    db_path: Path
    log_path: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def start_server(
    db_path: Path, register_dir: Path, log_path: Path, *extra: str, token: str | None = TOKEN
) -> Server:
    """The real server (``python -m socialvalue.intake``) on a free port; waits for /healthz."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "SV_STAFF_TOKEN"}
    env["PYTHONPATH"] = str(REPO_ROOT)
    if token:
        env["SV_STAFF_TOKEN"] = token
    command = [
        sys.executable,
        "-m",
        "socialvalue.intake",
        "--db",
        str(db_path),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--site-url",
        SITE + "/",
        "--register",
        str(register_dir),
        # its own address is allowed too, as for an intake that serves its staff pages itself
        "--allow-origin",
        f"http://127.0.0.1:{port}",
        *extra,
    ]
    log = log_path.open("ab")
    process = subprocess.Popen(
        command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO_ROOT
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log_path.read_text()}")
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return Server(process, url, db_path, log_path)
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    process.kill()
    raise RuntimeError("server did not start")
