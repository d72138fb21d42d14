"""Checks made before a POST's answers are read: rate, origin, media type, size, syntax.

Each failure is a ``Refusal``: a status, one plain sentence and maybe headers. The app turns it
into the one JSON error shape (API) or a short page (HTML forms).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import UploadFile
from starlette.requests import ClientDisconnect, Request

from socialvalue.intake.config import origin_of
from socialvalue.intake.ratelimit import RateLimiter

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
MAX_FIELDS = 300


class Refusal(Exception):
    """A request refused before its answers are checked."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def check_rate(request: Request, limiter: RateLimiter) -> None:
    wait = limiter.take(client_of(request))
    if wait:
        raise Refusal(
            429,
            "You have sent too many forms in a short time. Wait a minute, then try again.",
            {"Retry-After": str(wait)},
        )


def check_origin(request: Request, allowed: frozenset[str], required: bool = True) -> None:
    """The Origin must be one of the configured origins (the site's and each --allow-origin).

    The Host header proves nothing (the client writes it), so it is not compared; an Origin
    that cannot be read (a port that is not a number, or out of range) is refused like any other.
    """
    origin = request.headers.get("origin")
    if origin is None and not required:
        return
    if origin is not None and origin != "null":
        try:
            if origin_of(origin) in allowed:
                return
        except ValueError:
            pass  # urlsplit's port: "abc" or 99999
    raise Refusal(
        403,
        "Send this form from the website it belongs to: requests from other "
        "sites, or without an Origin header, are not accepted.",
    )


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def check_media_type(request: Request, accepted: tuple[str, ...]) -> str:
    found = media_type(request)
    if found not in accepted:
        raise Refusal(415, f"Send the answers as {' or '.join(accepted)}.")
    return found


async def read_body(request: Request, cap: int) -> bytes:
    """The body, refused with 413 as soon as it passes ``cap`` bytes, whatever it claims."""
    declared = request.headers.get("content-length", "")
    too_large = Refusal(
        413,
        f"The answers are too long to send: the limit is {cap // 1024} KB. "
        "Shorten them and try again.",
    )
    if declared.isdigit() and int(declared) > cap:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > cap:
                raise too_large
            chunks.append(chunk)
    except ClientDisconnect as error:  # gone, or cut off by the server's request timeout
        raise Refusal(408, "The answers did not arrive in time. Send them again.") from error
    return b"".join(chunks)


def parse_json(body: bytes) -> dict[str, Any]:
    """A JSON object whose numbers stay text (so NaN, Infinity and 1e999 never become floats)."""
    try:
        data = json.loads(
            body.decode("utf-8"), parse_float=str, parse_int=str, parse_constant=_refuse_constant
        )
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise Refusal(400, "The request body is not valid JSON in UTF-8.") from error
    if not isinstance(data, dict):
        raise Refusal(400, "Send the answers as one JSON object.")
    return data


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


async def parse_form(request: Request, body: bytes, kind: str) -> list[tuple[str, str]]:
    """Form fields (text only) from an urlencoded or multipart body already read."""
    if kind == "application/x-www-form-urlencoded":
        try:
            return parse_qsl(
                body.decode("utf-8", errors="replace"),
                keep_blank_values=True,
                max_num_fields=MAX_FIELDS,
            )
        except ValueError as error:
            raise Refusal(400, "The form has too many fields.") from error
    replay = Request(request.scope, receive=_replay(body))
    try:
        form = await replay.form(max_files=0, max_fields=MAX_FIELDS)
    except Exception as error:  # noqa: BLE001 - any failure of a third-party parser on hostile input
        raise Refusal(400, "The form could not be read. Send it again from the website.") from error
    return [(key, value) for key, value in form.multi_items() if not isinstance(value, UploadFile)]


def _replay(body: bytes):  # noqa: ANN202 - an ASGI receive callable
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
