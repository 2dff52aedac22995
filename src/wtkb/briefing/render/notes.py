"""Speaker notes: a short script in our own words for each slide (what to say, a question for the
room), then the cited paragraphs: label, whose voice, full text, and the public link (or, with no
public address configured, the source and handbook page by name)."""

from __future__ import annotations

from wtkb.briefing.model import Pack
from wtkb.briefing.render.common import (
    ROOM_QUESTIONS,
    VIEWS,
    Slide,
    figure_summary,
    how_made,
    page_link,
    provenance,
    record_voice,
    where,
)
from wtkb.reference.consultation import pct


def cited_paragraphs(ids: list[str], pack: Pack, base: str | None) -> str:
    """For each cited record: its label and voice, full text and where to find it."""
    blocks = []
    for rid in ids:
        r = pack.records[rid]
        text = r.text if r.kind != "quote" or not r.attribution else f"{r.text} — {r.attribution}"
        blocks.append(f"{r.label} ({record_voice(pack, r)})\n{text}\n{where(pack, r, base)}")
    return "\n\n".join(blocks)


def _script(spec: Slide, pack: Pack, index: int) -> tuple[str, str]:
    """(what to say, a question for the room) for one slide."""
    kind = spec.kind
    if kind == "title":
        who = f" for {pack.audience}" if pack.audience else ""
        topic = pack.title[:1].lower() + pack.title[1:]
        return (f"Introduce the session on {topic}{who}. Every point on the slides comes with the paragraphs "
                "it rests on, and the notes give their full text.",
                f"What do you already know, or expect, about {topic}?")
    if kind == "points":
        first = spec.points[0].text if spec.points else ""
        lead = first if len(first) <= 160 else first[:157].rsplit(" ", 1)[0] + " …"
        return (f"Walk through the {len(spec.points)} point(s) on “{spec.title}”, starting with the first: {lead}",
                ROOM_QUESTIONS[index % len(ROOM_QUESTIONS)])
    if kind == "for_you":
        return ("These sentences are the sources' own words wherever they name your agency, each with whose "
                "voice it is: a government decision is not a respondent's view.",
                "What would you do differently on Monday because of this?")
    if kind == "chart":
        q = spec.figure
        assert q is not None
        return (f"{figure_summary(q)} These are consultation answers: what respondents thought, not what the "
                "guidance requires.", "Does this match what you hear in your own agency?")
    if kind == "quotes":
        return (f"{VIEWS}: read one or two aloud and say who said them.",
                "Which of these views do you recognise, and which would you challenge?")
    if kind == "scenario":
        return ("Read the scenario aloud, give small groups five minutes on the questions, then debrief with "
                "the paragraphs below. The case is invented.", "What would you do first, and who would you tell?")
    if kind == "questions":
        return ("Pick one or two questions for the time you have; take answers from different agencies.",
                "Which question matters most for your team?")
    return ("Point to the sources and the handbook for the full text; say how current the pack is.",
            "Where will you look first when you need the detail?")


def notes_for(spec: Slide, pack: Pack, base: str | None, index: int = 0) -> str:
    """The notes of one slide."""
    say, ask = _script(spec, pack, index)
    parts = [f"Say: {say}", f"Ask the room: {ask}"]
    if spec.kind == "title":
        parts.append(how_made(pack))
        if pack.topic:
            link = page_link(pack.topic.page, base)
            parts.append(f"Handbook chapter: {link or f'“{pack.topic.title}” (handbook page “{pack.topic.page}”)'}")
        parts.append(provenance(pack))
    if spec.kind == "chart" and spec.figure is not None:
        q = spec.figure
        parts.append(f"Question: {q.question.strip()}\nResults: "
                     + "; ".join(f"{r.label} {pct(r.percent)}" for r in q.results)
                     + (f"\nNote: {q.note}" if q.note else ""))
    if spec.kind == "questions" and pack.chapters:
        names = ", ".join(f"“{t.title}”" for t in pack.chapters)
        parts.append(f"The questions are written for training sessions (our words, not the sources'), from {names}.")
    if spec.kind == "sources":
        parts.append(provenance(pack))
        parts += [f"{d.title} ({d.short_title}): {d.publisher}, {d.date}. {d.licence}" for d in spec.sources]
    if spec.cites:
        parts.append("Cited paragraphs:\n\n" + cited_paragraphs(spec.cites, pack, base))
    return "\n\n".join(parts)
