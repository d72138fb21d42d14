"""The staff pages (``/staff/...``): sign in with the staff token, review, decide, export.

Mounted with the staff API, only when a staff token is set. Signing in sets one cookie: a
random session id, HttpOnly, SameSite=Strict, Path=/staff, Secure over HTTPS (uvicorn takes
the scheme from X-Forwarded-Proto when the proxy is trusted). Every staff POST passes the
Origin check of the public forms AND carries the session's CSRF token; a refused POST changes
nothing. Every answer is ``no-store``. Nothing here logs a name, an email or a token.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from socialvalue.intake import guard, replies, store
from socialvalue.intake.exports import export_signatories
from socialvalue.intake.forms import FieldError
from socialvalue.intake.sessions import Sessions, SignInBrake, StaffSession, same_secret
from socialvalue.intake.staff import csv_response
from socialvalue.intake.staff_views import (
    KIND_NAMES,
    KIND_PLURALS,
    STATUS_NAMES,
    StaffPages,
    addition,
    answers,
    day,
    moment,
    summary,
)
from socialvalue.intake.state import Intake

log = logging.getLogger("socialvalue.intake")
AREA = "/staff"
COOKIE = "sv_staff"
SIGN_IN = "/staff/sign-in"
LIST = "/staff/submissions"
NO_STORE = {"Cache-Control": "no-store"}
TOKEN_RULES = {
    "fields": {
        "token": {
            "label": "Staff token",
            "hint": "The token is at least 16 characters long. Ask whoever runs the service "
            "if you do not have it.",
        }
    }
}

Handler = Callable[[Request], Awaitable[Response]]


def routes(area: StaffArea | None = None) -> list[BaseRoute]:
    area = area or StaffArea()
    return [
        Route(AREA, area.home, methods=["GET"]),
        Route(AREA + "/", area.home, methods=["GET"]),
        Route(SIGN_IN, area.sign_in_page, methods=["GET"]),
        Route(SIGN_IN, area.sign_in, methods=["POST"]),
        Route(AREA + "/sign-out", area.sign_out, methods=["POST"]),
        Route(LIST, area.list_page, methods=["GET"]),
        Route(LIST + ".csv", area.download, methods=["GET"]),
        Route(LIST + "/{ref}", area.detail, methods=["GET"]),
        Route(LIST + "/{ref}/approve", area.decide("approved"), methods=["POST"]),
        Route(LIST + "/{ref}/reject", area.decide("rejected"), methods=["POST"]),
        Route(AREA + "/export-signatories", area.export, methods=["POST"]),
        Route(AREA + "/assets/staff.css", area.stylesheet, methods=["GET"]),
    ]


def _intake(request: Request) -> Intake:
    return request.app.state.intake


def _see(url: str) -> Response:
    return RedirectResponse(url, status_code=303, headers=NO_STORE)


async def _query(intake: Intake, work: Callable[..., Any], *args: Any) -> Any:
    """Run ``work(conn, *args)`` on a fresh connection in a worker thread."""

    def run() -> Any:
        conn = store.connect(intake.config.db_path)
        try:
            return work(conn, *args)
        finally:
            conn.close()

    return await run_in_threadpool(run)


async def _form(request: Request, intake: Intake) -> dict[str, str]:
    """The POSTed form's fields (first value of each); Refusal on a bad Origin or body."""
    guard.check_origin(request, intake.config.origins)
    kind = guard.check_media_type(request, guard.FORM_TYPES)
    body = await guard.read_body(request, intake.config.max_body)
    fields: dict[str, str] = {}
    for key, value in await guard.parse_form(request, body, kind):
        fields.setdefault(key, value)
    return fields


