"""The wtkb HTTP API (FastAPI): grounded answers, search, paragraphs, duties, and the handbook.

``create_app(settings)`` builds the app; the index is loaded once at start-up (the model's
first forward pass included). A missing or stale index does not stop the server: the handbook
is still served, ``/health`` says what is wrong, and the Q&A endpoints answer 503 with the fix
(run ``wtkb build``).

Privacy: question text is never logged or stored unless ``WTKB_LOG_QUESTIONS=true``. The access
log written here records method, path (never the query string) and status; run uvicorn with its
own access log off (``wtkb serve`` does).
"""

from __future__ import annotations

import dataclasses
import logging
import time
import typing
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, create_model
from starlette.exceptions import HTTPException as StarletteHTTPException

from wtkb.api.security import install as install_security
from wtkb.errors import WtkbError
from wtkb.models import Record
from wtkb.qa import QA, Answer, Citation
from wtkb.settings import Settings, get_settings
from wtkb.text import TEXT_RULE, bad_character

log = logging.getLogger("wtkb.api")
access = logging.getLogger("wtkb.access")

TOP_K_MAX = 20
SEARCH_K_MAX = 50
MAX_BODY_BYTES = 64 * 1024


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"question": "can a DV worker be lead practitioner?", "top_k": 5},
        {"question": "Who decides which worker becomes the lead practitioner for a family on a CIN plan?"},
    ]})

    question: str = Field(strict=True, description="The question, in plain words (1 to max_question_chars, "
                                                   "default 1000, characters).")
    top_k: int = Field(5, strict=True, ge=1, le=TOP_K_MAX,
                       description=f"How many paragraphs to return in citations + see_also (1–{TOP_K_MAX}).")


BRIEFING_FORMATS = ("pptx", "md", "html")


class BriefingRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"topic": "01-lead-practitioner", "audience": "education DSLs", "format": "pptx"},
        {"topic": "family group conferences", "format": "html"},
    ]})

    topic: str = Field(strict=True, description="A built-in topic (its slug from GET /briefings, its number or "
                                                "words of its title) or free text, answered by retrieval.")
    audience: str | None = Field(None, strict=True, max_length=100,
                                 description="Who the session is for, e.g. 'education DSLs' (optional).")
    format: typing.Literal["pptx", "md", "html"] = Field(
        "pptx", description="pptx: slides with speaker notes; md: the same deck as Markdown; "
                            "html: a one-page handout to print or save as PDF.")


class BriefingTopic(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "slug": "01-lead-practitioner", "title": "Who can be the lead practitioner",
        "url": "/topics/01-lead-practitioner.html"}]})

    slug: str = Field(description="Pass this as the topic of POST /briefings.")
    title: str
    url: str = Field(description="The topic chapter in the handbook.")


class SearchResults(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "q": "family group conference", "results": [Citation.model_config["json_schema_extra"]["examples"][0]]}]})

    q: str
    results: list[Citation]


def _record_fields() -> dict[str, Any]:
    """The corpus record's fields, taken from `wtkb.models.Record` (one definition of a record)."""
    hints = typing.get_type_hints(Record)
    out: dict[str, Any] = {}
    for f in dataclasses.fields(Record):
        if f.default is not dataclasses.MISSING:
            out[f.name] = (hints[f.name], f.default)
        elif f.default_factory is not dataclasses.MISSING:
            out[f.name] = (hints[f.name], Field(default_factory=f.default_factory))
        else:
            out[f.name] = (hints[f.name], ...)
    return out


# A corpus record as `wtkb paragraphs --jsonl` prints it, plus the link to its anchor in the handbook.
Paragraph = create_model(
    "Paragraph",
    __config__=ConfigDict(json_schema_extra={"examples": [{
        "id": "cr2023-support-under-section-17-government-response-p3", "document": "cr2023",
        "section": ["Section 3 – Help and support for children and their families",
                    "Support under section 17 of the Children Act 1989", "Government response"],
        "kind": "paragraph", "text": "In removing references to social workers, …",
        "label": "Consultation response 2023 › Support under section 17 of the Children Act 1989 › "
                 "Government response › para 3",
        "position": 3, "line": 767, "footnotes": [], "page": "sources/cr2023/15-section-3-help-and-support",
        "url": "/sources/cr2023/15-section-3-help-and-support.html"
               "#cr2023-support-under-section-17-government-response-p3"}]}),
    **_record_fields(),
    url=(str, Field(description="Link to the paragraph's anchor in the handbook.")),
)


