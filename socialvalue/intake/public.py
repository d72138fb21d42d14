"""The public routes: the forms (HTML) and their JSON twins.

A POST goes: rate limit -> Origin -> media type -> size -> syntax -> honeypot -> rules -> store.
Nothing is acknowledged before the COMMIT that holds it has returned.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from socialvalue.intake import guard, receipts, replies
from socialvalue.intake.forms import (
    FieldError,
    Outcome,
    prefill,
    raw_from_form,
    raw_from_json,
    tidy,
    validate,
)
from socialvalue.intake.references import is_reference, new_reference
from socialvalue.intake.schemas import HONEYPOT, KINDS, FormSpec
from socialvalue.intake.state import Intake
from socialvalue.intake.store import NewSubmission, Submission, connect, get_submission, now

log = logging.getLogger("socialvalue.intake")
UNAVAILABLE = (
    "Sorry, there is a problem with the service and your answers were not saved. "
    "Try again in a few minutes."
)


def routes() -> list[Route]:
    api = [
        Route(kind.api_path, api_endpoint(kind.slug), methods=["POST"], name=f"api-{kind.slug}")
        for kind in KINDS
    ]
    return api + [
        Route("/forms/{kind}", form_page, methods=["GET"]),
        Route("/forms/{kind}", form_submit, methods=["POST"]),
        Route("/forms/{kind}/confirmation", confirmation, methods=["GET"]),
    ]


def _intake(request: Request) -> Intake:
    return request.app.state.intake


def api_endpoint(slug: str) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        return await api_submit(request, _intake(request).specs[slug])

    return endpoint


async def api_submit(request: Request, spec: FormSpec) -> Response:
    intake = _intake(request)
    try:
        guard.check_rate(request, intake.limiter)
        guard.check_origin(request, intake.config.origins)
        guard.check_media_type(request, ("application/json",))
        data = guard.parse_json(await guard.read_body(request, intake.config.max_body))
    except guard.Refusal as refusal:
        return replies.json_problem(refusal.status, refusal.message, refusal.headers)
    if _is_spam(data.get(HONEYPOT)):
        return replies.json_ok({"reference": new_reference(spec.kind.letter)}, 201)
    raw, type_errors = raw_from_json(spec, data)
    outcome = validate(spec, raw, intake.choices, date.today())
    errors = _merge(spec, type_errors, outcome)
    if errors:
        return replies.json_error(422, errors)
    try:
        reference = await _store(intake, spec, outcome)
    except sqlite3.Error:
        log.exception("could not store a submission")
        return replies.json_problem(503, UNAVAILABLE, {"Retry-After": "60"})
    return replies.json_ok({"reference": reference}, 201)


def _merge(spec: FormSpec, first: list[FieldError], outcome: Outcome) -> list[FieldError]:
    """One error per question, in question order; a wrong JSON type wins over the rules."""
    by_field = {error.field: error for error in outcome.errors}
    by_field.update({error.field: error for error in first})
    return [by_field[rule.name] for rule in spec.fields if rule.name in by_field]


def _is_spam(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


async def _store(intake: Intake, spec: FormSpec, outcome: Outcome) -> str:
    item = NewSubmission(spec.kind.slug, spec.kind.letter, outcome.data, now())
    return await intake.writer.write(item)


def _spec(request: Request) -> FormSpec | None:
    return _intake(request).specs.get(request.path_params["kind"])


async def form_page(request: Request) -> Response:
    intake, spec = _intake(request), _spec(request)
    if spec is None:
        return not_found(intake)
    values = prefill(spec, request.query_params, intake.choices)
    return page(intake, intake.pages.form(spec, intake.choices, request.url.path, values))


async def form_submit(request: Request) -> Response:
    intake, spec = _intake(request), _spec(request)
    if spec is None:
        return not_found(intake)
    try:
        guard.check_rate(request, intake.limiter)
        guard.check_origin(request, intake.config.origins)
        kind = guard.check_media_type(request, guard.FORM_TYPES)
        body = await guard.read_body(request, intake.config.max_body)
        items = await guard.parse_form(request, body, kind)
    except guard.Refusal as refusal:
        problem = intake.pages.problem(_problem_heading(refusal.status), refusal.message)
        return page(intake, problem, refusal.status, refusal.headers)
    raw = raw_from_form(spec, items)
    if _is_spam(raw.get(HONEYPOT)):
        return _see_confirmation(spec, new_reference(spec.kind.letter))
    outcome = validate(spec, raw, intake.choices, date.today())
    if outcome.errors:
        shown = {
            k: ([tidy(v) for v in value] if isinstance(value, list) else tidy(value))
            for k, value in raw.items()
            if k != HONEYPOT
        }
        form = intake.pages.form(spec, intake.choices, request.url.path, shown, outcome.errors)
        return page(intake, form, 422)
    try:
        reference = await _store(intake, spec, outcome)
    except sqlite3.Error:
        log.exception("could not store a submission")
        problem = intake.pages.problem("Sorry, there is a problem with the service", UNAVAILABLE)
        return page(intake, problem, 503, {"Retry-After": "60"})
    return _see_confirmation(spec, reference)


def _see_confirmation(spec: FormSpec, reference: str) -> Response:
    url = f"/forms/{spec.kind.slug}/confirmation?ref={reference}"
    return RedirectResponse(url, status_code=303, headers={"Cache-Control": "no-store"})


async def confirmation(request: Request) -> Response:
    """The reference, and what was sent (``receipts.py``: no name or email address, ever)."""
    intake, spec = _intake(request), _spec(request)
    reference = request.query_params.get("ref", "")
    if spec is None or not is_reference(reference) or reference[3] != spec.kind.letter:
        return not_found(intake)
    try:
        found = await run_in_threadpool(_lookup, intake, reference)
    except sqlite3.Error:
        log.exception("could not read a submission for its confirmation")
        found = None  # the reference alone still confirms it
    shown = receipts.details(spec, found.payload, intake.choices) if found else []
    return page(intake, intake.pages.confirmation(spec, reference, shown))


def _lookup(intake: Intake, reference: str) -> Submission | None:
    conn = connect(intake.config.db_path)
    try:
        return get_submission(conn, reference)
    finally:
        conn.close()


def not_found(intake: Intake) -> Response:
    return page(intake, intake.pages.not_found(), 404)


def page(
    intake: Intake, html: str, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """An intake page with the safe headers, and those of the site's layout when it has one."""
    return replies.html(html, status, {**intake.pages.headers, **(headers or {})})


def _problem_heading(status: int) -> str:
    return {
        400: "Your answers could not be read",
        403: "This form cannot be sent from here",
        413: "Your answers are too long",
        415: "Your answers could not be read",
        429: "You have sent too many forms",
    }.get(status, "Sorry, there is a problem")
