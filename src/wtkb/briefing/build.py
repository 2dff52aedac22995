"""Build the content of a briefing pack: a built-in topic from its chapter, free text by retrieval.

A built-in topic needs neither the index nor the model; a free-text topic is retrieved with the
Q&A index (:mod:`wtkb.briefing.retrieval`) and refused when the sources do not cover it, so
nobody gets an empty deck.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from wtkb.briefing.audience import Agency, audience_terms, binding_duties, concerns, for_audience, for_you, match_agency
from wtkb.briefing.chapters import Chapter, ChapterSection, find_topic, list_topics, parse_chapter
from wtkb.briefing.evidence import assemble, check_cites, figures_for, quotes_for
from wtkb.briefing.model import MAX_QUESTIONS, MAX_WHAT_CHANGED, MIN_QUESTIONS, BriefingError, Pack, Scenario, Topic
from wtkb.briefing.slides import key_slides
from wtkb.models import Record
from wtkb.settings import Settings

if TYPE_CHECKING:  # pragma: no cover
    from wtkb.corpus import Corpus
    from wtkb.qa import QA

SCENARIO_CHARS = 420  # a vignette longer than this does not fit its slide at 20 pt
SCENARIOS = Path(__file__).parent / "data" / "scenarios.yaml"


def build_pack(settings: Settings, topic: str, audience: str | None = None, qa: QA | None = None,
               corpus: Corpus | None = None) -> Pack:
    """The content of a briefing pack on ``topic``: a built-in topic (slug, number or title words) or free text.

    A built-in topic needs neither the index nor the model. A free-text topic is retrieved with
    ``qa`` (loaded when not given); :class:`BriefingError` when the sources do not cover it.
    ``corpus`` defaults to ``qa``'s, else it is built from the sources.
    """
    query = " ".join((topic or "").split())
    if not query:
        raise BriefingError("no topic given", "name a topic: wtkb briefing --topic \"lead practitioner\" "
                                              "(`wtkb briefing --list` shows the built-in ones)")
    if len(query) > settings.max_question_chars:
        raise BriefingError(f"the topic is {len(query)} characters long; the limit is {settings.max_question_chars}",
                            "name the topic in a few words")
    aud = " ".join((audience or "").split()) or None
    topics = list_topics(settings)
    found = find_topic(topics, query)
    if corpus is None:
        if qa is not None:
            corpus = qa.retriever.corpus
        else:
            from wtkb.corpus import build_corpus

            corpus = build_corpus(settings.sources_dir)
    if found is not None:
        return topic_pack(found, query, aud, corpus)
    if qa is None:
        from wtkb.qa import load_qa

        qa = load_qa(settings)
    from wtkb.briefing.retrieval import retrieval_pack

    return retrieval_pack(settings, topics, query, aud, corpus, qa)


def _ordered_sections(sections: list[ChapterSection], concern) -> list[ChapterSection]:
    """The chapter's opening section stays first (it says what the topic is); sections with points that
    concern the audience come next, the rest keep the chapter's order."""
    if concern is None or len(sections) < 2:
        return list(sections)
    head, rest = sections[:1], sections[1:]
    return head + sorted(rest, key=lambda s: not any(concern(p) for p in s.points))


def topic_pack(topic: Topic, query: str, audience: str | None, corpus: Corpus) -> Pack:
    """The pack of a built-in topic: the chapter's points, tailored to the audience."""
    chapter = parse_chapter(topic)
    by_id = corpus.by_id
    check_cites(chapter.in_short + [p for s in chapter.sections for p in s.points], by_id, topic.path)
    agency = match_agency(audience)
    terms = audience_terms(audience)
    duties = binding_duties(agency, chapter.duties) if agency else []
    concern = concerns(terms, by_id, binding_duties(agency) if agency else ()) if (terms or agency) else None
    sections = _ordered_sections(chapter.sections, concern)
    slides = key_slides([(s.title, for_audience(s.points, terms, concern), topic.slug) for s in sections])
    what = for_audience(chapter.in_short, terms, concern)[:MAX_WHAT_CHANGED]
    if not slides or not any(s.points for s in slides):
        raise BriefingError(f"the chapter '{topic.title}' has no cited points to brief on",
                            "give its sections sentences with {para} citations", topic.path)
    discussion = chapter.discussion[:MAX_QUESTIONS]
    if len(discussion) < MIN_QUESTIONS:
        raise BriefingError(f"the chapter '{topic.title}' has {len(discussion)} discussion question(s); "
                            f"a pack needs {MIN_QUESTIONS}-{MAX_QUESTIONS}",
                            "add a '## Questions for discussion' section with 3-5 bullet questions "
                            "just before '## See also'", topic.path)
    # figures, quotes and "for you" follow everything the chapter cites, not only what fits on the slides
    cited = chapter.cited
    yours = for_you(agency, cited, corpus.records) if agency else []
    return assemble(topic.title, topic, query, audience, what, slides, figures_for(cited),
                    quotes_for(cited, corpus.records), discussion, corpus, [topic], "topic",
                    agency=agency.key if agency else None, for_you=yours, duties=duties,
                    scenario=scenario_for(chapter, by_id))


def agency_of(pack: Pack) -> Agency | None:
    """The :class:`Agency` a pack was tailored to."""
    from wtkb.briefing.audience import AGENCIES

    return AGENCIES.get(pack.agency or "")


@lru_cache(maxsize=1)
def _scenarios() -> dict:
    from wtkb.reference.files import read_yaml

    return read_yaml(SCENARIOS, "briefing scenarios") or {}


def scenario_for(chapter: Chapter, by_id: dict[str, Record]) -> Scenario | None:
    """The chapter's case scenario (``briefing/data/scenarios.yaml``); None when it has none."""
    entry = _scenarios().get(chapter.topic.slug)
    if not entry:
        return None
    fix = f"fix the entry '{chapter.topic.slug}' in {SCENARIOS.name}"
    vignette = " ".join(str(entry.get("vignette", "")).split())
    questions = [" ".join(str(q).split()) for q in entry.get("questions") or []]
    if not vignette or not questions or len(vignette) > SCENARIO_CHARS:
        raise BriefingError(f"the case scenario for '{chapter.topic.slug}' needs a vignette of at most "
                            f"{SCENARIO_CHARS} characters and at least one question", fix, SCENARIOS)
    debrief = list(entry.get("debrief") or dict.fromkeys(c for p in chapter.in_short for c in p.cites))
    bad = [r for r in debrief if r not in by_id]
    if bad:
        raise BriefingError(f"the case scenario for '{chapter.topic.slug}' cites unknown records: {', '.join(bad)}",
                            fix + " (see `wtkb paragraphs`)", SCENARIOS)
    return Scenario(str(entry.get("title") or chapter.topic.title), vignette, questions[:3], debrief)
