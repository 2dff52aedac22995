"""The deck as Markdown: one ``##`` heading per slide, ``---`` between slides, notes as blockquotes."""

from __future__ import annotations

import re

from wtkb.briefing.model import Pack, Point
from wtkb.briefing.render.common import (
    MADE_BY,
    VIEWS,
    Slide,
    cite_labels,
    document_where,
    figure_caption,
    outline,
    page_link,
    provenance,
    quote_attribution,
    record_voice,
    short_label,
    subtitle_lines,
    voice_tag,
)
from wtkb.briefing.render.notes import notes_for
from wtkb.reference.consultation import pct
from wtkb.urls import record_url

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def md_text(text: str) -> str:
    """Plain text that Markdown shows literally (no emphasis, links, headings or HTML)."""
    out = _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    out = re.sub(r"^(\d+)([.)])", r"\1\\\2", out)
    return "\\" + out if out[:1] in ("#", "+", "-", "=", ">") else out


def _notes(text: str) -> list[str]:
    return ["", "> **Speaker notes**", ">"] + [f"> {md_text(line)}" if line else ">" for line in text.split("\n")]


def _cites(p: Point, pack: Pack, base: str | None) -> str:
    label = "\\[" + md_text("; ".join(cite_labels(p.cites, pack.records))) + "\\]"
    return f"[{label}]({record_url(pack.records[p.cites[0]], base)})" if base else label


def _link(text: str, url: str | None) -> str:
    return f"[{md_text(text)}]({url})" if url else md_text(text)


def _body(spec: Slide, pack: Pack, base: str | None) -> list[str]:
    records = pack.records
    lines: list[str] = []
    if spec.kind == "title":
        lines += [md_text(x) + "  " for x in subtitle_lines(pack)]
    elif spec.kind in ("points", "for_you"):
        if spec.kind == "for_you" and not spec.points:
            lines.append("None of the paragraphs this topic cites names this audience directly.")
        for p in spec.points:
            tag = voice_tag(p, records) if spec.kind == "points" else record_voice(pack, records[p.cites[0]])
            lines.append(f"- {md_text(p.text)}" + (f" *({md_text(tag)})*" if tag else "") + f" {_cites(p, pack, base)}")
    elif spec.kind == "chart":
        q = spec.figure
        assert q is not None
        lines += [f"**“{md_text(q.question.strip())}”**", "", "| answer | share |", "| --- | ---: |"]
        lines += [f"| {md_text(r.label)} | {pct(r.percent)} |" for r in q.results]
        lines += ["", f"*{md_text(figure_caption(q, records))}*"]
    elif spec.kind == "quotes":
        lines += [f"**{VIEWS}**", ""]
        for r in spec.quotes:
            label = "\\[" + md_text(short_label(r.label)) + "\\]"
            lines.append(f"- *“{md_text(r.text)}”* — {md_text(quote_attribution(r))} "
                         + (f"[{label}]({record_url(r, base)})" if base else label))
    elif spec.kind == "scenario" and spec.scenario:
        lines += [md_text(spec.scenario.vignette), "", "**Discuss:**", ""]
        lines += [f"{i}. {md_text(q)}" for i, q in enumerate(spec.questions, 1)]
        lines += ["", "*For the debrief: " + md_text("; ".join(cite_labels(spec.cites, records))) + "*"]
    elif spec.kind == "questions":
        lines += [f"{i}. {md_text(q)}" for i, q in enumerate(spec.questions, 1)]
    elif spec.kind == "sources":
        for doc in spec.sources:
            lines.append(f"- **{md_text(doc.title)}** — {md_text(doc.publisher)}, {md_text(doc.date)}. "
                         f"{md_text(doc.licence)}" + (f" <{document_where(doc, base)}>" if base else ""))
        if pack.topic:
            lines.append(f"- Handbook chapter: {_link(pack.topic.title, page_link(pack.topic.page, base))}")
        lines += ["", md_text(provenance(pack))]
    return lines


def render_md(pack: Pack, base: str | None = None) -> str:
    """The deck as Markdown, with the same slides and notes as the pptx."""
    parts = []
    for n, spec in enumerate(outline(pack), 1):
        lines = [f"## {md_text(spec.title)}", "", *_body(spec, pack, base), *_notes(notes_for(spec, pack, base, n))]
        parts.append("\n".join(lines).rstrip())
    head = [f"<!-- Briefing pack: {md_text(pack.title)}. {MADE_BY}. -->", ""]
    return "\n".join(head) + "\n\n---\n\n".join(parts) + "\n"
