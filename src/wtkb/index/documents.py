"""What each index sees of a record: the dense text (title + heading path + text) and the BM25 text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wtkb.text import heading_path as _path

if TYPE_CHECKING:
    from wtkb.models import Record


def heading_path(record: Record) -> str:
    return _path(record.section)


def context(record: Record, title: str) -> dict[str, str]:
    """The context lines put before a record's text: document title, heading path, who is quoted."""
    ctx = {"title": title, "heading": heading_path(record)}
    if record.attribution:
        ctx["attribution"] = f"Quote from {record.attribution}:"
    if record.caption:
        ctx["caption"] = record.caption
    return {k: v for k, v in ctx.items() if v}


def embed_text(record: Record, title: str) -> str:
    """What the dense index embeds for a record: document title and heading path as context."""
    return "\n".join([*context(record, title).values(), record.text])


def keyword_text(record: Record, source_words: str = "") -> str:
    """What BM25 sees: the record's text, its heading path, who is quoted, and the source's names."""
    return "\n".join([source_words, *context(record, "").values(), record.text])


def sentence_id(record_id: str, i: int) -> str:
    return f"{record_id}#s{i}"


def source_words(source) -> str:
    """A source's names as a user might say them ("Devon", "Bond Solon", "consultation response")."""
    return f"{source.short_title} {source.publisher} {source.author or ''}".strip()
