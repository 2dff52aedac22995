"""The wtkb HTTP API (FastAPI): grounded answers, search, paragraphs, duties, briefings, the handbook.

``create_app(settings)`` builds the app; the index is loaded once at start-up (the model's
first forward pass included). No state of the index stops the server: the handbook is still
served, ``/health`` says what is wrong, and the Q&A endpoints answer 503 with the fix (run
``wtkb build``). The parts: :mod:`~wtkb.api.state` (what the app holds), :mod:`~wtkb.api.schemas`
(request and response models), :mod:`~wtkb.api.errors` (the one error presenter),
:mod:`~wtkb.api.guard` (limits, HEAD, no-store, access log), :mod:`~wtkb.api.routes` (one router per
area), :mod:`~wtkb.api.docs` (offline API docs) and :mod:`~wtkb.api.handbook` (the site at ``/``).

Privacy: question text is never logged or stored unless ``WTKB_LOG_QUESTIONS=true``. The access
log written here records method, path (never the query string) and status; run uvicorn with its
own access log off (``wtkb serve`` does).
"""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI

from wtkb.api import docs, errors, schemas, security
from wtkb.api.guard import Guard
from wtkb.api.handbook import Handbook
from wtkb.api.routes import ROUTERS
from wtkb.api.schemas import SEARCH_K_MAX, TOP_K_MAX
from wtkb.api.state import AppState
from wtkb.settings import Settings, get_settings
from wtkb.urls import base_path

DESCRIPTION = (
    "Grounded answers about *Working Together to Safeguard Children 2023* and its consultation. "
    "Every answer sentence is copied from a cited paragraph and tagged with its ID; each citation "
    "links to the paragraph in the handbook. Questions are not logged or stored unless the operator "
    "sets `WTKB_LOG_QUESTIONS=true`.")
TAGS = [{"name": "Q&A"}, {"name": "corpus"}, {"name": "briefings"}, {"name": "service"}]
errors.RANGE_MAX.update({"top_k": TOP_K_MAX, "k": SEARCH_K_MAX})


def create_app(settings: Settings | None = None) -> FastAPI:
    """The FastAPI app for ``settings`` (defaults to the environment's ``WTKB_*`` settings)."""
    settings = settings or get_settings()
    state = AppState(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        state.load()
        yield
        state.close()

    prefix = base_path(settings.base_url)
    app = FastAPI(title="wtkb — Working Together 2023 knowledge base", version="0.1.0", description=DESCRIPTION,
                  lifespan=lifespan, openapi_tags=TAGS, docs_url=None, redoc_url=None,
                  servers=[{"url": prefix.rstrip("/") or "/"}])
    app.state.wtkb = state
    app.state.handbook = Handbook(directory=settings.html_dir, html=True, check_dir=False)
    app.add_middleware(Guard, max_body_bytes=settings.max_body_bytes, timeout_request=settings.timeout_request)
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router)
    docs.install(app)
    app.mount("/", app.state.handbook, name="handbook")
    schemas.publish_limits(app, settings)  # the contract states the limits enforced (max_question_chars)
    security.install(app, settings)  # security headers, CORS, Allow on every 405 (wtkb.api.security)
    return app
