"""The intake server's settings, fixed at start."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class IntakeConfig:
    """Everything the app needs; built by ``__main__`` from the command line, or by tests.

    site_url: public root of the static site, ending with "/" (its origin may POST)
    register_dir: the register (``measures.yaml``, ``organisations/*.yaml``, ...) for valid ids
    schemas_dir: the intake Table Schemas (the form rules)
    templates_dir: the shared Jinja2 form templates
    site_dir: a built static site to serve at "/" (mounted last), or None
    allow_origins: more origins allowed to POST, besides the site's and the intake's own
    staff_token: bearer token for the staff API; None leaves the staff routes unmounted
    rate_limit: POSTs per minute per client IP (token bucket, bursts up to the same number)
    max_body: request body cap in bytes, counted while streaming
    writer: "group" (one writer thread, one transaction per batch) or "direct" (one per request)
    """

    db_path: Path
    site_url: str = "http://localhost:8000/"
    register_dir: Path = REPO_ROOT / "register"
    schemas_dir: Path = REPO_ROOT / "register" / "schemas" / "intake"
    templates_dir: Path = REPO_ROOT / "templates" / "forms"
    site_dir: Path | None = None
    allow_origins: tuple[str, ...] = ()
    staff_token: str | None = None
    rate_limit: int = 30
    max_body: int = 32 * 1024
    writer: str = "group"

    def __post_init__(self) -> None:
        if not self.site_url.endswith("/"):
            raise ValueError(f"site_url must end with '/': {self.site_url!r}")
        if self.writer not in ("group", "direct"):
            raise ValueError(f"writer must be 'group' or 'direct': {self.writer!r}")
        if self.rate_limit < 1:
            raise ValueError("rate_limit must be at least 1")
        for url in (self.site_url, *self.allow_origins):
            try:
                origin_of(url)
            except ValueError as error:
                raise ValueError(f"{url!r} is not a web address an Origin can match") from error

    @functools.cached_property
    def origins(self) -> frozenset[str]:
        """Origins allowed to POST: the site's and every --allow-origin value."""
        return frozenset(origin_of(url) for url in (self.site_url, *self.allow_origins))


@dataclass(frozen=True)
class ServerLimits:
    """What one connection may cost, so the intake is safe with no proxy in front.

    max_header_bytes: the request line and headers together; more is refused with 431
    request_timeout: seconds from a request's first byte (or the connection's opening) until its
        body has fully arrived; a request still unfinished then is cut off (408 when it is
        still in its headers), so half-sent requests (slowloris) cannot hold connections
    keep_alive: seconds an idle connection stays open after an answer
    max_connections: open connections and running requests beyond which uvicorn answers 503
    """

    max_header_bytes: int = 16 * 1024
    request_timeout: float = 20.0
    keep_alive: float = 5.0
    max_connections: int = 500

    def __post_init__(self) -> None:
        if self.max_header_bytes < 1024:
            raise ValueError("max_header_bytes must be at least 1024")
        if self.request_timeout <= 0 or self.keep_alive <= 0:
            raise ValueError("the timeouts must be more than 0 seconds")
        if self.max_connections < 1:
            raise ValueError("max_connections must be at least 1")


@functools.lru_cache(maxsize=256)
def origin_of(url: str) -> str:
    """``https://Example.org:443/path`` -> ``https://example.org``, as browsers send Origin."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    default = {"http": 80, "https": 443}.get(scheme)
    netloc = host if port in (None, default) else f"{host}:{port}"
    return f"{scheme}://{netloc}"
