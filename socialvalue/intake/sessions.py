"""Staff sign-in sessions, kept in memory, and a brake on wrong sign-in attempts.

A session is a random id (in an HttpOnly cookie) that maps to a per-session CSRF token and an
expiry. Only a SHA-256 hash of the id is kept, so a memory dump does not give working cookies.
Sessions end when the server restarts: staff then sign in again.

Neither class is thread-safe: both are used from the event loop only, with no await inside.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

IDLE_SECONDS = 60 * 60  # a session unused for an hour ends
LONGEST_SECONDS = 10 * 60 * 60  # and every session ends after 10 hours, used or not
MAX_SESSIONS = 1_000


def same_secret(given: str, expected: str) -> bool:
    """Constant-time comparison of two secrets (a wrong length is not leaked either)."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _key(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


@dataclass
class StaffSession:
    csrf_token: str
    started: float
    last_used: float
    notice: str = ""  # one message to show on the next page (after a decision)

    def take_notice(self) -> str:
        notice, self.notice = self.notice, ""
        return notice


class Sessions:
    """In-memory sessions with an idle and an absolute expiry."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        idle: float = IDLE_SECONDS,
        longest: float = LONGEST_SECONDS,
        max_sessions: int = MAX_SESSIONS,
    ) -> None:
        self._clock = clock
        self._idle = idle
        self._longest = longest
        self._max = max_sessions
        self._sessions: dict[str, StaffSession] = {}

    def start(self) -> tuple[str, StaffSession]:
        """A new session: (the id for the cookie, the session)."""
        now = self._clock()
        self._forget_expired(now)
        while len(self._sessions) >= self._max:  # drop the least recently used
            oldest = min(self._sessions, key=lambda k: self._sessions[k].last_used)
            del self._sessions[oldest]
        session_id = secrets.token_urlsafe(32)
        session = StaffSession(secrets.token_urlsafe(32), now, now)
        self._sessions[_key(session_id)] = session
        return session_id, session

    def find(self, session_id: str | None) -> StaffSession | None:
        """The live session for a cookie value, its idle time restarted; None if none."""
        if not session_id:
            return None
        key = _key(session_id)
        session = self._sessions.get(key)
        if session is None:
            return None
        now = self._clock()
        if self._expired(session, now):
            del self._sessions[key]
            return None
        session.last_used = now
        return session

    def end(self, session_id: str | None) -> None:
        if session_id:
            self._sessions.pop(_key(session_id), None)

    def __len__(self) -> int:
        return len(self._sessions)

    def _expired(self, session: StaffSession, now: float) -> bool:
        return now - session.last_used > self._idle or now - session.started > self._longest

    def _forget_expired(self, now: float) -> None:
        for key in [k for k, s in self._sessions.items() if self._expired(s, now)]:
            del self._sessions[key]


class SignInBrake:
    """At most ``limit`` wrong sign-ins per client in ``window`` seconds; then a wait."""

    def __init__(
        self,
        limit: int = 5,
        window: float = 15 * 60,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = 10_000,
    ) -> None:
        self._limit = limit
        self._window = window
        self._clock = clock
        self._max_clients = max_clients
        self._failures: dict[str, deque[float]] = {}

    def wait(self, client: str) -> int:
        """0 when the client may try; else the whole seconds until it may (for Retry-After)."""
        if client not in self._failures:
            return 0
        now = self._clock()
        failures = self._recent(client, now)
        if len(failures) < self._limit:
            return 0
        return max(1, math.ceil(failures[0] + self._window - now))

    def failed(self, client: str) -> None:
        now = self._clock()
        self._recent(client, now).append(now)
        if len(self._failures) > self._max_clients:
            for name in [c for c in self._failures if not self._recent(c, now)]:
                del self._failures[name]

    def _recent(self, client: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(client, deque())
        while failures and failures[0] <= now - self._window:
            failures.popleft()
        return failures
