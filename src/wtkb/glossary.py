"""The glossary (src/wtkb/data/glossary.yaml): one loader for the handbook and for query expansion."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import SourceError


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
    return Path(str(resources.files("wtkb") / "data" / "glossary.yaml"))


def load_glossary(path: Path | None = None) -> list[GlossaryEntry]:
    """Read and check the glossary; a malformed entry is a `SourceError` naming it."""
    path = path or glossary_path()
    if path == glossary_path():
        return list(_load_default())
    return _load(path)


@lru_cache(maxsize=1)
def _load_default() -> tuple[GlossaryEntry, ...]:
    return tuple(_load(glossary_path()))


def _load(path: Path) -> list[GlossaryEntry]:
    if not path.is_file():
        return []
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        raise SourceError(f"the glossary is not valid YAML: {exc}", "fix the YAML syntax", path) from exc
    if not isinstance(raw, list):
        raise SourceError("the glossary must be a list of entries", "make the top level a YAML list", path)
    out: list[GlossaryEntry] = []
    for i, item in enumerate(raw):
        try:
            out.append(GlossaryEntry.model_validate(item))
        except ValidationError as exc:
            name = item.get("term") if isinstance(item, dict) else f"entry {i + 1}"
            raise SourceError(f"glossary entry '{name}' is malformed: {exc.errors()[0]['msg']}",
                              "give it term, definition and list-valued aliases/query_expansion/see_also",
                              path) from exc
    return out
