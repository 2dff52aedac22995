"""Settings for every face of wtkb, from the environment (prefix ``WTKB_``)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# No network at run time: the embedding model comes from site-packages, Chroma sends no telemetry.
# Applied once, when the package is imported (wtkb/__init__.py); child processes inherit it.
OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}


def apply_offline_environment() -> None:
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)


def _find_root() -> Path:
    """The project root: the nearest folder above the cwd with sources/manifest.yaml."""
    here = Path.cwd().resolve()
    for d in (here, *here.parents):
        if (d / "sources" / "manifest.yaml").is_file():
            return d
    return Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WTKB_", extra="ignore")

    root: Path = Field(default_factory=_find_root, description="Project root (holds sources/, book/, index/).")
    build_dir: Path | None = Field(None, description="Build output folder; default <root>/_build.")
    index_dir: Path | None = Field(None, description="Retrieval index folder; default <root>/index.")
    host: str = "127.0.0.1"
    port: int = 8000
    base_url: str = Field("/", description="The site's public address, for every link (Ask page, API citations, "
                                           "packs): / , a path prefix such as /wtkb/ behind a proxy, or a full "
                                           "URL such as https://host/wtkb/. Never taken from request headers.")
    max_question_chars: int = Field(1000, description="Longest question accepted, in characters.")
    max_body_bytes: int = Field(64 * 1024, ge=1024, description="Largest request body; a longer one (chunked "
                                                                "included) gets 413 before it is read in full.")
    timeout_keep_alive: int = Field(5, ge=1, description="Seconds an idle keep-alive connection is kept open.")
    timeout_request: float = Field(10.0, gt=0, description="Seconds a client has to send a whole request "
                                                           "(headers and body); slower ones are closed.")
    briefing_workers: int = Field(1, ge=1, le=8, description="Worker processes that build briefing packs, apart from "
                                                             "the ones that answer /ask.")
    log_questions: bool = Field(False, description="Operator opt-in: log question text. Off by default.")
    llm_mode: str = Field("off", description="'off' (extractive), 'openai' (OpenAI-compatible) or 'ollama'.")
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str = "not-needed"
    llm_timeout: float = 60.0
    chroma_url: str | None = Field(None, description="A Chroma server (http://host:port) holding the vectors, "
                                                     "shared by several API workers; unset = embedded index/chroma.")
    dense: Literal["auto", "memory", "hnsw"] = Field(
        "auto", description="Dense scoring: 'memory' (every vector in each worker, exact), 'hnsw' (the Chroma "
                            "server's HNSW index finds the candidates; needs WTKB_CHROMA_URL) or 'auto' (hnsw for "
                            "an index in a Chroma server above 100,000 records, memory otherwise).")
    cors_origins: str = Field("", description="Origins allowed to call the API from a browser (CORS), "
                                              "comma-separated, e.g. https://intranet.example.org; empty = CORS off.")
    torch_threads: int | None = Field(None, ge=1, description="Torch threads per API worker (with --workers > 1).")
    # what practitioners see on every page, set by the operator (empty by default)
    feedback_url: str | None = Field(None, description="Where readers send feedback (https://… or mailto:…); "
                                     "shown on every page. Empty: pages say to tell whoever runs the handbook.")
    local_file: Path | None = Field(None, description="YAML of local procedures and contacts for the 'Local "
                                    "procedures and contacts' page; default src/wtkb/reference/data/local.yaml.")
    content_date: str | None = Field(None, description="When the operator last reviewed the content (e.g. "
                                     "'March 2026'); printed with the source dates and build date on every page.")

    @field_validator("feedback_url")
    @classmethod
    def _feedback_is_a_link(cls, v: str | None) -> str | None:
        if v and not v.startswith(("https://", "http://", "mailto:")):
            raise ValueError("WTKB_FEEDBACK_URL must start with https://, http:// or mailto:")
        return v or None

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        from wtkb.urls import normalise_base

        return normalise_base(value)

    @property
    def public_base(self) -> str:
        """A full URL of the site, for links in files that leave the server (briefing packs)."""
        from wtkb.urls import absolute_base

        return absolute_base(self.base_url, self.host, self.port)

    @property
    def cors_origin_list(self) -> list[str]:
        return [o.strip().rstrip("/") for o in self.cors_origins.split(",") if o.strip()]

    @property
    def sources_dir(self) -> Path:
        return self.root / "sources"

    @property
    def build(self) -> Path:
        return self.build_dir or self.root / "_build"

    @property
    def corpus_dir(self) -> Path:
        return self.build / "corpus"

    @property
    def corpus_path(self) -> Path:
        return self.corpus_dir / "corpus.jsonl"

    @property
    def html_dir(self) -> Path:
        return self.build / "html"

    @property
    def index(self) -> Path:
        return self.index_dir or self.root / "index"


@lru_cache
def get_settings() -> Settings:
    return Settings()
