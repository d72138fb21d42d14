"""The register as open data: datapackage.json and one CSV per resource.

The ledger (`ledger.csv`) is not a register table: it is one row per contract commitment with
its three figures, read from the model (`socialvalue/ledger.py`) on the day the check was made
for. A supplier that has not agreed to be named is never in it: its rows have no contract id
and no supplier, but they count like any other.

List fields become `type: list` with a `;` delimiter (Table Schema v2), so upstream
`frictionless validate` checks the published copy unchanged. The organisations' `contact`
object is flattened into `contact_email`, `contact_website` and `contact_phone`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from .intake.csvsafe import safe_cell
from .ledger import STATES, Line, ledger_lines
from .register.check import Passed
from .register.model import Register
from .register.rules import LIST_DELIMITER

CONTACT_FIELDS = ("email", "website", "phone")
LEDGER = "ledger"


def _field(name: str, kind: str, description: str, **constraints: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {"name": name, "type": kind, "description": description}
    return {**spec, "constraints": constraints} if constraints else spec


LEDGER_FIELDS = [
    _field(
        "contract",
        "string",
        "The contract's id; empty when the supplier has not agreed to be named.",
    ),
    _field("supplier", "string", "The supplier's name; empty when it has not agreed to be named."),
    _field("commitment", "string", "The commitment's id within its contract.", required=True),
    _field("measure", "string", "The measure's id (measures.csv).", required=True),
    _field("priority", "string", "The measure's priority (priorities.csv).", required=True),
    _field(
        "organisation",
        "string",
        "The organisation that receives the help (organisations.csv), if named.",
    ),
    _field("unit", "string", "The unit of the four figures (units.csv).", required=True),
    _field("due", "date", "The day the commitment is due by.", required=True),
    _field("committed", "number", "What the supplier committed to, in the unit.", required=True),
    _field(
        "reported", "number", "What the supplier has reported delivering so far.", required=True
    ),
    _field(
        "confirmed",
        "number",
        "What the receiving organisation has confirmed it received.",
        required=True,
    ),
    _field(
        "disputed",
        "number",
        "What the receiving organisation disputes of what was reported.",
        required=True,
    ),
    _field(
        "audit_outcome",
        "string",
        "The audit's finding: met, not-met or double-counted; empty before the audit.",
        enum=["met", "not-met", "double-counted"],
    ),
    _field(
        "state",
        "string",
        "The contract's state on the day the data was published.",
        required=True,
        enum=list(STATES),
    ),
]
LEDGER_KEYS = [
    {"fields": ["measure"], "reference": {"resource": "measures", "fields": ["id"]}},
    {"fields": ["priority"], "reference": {"resource": "priorities", "fields": ["id"]}},
    {"fields": ["organisation"], "reference": {"resource": "organisations", "fields": ["id"]}},
    {"fields": ["unit"], "reference": {"resource": "units", "fields": ["id"]}},
]


def _published_fields(schema: dict[str, Any]) -> list[dict[str, Any]]:
    fields = []
    for spec in schema.get("fields", []):
        if spec["type"] == "object" and spec["name"] == "contact":
            for key in CONTACT_FIELDS:
                fields.append(
                    {
                        "name": f"contact_{key}",
                        "type": "string",
                        "description": f"Public organisational contact: {key}.",
                    }
                )
            continue
        out = {
            k: v
            for k, v in spec.items()
            if k in ("name", "title", "description", "type", "constraints")
        }
        if spec["type"] == "array":
            out.update(type="list", delimiter=LIST_DELIMITER, itemType="string")
            out["description"] = (
                spec.get("description", "") + f" Items are separated by '{LIST_DELIMITER}'."
            ).strip()
        fields.append(out)
    return fields


def _cell(value: Any) -> str:
    """One CSV cell; text a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, list | tuple):
        return safe_cell(LIST_DELIMITER.join(str(v) for v in value))
    return safe_cell(str(value))


def _rows(register: Register, name: str, names: list[str]) -> list[list[str]]:
    """One row per model record: the typed values every other stage reads."""
    rows = []
    for item in register.table(name):
        data = {field: getattr(item, field, None) for field in names}
        contact = getattr(item, "contact", None)
        if contact is not None:
            data.update({f"contact_{key}": getattr(contact, key) for key in CONTACT_FIELDS})
        rows.append([_cell(data.get(field)) for field in names])
    return sorted(rows, key=lambda r: r[names.index("id")] if "id" in names else r)


def _csv(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _ledger_row(line: Line) -> list[str]:
    named = line.contract.named
    values = [
        line.contract.id if named else None,
        line.supplier,
        line.commitment.id,
        line.measure.id,
        line.measure.priority,
        line.organisation.id if line.organisation else None,
        line.unit.id,
        line.commitment.due,
        line.figures.committed,
        line.figures.reported,
        line.figures.confirmed,
        line.figures.disputed,
        line.audit.outcome if line.audit else None,
        line.state,
    ]
    return [_cell(v) for v in values]


def ledger_rows(register: Register, today: dt.date) -> list[list[str]]:
    """One row per commitment: named contracts by id, then the unnamed ones by measure, so
    their order says nothing about which contract they came from."""
    lines = ledger_lines(register, today)
    named = [_ledger_row(line) for line in lines if line.contract.named]
    unnamed = [_ledger_row(line) for line in lines if not line.contract.named]
    return sorted(named, key=lambda r: (r[0], r[2])) + sorted(
        unnamed, key=lambda r: r[3:8] + r[2:3]
    )


def published_schemas(checked: Passed) -> dict[str, dict[str, Any]]:
    """The Table Schema of every published CSV, by resource name (for the data dictionary)."""
    schemas = {
        table.name: {"fields": _published_fields(table.schema)}
        for table in checked.tables.values()
        if table.published
    }
    return {**schemas, LEDGER: {"fields": LEDGER_FIELDS}}


def _resource(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "type": "table",
        "path": f"{name}.csv",
        "scheme": "file",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }


def write_data_package(checked: Passed, out_dir: Path) -> Path:
    """Write the published copy into `out_dir`; returns the path of datapackage.json."""
    out_dir.mkdir(parents=True, exist_ok=True)
    resources = []
    raw = checked.raw
    for table in (t for t in checked.tables.values() if t.published):
        fields = _published_fields(table.schema)
        names = [f["name"] for f in fields]
        (out_dir / f"{table.name}.csv").write_text(
            _csv(names, _rows(checked.register, table.name, names)), encoding="utf-8"
        )
        schema: dict[str, Any] = {"fields": fields}
        for key in ("primaryKey", "foreignKeys"):
            if key in table.schema:
                schema[key] = table.schema[key]
        resources.append(_resource(table.name, schema))
    (out_dir / f"{LEDGER}.csv").write_text(
        _csv([f["name"] for f in LEDGER_FIELDS], ledger_rows(checked.register, checked.today)),
        encoding="utf-8",
    )
    resources.append(_resource(LEDGER, {"fields": LEDGER_FIELDS, "foreignKeys": LEDGER_KEYS}))
    descriptor: dict[str, Any] = {
        k: raw.descriptor[k]
        for k in ("name", "title", "description", "licenses")
        if k in raw.descriptor
    }
    descriptor["resources"] = resources
    path = out_dir / "datapackage.json"
    path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
