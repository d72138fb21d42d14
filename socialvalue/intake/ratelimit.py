"""Per-client token bucket for POSTs: ``rate`` per minute, bursts of up to ``rate``."""

from __future__ import annotations

import math
import time
from collections.abc import Callable


class RateLimiter:
    """Not thread-safe by design: used from the event loop only, with no await inside."""

    def __init__(
        self,
        per_minute: int,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = 10_000,
    ) -> None:
        self.capacity = float(per_minute)
        self.refill = per_minute / 60.0
        self._clock = clock
        self._max_clients = max_clients
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, client: str) -> int:
        """Spend one token: 0 when allowed, else the whole seconds to wait (for Retry-After)."""
        now = self._clock()
        tokens = self._tokens(client, now)
        if tokens >= 1.0:
            self._buckets[client] = (tokens - 1.0, now)
            if len(self._buckets) > self._max_clients:
                self._forget_full(now)
            return 0
        self._buckets[client] = (tokens, now)
        return max(1, math.ceil((1.0 - tokens) / self.refill))

    def _tokens(self, client: str, now: float) -> float:
        tokens, last = self._buckets.get(client, (self.capacity, now))
        return min(self.capacity, tokens + (now - last) * self.refill)

    def _forget_full(self, now: float) -> None:
        """Drop clients whose bucket has refilled: they are the same as unseen clients."""
        for client in [c for c in self._buckets if self._tokens(c, now) >= self.capacity]:
            del self._buckets[client]
