"""The staff API, behind a bearer token (``SV_STAFF_TOKEN``), mounted only when one is set.

Staff POSTs come from tools (curl, scripts) that send no Origin; one that does send an Origin
must send an allowed one, as for the public forms.
"""

from __future__ import annotations

import csv
import hmac
import io
from collections.abc import Callable
from datetime import date
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from socialvalue.intake import guard, replies, store
from socialvalue.intake.csvsafe import safe_cell
from socialvalue.intake.exports import export_signatories, organisation_diff, organisation_yaml
from socialvalue.intake.forms import FieldError
from socialvalue.intake.staff_views import contract_addition
from socialvalue.intake.state import Intake


def routes() -> list[Route]:
    return [
        Route("/api/staff/submissions", list_json, methods=["GET"]),
        Route("/api/staff/submissions.csv", list_csv, methods=["GET"]),
        Route("/api/staff/submissions/{ref}/approve", decide("approved"), methods=["POST"]),
        Route("/api/staff/submissions/{ref}/reject", decide("rejected"), methods=["POST"]),
        Route("/api/staff/submissions/{ref}/yaml", organisation_file, methods=["GET"]),
        Route("/api/staff/submissions/{ref}/diff", organisation_change, methods=["GET"]),
        Route("/api/staff/export-signatories", export, methods=["POST"]),
    ]


def _intake(request: Request) -> Intake:
    return request.app.state.intake


def _authorised(request: Request) -> bool:
    token = _intake(request).config.staff_token or ""
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return (
        bool(token)
        and scheme.lower() == "bearer"
        and hmac.compare_digest(given.strip().encode(), token.encode())
    )


def _refused() -> Response:
    return replies.json_problem(
        401,
        "Send the staff token as 'Authorization: Bearer <token>'.",
        {"WWW-Authenticate": 'Bearer realm="staff"'},
    )


async def _query(request: Request, work: Callable[..., Any], *args: Any) -> Any:
    """Run ``work(conn, *args)`` on a fresh connection in a worker thread."""

    def run() -> Any:
        conn = store.connect(_intake(request).config.db_path)
        try:
            return work(conn, *args)
        finally:
            conn.close()

    return await run_in_threadpool(run)


def _filters(
    request: Request, kind_required: bool
) -> tuple[dict[str, str | None], list[FieldError]]:
    kind = request.query_params.get("kind") or None
    status = request.query_params.get("status") or None
    errors = []
    if kind not in _intake(request).specs and (kind is not None or kind_required):
        kinds = ", ".join(_intake(request).specs)
        errors.append(FieldError("kind", f"Choose kind: {kinds}"))
    if status is not None and status not in store.STATUSES:
        errors.append(FieldError("status", "Choose status: new, approved or rejected"))
    return {"kind": kind, "status": status}, errors


async def list_json(request: Request) -> Response:
    if not _authorised(request):
        return _refused()
    filters, errors = _filters(request, kind_required=False)
    if errors:
        return replies.json_error(422, errors)
    found = await _query(request, store.list_submissions, filters["kind"], filters["status"])
    return replies.json_ok({"submissions": [_as_json(s) for s in found]})


def _as_json(submission: store.Submission) -> dict[str, Any]:
    return {
        "reference": submission.reference,
        "kind": submission.kind,
        "status": submission.status,
        "created_at": submission.created_at,
        "status_changed_at": submission.status_changed_at,
        "payload": submission.payload,
    }


async def list_csv(request: Request) -> Response:
    if not _authorised(request):
        return _refused()
    filters, errors = _filters(request, kind_required=True)
    if errors:
        return replies.json_error(422, errors)
    found = await _query(request, store.list_submissions, filters["kind"], filters["status"])
    return csv_response(_intake(request), str(filters["kind"]), found)


def csv_response(intake: Intake, kind: str, found: list[store.Submission]) -> Response:
    """The CSV download of ``found`` (all of one kind), shared with the staff pages."""
    fields = [rule.name for rule in intake.specs[kind].fields]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["reference", "status", "created_at", *fields])
    for s in found:
        row = [s.reference, s.status, s.created_at, *(_cell(s.payload.get(f)) for f in fields)]
        writer.writerow([safe_cell(cell) for cell in row])
    name = f"submissions-{kind}.csv"
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"', **replies.JSON_HEADERS},
    )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value)


def decide(status: str) -> Callable[[Request], Any]:
    async def handler(request: Request) -> Response:
        if not _authorised(request):
            return _refused()
        try:
            guard.check_origin(request, _intake(request).config.origins, required=False)
        except guard.Refusal as refusal:
            return replies.json_problem(refusal.status, refusal.message)
        reference = request.path_params["ref"]
        if not await _query(request, store.set_status, reference, status):
            return replies.json_problem(404, f"There is no submission {reference[:40]!r}.")
        return replies.json_ok({"reference": reference, "status": status})

    return handler


async def organisation_file(request: Request) -> Response:
    """The organisation's whole file; for an update, its change comes from ``/diff`` and is
    named in a ``Link`` header."""
    return await _organisation_answer(request, diff=False)


async def organisation_change(request: Request) -> Response:
    """For an update, the change to the entry's file as a unified diff (empty for a join)."""
    return await _organisation_answer(request, diff=True)


async def _organisation_answer(request: Request, diff: bool) -> Response:
    if not _authorised(request):
        return _refused()
    intake = _intake(request)
    reference = request.path_params["ref"]
    found = await _query(request, store.get_submission, reference)
    if found is None:
        return replies.json_problem(404, f"There is no submission {reference[:40]!r}.")
    if found.kind in ("progress-update", "delivery-confirmation"):
        return _contract_item(found, intake)
    if found.kind != "register-request":
        return replies.json_problem(
            409, "Only a register request, progress update or delivery confirmation makes YAML."
        )
    where = (found.payload, intake.choices, intake.config.register_dir, date.today())
    change = organisation_diff(*where)
    if diff:
        return Response(
            change, media_type="text/x-diff; charset=utf-8", headers=replies.JSON_HEADERS
        )
    headers = dict(replies.JSON_HEADERS)
    if change:
        headers["Link"] = f'</api/staff/submissions/{reference}/diff>; rel="alternate"'
    return Response(
        organisation_yaml(*where), media_type="application/yaml; charset=utf-8", headers=headers
    )


def _contract_item(found: store.Submission, intake: Intake) -> Response:
    """The `updates:` or `confirmations:` item for the contract file, once approved."""
    if found.status != "approved":
        return replies.json_problem(
            409, "Approve the submission first: only approved ones make YAML."
        )
    added = contract_addition(found, intake.choices)
    if added is None:
        return replies.json_problem(409, "The contract is no longer on the register.")
    return Response(
        added.text, media_type="application/yaml; charset=utf-8", headers=replies.JSON_HEADERS
    )


async def export(request: Request) -> Response:
    if not _authorised(request):
        return _refused()
    intake = _intake(request)
    try:
        guard.check_origin(request, intake.config.origins, required=False)
    except guard.Refusal as refusal:
        return replies.json_problem(refusal.status, refusal.message)
    count = await run_in_threadpool(
        export_signatories, intake.config.db_path, intake.config.register_dir
    )
    return replies.json_ok({"count": count, "path": "signatories.yaml"})
