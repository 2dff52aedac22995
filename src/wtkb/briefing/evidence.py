"""The evidence a pack rests on: consultation figures, respondents' views, the sources, and
the assembly of a :class:`~wtkb.briefing.model.Pack` with every record it cites."""

from __future__ import annotations

import re
import weakref
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from wtkb.briefing.model import (
    MAX_FIGURES,
    MAX_QUESTIONS,
    MAX_QUOTES,
    MIN_QUESTIONS,
    QUOTE_CHARS,
    BriefingError,
    KeySlide,
    Pack,
    Point,
    Scenario,
    Topic,
)
from wtkb.models import Record, SourceDoc
from wtkb.reference.consultation import Question, load_consultation
from wtkb.text import tokenize

if TYPE_CHECKING:  # pragma: no cover
    from wtkb.briefing.chapters import Chapter
    from wtkb.corpus import Corpus

MIN_CATEGORIES = 2  # a chart with fewer answers says nothing a sentence does not
_HASHES: dict[int, tuple[weakref.ref, int, str]] = {}


@lru_cache(maxsize=1)
def _consultation() -> tuple[Question, ...]:
    return tuple(load_consultation())


def corpus_hash(corpus: Corpus) -> str:
    """``corpus.hash``, computed once per corpus object (it serialises every record)."""
    hit = _HASHES.get(id(corpus))
    if hit is None or hit[0]() is not corpus or hit[1] != len(corpus.records):
        hit = (weakref.ref(corpus), len(corpus.records), corpus.hash)
        _HASHES[id(corpus)] = hit
    return hit[2]


def is_view(r: Record) -> bool:
    """A quote that is somebody's view: attributed, and not the guidance quoting itself."""
    return r.kind == "quote" and bool(r.attribution) and not re.search(r"working together", r.attribution or "", re.I)


def figures_for(cited: list[str], questions: list[Question] | None = None) -> list[Question]:
    """Consultation questions whose paragraphs are cited and whose published figures split into at least
    :data:`MIN_CATEGORIES` answers, in citation order."""
    questions = list(_consultation()) if questions is None else questions
    order = {rid: i for i, rid in enumerate(cited)}
    hits = [(min(order[r] for r in q.record_ids if r in order), i, q) for i, q in enumerate(questions)
            if len(q.results) >= MIN_CATEGORIES and any(r in order for r in q.record_ids)]
    return [q for _, _, q in sorted(hits, key=lambda x: x[:2])][:MAX_FIGURES]


def quotes_for(cited: list[str], records: list[Record]) -> list[Record]:
    """Attributed views from the sections the pack cites most: directly cited quotes first, then
    sections cited at least twice (a passing citation does not bring in its section's voices)."""
    by_id = {r.id: r for r in records}
    weight: dict[tuple[str, tuple[str, ...]], int] = {}
    for rid in cited:
        r = by_id.get(rid)
        if r is not None:
            key = (r.document, tuple(r.section))
            weight[key] = weight.get(key, 0) + 1
    direct = set(cited)
    cands = []
    for i, r in enumerate(records):
        if not is_view(r) or r.duplicate_of:
            continue
        w = weight.get((r.document, tuple(r.section)), 0)
        if r.id in direct or w >= 2:
            cands.append((r.id not in direct, -w, i, r))
    out, chars = [], 0
    for *_, r in sorted(cands, key=lambda x: x[:3]):
        if len(out) < MAX_QUOTES and chars + len(r.text) <= QUOTE_CHARS:
            out.append(r)
            chars += len(r.text)
    return out


def sources_of(corpus: Corpus, records: dict[str, Record]) -> list[SourceDoc]:
    docs = {r.document for r in records.values()}
    return [s for s in corpus.sources if s.id in docs]


def check_cites(points: list[Point], by_id: dict[str, Record], where: Path) -> None:
    for p in points:
        bad = [c for c in p.cites if c not in by_id]
        if bad:
            raise BriefingError(f"the chapter cites record(s) that are not in the corpus: {', '.join(bad)}",
                                "fix the {para} IDs (see `wtkb paragraphs`); `wtkb build` reports them too", where)



def assemble(title: str, topic: Topic | None, query: str, audience: str | None, what: list[Point],
             slides: list[KeySlide], figures: list[Question], quotes: list[Record], discussion: list[str],
             corpus: Corpus, chapters: list[Topic], mode: Literal["topic", "retrieval"], *,
             agency: str | None = None, for_you: list[Point] | None = None, duties: list[str] | None = None,
             scenario: Scenario | None = None) -> Pack:
    """A :class:`Pack` with ``records``: every record its points, figures, quotes and scenario cite."""
    by_id = corpus.by_id
    ids: dict[str, None] = {}
    for p in [*what, *(p for s in slides for p in s.points), *(for_you or [])]:
        ids.update(dict.fromkeys(p.cites))
    for q in figures:
        ids.update(dict.fromkeys(r for r in q.record_ids if r in by_id))
    ids.update(dict.fromkeys(r.id for r in quotes))
    if scenario is not None:
        ids.update(dict.fromkeys(r for r in scenario.debrief if r in by_id))
    records = {i: by_id[i] for i in ids}
    return Pack(title=title, topic=topic, query=query, audience=audience, what_changed=what, slides=slides,
                figures=figures, quotes=quotes, discussion=discussion, sources=sources_of(corpus, records),
                records=records, chapters=chapters, corpus_hash=corpus_hash(corpus), mode=mode, agency=agency,
                for_you=list(for_you or []), duties=list(duties or []), scenario=scenario)


def discussion_for(query: str, chapters: list[Chapter]) -> list[str]:
    """Discussion questions of the chapters used, those sharing most words with the topic first."""
    want = set(tokenize(query))
    cands = []
    for ci, ch in enumerate(chapters):
        for qi, q in enumerate(ch.discussion):
            cands.append((-len(want & set(tokenize(q))), ci, qi, q))
    picked = [q for *_, q in sorted(cands)][:MAX_QUESTIONS]
    if len(picked) >= MIN_QUESTIONS:
        return picked
    topic = query[:1].lower() + query[1:]
    generic = [f"Where does {topic} come up in your own work, and who else is involved?",
               f"Which of the points in this pack would change how you or your team approach {topic}?",
               f"What would you check in the full guidance or the cited paragraphs before acting on {topic}?"]
    return (picked + [g for g in generic if g not in picked])[:MAX_QUESTIONS]
