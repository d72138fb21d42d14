"""Responses: the one JSON error shape, and HTML pages with safe headers.

Every JSON error, whatever its status, is ``{"ok": false, "errors": [{"field", "message"}]}``;
``field`` is the question's name, or null when the problem is the whole request.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from starlette.responses import HTMLResponse, JSONResponse

from socialvalue.intake.forms import FieldError

HTML_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}
JSON_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def json_error(
    status: int, errors: Iterable[FieldError], headers: dict[str, str] | None = None
) -> JSONResponse:
    body = {"ok": False, "errors": [error.as_json() for error in errors]}
    return JSONResponse(body, status_code=status, headers={**JSON_HEADERS, **(headers or {})})


def json_problem(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """An error about the whole request (field null)."""
    return json_error(status, [FieldError(None, message)], headers)


def json_ok(body: dict[str, object], status: int = 200) -> JSONResponse:
    return JSONResponse({"ok": True, **body}, status_code=status, headers=JSON_HEADERS)


def html(content: str, status: int = 200, headers: dict[str, str] | None = None) -> HTMLResponse:
    return HTMLResponse(content, status_code=status, headers={**HTML_HEADERS, **(headers or {})})


def problem_bytes(message: str) -> bytes:
    """``json_problem``'s body as bytes, for the answers ``server.py`` writes below the app."""
    body = {"ok": False, "errors": [FieldError(None, message).as_json()]}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
