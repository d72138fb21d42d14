"""``create_app(config) -> Starlette``: the intake server, ready for uvicorn."""

from __future__ import annotations

import contextlib
import gc
import json
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from socialvalue.intake import public, replies, staff, staff_pages
from socialvalue.intake.accesslog import AccessLog
from socialvalue.intake.choices import load_choices
from socialvalue.intake.config import IntakeConfig
from socialvalue.intake.openapi import document
from socialvalue.intake.pages import Pages
from socialvalue.intake.ratelimit import RateLimiter
from socialvalue.intake.schemas import load_specs
from socialvalue.intake.shell import read_shell
from socialvalue.intake.state import Intake
from socialvalue.intake.store import open_store
from socialvalue.intake.writers import DirectWriter, GroupWriter

log = logging.getLogger("socialvalue.intake")
ASSETS = ("forms.css", "forms.js")


def create_app(config: IntakeConfig) -> Starlette:
    """The app. The database is created or migrated now; the writer starts with the lifespan."""
    open_store(config.db_path)
    choices = load_choices(config.register_dir)
    writer = (
        GroupWriter(config.db_path) if config.writer == "group" else DirectWriter(config.db_path)
    )
    intake = Intake(
        config=config,
        specs=load_specs(config.schemas_dir),
        choices=choices,
        pages=Pages(
            config.templates_dir,
            choices.site_name,
            config.site_url,
            shell=read_shell(config.site_dir),
        ),
        writer=writer,
        limiter=RateLimiter(config.rate_limit),
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        writer.start()
        gc.collect()
        gc.freeze()  # what exists at start lives for ever: keep it out of later collections
        try:
            yield
        finally:
            writer.close()

    app = Starlette(
        routes=_routes(config),
        lifespan=lifespan,
        exception_handlers={HTTPException: _http_error, Exception: _server_error},
    )
    app.state.intake = intake
    app.state.openapi = json.dumps(document(intake.specs, choices), indent=2)
    app.add_middleware(AccessLog)
    return app


def _routes(config: IntakeConfig) -> list[BaseRoute]:
    routes: list[BaseRoute] = [
        Route("/healthz", health, methods=["GET"]),
        Route("/api/openapi.json", openapi, methods=["GET"]),
        Route("/forms/assets/{name}", asset, methods=["GET"]),
        *public.routes(),
    ]
    if config.staff_token:
        routes += staff.routes() + staff_pages.routes()
    if config.site_dir is not None:
        # The built site, compressed (an organisation page is ~300 KB raw, ~70 KB gzipped);
        # the intake's own answers are small and stay uncompressed.
        site = StaticFiles(directory=config.site_dir, html=True)
        routes.append(Mount("/", app=GZipMiddleware(site, minimum_size=1024)))
    return routes


async def health(request: Request) -> Response:
    return replies.json_ok({})


async def openapi(request: Request) -> Response:
    return Response(request.app.state.openapi, media_type="application/json")


async def asset(request: Request) -> Response:
    name = request.path_params["name"]
    intake: Intake = request.app.state.intake
    if name not in ASSETS:
        return await _http_error(request, HTTPException(404))
    return FileResponse(
        intake.config.templates_dir / name, headers={"Cache-Control": "public, max-age=300"}
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if request.url.path.startswith("/api/"):
        message = {
            404: "There is nothing at this address.",
            405: "This address does not accept that method.",
        }.get(status, "Not allowed.")
        return replies.json_problem(status, message)
    intake: Intake = request.app.state.intake
    if status == 404:
        return public.not_found(intake)
    return public.page(
        intake,
        intake.pages.problem(
            "Sorry, there is a problem", "This address does not accept that method."
        ),
        status,
    )


async def _server_error(request: Request, exc: Exception) -> Response:
    log.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.url.path)
    return replies.json_problem(500, "Sorry, there is a problem with the service.")
