"""The briefing content model: the plain records that pass from content to rendering.

A :class:`Pack` holds everything a renderer needs and no layout decision: the points (each a
sentence of our own chapter with the record IDs it cites, or a source's own sentence marked as
quoted), the consultation figures, respondents' views, the audience's "what this means for you"
points, a case scenario and the sources. The tuning knobs of the content live here, commented.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from wtkb.errors import NotFound, WtkbError
from wtkb.models import Record, SourceDoc
from wtkb.reference.consultation import Question

MIN_KEY_SLIDES = 5
MAX_KEY_SLIDES = 10
MAX_POINTS = 5  # per key slide
SLIDE_CHARS = 720  # text budget of one key slide (a 16:9 slide with body text at 20-24 pt)
MAX_CONTINUED = 1  # a section gets at most one "(continued)" slide; what does not fit stays in the handbook
MAX_WHAT_CHANGED = 5
MAX_FIGURES = 4
MAX_QUOTES = 3
QUOTE_CHARS = 560  # text budget of the "What people said" slide
MIN_QUESTIONS, MAX_QUESTIONS = 3, 5
MAX_FOR_YOU = 4  # points on the "What this means for you" slide
# free-text topics
TOP_HITS = 8  # retrieved paragraphs a free-text pack is built from
HIT_SHARE = 0.75  # ... keeping those scoring at least this share of the best one

SKIP_SECTIONS = ("see also", "questions for discussion")
DISCUSSION = "questions for discussion"
IN_SHORT = "in short"


class BriefingError(WtkbError):
    """A briefing pack cannot be built (an uncovered topic, a malformed chapter, an unknown format)."""


class UncoveredTopic(NotFound, BriefingError):
    """The sources hold nothing on the topic: there is no pack to be had (the API answers 404, not 422)."""


@dataclass(frozen=True)
class Topic:
    """A built-in topic: one hand-written chapter of the handbook."""

    slug: str  # "01-lead-practitioner"
    title: str  # the chapter's H1
    path: Path
    page: str  # "topics/01-lead-practitioner": the handbook page (without .html)

    @property
    def number(self) -> int | None:
        m = re.match(r"(\d+)", self.slug)
        return int(m.group(1)) if m else None


@dataclass
class Point:
    """One point of a slide: plain words (markup stripped) and the record IDs it rests on.

    ``quoted`` points are a source's own sentence, in quotation marks (free-text topics only,
    where no chapter sentence cites the paragraph); all others are the handbook's own words.
    """

    text: str
    cites: list[str]
    quoted: bool = False


@dataclass
class KeySlide:
    title: str
    points: list[Point]
    chapter: str | None = None  # slug of the chapter the points come from (None: source quotes)


@dataclass
class Scenario:
    """A case scenario for the room: a short vignette in our words, questions, the paragraphs for the debrief."""

    title: str
    vignette: str
    questions: list[str]
    debrief: list[str]  # record IDs a trainer turns to in the debrief


@dataclass
class Pack:
    """Everything a renderer needs; no layout decisions."""

    title: str
    topic: Topic | None  # None for a free-text topic
    query: str  # the topic as asked
    audience: str | None
    what_changed: list[Point]
    slides: list[KeySlide]
    figures: list[Question]
    quotes: list[Record]  # kind == "quote", each with an attribution; respondents' views, not guidance
    discussion: list[str]
    sources: list[SourceDoc]  # the documents actually cited, in manifest order
    records: dict[str, Record]  # every record the pack cites (points, figures, quotes), by id
    chapters: list[Topic] = field(default_factory=list)  # chapters whose words the pack uses
    corpus_hash: str = ""
    mode: Literal["topic", "retrieval"] = "topic"
    agency: str | None = None  # the key of wtkb.briefing.audience.AGENCIES the audience matched
    for_you: list[Point] = field(default_factory=list)  # "What this means for you" (empty: no such slide)
    duties: list[str] = field(default_factory=list)  # register ids of duties that bind the agency and are cited
    scenario: Scenario | None = None

    @property
    def points(self) -> list[Point]:
        return [*self.what_changed, *(p for s in self.slides for p in s.points)]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view (for an API)."""
        return {
            "title": self.title, "query": self.query, "audience": self.audience, "mode": self.mode,
            "topic": _topic_dict(self.topic) if self.topic else None,
            "what_changed": [asdict(p) for p in self.what_changed],
            "slides": [asdict(s) for s in self.slides],
            "figures": [q.model_dump() for q in self.figures],
            "quotes": [r.to_dict() for r in self.quotes],
            "discussion": list(self.discussion),
            "sources": [s.provenance() for s in self.sources],
            "records": {k: r.to_dict() for k, r in self.records.items()},
            "chapters": [_topic_dict(t) for t in self.chapters],
            "corpus_hash": self.corpus_hash, "agency": self.agency,
            "for_you": [asdict(p) for p in self.for_you], "duties": list(self.duties),
            "scenario": asdict(self.scenario) if self.scenario else None,
        }

    @property
    def corpus_date(self) -> str:
        """The newest date among the cited sources ("2023-12"): what the pack is current to."""
        return max((s.date for s in self.sources), default="")


def _topic_dict(t: Topic) -> dict[str, Any]:
    return {"slug": t.slug, "title": t.title, "page": t.page}

