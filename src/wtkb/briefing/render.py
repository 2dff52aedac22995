"""Render a briefing :class:`~wtkb.briefing.Pack`: a PowerPoint deck, the same deck as Markdown, a one-page handout.

All three share one outline (:func:`outline`), so the decks carry the same slides in the
same order:

1. title slide (topic, audience, how the pack was made)
2. "What changed"
3. 5–10 key-point slides (1+ for a narrow free-text topic)
4. one chart slide per consultation figure (a native, editable bar chart)
5. "What people said" (attributed respondents' views, marked as views, not guidance)
6. "Questions for discussion"
7. "Sources"

A slide with nothing to show (no figures, no quotes) is left out rather than shown empty.
Every point shows its citation label; the speaker notes give, for each cited record, its
label, full text and handbook link. The pptx uses the default template's "Title Slide",
"Title and Content" and "Title Only" layouts and real placeholders, so trainers can edit and
restyle it; it holds no pictures. The same pack and options give byte-identical files.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime

from wtkb.briefing import BriefingError, Pack, Point
from wtkb.models import Record, SourceDoc
from wtkb.reference.consultation import Question, pct
from wtkb.urls import document_page, page_url, record_url

PPTX_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
FORMATS: dict[str, tuple[str, str]] = {
    "pptx": (PPTX_TYPE, ".pptx"),
    "md": ("text/markdown; charset=utf-8", ".md"),
    "html": ("text/html; charset=utf-8", ".html"),
}
# fixed document dates and zip entry times: the same pack gives the same bytes
FIXED_TIME = datetime(2024, 1, 1, tzinfo=UTC)
ZIP_TIME = (2024, 1, 1, 0, 0, 0)
MADE_BY = "Built from Working Together 2023 sources by wtkb"
VIEWS = "Respondents' views, not guidance"
HANDOUT_POINTS = 1  # points per key slide on the one-page handout
HANDOUT_QUOTES = 2


# --------------------------------------------------------------------------- shared outline


@dataclass
class Slide:
    kind: str  # title | points | chart | quotes | questions | sources
    title: str
    points: list[Point] = field(default_factory=list)
    figure: Question | None = None
    quotes: list[Record] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    sources: list[SourceDoc] = field(default_factory=list)
    cites: list[str] = field(default_factory=list)  # records whose text goes in the notes


def outline(pack: Pack) -> list[Slide]:
    """The deck, slide by slide (empty optional slides left out)."""
    slides = [Slide("title", pack.title)]
    if pack.what_changed:
        slides.append(Slide("points", "What changed", points=pack.what_changed, cites=_cites(pack.what_changed)))
    for s in pack.slides:
        slides.append(Slide("points", s.title, points=s.points, cites=_cites(s.points)))
    n = len(pack.figures)
    for i, q in enumerate(pack.figures, 1):
        title = "Consultation figures" + (f" ({i} of {n})" if n > 1 else "")
        slides.append(Slide("chart", title, figure=q, cites=[r for r in q.record_ids if r in pack.records]))
    if pack.quotes:
        slides.append(Slide("quotes", "What people said", quotes=pack.quotes, cites=[r.id for r in pack.quotes]))
    if pack.discussion:
        slides.append(Slide("questions", "Questions for discussion", questions=pack.discussion))
    slides.append(Slide("sources", "Sources", sources=pack.sources))
    return slides


def slide_count(pack: Pack) -> int:
    return len(outline(pack))


def _cites(points: list[Point]) -> list[str]:
    return list(dict.fromkeys(c for p in points for c in p.cites))


_WEAK_END = {"a", "an", "and", "the", "of", "to", "for", "in", "on", "with", "by", "or", "from", "–", "-"}


def _shorten(heading: str, words: int = 5) -> str:
    w = heading.split()
    if len(w) <= words:
        return heading
    w = w[:words]
    while len(w) > 1 and w[-1].lower() in _WEAK_END:
        w.pop()
    return " ".join(w) + " …"


def short_label(label: str) -> str:
    """'Consultation response 2023 › Support under section 17 of the Children Act 1989 › Government response ›
    para 1' -> 'Consultation response 2023 › Support under section 17 … › Government response › para 1'."""
    parts = label.split(" › ")
    if len(parts) <= 2:
        return label
    middle = parts[1:-1]
    keep = [_shorten(middle[0])] + ([_shorten(middle[-1])] if len(middle) > 1 else [])
    if len(middle) > 2:
        keep.insert(1, "…")
    return " › ".join([parts[0], *keep, parts[-1]])


