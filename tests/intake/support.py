"""Test data and helpers for the intake tests: a small register, valid answers, a real server."""

from __future__ import annotations

import os
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

REGISTER: dict[str, str] = {
    "settings.yaml": """\
- body_name: Office of the Police and Crime Commissioner for Testshire
  site_name: Test register
  site_url: https://sv.example.org/
""",
    "priorities.yaml": """\
- {id: preventing-crime, title: Preventing crime, order: 1}
- {id: environment, title: Environment, order: 2}
""",
    "units.yaml": """\
- {id: hours, singular: hour, plural: hours, integer: false}
- {id: people, singular: person, plural: people, integer: true}
""",
    "measures.yaml": """\
- {id: pc-safe-spaces, priority: preventing-crime, order: 1, title: Safe spaces, unit: hours}
- {id: pc-jobs, priority: preventing-crime, order: 2, title: Jobs for ex-offenders, unit: people}
- {id: env-trees, priority: environment, order: 1, title: Tree planting, unit: people}
""",
    "charter.yaml": """\
- {id: ch-living-wage, order: 1, title: Pay the real Living Wage}
- {id: ch-prompt-payment, order: 2, title: Pay suppliers promptly}
""",
    "areas.yaml": """\
- {id: norwich, name: Norwich}
- {id: broadland, name: Broadland}
""",
    "offer-types.yaml": """\
- {id: money, title: Donations, order: 1}
- {id: volunteering, title: Staff time, order: 2}
""",
    "organisations/riverside-youth.yaml": """\
id: riverside-youth
name: Riverside Youth Hub
description: A youth club by the river, open four evenings a week.
areas: [norwich]
measures: [pc-safe-spaces]
offers: [money]
reviewed: 2026-01-10
added: 2025-03-01
""",
    "organisations/open-door.yaml": """\
id: open-door
name: Open Door Project
description: Helps people leaving prison to find homes and work.
areas: [broadland]
measures: [pc-jobs]
offers: [volunteering]
reviewed: 2026-01-10
added: 2025-05-01
""",
}


def write_tree(root: Path, files: dict[str, str]) -> Path:
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
