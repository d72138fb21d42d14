"""One log line per request: method, path, status, milliseconds. Never a query or a body.

Paths of unmatched requests (404) are not logged: anything can be typed there, personal data
included. Uvicorn's own access log must be off (``__main__`` does that).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("socialvalue.intake.access")


class AccessLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_logged(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_logged)
        finally:
            log.info(
                "%s %s %d %.1fms",
                scope["method"],
                _path(dict(scope), status),
                status,
                (time.perf_counter() - started) * 1000,
            )


def _path(scope: dict[str, Any], status: int) -> str:
    if status == 404:
        return "(unmatched path)"
    path = scope.get("path", "")
    return path if len(path) <= 200 else path[:200] + "..."
