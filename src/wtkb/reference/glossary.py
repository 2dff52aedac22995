"""The glossary (src/wtkb/reference/data/glossary.yaml): one loader for the handbook and for query expansion."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from wtkb.reference.files import data_path, load_entries


class GlossaryEntry(BaseModel):
    """One term: an acronym or a phrase, with the words to add to a query that mentions it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    term: str
    expansion: str | None = None
    definition: str = ""
    aliases: list[str] = Field(default_factory=list)
    query_expansion: list[str] = Field(default_factory=list)
    see_also: list[str] = Field(default_factory=list)


def glossary_path() -> Path:
    return data_path("glossary.yaml")


def load_glossary(path: Path | None = None) -> list[GlossaryEntry]:
    """Read and check the glossary; a malformed entry is a `SourceError` naming it."""
    if path is None or path == glossary_path():
        return list(_load_default())
    return _load(path)


@lru_cache(maxsize=1)
def _load_default() -> tuple[GlossaryEntry, ...]:
    return tuple(_load(glossary_path()))


def _load(path: Path) -> list[GlossaryEntry]:
    return load_entries(path, GlossaryEntry, "glossary entry", key="term", missing_ok=True,
                        fix="give it term, definition and list-valued aliases/query_expansion/see_also")
