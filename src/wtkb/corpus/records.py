"""The citable corpus: every block of every source with a stable ID and a label.

This module is the one place where a paragraph ID, its label and the handbook
page that carries its anchor are defined.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from wtkb.corpus.ingest import parse
from wtkb.corpus.sources import load_manifest, read_source
from wtkb.corpus.voice import assign_voices
from wtkb.errors import SourceError
from wtkb.models import Document, Record, Section, SourceDoc
from wtkb.text import SLUG_WORDS, alnum, heading_path, slugify


def _section_keys(doc: Document) -> dict[int, tuple[str, str]]:
    """Give each section a slug and a label path, both unique within the document.

    A heading's own slug is used when unique; a repeated heading ("Government
    response") is prefixed by its parent's, and so on up the path.
    """
    secs = doc.sections
    depth = {i: 1 for i in range(len(secs))}
    while True:
        keys = {}
        for i, s in enumerate(secs):
            path = s.path or ("",)
            keys[i] = path[-depth[i]:]
        counts = Counter(keys.values())
        clashes = [i for i in keys if counts[keys[i]] > 1 and depth[i] < len(secs[i].path or ("",))]
        if not clashes:
            break
        for i in clashes:
            depth[i] += 1
    # each distinct heading gets the shortest slug (at least SLUG_WORDS words) that no other heading shares
    headings = sorted({h for s in secs for h in s.path if h})
    words = dict.fromkeys(headings, SLUG_WORDS)
    while True:
        by_slug: dict[str, set[str]] = {}
        for h in headings:
            by_slug.setdefault(slugify(h, words[h]), set()).add(h)
        grow = [h for hs in by_slug.values() if len(hs) > 1 for h in hs if words[h] < 40]
        grow = [h for h in grow if slugify(h, words[h] + 1) != slugify(h, words[h])] or [
            h for h in grow if slugify(h, None) != slugify(h, words[h])]
        if not grow:
            break
        for h in grow:
            words[h] += 1
    out: dict[int, tuple[str, str]] = {}
    used: Counter[str] = Counter()
    for i in range(len(secs)):
        path = keys[i]
        slug = "-".join(slugify(h, words[h]) for h in path if h) or "intro"
        used[slug] += 1
        if used[slug] > 1:  # same heading path twice (e.g. a repeated page heading)
            slug = f"{slug}-{used[slug]}"
        label = heading_path(path)
        out[i] = (slug, label)
    return out


def page_for(doc: SourceDoc, section: Section, ordinal: int) -> str:
    """The handbook page (path without extension, relative to ``book/``) that shows a section.

    A document whose manifest entry says ``split_pages: true`` gets one page per
    top-level section, numbered in document order (``ordinal``) so that a
    sorted glob lists them in order; any other document is one page.
    """
    if doc.split_pages:
        top = section.path[0] if section.path else ""
        return f"sources/{doc.id}/{ordinal:02d}-{slugify(top, 6) if top else 'front-matter'}"
    return f"sources/{doc.id}"


def paragraph_id(doc_id: str, section_slug: str, position: int) -> str:
    """The one definition of a paragraph ID: ``{document}-{section}-p{position}``."""
    return f"{doc_id}-{section_slug}-p{position}"


def footnote_id(doc_id: str, number: str) -> str:
    return f"{doc_id}-fn{number}"


def records_for(doc: Document) -> list[Record]:
    """Turn one parsed document into citable records, in document order."""
    src = doc.source
    keys = _section_keys(doc)
    records: list[Record] = []
    seen_ids: dict[str, int] = {}
    tops: dict[str, int] = {}
    for i, sec in enumerate(doc.sections):
        slug, sec_label = keys[i]
        top = sec.path[0] if sec.path else ""
        tops.setdefault(top, len(tops))
        page = page_for(src, sec, tops[top])
        pos = 0
        for b in sec.blocks:
            if b.kind == "footnote":
                rid = footnote_id(src.id, b.number or "?")
                label = f"{src.short_title} › footnote {b.number}"
                position = int(b.number or 0)
            else:
                pos += 1
                rid = paragraph_id(src.id, slug, pos)
                label = f"{src.short_title} › {sec_label + ' › ' if sec_label else ''}para {pos}"
                position = pos
            if rid in seen_ids:
                raise SourceError(
                    f"two blocks would get the same ID '{rid}' (lines {seen_ids[rid]} and {b.line})",
                    "give the repeated heading or footnote number a distinct text, or add an outline rule "
                    "in the manifest so the sections differ", src.path, b.line)
            seen_ids[rid] = b.line
            records.append(Record(
                id=rid, document=src.id, section=list(sec.path), kind=b.kind, text=b.text, label=label,
                position=position, line=b.line, footnotes=[footnote_id(src.id, n) for n in b.footnote_refs],
                attribution=b.attribution, rows=b.rows, caption=b.caption, page=page))
    # Repeated content (004's Annex B repeats the "You said, we will" lists): mark
    # each later copy as a duplicate of the first so search can collapse them.
    first: dict[str, str] = {}
    for r in records:
        if r.kind == "footnote" or len(r.text.split()) < 6:
            continue
        key = alnum(r.text)
        if key in first:
            r.duplicate_of = first[key]
        else:
            first[key] = r.id
    known = {r.id for r in records}
    assign_voices(records, src)
    for r in records:
        missing = [f for f in r.footnotes if f not in known]
        if missing:
            raise SourceError(f"block {r.id} refers to footnote(s) {', '.join(missing)} that have no body",
                              "check the footnote markers and the '---' footnote block", src.path, r.line)
    return records


@dataclass
class Corpus:
    """All records of all sources, with the manifest they came from."""

    sources: list[SourceDoc]
    records: list[Record]
    joins: dict[str, int]

    @property
    def by_id(self) -> dict[str, Record]:
        return {r.id: r for r in self.records}

    def jsonl(self) -> str:
        return "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in self.records)

    @property
    def hash(self) -> str:
        return hashlib.sha256(self.jsonl().encode("utf-8")).hexdigest()[:16]


def build_corpus(sources_dir: Path) -> Corpus:
    docs = load_manifest(sources_dir)
    records: list[Record] = []
    joins: dict[str, int] = {}
    for src in docs:
        parsed = parse(src, read_source(src))
        joins[src.id] = parsed.joins
        recs = records_for(parsed)
        if not recs:
            raise SourceError("no content was found in the source after removing furniture",
                              "check that the file holds the document's text and its manifest 'format'", src.path)
        records.extend(recs)
    return Corpus(sources=docs, records=records, joins=joins)


def load_records(path: Path) -> list[Record]:
    """Read a built ``corpus.jsonl`` back into records."""
    return [Record.from_dict(json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line]
