"""Request and response models of the HTTP API, and its limits (one definition each)."""

from __future__ import annotations

import dataclasses
import typing
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator
from pydantic_core import PydanticCustomError

from wtkb.briefing.render import FORMATS as BRIEFING_REGISTRY
from wtkb.models import Record
from wtkb.qa import Citation
from wtkb.text import TEXT_PATTERN, TEXT_RULE, WORDS_PATTERN, bad_character, unreadable

TOP_K_MAX = 20
SEARCH_K_MAX = 50
BRIEFING_FORMATS = tuple(BRIEFING_REGISTRY)  # derived from the one registry, wtkb.briefing.render.FORMATS
TOPIC_CHARS = 200


def readable(text: str | None) -> str | None:
    """Refuse text the edge cannot take (a lone surrogate): 422 naming the character and its position."""
    problem = bad_character(text) if isinstance(text, str) else None
    if problem:
        raise PydanticCustomError("text_unreadable", "cannot be read: {problem}", {"problem": unreadable(text)})
    return text


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"question": "can a DV worker be lead practitioner?", "top_k": 5},
        {"question": "Who decides which worker becomes the lead practitioner for a family on a CIN plan?"},
    ]})

    question: str = Field(strict=True, description="The question, in plain words (1 to max_question_chars, "
                                                   "default 1000, characters; not blank; " + TEXT_RULE + ").",
                          json_schema_extra={"minLength": 1, "maxLength": 1000, "pattern": WORDS_PATTERN})
    top_k: int = Field(5, strict=True, ge=1, le=TOP_K_MAX,
                       description=f"How many paragraphs to return in citations + see_also (1–{TOP_K_MAX}).")

    @field_validator("question")
    @classmethod
    def check_readable(cls, v: str) -> str:
        return readable(v)


class BriefingRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"topic": "01-lead-practitioner", "audience": "education DSLs", "format": "pptx"},
        {"topic": "family group conferences", "format": "html"},
    ]})

    topic: str = Field(strict=True,
                       description="A built-in topic (its slug from GET /briefings, its number or words of its "
                                   f"title) or free text, answered by retrieval (1 to {TOPIC_CHARS} characters; "
                                   "not blank; " + TEXT_RULE + ").",
                       json_schema_extra={"minLength": 1, "maxLength": TOPIC_CHARS, "pattern": WORDS_PATTERN})
    audience: str | None = Field(None, strict=True, max_length=100, json_schema_extra={"pattern": TEXT_PATTERN},
                                 description="Who the session is for, e.g. 'education DSLs' (optional; "
                                             + TEXT_RULE + ").")

    format: typing.Literal[BRIEFING_FORMATS] = Field(  # type: ignore[valid-type]
        "pptx", description="; ".join(f"{f.name}: {f.label}" for f in BRIEFING_REGISTRY.values()) + ".")

    @field_validator("topic", "audience")
    @classmethod
    def check_readable(cls, v: str | None) -> str | None:
        return readable(v)


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
        "duplicates": 40, "dense": "memory", "handbook": True, "llm_mode": "off", "message": None}]})

    status: str = Field(description="'ok', or 'unavailable' when the index is missing, stale or unreadable.")
    index_loaded: bool
    corpus_hash: str | None
    model: str | None
    records: int
    sentences: int
    documents: int
    duplicates: int
    dense: str | None = Field(None, description="How queries are scored against the vectors: 'memory' (all "
                                                "vectors in the worker) or 'hnsw' (the Chroma server's index); "
                                                "see WTKB_DENSE.")
    handbook: bool = Field(description="Whether the built handbook is there to be served at /.")
    llm_mode: str
    message: str | None = Field(description="What is wrong and what to do, when status is not ok.")


class Problem(BaseModel):
    detail: str = Field(description="What is wrong with the request and how to fix it.")


PROBLEMS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "Malformed request (e.g. the body is not JSON)"},
    413: {"model": Problem, "description": "The request body is over the limit (WTKB_MAX_BODY_BYTES)"},
    415: {"model": Problem, "description": "The body is not sent as application/json"},
    422: {"model": Problem, "description": "A field is missing, of the wrong type, empty, too long or out of range"},
    503: {"model": Problem, "description": "The index is missing, stale or unreadable: run `wtkb build`"},
}


def clean_text(text: str, what: str, limit: int) -> str:
    """``text`` stripped, or InvalidRequest when it is empty or longer than ``limit`` characters."""
    from wtkb.errors import InputError, InvalidRequest

    if bad_character(text):  # e.g. a lone surrogate: refused here, so it never reaches a shared batch
        raise InputError(f"{what} cannot be read: {bad_character(text)}", f"send {TEXT_RULE}")  # as unreadable()
    if not text.strip():
        raise InvalidRequest(f"{what} is empty", "send some words, e.g. \"who decides the lead practitioner?\"")
    if len(text) > limit:
        raise InvalidRequest(f"{what} is {len(text)} characters long; the limit is {limit}", "shorten it")
    return text.strip()


def publish_limits(app, settings) -> None:
    """The OpenAPI schema states the limits this server enforces (``max_question_chars`` is a setting)."""
    plain = app.openapi
    limit = settings.max_question_chars

    def openapi() -> dict[str, Any]:
        schema = plain()  # FastAPI's, cached; the edits below are idempotent
        props = schema["components"]["schemas"]
        props["AskRequest"]["properties"]["question"]["maxLength"] = limit
        props["BriefingRequest"]["properties"]["topic"]["maxLength"] = min(limit, TOPIC_CHARS)
        for param in schema["paths"]["/search"]["get"]["parameters"]:
            if param["name"] == "q":
                param["schema"].update(minLength=1, maxLength=limit, pattern=WORDS_PATTERN)
                param["description"] = f"Search words (1 to {limit} characters; not blank; {TEXT_RULE})"
        return schema

    app.openapi = openapi
