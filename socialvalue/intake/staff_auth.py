"""Signing in to the staff pages, and what every staff page shares: the session, the page
shell, and the checks on a staff POST.

Signing in sets one cookie: a random session id, HttpOnly, SameSite=Strict, Path=/staff, Secure
over HTTPS (uvicorn takes the scheme from X-Forwarded-Proto when the proxy is trusted). Every
staff POST passes the Origin check of the public forms AND carries the session's CSRF token; a
refused POST changes nothing. Every answer is ``no-store``. Wrong tokens are braked per client.
Nothing here logs a name, an email or a token.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from socialvalue.intake import guard, replies
from socialvalue.intake.forms import FieldError
from socialvalue.intake.sessions import Sessions, SignInBrake, StaffSession, same_secret
from socialvalue.intake.staff_views import StaffPages
from socialvalue.intake.state import Intake

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


def intake_of(request: Request) -> Intake:
    return request.app.state.intake


def see(url: str) -> Response:
    """A 303 redirect (after a POST, or to sign in)."""
    return RedirectResponse(url, status_code=303, headers=NO_STORE)


async def read_form(request: Request, intake: Intake) -> dict[str, str]:
    """The POSTed form's fields (first value of each); Refusal on a bad Origin or body."""
    guard.check_origin(request, intake.config.origins)
    kind = guard.check_media_type(request, guard.FORM_TYPES)
    body = await guard.read_body(request, intake.config.max_body)
    fields: dict[str, str] = {}
    for key, value in await guard.parse_form(request, body, kind):
        fields.setdefault(key, value)
    return fields


class StaffAuth:
    """Sessions, the sign-in brake and the page shell (all in memory), and the sign-in pages."""

    def __init__(self, sessions: Sessions | None = None, brake: SignInBrake | None = None) -> None:
        self.sessions = sessions or Sessions()
        self.brake = brake or SignInBrake()
        self._pages: StaffPages | None = None

    def session(self, request: Request) -> StaffSession | None:
        return self.sessions.find(request.cookies.get(COOKIE))

    def page(
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
            intake = intake_of(request)
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

    def problem(
        self, request: Request, status: int, heading: str, message: str, **kw: Any
    ) -> Response:
        session = self.session(request)
        return self.page(
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
        return self.problem(request, refusal.status, heading, refusal.message)

    async def home(self, request: Request) -> Response:
        return see(LIST if self.session(request) else SIGN_IN)

    async def stylesheet(self, request: Request) -> Response:
        path = intake_of(request).config.templates_dir / "staff" / "staff.css"
        return FileResponse(path, headers={"Cache-Control": "public, max-age=300"})

    # Signing in and out

    def _sign_in_form(
        self, request: Request, errors: list[FieldError], status: int = 200, **kw: Any
    ) -> Response:
        return self.page(
            request, "sign-in.html", "Sign in", None, status, errors=errors, rules=TOKEN_RULES, **kw
        )

    async def sign_in_page(self, request: Request) -> Response:
        if self.session(request):
            return see(LIST)
        notice = "You have signed out." if "signed-out" in request.query_params else ""
        return self._sign_in_form(request, [], notice=notice)

    async def sign_in(self, request: Request) -> Response:
        intake = intake_of(request)
        try:
            fields = await read_form(request, intake)
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
        response = see(LIST)
        response.set_cookie(
            COOKIE,
            session_id,
            path=AREA,
            secure=request.url.scheme == "https",
            httponly=True,
            samesite="strict",
        )
        return response

    async def checked(self, request: Request) -> tuple[StaffSession, dict[str, str]] | Response:
        """A staff POST's session and fields, or the answer that refuses it (nothing changed)."""
        try:
            fields = await read_form(request, intake_of(request))
        except guard.Refusal as refusal:
            return self._refused(request, refusal)
        session = self.session(request)
        if session is None:
            return see(SIGN_IN)
        if not same_secret(fields.get("csrf_token", ""), session.csrf_token):
            return self.problem(
                request,
                403,
                "This request was refused",
                "The form was out of date or did not come from the staff pages. "
                "Go back, reload the page and try again.",
            )
        return session, fields

    async def sign_out(self, request: Request) -> Response:
        checked = await self.checked(request)
        if isinstance(checked, Response):
            return checked
        self.sessions.end(request.cookies.get(COOKIE))
        response = see(SIGN_IN + "?signed-out")
        response.delete_cookie(
            COOKIE,
            path=AREA,
            secure=request.url.scheme == "https",
            httponly=True,
            samesite="strict",
        )
        return response