def cite_labels(ids: list[str], records: dict[str, Record]) -> list[str]:
    """Short citation labels for ``ids``; consecutive paragraphs of one section share a label ('paras 3–10')."""
    groups: list[tuple[str, list[int], str]] = []  # (prefix, numbers, unit)
    for rid in ids:
        label = short_label(records[rid].label)
        m = re.match(r"^(.*) › (para|footnote) (\d+)$", label)
        if not m:
            groups.append((label, [], ""))
            continue
        prefix, unit, num = m.group(1), m.group(2), int(m.group(3))
        if groups and groups[-1][0] == prefix and groups[-1][2] == unit:
            groups[-1][1].append(num)
        else:
            groups.append((prefix, [num], unit))
    out = []
    for prefix, nums, unit in groups:
        if not nums:
            out.append(prefix)
        elif len(nums) == 1:
            out.append(f"{prefix} › {unit} {nums[0]}")
        else:
            out.append(f"{prefix} › {unit}s {_ranges(nums)}")
    return out


def _ranges(nums: list[int]) -> str:
    nums = sorted(set(nums))
    runs: list[list[int]] = []
    for n in nums:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)


def cite_text(point: Point, records: dict[str, Record]) -> str:
    return "[" + "; ".join(cite_labels(point.cites, records)) + "]"


def subtitle_lines(pack: Pack) -> list[str]:
    lines = []
    if pack.audience:
        lines.append(f"For {pack.audience}")
    lines.append(MADE_BY)
    years = sorted({s.date[:4] for s in pack.sources})
    span = "–".join(dict.fromkeys([years[0], years[-1]])) if years else ""
    lines.append(f"Corpus {pack.corpus_hash}" + (f" · sources dated {span}" if span else ""))
    return lines


def _how_made(pack: Pack) -> str:
    if pack.mode == "topic" and pack.topic:
        return (f"This pack is derived from the handbook chapter “{pack.topic.title}”: its points are the "
                "chapter's own plain-words sentences, each with the paragraphs it cites. Quotations are the "
                "sources' own words, attributed.")
    return (f"This pack was retrieved for the free-text topic “{pack.query}”: its points are handbook sentences "
            "that cite the paragraphs found, or, in quotation marks, those paragraphs' own sentences. "
            "Check the cited paragraphs before relying on a point.")


def notes_for(ids: list[str], pack: Pack, base_url: str) -> str:
    """Speaker notes: for each cited record, its label, full text and link."""
    blocks = []
    for rid in ids:
        r = pack.records[rid]
        text = r.text if r.kind != "quote" or not r.attribution else f"{r.text} — {r.attribution}"
        blocks.append(f"{r.label}\n{text}\n{record_url(r, base_url)}")
    return "\n\n".join(blocks)


def quote_attribution(r: Record) -> str:
    return r.attribution or "unattributed"


def figure_caption(q: Question, records: dict[str, Record]) -> str:
    n = f"{q.responses:,} responses" if q.responses is not None else "Number of responses not published"
    src = "; ".join(cite_labels([r for r in q.record_ids if r in records], records))
    return f"{n}. Source: {src}." + (f" {q.note}" if q.note else "")


def render(pack: Pack, fmt: str, base_url: str = "/") -> bytes:
    """The pack as ``fmt`` (a key of :data:`FORMATS`)."""
    if fmt == "pptx":
        return render_pptx(pack, base_url)
    if fmt == "md":
        return render_md(pack, base_url).encode("utf-8")
    if fmt == "html":
        return render_html(pack, base_url).encode("utf-8")
    raise BriefingError(f"unknown format '{fmt}'", f"use one of: {', '.join(FORMATS)}")


# --------------------------------------------------------------------------- pptx

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _x(text: str) -> str:
    """Text safe for XML (no control characters)."""
    return _CONTROL.sub("", text)


def _size_for(chars: int) -> int:
    for limit, size in ((350, 20), (550, 18), (800, 16), (1100, 14)):
        if chars <= limit:
            return size
    return 12


