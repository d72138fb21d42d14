"""Run the intake under uvicorn: shared by `python -m socialvalue.intake` and `build.py serve`."""

from __future__ import annotations

import logging
import os
import sys

from socialvalue.intake.config import IntakeConfig

MIN_TOKEN = 16


def staff_token_from_env() -> str | None:
    """SV_STAFF_TOKEN, or None when unset; ValueError when it is too short to be safe."""
    token = os.environ.get("SV_STAFF_TOKEN", "").strip() or None
    if token is not None and len(token) < MIN_TOKEN:
        raise ValueError(f"SV_STAFF_TOKEN must be at least {MIN_TOKEN} characters")
    return token


def run(config: IntakeConfig, host: str, port: int) -> int:
    import uvicorn

    from socialvalue.intake.app import create_app

    # The writer thread gives up the GIL for each SQLite call and must win it back from the busy
    # event loop: with the default 5 ms switch interval a batch can wait ~5 ms per call.
    # 1 ms gave the best throughput and tail latency in benchmarks (see benchmarks/intake.md).
    sys.setswitchinterval(0.001)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr
    )
    uvicorn.run(
        create_app(config),
        host=host,
        port=port,
        access_log=False,
        log_level="warning",
        server_header=False,
        timeout_graceful_shutdown=10,
    )
    return 0