class Health(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "status": "ok", "index_loaded": True, "corpus_hash": "3cd8a043754c51d0", "model":
        "sentence-transformers/all-MiniLM-L6-v2", "records": 816, "sentences": 1244, "documents": 5,
        "duplicates": 40, "handbook": True, "llm_mode": "off", "message": None}]})

    status: str = Field(description="'ok', or 'unavailable' when the index is missing or stale.")
    index_loaded: bool
    corpus_hash: str | None
    model: str | None
    records: int
    sentences: int
    documents: int
    duplicates: int
    handbook: bool = Field(description="Whether the built handbook is there to be served at /.")
    llm_mode: str
    message: str | None = Field(description="What is wrong and what to do, when status is not ok.")


class Problem(BaseModel):
    detail: str = Field(description="What is wrong with the request and how to fix it.")


PROBLEMS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "Malformed request (e.g. the body is not JSON)"},
    422: {"model": Problem, "description": "A field is missing, of the wrong type, empty, too long or out of range"},
    503: {"model": Problem, "description": "The index is missing or stale: run `wtkb build`"},
}


class AppState:
    """What the app holds: settings, and the loaded QA (or why it could not be loaded)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.qa: QA | None = None
        self.error: WtkbError | None = None
        self.batcher = None

    def load(self) -> None:
        if self.settings.torch_threads:
            import torch

            torch.set_num_threads(self.settings.torch_threads)
        from wtkb.qa import load_qa
        from wtkb.retrieve import EmbeddingBatcher

        try:
            self.qa = load_qa(self.settings, warm=False)
            # every forward pass runs on the batcher's thread, the warm-up included (see load_qa)
            self.batcher = EmbeddingBatcher(self.qa.retriever.vectors_for)
            self.batcher.embed("warm up")
            self.error = None
        except WtkbError as exc:
            self.qa, self.error = None, exc
            log.warning("Q&A unavailable: %s; %s", exc.what, exc.fix)


# dependencies are async so that FastAPI does not hop to a worker thread for them
async def get_state(request: Request) -> AppState:
    return request.app.state.wtkb


async def get_app_settings(state: Annotated[AppState, Depends(get_state)]) -> Settings:
    return state.settings


async def get_qa(state: Annotated[AppState, Depends(get_state)]) -> QA:
    if state.qa is None:
        err = state.error
        msg = f"{err.what}; {err.fix}" if err else "the index is not loaded yet; run `wtkb build`"
        raise HTTPException(503, msg)
    return state.qa


def _check_text(text: str, what: str, settings: Settings) -> str:
    if bad_character(text):  # e.g. a lone surrogate: refused here, so it never reaches a shared batch
        raise HTTPException(422, f"{what} cannot be read: {bad_character(text)}; send {TEXT_RULE}")
    if not text.strip():
        raise HTTPException(422, f"{what} is empty: send some words, e.g. \"who decides the lead practitioner?\"")
    if len(text) > settings.max_question_chars:
        raise HTTPException(422, f"{what} is {len(text)} characters long; the limit is "
                                 f"{settings.max_question_chars}: shorten it")
    return text.strip()


def _describe(errors: list[dict[str, Any]], path: str = "/ask") -> tuple[int, str]:
    """A validation error list -> (status, one sentence a person can act on)."""
    e = errors[0]
    kind = e.get("type", "")
    loc = [str(x) for x in e.get("loc", ()) if x not in ("body", "query", "path")]
    field = ".".join(loc) or "body"
    if kind == "json_invalid":
        where = e.get("ctx", {}).get("error", "")
        return 400, f"the request body is not valid JSON ({where}): send e.g. {{\"question\": \"...\"}}"
    if kind == "missing" and field == "body":
        example = '{"topic": "01-lead-practitioner", "format": "pptx"}' if path == "/briefings" else \
            '{"question": "...", "top_k": 5}'
        return 422, f"the request has no JSON body: send e.g. {example}"
    if kind == "missing":
        return 422, f"'{field}' is required"
    if kind == "model_attributes_type" or (kind == "dict_type" and field == "body"):
        return 422, "the body must be a JSON object such as {\"question\": \"...\"}"
    if kind == "extra_forbidden":
        takes = "'topic' and optionally 'audience' and 'format'" if path == "/briefings" else \
            "'question' and optionally 'top_k'"
        return 422, f"unknown field '{field}': the body takes {takes}"
    if kind == "literal_error":
        return 422, f"'{field}' must be one of {e.get('ctx', {}).get('expected', '')} (got {e.get('input')!r})"
    if kind == "string_too_long":
        return 422, f"'{field}' is too long: at most {e.get('ctx', {}).get('max_length')} characters"
    if kind in ("string_type",):
        return 422, f"'{field}' must be a string"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return 422, f"'{field}' must be a whole number"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        ctx = e.get("ctx", {})
        lo = ctx.get("ge", ctx.get("gt", 1))
        hi = {"top_k": TOP_K_MAX, "k": SEARCH_K_MAX}.get(field, ctx.get("le", ctx.get("lt", "")))
        return 422, f"'{field}' must be between {lo} and {hi} (got {e.get('input')!r})"
    return 422, f"'{field}': {e.get('msg', 'invalid value')}"


def create_app(settings: Settings | None = None) -> FastAPI:
    """The FastAPI app for ``settings`` (defaults to the environment's ``WTKB_*`` settings)."""
    settings = settings or get_settings()
    state = AppState(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        state.load()
        yield
        if state.batcher is not None:
            state.batcher.close()

    async def embed(qa: QA, text: str):
        """The query's vector and cosines, from the shared batcher (off the event loop)."""
        return await state.batcher.embed_async(qa.retriever.query_text(text))

    app = FastAPI(
        title="wtkb — Working Together 2023 knowledge base",
        version="0.1.0",
        description=(
            "Grounded answers about *Working Together to Safeguard Children 2023* and its consultation. "
            "Every answer sentence is copied from a cited paragraph and tagged with its ID; each citation "
            "links to the paragraph in the handbook. Questions are not logged or stored unless the operator "
            "sets `WTKB_LOG_QUESTIONS=true`."),
        lifespan=lifespan,
        openapi_tags=[{"name": "Q&A"}, {"name": "corpus"}, {"name": "briefings"}, {"name": "service"}])
    app.state.wtkb = state
    handbook = Handbook(directory=settings.html_dir, html=True, check_dir=False)

    @app.middleware("http")
    async def guard(request: Request, call_next):
        t0 = time.perf_counter()
        size = request.headers.get("content-length")
        if size and size.isdigit() and int(size) > MAX_BODY_BYTES:
            response = JSONResponse({"detail": f"the request body is over {MAX_BODY_BYTES // 1024} KiB; "
                                               "send one question at a time"}, status_code=413)
        else:
            response = await call_next(request)
        if access.isEnabledFor(logging.INFO):  # path only: a query string may hold a question
            access.info("%s %s %d %.1fms", request.method, request.url.path, response.status_code,
                        (time.perf_counter() - t0) * 1000)
        return response

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError):
        status, msg = _describe(jsonable_encoder(exc.errors()), request.url.path)
        return JSONResponse({"detail": msg}, status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def on_error(request: Request, exc: Exception):
        log.error("internal error on %s %s: %s", request.method, request.url.path, type(exc).__name__)
        return JSONResponse({"detail": "internal error: the request was not processed; please report it"},
                            status_code=500)

    @app.post("/ask", response_model=Answer, tags=["Q&A"], responses=PROBLEMS,
              summary="Answer a question from the sources, citing paragraphs")
    async def ask(body: AskRequest, qa: Annotated[QA, Depends(get_qa)],
                  cfg: Annotated[Settings, Depends(get_app_settings)]) -> Answer:
        question = _check_text(body.question, "question", cfg)
        # the embedding runs on the batcher's thread; scoring and sentence choice take ~1 ms here
        qvec = await embed(qa, question)
        if qa.uses_llm:  # a call to the model server: keep it off the event loop
            return await run_in_threadpool(qa.ask, question, body.top_k, qvec)
        return qa.ask(question, body.top_k, qvec=qvec)

    @app.get("/ask", include_in_schema=False)
    async def ask_get() -> JSONResponse:  # otherwise the handbook mount at / would answer 404
        return JSONResponse({"detail": "use POST /ask with a JSON body such as {\"question\": \"...\"}; "
                                       "GET /search?q=... searches without answering"},
                            status_code=405, headers={"Allow": "POST"})

    @app.get("/search", response_model=SearchResults, tags=["Q&A"], responses=PROBLEMS,
             summary="Hybrid search over the paragraphs (no answer)")
    async def search(qa: Annotated[QA, Depends(get_qa)], cfg: Annotated[Settings, Depends(get_app_settings)],
               q: Annotated[str, Query(description="Search words", examples=["family group conference"])],
               k: Annotated[int, Query(ge=1, le=SEARCH_K_MAX, description="How many results")] = 10,
               ) -> SearchResults:
        text = _check_text(q, "q", cfg)
        return SearchResults(q=text, results=qa.search(text, k, qvec=await embed(qa, text)))

    @app.get("/paragraphs/{paragraph_id}", response_model=Paragraph, tags=["corpus"],
             responses={404: {"model": Problem, "description": "No paragraph with that ID"}, 503: PROBLEMS[503]},
             summary="One citable paragraph by ID")
    async def paragraph(paragraph_id: str, qa: Annotated[QA, Depends(get_qa)]) -> Paragraph:
        rec = qa.retriever.by_id.get(paragraph_id)
        if rec is None:
            raise HTTPException(404, f"no paragraph with ID '{paragraph_id}': IDs look like "
                                     "'cr2023-early-help-p2'; find them with GET /search?q=… or "
                                     "`wtkb paragraphs`")
        return Paragraph(**rec.to_dict(), url=qa.url(rec))

    @app.get("/duties", tags=["corpus"], summary="The duties register, with the paragraphs that concern each duty",
             responses={503: {"model": Problem, "description": "Duties register or index not available"}})
    def duties(qa: Annotated[QA, Depends(get_qa)]) -> JSONResponse:
        return JSONResponse([_duty(d, links, qa) for d, links in _duties(qa)])

    @app.get("/duties/{duty_id}", tags=["corpus"], summary="One duty and the paragraphs that concern it",
             responses={404: {"model": Problem, "description": "No duty with that ID"},
                        503: {"model": Problem, "description": "Duties register or index not available"}})
    async def duty(duty_id: str, request: Request, st: Annotated[AppState, Depends(get_state)]):
        if duty_id.endswith(".html"):  # the handbook's duty pages share the /duties/ path
            return await handbook.get_response(f"duties/{duty_id}", request.scope)
        qa = await get_qa(st)
        pairs = _duties(qa)
        for d, links in pairs:
            if d.id == duty_id:
                return JSONResponse(_duty(d, links, qa, full=True))
        raise HTTPException(404, f"no duty with ID '{duty_id}': GET /duties lists them "
                                 f"({', '.join(d.id for d, _ in pairs[:5])}, …)")

    @app.get("/briefings", response_model=list[BriefingTopic], tags=["briefings"],
             summary="The built-in briefing topics (the handbook's topic chapters)")
    async def briefing_topics(cfg: Annotated[Settings, Depends(get_app_settings)]) -> list[BriefingTopic]:
        from wtkb.briefing import list_topics

        return [BriefingTopic(slug=t.slug, title=t.title, url=f"{cfg.base_url}{t.page}.html")
                for t in list_topics(cfg)]

    @app.post("/briefings", tags=["briefings"], summary="Build a cited briefing pack and return the file",
              responses={200: {"description": "The pack: .pptx, .md or .html, as an attachment",
                               "content": {"application/vnd.openxmlformats-officedocument.presentationml."
                                           "presentation": {}, "text/markdown": {}, "text/html": {}}},
                         **PROBLEMS})
    async def briefing(body: BriefingRequest, request: Request, st: Annotated[AppState, Depends(get_state)]):
        from wtkb.briefing import BriefingError, build_pack
        from wtkb.briefing.render import FORMATS, render, slide_count
        from wtkb.corpus import slugify

        cfg = st.settings
        topic = _check_text(body.topic, "topic", cfg)
        if len(topic) > 200:
            raise HTTPException(422, f"topic is {len(topic)} characters long; the limit is 200: name the topic "
                                     "in a few words, or use a slug from GET /briefings")
        audience = (body.audience or "").strip() or None
        # links in the pack point at this server's handbook, so they work from the downloaded file
        base = str(request.base_url) if cfg.base_url == "/" else cfg.base_url

        def make() -> tuple[bytes, str, int | None]:
            pack = build_pack(cfg, topic, audience, qa=st.qa)
            name = pack.topic.slug if pack.topic else slugify(pack.title)[:60] or "topic"
            return render(pack, body.format, base_url=base), f"wtkb-briefing-{name}", slide_count(pack)

        try:
            data, name, slides = await run_in_threadpool(make)
        except BriefingError as exc:
            raise HTTPException(422, f"{exc.what}; {exc.fix}") from exc
        except WtkbError as exc:  # e.g. a free-text topic while the index is missing
            raise HTTPException(503, f"{exc.what}; {exc.fix}") from exc
        media, suffix = FORMATS[body.format]
        headers = {"Content-Disposition": f'attachment; filename="{name}{suffix}"'}
        if body.format == "pptx" and slides:
            headers["X-Wtkb-Slides"] = str(slides)
        return Response(content=data, media_type=media, headers=headers)

    @app.get("/health", response_model=Health, tags=["service"], summary="Is the index loaded, and which one",
             responses={503: {"model": Health, "description": "Index missing or stale"}})
    async def health(st: Annotated[AppState, Depends(get_state)]) -> JSONResponse:
        qa = st.qa
        body: dict[str, Any] = {
            "status": "ok" if qa else "unavailable", "index_loaded": qa is not None,
            "corpus_hash": qa.retriever.meta.corpus_hash if qa else None,
            "model": qa.retriever.meta.model if qa else None,
            "records": len(qa.retriever.records) if qa else 0,
            "sentences": qa.retriever.meta.sentences if qa else 0,
            "documents": len(qa.retriever.corpus.sources) if qa else 0,
            "duplicates": sum(1 for r in qa.retriever.records if r.duplicate_of) if qa else 0,
            "handbook": (st.settings.html_dir / "index.html").is_file(),
            "llm_mode": st.settings.llm_mode,
            "message": None if qa else (f"{st.error.what}; {st.error.fix}" if st.error else "loading"),
        }
        return JSONResponse(body, status_code=200 if qa else 503)

    app.mount("/", handbook, name="handbook")
    install_security(app, settings)  # headers, CORS, Allow on 405 (wtkb.api.security)
    return app


def _duties(qa: QA) -> list[tuple[Any, list[str]]]:
    cache = getattr(qa, "_duties_cache", None)
    if cache is not None:
        return cache
    try:
        from wtkb.reference.duties import duty_backlinks, load_duties
    except ImportError as exc:
        raise HTTPException(503, "duties register not built: this installation has no wtkb.duties "
                                 "module; update wtkb") from exc
    try:
        duties = load_duties()
        links = duty_backlinks(qa.retriever.records)
    except WtkbError as exc:
        raise HTTPException(503, f"duties register not built: {exc.what}; {exc.fix}") from exc
    cache = [(d, links.get(d.id, [])) for d in duties]
    qa._duties_cache = cache  # type: ignore[attr-defined]
    return cache


def _duty(d: Any, links: list[str], qa: QA, full: bool = False) -> dict[str, Any]:
    out = {k: getattr(d, k) for k in ("id", "act", "provision", "title", "binds", "requires")}
    out["paragraph_count"] = len(links)
    if full:
        recs = [qa.retriever.by_id[i] for i in links if i in qa.retriever.by_id]
        out["paragraphs"] = [qa.citation(r, 0.0).model_dump(exclude={"score"}) for r in recs]
    else:
        out["paragraphs"] = links
    return out


class Handbook(StaticFiles):
    """The built handbook at /, or a short note on how to build it when it is not there."""

    async def check_config(self) -> None:
        if self.directory is not None and Path(self.directory).is_dir():
            await super().check_config()

    async def get_response(self, path: str, scope):
        if scope["method"] not in ("GET", "HEAD"):
            return JSONResponse({"detail": f"{scope['method']} is not allowed here; the API is described at /docs"},
                                status_code=405)
        if self.directory is None or not Path(self.directory).is_dir():
            if path in (".", "", "index.html"):
                return JSONResponse({"detail": "the handbook is not built yet: run `wtkb build`. "
                                               "The API is at /docs."}, status_code=404)
            return JSONResponse({"detail": "not found; the API is described at /docs"}, status_code=404)
        return await super().get_response(path, scope)