def render_pptx(pack: Pack, base_url: str = "/") -> bytes:
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_TICK_LABEL_POSITION
    from pptx.enum.text import MSO_AUTO_SIZE
    from pptx.oxml.ns import qn
    from pptx.util import Inches, Pt

    prs = Presentation()
    layouts = {layout.name: layout for layout in prs.slide_layouts}
    grey = RGBColor(0x59, 0x59, 0x59)
    records = pack.records

    def body_of(slide):
        return slide.placeholders[1].text_frame

    def para(tf, first: bool):
        return tf.paragraphs[0] if first else tf.add_paragraph()

    def run(p, text: str, size: int, *, bold=False, italic=False, color=None, link: str | None = None):
        r = p.add_run()
        r.text = _x(text)
        r.font.size = Pt(size)
        if bold:
            r.font.bold = True
        if italic:
            r.font.italic = True
        if color is not None:
            r.font.color.rgb = color
        if link:
            r.hyperlink.address = link
        return r

    def notes(slide, text: str) -> None:
        slide.notes_slide.notes_text_frame.text = _x(text)

    def set_title(slide, text: str, size: int | None = None) -> None:
        slide.shapes.title.text = _x(text)
        if size:
            for p in slide.shapes.title.text_frame.paragraphs:
                for r in p.runs:
                    r.font.size = Pt(size)

    for spec in outline(pack):
        if spec.kind == "title":
            slide = prs.slides.add_slide(layouts["Title Slide"])
            set_title(slide, spec.title, 40 if len(spec.title) < 40 else 32)
            tf = slide.placeholders[1].text_frame
            for i, line in enumerate(subtitle_lines(pack)):
                run(para(tf, i == 0), line, 18 if i == 0 else 14)
            chapter = f"\nHandbook chapter: {page_url(pack.topic.page, base_url)}" if pack.topic else ""
            notes(slide, _how_made(pack) + chapter)
            continue
        if spec.kind == "chart":
            q = spec.figure
            assert q is not None
            slide = prs.slides.add_slide(layouts["Title Only"])
            set_title(slide, spec.title)
            data = CategoryChartData(number_format='0.0##"%"')
            data.categories = [r.label for r in q.results]
            data.add_series("Share of responses (%)", [r.percent for r in q.results])
            frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, Inches(0.5), Inches(1.45), Inches(9),
                                           Inches(4.75), data)
            chart = frame.chart
            chart.has_title = True
            chart.chart_title.text_frame.text = _x(f"“{q.question.strip()}”")
            for p in chart.chart_title.text_frame.paragraphs:
                for r in p.runs:
                    r.font.size = Pt(14)
                    r.font.bold = False
            chart.has_legend = False
            chart.font.size = Pt(12)
            plot = chart.plots[0]
            plot.has_data_labels = True
            plot.data_labels.number_format = 'General"%"'
            plot.data_labels.number_format_is_linked = False
            plot.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
            va = chart.value_axis
            va.minimum_scale, va.maximum_scale = 0, 100
            va.tick_labels.number_format = 'General"%"'
            va.tick_labels.number_format_is_linked = False
            va.has_major_gridlines = True
            ca = chart.category_axis
            ca.reverse_order = True  # the first answer on top, as in the source ...
            crosses = va._element.find(qn("c:crosses"))  # ... with the value axis still at the bottom
            if crosses is not None:
                crosses.set("val", "max")
            ca.tick_label_position = XL_TICK_LABEL_POSITION.LOW
            box = slide.shapes.add_textbox(Inches(0.5), Inches(6.3), Inches(9), Inches(0.9))
            box.text_frame.word_wrap = True
            run(box.text_frame.paragraphs[0], figure_caption(q, records), 11, color=grey)
            notes(slide, f"Question: {q.question.strip()}\n"
                         f"Results: {'; '.join(f'{r.label} {pct(r.percent)}' for r in q.results)}\n"
                         + (f"Note: {q.note}\n" if q.note else "") + "\n" + notes_for(spec.cites, pack, base_url))
            continue
        slide = prs.slides.add_slide(layouts["Title and Content"])
        set_title(slide, spec.title, 32 if len(spec.title) <= 40 else 26 if len(spec.title) <= 70 else 22)
        tf = body_of(slide)
        tf.word_wrap = True
        tf.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE  # PowerPoint shrinks text a trainer adds
        if spec.kind == "points":
            chars = sum(len(p.text) + len(cite_text(p, records)) // 2 for p in spec.points)
            size = _size_for(chars)
            for i, p in enumerate(spec.points):
                par = para(tf, i == 0)
                run(par, p.text + " ", size)
                run(par, cite_text(p, records), max(10, size - 6), color=grey)
                par.space_after = Pt(6)
            notes(slide, notes_for(spec.cites, pack, base_url))
        elif spec.kind == "quotes":
            chars = sum(len(r.text) + len(quote_attribution(r)) for r in spec.quotes)
            size = min(18, _size_for(chars + 200))
            run(para(tf, True), VIEWS, size, bold=True)
            for r in spec.quotes:
                par = para(tf, False)
                run(par, f"“{r.text}”", size, italic=True)
                run(par, f" — {quote_attribution(r)} ", size)
                run(par, f"[{short_label(r.label)}]", max(10, size - 6), color=grey)
                par.space_before = Pt(6)
            notes(slide, f"{VIEWS}: these are what respondents said, quoted from the sources.\n\n"
                  + notes_for(spec.cites, pack, base_url))
        elif spec.kind == "questions":
            size = _size_for(sum(len(q) for q in spec.questions))
            for i, q in enumerate(spec.questions):
                par = para(tf, i == 0)
                run(par, q, size)
                par.space_after = Pt(8)
            where = ", ".join(f"“{t.title}” ({page_url(t.page, base_url)})" for t in pack.chapters)
            notes(slide, "Questions written for training sessions (our words, not the sources')"
                  + (f", from the handbook: {where}." if where else "."))
        elif spec.kind == "sources":
            n = len(spec.sources)
            size = 16 if n <= 3 else 14
            for i, doc in enumerate(spec.sources):
                par = para(tf, i == 0)
                run(par, doc.title, size, bold=True)
                run(par, f" — {doc.publisher}, {doc.date}. {doc.licence} ", size - 2)
                url = page_url(document_page(doc), base_url)
                run(par, url, size - 4, color=grey, link=url)
            if pack.topic:
                par = para(tf, False)
                url = page_url(pack.topic.page, base_url)
                run(par, f"Handbook chapter: {pack.topic.title} ", size - 2)
                run(par, url, size - 4, color=grey, link=url)
            notes(slide, "\n".join(f"{d.title} ({d.short_title}): {d.publisher}, {d.date}. {d.licence}"
                                   for d in spec.sources))

    cp = prs.core_properties
    cp.title = _x(pack.title)[:250]
    cp.subject = "Briefing pack"
    cp.author = "wtkb"
    cp.last_modified_by = "wtkb"
    cp.keywords = "Working Together to Safeguard Children 2023; briefing"
    cp.comments = _x(f"{MADE_BY}; corpus {pack.corpus_hash}")
    cp.created = cp.modified = cp.last_printed = FIXED_TIME.replace(tzinfo=None)
    cp.revision = 1
    buf = io.BytesIO()
    prs.save(buf)
    return normalize_zip(buf.getvalue())


def normalize_zip(data: bytes) -> bytes:
    """Rewrite an OOXML zip with fixed entry times (and fixed dates in embedded workbooks)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename.endswith(".xlsx"):
                body = normalize_zip(body)
            elif info.filename == "docProps/core.xml":
                stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + stamp.encode() + rb"\2",
                              body)
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, body)
    return out.getvalue()


# --------------------------------------------------------------------------- Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def md_text(text: str) -> str:
    """Plain text that Markdown shows literally (no emphasis, links, headings or HTML)."""
    out = _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    out = re.sub(r"^(\d+)([.)])", r"\1\\\2", out)
    return "\\" + out if out[:1] in ("#", "+", "-", "=", ">") else out


def _md_notes(text: str) -> list[str]:
    return ["", "> **Speaker notes**", ">"] + [f"> {md_text(line)}" if line else ">" for line in text.split("\n")]


def render_md(pack: Pack, base_url: str = "/") -> str:
    """The deck as Markdown: one ``##`` heading per slide, ``---`` between slides, notes as blockquotes."""
    records = pack.records
    parts: list[list[str]] = []
    for spec in outline(pack):
        lines = [f"## {md_text(spec.title)}", ""]
        if spec.kind == "title":
            lines += [md_text(x) + "  " for x in subtitle_lines(pack)]
            note = _how_made(pack) + (f"\nHandbook chapter: {page_url(pack.topic.page, base_url)}"
                                      if pack.topic else "")
            lines += _md_notes(note)
        elif spec.kind == "points":
            for p in spec.points:
                lines.append(f"- {md_text(p.text)} {_md_cites(p, records, base_url)}")
            lines += _md_notes(notes_for(spec.cites, pack, base_url))
        elif spec.kind == "chart":
            q = spec.figure
            assert q is not None
            lines += [f"**“{md_text(q.question.strip())}”**", "", "| answer | share |", "| --- | ---: |"]
            lines += [f"| {md_text(r.label)} | {pct(r.percent)} |" for r in q.results]
            lines += ["", f"*{md_text(figure_caption(q, records))}*"]
            lines += _md_notes(notes_for(spec.cites, pack, base_url))
        elif spec.kind == "quotes":
            lines += [f"**{VIEWS}**", ""]
            for r in spec.quotes:
                lines.append(f"- *“{md_text(r.text)}”* — {md_text(quote_attribution(r))} "
                             f"[\\[{md_text(short_label(r.label))}\\]]({record_url(r, base_url)})")
            lines += _md_notes(notes_for(spec.cites, pack, base_url))
        elif spec.kind == "questions":
            lines += [f"{i}. {md_text(q)}" for i, q in enumerate(spec.questions, 1)]
        elif spec.kind == "sources":
            for doc in spec.sources:
                url = page_url(document_page(doc), base_url)
                lines.append(f"- **{md_text(doc.title)}** — {md_text(doc.publisher)}, {md_text(doc.date)}. "
                             f"{md_text(doc.licence)} <{url}>")
            if pack.topic:
                lines.append(f"- Handbook chapter: [{md_text(pack.topic.title)}]"
                             f"({page_url(pack.topic.page, base_url)})")
        parts.append(lines)
    head = [f"<!-- Briefing pack: {md_text(pack.title)}. {MADE_BY}; corpus {pack.corpus_hash}. -->", ""]
    body = "\n\n---\n\n".join("\n".join(lines).rstrip() for lines in parts)
    return "\n".join(head) + body + "\n"


def _md_cites(p: Point, records: dict[str, Record], base_url: str) -> str:
    labels = cite_labels(p.cites, records)
    first = records[p.cites[0]]
    return f"[\\[{md_text('; '.join(labels))}\\]]({record_url(first, base_url)})"


# --------------------------------------------------------------------------- HTML handout

HANDOUT_CSS = """
@page { size: A4; margin: 12mm; }
* { box-sizing: border-box; }
body { font: 8.6pt/1.3 "DejaVu Sans", Arial, Helvetica, sans-serif; color: #111; margin: 0 auto; max-width: 186mm; }
header { border-bottom: 2px solid #0072B2; margin-bottom: 4pt; padding-bottom: 3pt; }
h1 { font-size: 15pt; margin: 0 0 2pt; }
.meta { color: #444; font-size: 8pt; margin: 0; }
h2 { font-size: 10pt; margin: 6pt 0 2pt; color: #0b4f7a; break-after: avoid; }
h3 { font-size: 8.8pt; margin: 4pt 0 1pt; break-after: avoid; }
p, ul, ol { margin: 0 0 3pt; }
ul, ol { padding-left: 13pt; }
li { margin-bottom: 2pt; }
.cols { column-count: 2; column-gap: 7mm; }
.cols section, li, tr { break-inside: avoid; }
.cite { color: #555; font-size: 7.2pt; white-space: normal; }
a { color: #0b4f7a; text-decoration: none; }
table { border-collapse: collapse; width: 100%; font-size: 7.6pt; }
th, td { text-align: left; vertical-align: top; padding: 1pt 3pt; border-bottom: 1px solid #ccc; }
.views { font-weight: bold; font-size: 7.8pt; color: #7a3b00; margin-bottom: 2pt; }
blockquote { margin: 0 0 3pt; padding-left: 6pt; border-left: 2px solid #E69F00; font-style: italic; }
blockquote footer { font-style: normal; color: #444; font-size: 7.6pt; }
footer.sources { border-top: 1px solid #999; margin-top: 5pt; padding-top: 2pt; font-size: 7.4pt; color: #333; }
@media screen { body { padding: 12mm; } }
@media print { a { color: inherit; } }
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _html_cites(p: Point, records: dict[str, Record], base_url: str) -> str:
    links = []
    for label, rid in zip(cite_labels(p.cites, records), _group_first_ids(p.cites, records), strict=True):
        links.append(f'<a href="{_e(record_url(records[rid], base_url))}">{_e(label)}</a>')
    return f'<span class="cite">[{"; ".join(links)}]</span>'


def _group_first_ids(ids: list[str], records: dict[str, Record]) -> list[str]:
    """The first record id of each label group of :func:`cite_labels` (for its link)."""
    firsts: list[str] = []
    prev = None
    for rid in ids:
        m = re.match(r"^(.*) › (para|footnote) (\d+)$", short_label(records[rid].label))
        key = (m.group(1), m.group(2)) if m else None
        if key is None or key != prev:
            firsts.append(rid)
        prev = key
    return firsts


def render_html(pack: Pack, base_url: str = "/") -> str:
    """A one-page printable handout (A4): self-contained HTML, every text escaped."""
    records = pack.records
    out = ["<!DOCTYPE html>", '<html lang="en-GB">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{_e(pack.title)}: briefing handout</title>", f"<style>{HANDOUT_CSS}</style>", "</head>",
           "<body>", "<header>", f"<h1>{_e(pack.title)}</h1>"]
    meta = subtitle_lines(pack)
    if pack.topic:
        meta.append(f"Handbook: {page_url(pack.topic.page, base_url)}")
    out.append('<p class="meta">' + " · ".join(_e(x) for x in meta) + "</p>")
    out.append("</header>")
    out.append('<div class="cols">')
    if pack.what_changed:
        out += ["<section>", "<h2>What changed</h2>", "<ul>"]
        out += [f"<li>{_e(p.text)} {_html_cites(p, records, base_url)}</li>" for p in pack.what_changed[:3]]
        out += ["</ul>", "</section>"]
    out += ["<section>", "<h2>Key points</h2>", "<ul>"]
    seen_titles: set[str] = set()
    for s in pack.slides:
        title = s.title.removesuffix(" (continued)")
        if title in seen_titles:
            continue
        seen_titles.add(title)
        for p in s.points[:HANDOUT_POINTS]:
            out.append(f"<li><strong>{_e(title)}.</strong> {_e(p.text)} {_html_cites(p, records, base_url)}</li>")
    out += ["</ul>", "</section>"]
    if pack.figures:
        out += ["<section>", "<h2>Consultation figures</h2>", "<table>",
                "<thead><tr><th>Question</th><th>Responses</th><th>Results</th></tr></thead>", "<tbody>"]
        for q in pack.figures:
            ids = [r for r in q.record_ids if r in records]
            link = f' <a class="cite" href="{_e(record_url(records[ids[0]], base_url))}">[source]</a>' if ids else ""
            res = "; ".join(f"{r.label} {pct(r.percent)}" for r in q.results)
            n = f"{q.responses:,}" if q.responses is not None else "n/a"
            out.append(f"<tr><td>“{_e(q.question.strip())}”{link}</td><td>{_e(n)}</td><td>{_e(res)}</td></tr>")
        out += ["</tbody>", "</table>", "</section>"]
    if pack.quotes:
        out += ["<section>", "<h2>What people said</h2>", f'<p class="views">{_e(VIEWS)}</p>']
        for r in pack.quotes[:HANDOUT_QUOTES]:
            out.append(f"<blockquote>“{_e(r.text)}”<footer>— {_e(quote_attribution(r))} "
                       f'<a class="cite" href="{_e(record_url(r, base_url))}">[{_e(short_label(r.label))}]</a>'
                       "</footer></blockquote>")
        out.append("</section>")
    if pack.discussion:
        out += ["<section>", "<h2>Questions for discussion</h2>", "<ol>"]
        out += [f"<li>{_e(q)}</li>" for q in pack.discussion]
        out += ["</ol>", "</section>"]
    out.append("</div>")
    src = "; ".join(f'<a href="{_e(page_url(document_page(d), base_url))}">{_e(d.title)}</a> '
                    f"({_e(d.publisher)}, {_e(d.date)}; {_e(d.licence)})" for d in pack.sources)
    out += [f'<footer class="sources"><strong>Sources.</strong> {src}</footer>', "</body>", "</html>", ""]
    return "\n".join(out)
