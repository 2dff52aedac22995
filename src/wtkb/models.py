"""Plain typed records passed between pipeline stages.

sources -> ingest -> corpus -> book / index -> qa -> api. Each stage takes
and returns these records; none reaches into another stage's internals.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

BlockKind = Literal["paragraph", "list_item", "quote", "footnote", "table", "figure"]
BLOCK_KINDS: tuple[str, ...] = ("paragraph", "list_item", "quote", "footnote", "table", "figure")


@dataclass(frozen=True)
class OutlineRule:
    """Gives a heading its real level: absolute ``level`` or ``child`` of the previous heading."""

    match: str
    level: int | None = None
    child: bool = False
    within: str | None = None


@dataclass(frozen=True)
class SourceDoc:
    """One manifest entry: a source document and its provenance."""

    id: str
    title: str
    short_title: str
    publisher: str
    date: str
    kind: str
    licence: str
    file: str
    path: Path
    format: Literal["web", "markdown"] = "web"
    sha256: str | None = None
    description: str = ""
    author: str | None = None
    date_note: str | None = None
    furniture: tuple[str, ...] = ()
    drop_until: str | None = None
    drop_from: str | None = None
    outline: tuple[OutlineRule, ...] = ()
    split_pages: bool = False
    url: str | None = None  # the publication's public address, where known (manifest ``url``)

    def provenance(self) -> dict[str, Any]:
        keys = ("id", "title", "short_title", "publisher", "author", "date", "date_note", "kind",
                "licence", "file", "sha256", "description", "url")
        return {k: getattr(self, k) for k in keys if getattr(self, k) is not None}


@dataclass
class Block:
    """A piece of content as parsed from a source, before it gets an ID."""

    kind: BlockKind
    text: str
    line: int
    attribution: str | None = None
    footnote_refs: list[str] = field(default_factory=list)
    number: str | None = None  # footnote number
    rows: list[list[str]] | None = None  # table rows, first row is the header
    caption: str | None = None


@dataclass
class Section:
    """A heading and the blocks under it (not those of its subsections)."""

    heading: str | None
    level: int
    line: int
    path: tuple[str, ...]
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Document:
    source: SourceDoc
    sections: list[Section]
    joins: int = 0  # paragraphs rejoined across a page break


# Who is speaking in a record: the key goes into the corpus contract (`voice`), the label is what a
# practitioner sees beside a citation. A local briefing's label names its partnership (voice_label).
VOICES: dict[str, str] = {
    "decision": "Government decision",
    "government": "Government (consultation response)",
    "respondents": "Summary of respondents' views",
    "quote": "A respondent's words",
    "question": "Consultation question",
    "local": "Local briefing",
    "commentary": "Commentary on the draft guidance",
    "notice": "Consultation notice",
}


@dataclass
class Record:
    """A citable block of the corpus: what `wtkb paragraphs --jsonl` prints, one per line."""

    id: str
    document: str
    section: list[str]
    kind: str
    text: str
    label: str
    position: int
    line: int
    footnotes: list[str] = field(default_factory=list)
    duplicate_of: str | None = None
    attribution: str | None = None
    rows: list[list[str]] | None = None
    caption: str | None = None
    page: str = ""  # handbook page (without extension) that carries the record's anchor
    voice: str = ""  # who is speaking: a key of VOICES, derived by wtkb.corpus.voice
    # the source lists this claim in order to reject it (an item under "Common myths about…"):
    # never advice: labelled as a myth wherever cited, quoted only as wtkb.qa.compose allows (wtkb.corpus.voice.is_myth)
    myth: bool = False

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("duplicate_of", "attribution", "rows", "caption"):
            if d[k] is None:
                del d[k]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Record:
        return cls(**d)
