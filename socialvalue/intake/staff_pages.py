"""The staff pages (``/staff/...``): the list of submissions, one submission with its answers
and the YAML to add, approve and reject, the CSV download and the signatories export.

Mounted with the staff API, only when a staff token is set. Signing in and the checks every
staff page and POST passes are in ``staff_auth``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from socialvalue.intake import store
from socialvalue.intake.exports import export_signatories
from socialvalue.intake.forms import FieldError
from socialvalue.intake.staff import csv_response
from socialvalue.intake.staff_auth import AREA, LIST, SIGN_IN, StaffAuth, intake_of, see
from socialvalue.intake.staff_views import (
    KIND_NAMES,
    KIND_PLURALS,
    STATUS_NAMES,
    addition,
    answers,
    day,
    moment,
    summary,
)
from socialvalue.intake.state import Intake

log = logging.getLogger("socialvalue.intake")
Handler = Callable[[Request], Awaitable[Response]]


def routes(auth: StaffAuth | None = None) -> list[BaseRoute]:
    auth = auth or StaffAuth()
    review = Review(auth)
    return [
        Route(AREA, auth.home, methods=["GET"]),
        Route(AREA + "/", auth.home, methods=["GET"]),
        Route(SIGN_IN, auth.sign_in_page, methods=["GET"]),
        Route(SIGN_IN, auth.sign_in, methods=["POST"]),
        Route(AREA + "/sign-out", auth.sign_out, methods=["POST"]),
        Route(AREA + "/assets/staff.css", auth.stylesheet, methods=["GET"]),
        Route(LIST, review.list_page, methods=["GET"]),
        Route(LIST + ".csv", review.download, methods=["GET"]),
        Route(LIST + "/{ref}", review.detail, methods=["GET"]),
        Route(LIST + "/{ref}/approve", review.decide("approved"), methods=["POST"]),
        Route(LIST + "/{ref}/reject", review.decide("rejected"), methods=["POST"]),
        Route(AREA + "/export-signatories", review.export, methods=["POST"]),
    ]


async def _query(intake: Intake, work: Callable[..., Any], *args: Any) -> Any:
    """Run ``work(conn, *args)`` on a fresh connection in a worker thread."""

    def run() -> Any:
        conn = store.connect(intake.config.db_path)
        try:
            return work(conn, *args)
        finally:
            conn.close()

    return await run_in_threadpool(run)


class Review:
    """The review pages; every one answers a redirect to sign in when there is no session."""

    def __init__(self, auth: StaffAuth) -> None:
        self.auth = auth

    async def list_page(self, request: Request) -> Response:
        session = self.auth.session(request)
        if session is None:
            return see(SIGN_IN)
        intake = intake_of(request)
        kind, status, errors = _filters(request, intake)
        found = await _query(intake, store.list_submissions, kind or None, status or None)
        rows = [
            {
                "reference": s.reference,
                "kind": s.kind,
                "created_at": s.created_at,
                "received": day(s.created_at),
                "status": s.status,
                "summary": summary(s, intake.choices),
            }
            for s in found
        ]
        return self.auth.page(
            request,
            "list.html",
            "Submissions",
            session,
            422 if errors else 200,
            errors=errors,
            kind=kind,
            status=status,
            kinds=list(intake.specs),
            statuses=list(store.STATUSES),
            rows=rows,
            what=_what(kind, status),
        )

    async def detail(self, request: Request) -> Response:
        session = self.auth.session(request)
        if session is None:
            return see(SIGN_IN)
        intake = intake_of(request)
        reference = request.path_params["ref"]
        found = await _query(intake, store.get_submission, reference)
        if found is None:
            return self.auth.problem(
                request, 404, "Submission not found", "There is no submission with that reference."
            )
        register_dir = intake.config.register_dir
        return self.auth.page(
            request,
            "detail.html",
            f"{KIND_NAMES[found.kind]} {found.reference}",
            session,
            submission=found,
            received=moment(found.created_at),
            decided=moment(found.status_changed_at) if found.status_changed_at else "",
            answers=answers(found, intake.specs[found.kind], intake.choices),
            addition=addition(found, intake.choices, register_dir, date.today()),
        )

    def decide(self, status: str) -> Handler:
        async def handler(request: Request) -> Response:
            checked = await self.auth.checked(request)
            if isinstance(checked, Response):
                return checked
            session, _ = checked
            reference = request.path_params["ref"]
            if not await _query(intake_of(request), store.set_status, reference, status):
                return self.auth.problem(
                    request, 404, "Submission not found", "There is no submission with that "
                    "reference.",
                )  # fmt: skip
            session.notice = f"{reference} is now {STATUS_NAMES[status].lower()}."
            return see(f"{LIST}/{reference}")

        return handler

    async def download(self, request: Request) -> Response:
        session = self.auth.session(request)
        if session is None:
            return see(SIGN_IN)
        intake = intake_of(request)
        kind, status, errors = _filters(request, intake)
        if errors or not kind:
            return self.auth.problem(
                request, 404, "Page not found", "Choose a spreadsheet from the submissions page."
            )
        found = await _query(intake, store.list_submissions, kind, status or None)
        return csv_response(intake, kind, found)

    async def export(self, request: Request) -> Response:
        checked = await self.auth.checked(request)
        if isinstance(checked, Response):
            return checked
        session, _ = checked
        intake = intake_of(request)
        try:
            count = await run_in_threadpool(
                export_signatories,
                intake.config.db_path,
                intake.config.register_dir,
                [option.id for option in intake.choices.charter],
            )
        except OSError as error:
            log.error("could not write the signatories file: %s", type(error).__name__)
            return self.auth.problem(
                request,
                500,
                "The signatories file could not be written",
                "The server could not write register/signatories.yaml. Nothing was changed. "
                "Ask whoever runs the service to check the register folder can be written to.",
            )
        session.notice = (
            f"Wrote {count} signator{'y' if count == 1 else 'ies'} to register/signatories.yaml."
        )
        return see(LIST)


def _filters(request: Request, intake: Intake) -> tuple[str, str, list[FieldError]]:
    """The kind and status filters ("" for all), and an error for each unknown value."""
    kind = request.query_params.get("kind", "")
    status = request.query_params.get("status", "")
    errors = []
    if kind and kind not in intake.specs:
        errors.append(FieldError("kind", "Choose a kind from the list"))
        kind = ""
    if status and status not in store.STATUSES:
        errors.append(FieldError("status", "Choose a status from the list"))
        status = ""
    return kind, status, errors


def _what(kind: str, status: str) -> str:
    """What the filters show, in words: "Pledges that are new", "Submissions"."""
    what = KIND_PLURALS.get(kind, "Submissions")
    return f"{what} that are {STATUS_NAMES[status].lower()}" if status else what