class StaffArea:
    """The staff pages' handlers, with their sessions and sign-in brake (kept in memory)."""

    def __init__(self, sessions: Sessions | None = None, brake: SignInBrake | None = None) -> None:
        self.sessions = sessions or Sessions()
        self.brake = brake or SignInBrake()
        self._pages: StaffPages | None = None

    def _session(self, request: Request) -> StaffSession | None:
        return self.sessions.find(request.cookies.get(COOKIE))

    def _page(
        self,
        request: Request,
        template: str,
        title: str,
        session: StaffSession | None,
        code: int = 200,
        headers: dict[str, str] | None = None,
        **context: Any,
    ) -> Response:
        if self._pages is None:
            intake = _intake(request)
            self._pages = StaffPages(intake.config.templates_dir, intake.choices.site_name)
        notice = context.pop("notice", "") or (session.take_notice() if session else "")
        text = self._pages.render(
            template,
            title,
            csrf_token=session.csrf_token if session else "",
            notice=notice,
            **context,
        )
        return replies.html(text, code, headers)

    def _problem(
        self, request: Request, status: int, heading: str, message: str, **kw: Any
    ) -> Response:
        session = self._session(request)
        return self._page(
            request,
            "problem.html",
            heading,
            session,
            status,
            heading=heading,
            message=message,
            signed_in=session is not None,
            **kw,
        )

    def _refused(self, request: Request, refusal: guard.Refusal) -> Response:
        heading = "This request was refused" if refusal.status == 403 else "There is a problem"
        return self._problem(request, refusal.status, heading, refusal.message)

    async def home(self, request: Request) -> Response:
        return _see(LIST if self._session(request) else SIGN_IN)

    async def stylesheet(self, request: Request) -> Response:
        path = _intake(request).config.templates_dir / "staff" / "staff.css"
        return FileResponse(path, headers={"Cache-Control": "public, max-age=300"})

    # Signing in and out

    def _sign_in_form(
        self, request: Request, errors: list[FieldError], status: int = 200, **kw: Any
    ) -> Response:
        return self._page(
            request, "sign-in.html", "Sign in", None, status, errors=errors, rules=TOKEN_RULES, **kw
        )

    async def sign_in_page(self, request: Request) -> Response:
        if self._session(request):
            return _see(LIST)
        notice = "You have signed out." if "signed-out" in request.query_params else ""
        return self._sign_in_form(request, [], notice=notice)

    async def sign_in(self, request: Request) -> Response:
        intake = _intake(request)
        try:
            fields = await _form(request, intake)
        except guard.Refusal as refusal:
            return self._refused(request, refusal)
        client = guard.client_of(request)
        wait = self.brake.wait(client)
        if wait:
            minutes = -(-wait // 60)
            error = FieldError(
                "token",
                "You have entered a wrong token too many times. "
                f"Wait {minutes} minute{'s' if minutes != 1 else ''}, then try again.",
            )
            return self._sign_in_form(request, [error], 429, headers={"Retry-After": str(wait)})
        given = fields.get("token", "").strip()
        if not given:
            return self._sign_in_form(request, [FieldError("token", "Enter the staff token")], 422)
        if not same_secret(given, intake.config.staff_token or ""):
            self.brake.failed(client)
            error = FieldError("token", "The staff token is not right. Check it and try again")
            return self._sign_in_form(request, [error], 422)
        self.sessions.end(request.cookies.get(COOKIE))  # a new id at every sign-in
        session_id, _ = self.sessions.start()
        response = _see(LIST)
        response.set_cookie(
            COOKIE,
            session_id,
            path=AREA,
            secure=request.url.scheme == "https",
            httponly=True,
            samesite="strict",
        )
        return response

    async def _checked(self, request: Request) -> tuple[StaffSession, dict[str, str]] | Response:
        """A staff POST's session and fields, or the answer that refuses it (nothing changed)."""
        try:
            fields = await _form(request, _intake(request))
        except guard.Refusal as refusal:
            return self._refused(request, refusal)
        session = self._session(request)
        if session is None:
            return _see(SIGN_IN)
        if not same_secret(fields.get("csrf_token", ""), session.csrf_token):
            return self._problem(
                request,
                403,
                "This request was refused",
                "The form was out of date or did not come from the staff pages. "
                "Go back, reload the page and try again.",
            )
        return session, fields

    async def sign_out(self, request: Request) -> Response:
        checked = await self._checked(request)
        if isinstance(checked, Response):
            return checked
        self.sessions.end(request.cookies.get(COOKIE))
        response = _see(SIGN_IN + "?signed-out")
        response.delete_cookie(
            COOKIE,
            path=AREA,
            secure=request.url.scheme == "https",
            httponly=True,
            samesite="strict",
        )
        return response

    # Reviewing

    async def list_page(self, request: Request) -> Response:
        session = self._session(request)
        if session is None:
            return _see(SIGN_IN)
        intake = _intake(request)
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
        return self._page(
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
        session = self._session(request)
        if session is None:
            return _see(SIGN_IN)
        intake = _intake(request)
        reference = request.path_params["ref"]
        found = await _query(intake, store.get_submission, reference)
        if found is None:
            return self._problem(
                request, 404, "Submission not found", "There is no submission with that reference."
            )
        register_dir = intake.config.register_dir
        return self._page(
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
            checked = await self._checked(request)
            if isinstance(checked, Response):
                return checked
            session, _ = checked
            reference = request.path_params["ref"]
            if not await _query(_intake(request), store.set_status, reference, status):
                return self._problem(
                    request, 404, "Submission not found", "There is no submission with that "
                    "reference.",
                )  # fmt: skip
            session.notice = f"{reference} is now {STATUS_NAMES[status].lower()}."
            return _see(f"{LIST}/{reference}")

        return handler

    async def download(self, request: Request) -> Response:
        session = self._session(request)
        if session is None:
            return _see(SIGN_IN)
        intake = _intake(request)
        kind, status, errors = _filters(request, intake)
        if errors or not kind:
            return self._problem(
                request, 404, "Page not found", "Choose a spreadsheet from the submissions page."
            )
        found = await _query(intake, store.list_submissions, kind, status or None)
        return csv_response(intake, kind, found)

    async def export(self, request: Request) -> Response:
        checked = await self._checked(request)
        if isinstance(checked, Response):
            return checked
        session, _ = checked
        intake = _intake(request)
        try:
            count = await run_in_threadpool(
                export_signatories, intake.config.db_path, intake.config.register_dir
            )
        except OSError as error:
            log.error("could not write the signatories file: %s", type(error).__name__)
            return self._problem(
                request,
                500,
                "The signatories file could not be written",
                "The server could not write register/signatories.yaml. Nothing was changed. "
                "Ask whoever runs the service to check the register folder can be written to.",
            )
        session.notice = (
            f"Wrote {count} signator{'y' if count == 1 else 'ies'} to register/signatories.yaml."
        )
        return _see(LIST)


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
