"""The API's one error presenter: every failure becomes ``{"detail": "<what>; <fix>"}`` with a status.

``WtkbError`` kinds map to status codes in :data:`STATUS` (the most specific class wins); request
validation errors become one sentence a person can act on (:func:`describe`); anything else is a
500 that names no internals.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from wtkb.briefing import BriefingError
from wtkb.errors import IndexUnavailable, InvalidRequest, NotFound, SourceError, UnsupportedMediaType, WtkbError
from wtkb.text import unreadable

log = logging.getLogger("wtkb.api")

# the most specific class in an error's MRO decides; a plain WtkbError means the service cannot answer
STATUS: dict[type[WtkbError], int] = {
    NotFound: 404,
    InvalidRequest: 422,
    UnsupportedMediaType: 415,
    BriefingError: 422,
    IndexUnavailable: 503,
    SourceError: 503,
    WtkbError: 503,
}


def status_for(exc: WtkbError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 503


def message(exc: WtkbError) -> str:
    """One line: what is wrong; what to do."""
    return f"{exc.what}; {exc.fix}" if exc.fix else exc.what


def problem(status: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


def problem_bytes(detail: str) -> bytes:
    """The same body as :func:`problem`, for the ASGI guard that answers before the app runs."""
    import json

    return json.dumps({"detail": detail}).encode("utf-8")


# what each body-taking path accepts, for messages about a missing body or an unknown field
ASK_EXAMPLE = '{"question": "...", "top_k": 5}'
ASK_FIELDS = "'question' and optionally 'top_k'"
BODY_EXAMPLES = {"/briefings": '{"topic": "01-lead-practitioner", "format": "pptx"}'}
BODY_FIELDS = {"/briefings": "'topic' and optionally 'audience' and 'format'"}
RANGE_MAX: dict[str, int] = {}  # filled by the routes: {"top_k": 20, "k": 50}


def _range(e: dict[str, Any], field: str) -> str:
    ctx = e.get("ctx", {})
    lo = ctx.get("ge", ctx.get("gt", 1))
    hi = RANGE_MAX.get(field, ctx.get("le", ctx.get("lt", "")))
    return f"'{field}' must be between {lo} and {hi} (got {e.get('input')!r})"


# validation error type -> message (field, error, path); the first error of a request is described
MESSAGES = {
    "missing": lambda f, e, p: f"'{f}' is required",
    "extra_forbidden": lambda f, e, p: f"unknown field '{f}': the body takes "
                                       f"{BODY_FIELDS.get(p, ASK_FIELDS)}",
    "literal_error": lambda f, e, p: f"'{f}' must be one of {e.get('ctx', {}).get('expected', '')} "
                                     f"(got {e.get('input')!r})",
    "string_too_long": lambda f, e, p: f"'{f}' is too long: at most {e.get('ctx', {}).get('max_length')} characters",
    "string_type": lambda f, e, p: f"'{f}' must be a string",
    "string_unicode": lambda f, e, p: f"'{f}' cannot be read: {unreadable(e.get('input'))}",  # a lone surrogate
    "text_unreadable": lambda f, e, p: f"'{f}' {e.get('msg')}",  # schemas.readable
    "int_type": lambda f, e, p: f"'{f}' must be a whole number",
    "int_parsing": lambda f, e, p: f"'{f}' must be a whole number",
    "int_from_float": lambda f, e, p: f"'{f}' must be a whole number",
    "model_attributes_type": lambda f, e, p: "the body must be a JSON object such as {\"question\": \"...\"}",
    **{k: (lambda f, e, p: _range(e, f)) for k in ("greater_than_equal", "less_than_equal", "greater_than",
                                                   "less_than")},
}


def describe(errors: list[dict[str, Any]], path: str = "/ask") -> tuple[int, str]:
    """A validation error list -> (status, one sentence a person can act on)."""
    e = errors[0]
    kind = e.get("type", "")
    loc = [str(x) for x in e.get("loc", ()) if x not in ("body", "query", "path")]
    field = ".".join(loc) or "body"
    if kind == "json_invalid":
        where = e.get("ctx", {}).get("error", "")
        return 400, f"the request body is not valid JSON ({where}): send e.g. {{\"question\": \"...\"}}"
    if field == "body" and kind in ("missing", "dict_type"):
        if kind == "missing":
            return 422, f"the request has no JSON body: send e.g. {BODY_EXAMPLES.get(path, ASK_EXAMPLE)}"
        kind = "model_attributes_type"
    if kind in MESSAGES:
        return 422, MESSAGES[kind](field, e, path)
    return 422, f"'{field}': {e.get('msg', 'invalid value')}"


def install(app: FastAPI) -> None:
    """Register the handlers: WtkbError by kind, validation, HTTP errors, and the catch-all 500."""

    @app.exception_handler(WtkbError)
    async def on_wtkb(request: Request, exc: WtkbError):
        return problem(status_for(exc), message(exc))

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError):
        status, msg = describe(jsonable_encoder(exc.errors()), request.url.path)
        return problem(status, msg)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException):
        return problem(exc.status_code, str(exc.detail), headers=exc.headers)

    @app.exception_handler(Exception)
    async def on_error(request: Request, exc: Exception):
        log.error("internal error on %s %s: %s", request.method, request.url.path, type(exc).__name__)
        return problem(500, "internal error: the request was not processed; please report it")
