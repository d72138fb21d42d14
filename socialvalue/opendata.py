"""The register as open data: datapackage.json and one CSV per resource.

List fields become `type: list` with a `;` delimiter (Table Schema v2), so upstream
`frictionless validate` checks the published copy unchanged. The organisations' `contact`
object is flattened into `contact_email`, `contact_website` and `contact_phone`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

from .intake.csvsafe import safe_cell
from .register.check import Passed
from .register.model import Register
from .register.rules import LIST_DELIMITER

CONTACT_FIELDS = ("email", "website", "phone")


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


def published_schemas(checked: Passed) -> dict[str, dict[str, Any]]:
    """The Table Schema of every published CSV, by resource name (for the data dictionary)."""
    return {
        table.name: {"fields": _published_fields(table.schema)}
        for table in checked.tables.values()
        if table.published
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
        resources.append(
            {
                "name": table.name,
                "type": "table",
                "path": f"{table.name}.csv",
                "scheme": "file",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
            }
        )
    descriptor: dict[str, Any] = {
        k: raw.descriptor[k]
        for k in ("name", "title", "description", "licenses")
        if k in raw.descriptor
    }
    descriptor["resources"] = resources
    path = out_dir / "datapackage.json"
    path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
