"""Run the intake under uvicorn: shared by `python -m socialvalue.intake` and `build.py serve`.

uvicorn's httptools protocol reads headers of any size and waits for ever on a request that
never finishes; ``LimitedHttp`` adds both limits (``ServerLimits``), so no proxy is needed in
front. Start-up failures are one plain sentence and exit 1.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from http import HTTPStatus
from typing import ClassVar

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from socialvalue.intake import replies
from socialvalue.intake.choices import RegisterError
from socialvalue.intake.config import IntakeConfig, ServerLimits
from socialvalue.intake.store import StartupError

MIN_TOKEN = 16
log = logging.getLogger("socialvalue.intake")


def staff_token_from_env() -> str | None:
    """SV_STAFF_TOKEN, or None when unset; ValueError when it is too short to be safe."""
    token = os.environ.get("SV_STAFF_TOKEN", "").strip() or None
    if token is not None and len(token) < MIN_TOKEN:
        raise ValueError(f"SV_STAFF_TOKEN must be at least {MIN_TOKEN} characters")
    return token


def run(config: IntakeConfig, host: str, port: int, limits: ServerLimits | None = None) -> int:
    """Serve until stopped (0); 1, with one sentence on stderr, when the intake cannot start."""
    import uvicorn

    from socialvalue.intake.app import create_app

    limits = limits or ServerLimits()
    try:
        app = create_app(config)
    except (StartupError, RegisterError) as error:
        print(f"error: the intake cannot start: {error}", file=sys.stderr)
        return 1
    # The writer thread gives up the GIL for each SQLite call and must win it back from the busy
    # event loop: with the default 5 ms switch interval a batch can wait ~5 ms per call.
    # 1 ms gave the best throughput and tail latency in benchmarks (see benchmarks/intake.md).
    sys.setswitchinterval(0.001)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr
    )
    uvicorn.run(
        app,
        host=host,
        port=port,
        http=limited_http(limits),
        limit_concurrency=limits.max_connections,
        timeout_keep_alive=limits.keep_alive,  # type: ignore[arg-type]  # a float works
        access_log=False,
        log_level="warning",
        server_header=False,
        timeout_graceful_shutdown=10,
    )
    return 0


def limited_http(limits: ServerLimits) -> type[LimitedHttp]:
    """``LimitedHttp`` with these limits (uvicorn builds each connection's protocol itself)."""
    return type("LimitedHttp", (LimitedHttp,), {"limits": limits})


class LimitedHttp(HttpToolsProtocol):
    """uvicorn's httptools protocol with a cap on header bytes and a deadline per request.

    The header bytes are counted per chunk read (after parsing it), so the most ever held is the
    cap plus one read. The deadline runs from the connection's opening or a request's first byte
    until its body is complete; the answer's own time is not counted.
    """

    limits: ClassVar[ServerLimits] = ServerLimits()
    _deadline: asyncio.TimerHandle | None = None
    _header_bytes = 0
    _in_headers = True

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_clock()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_clock()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)  # which stops the keep-alive timer
        if self.transport.is_closing():
            return
        if self._in_headers:
            self._header_bytes += len(data)
            if self._header_bytes > self.limits.max_header_bytes:
                limit = self.limits.max_header_bytes // 1024
                self._answer(431, f"The request's headers are too long: the limit is {limit} KB.")
        elif self.cycle is None or self.cycle.response_complete:
            self._start_clock()  # bytes that begin no request (blank lines) keep nothing open

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._header_bytes = 0
        self._in_headers = True
        self._start_clock()

    def on_headers_complete(self) -> None:
        self._in_headers = False
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._stop_clock()

    def _start_clock(self) -> None:
        if self._deadline is None:
            self._deadline = self.loop.call_later(self.limits.request_timeout, self._too_slow)

    def _stop_clock(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        if self._in_headers and self._header_bytes:
            self._answer(408, "The request did not arrive in time. Send it again.")
        else:  # nothing sent yet, or the app is reading the body: it sees the disconnect
            self.transport.close()

    def _answer(self, status: int, message: str) -> None:
        """Write one JSON error and close, unless an answer is already being written."""
        if self.cycle is None or self.cycle.response_complete:
            body = replies.problem_bytes(message)
            head = (
                f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
                "content-type: application/json\r\n"
                f"content-length: {len(body)}\r\n"
                "cache-control: no-store\r\nconnection: close\r\n\r\n"
            )
            self.transport.write(head.encode("ascii") + body)
        self.transport.close()
