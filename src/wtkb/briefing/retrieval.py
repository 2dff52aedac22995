"""Free-text briefing packs: retrieved with the Q&A index, built from the chapter sentences that cite
the paragraphs found, or, where no chapter sentence does, those paragraphs' own best sentences.

This module is the one place the briefing reads the retriever (the QA engineer's seam): keep
retriever calls here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from wtkb.briefing.audience import audience_terms, for_audience, for_you, match_agency
from wtkb.briefing.chapters import Chapter, load_duty_names, parse_chapter
from wtkb.briefing.evidence import assemble, discussion_for, figures_for, is_view, quotes_for
from wtkb.briefing.model import (
    HIT_SHARE,
    MAX_QUOTES,
    MAX_WHAT_CHANGED,
    TOP_HITS,
    BriefingError,
    Pack,
    Point,
    Topic,
    UncoveredTopic,
)
from wtkb.briefing.slides import key_slides, units
from wtkb.models import Record
from wtkb.settings import Settings

if TYPE_CHECKING:  # pragma: no cover
    from wtkb.corpus import Corpus
    from wtkb.qa import QA


def uncovered(query: str, topics: list[Topic]) -> BriefingError:
    names = "; ".join(f"{t.slug.split('-', 1)[0]} {t.title}" for t in topics)
    return UncoveredTopic(f"the sources do not cover “{query}”, so there is nothing to brief on",
                          f"choose a built-in topic (`wtkb briefing --list`): {names}; "
                          "or describe the topic in other words")


def retrieval_pack(settings: Settings, topics: list[Topic], query: str, audience: str | None, corpus: Corpus,
                    qa: QA) -> Pack:
    r = qa.retriever
    s = r.score(query)
    hits = r.rank(s, TOP_HITS * 2)
    if not hits or not qa.supported(s, hits):
        raise uncovered(query, topics)
    best = hits[0].score
    hits = [h for h in hits if h.score >= HIT_SHARE * best and h.record.kind not in ("figure", "table")
            and not r.is_directory(h.record)][:TOP_HITS]
    hit_ids = [h.record.id for h in hits]
    rank = {rid: i for i, rid in enumerate(hit_ids)}
    names = load_duty_names()
    chapters = {t.slug: parse_chapter(t, names) for t in topics}
    terms = audience_terms(audience)

    groups, what, used_by_chapter, covered = _chapter_points(chapters, rank)
    # the source's own best sentence for each retrieved paragraph no chapter sentence cites
    quoted: list[Point] = []
    views: list[Record] = []
    for h in hits:
        if h.record.kind == "quote":
            if is_view(h.record):
                views.append(h.record)
            continue
        if h.record.id not in covered:
            quoted.append(Point(f"“{best_sentence(qa, s, h.record)}”", [h.record.id], quoted=True))
    title_count: dict[str, int] = {}
    for _, title in groups:
        title_count[title] = title_count.get(title, 0) + 1
    titles = {t.slug: t.title for t in topics}
    order = list(chapters)
    ordered = sorted(groups.items(), key=lambda kv: (min(i for i, _ in kv[1]), order.index(kv[0][0])))
    sections: list[tuple[str, list[Point], str | None]] = []
    singles: list[Point] = []
    for (slug, title), pts in ordered:
        points = for_audience([p for _, p in pts], terms)
        if len(points) == 1:  # a lone sentence goes on a shared slide, led by its section's title
            p = points[0]
            labelled = re.match(r"^[^:]{2,70}: ", p.text)
            singles.append(p if labelled else Point(f"{title}: {p.text}", p.cites, p.quoted))
            continue
        name = f"{title} ({titles[slug]})" if title_count[title] > 1 else title
        sections.append((name, points, slug))
    if singles:
        sections.append(("More from the handbook", singles, None))
    if quoted:
        sections.append(("In the sources' own words", quoted, None))
    slides = key_slides(sections, min_slides=1, merge_singles=False)
    if not slides:
        raise uncovered(query, topics)
    what_points = [p for _, p in sorted(what, key=lambda x: x[0])][:MAX_WHAT_CHANGED]
    cited = list(dict.fromkeys([*hit_ids, *(c for sl in slides for p in sl.points for c in p.cites)]))
    quotes = [v for v in views][:MAX_QUOTES]
    for q in quotes_for(cited, corpus.records):
        if q not in quotes and len(quotes) < MAX_QUOTES:
            quotes.append(q)
    used = sorted(used_by_chapter, key=lambda k: (-used_by_chapter[k], k))
    discussion = discussion_for(query, [chapters[k] for k in used])
    title = query[:1].upper() + query[1:]
    agency = match_agency(audience)
    return assemble(title, None, query, audience, what_points, slides, figures_for(cited), quotes, discussion,
                    corpus, [chapters[k].topic for k in used], "retrieval", agency=agency.key if agency else None,
                    for_you=for_you(agency, cited, corpus.records) if agency else [])


def best_sentence(qa: QA, s, record: Record) -> str:
    """The sentence of ``record`` closest to the query, copied exactly (the whole text if it has no sentences)."""
    return qa.retriever.best_sentence_of(s, record)


def _chapter_points(chapters: dict[str, Chapter], rank: dict[str, int]):
    """Chapter sentences citing the retrieved paragraphs, grouped by chapter section; the "In short"
    ones apart; how many each chapter gave; which retrieved paragraphs they cover."""
    groups: dict[tuple[str, str], list[tuple[int, Point]]] = {}
    what: list[tuple[int, Point]] = []
    used_by_chapter: dict[str, int] = {}
    covered: set[str] = set()
    seen_text: set[str] = set()
    for slug, ch in chapters.items():
        for r, p in _selected(ch.in_short, rank):
            if p.text not in seen_text:
                seen_text.add(p.text)
                what.append((r, p))
        for sec in ch.sections:
            for r, p in _selected(sec.points, rank):
                if p.text not in seen_text:
                    seen_text.add(p.text)
                    groups.setdefault((slug, sec.title), []).append((r, p))
                    used_by_chapter[slug] = used_by_chapter.get(slug, 0) + 1
                    covered.update(c for c in p.cites if c in rank)
    return groups, what, used_by_chapter, covered


def _selected(points: list[Point], rank: dict[str, int]) -> list[tuple[int, Point]]:
    """The points citing a retrieved paragraph (with its best rank), each with the sentences it leans on."""
    out: list[tuple[int, Point]] = []
    for unit in units(points):
        ranks = [[rank[c] for c in p.cites if c in rank] for p in unit]
        last = max((i for i, r in enumerate(ranks) if r), default=-1)
        if last >= 0:
            best = min(min(r) for r in ranks if r)
            out += [(best, p) for p in unit[:last + 1]]
    return out
