"""The slide deck as pptx: one method per slide kind (``_title``, ``_points``, ``_for_you``, …).

Every slide uses a layout of the template ("Title Slide", "Title and Content", "Title Only")
and its real placeholders, so trainers can edit and restyle it; it holds no pictures. Each
slide with citations has one footer line (16 pt): numbered short labels that the points'
markers refer to; the Sources slide gives the full references and the notes the full text.
"""

from __future__ import annotations

from pptx.enum.text import MSO_AUTO_SIZE
from pptx.util import Pt

from wtkb.briefing.model import Pack, Point
from wtkb.briefing.render.common import (
    MADE_BY,
    UNIT,
    VIEWS,
    Slide,
    document_where,
    footer_label,
    outline,
    page_link,
    provenance,
    quote_attribution,
    ranges,
    record_voice,
    subtitle_lines,
    voice_tag,
)
from wtkb.briefing.render.notes import notes_for
from wtkb.briefing.render.pptx_base import (
    BODY_BOX,
    FOOTER_BOX,
    GREY,
    SIZES,
    TITLE_BOX,
    add_run,
    add_slide_number,
    add_textbox,
    clean,
    fit,
    new_presentation,
    no_bullet,
    place,
    save,
    set_core,
)
from wtkb.text import HEADING_SEP
from wtkb.urls import duty_page


def footer_groups(ids: list[str], records) -> tuple[list[str], dict[str, int]]:
    """Footer labels, one per section (its paragraphs joined: 'paras 1, 3'), in order of first citation;
    and the number of each record's label."""
    keys: dict[str, tuple[str, str]] = {}
    order: dict[tuple[str, str], list[int]] = {}
    for rid in ids:
        label = footer_label(records[rid].label)
        m = UNIT.match(label)
        key = (m.group(1), m.group(2)) if m else (label, "")
        keys[rid] = key
        order.setdefault(key, [])
        if m:
            order[key].append(int(m.group(3)))
    labels = []
    for (prefix, unit), nums in order.items():
        if not unit:
            labels.append(prefix)
        else:
            n = sorted(set(nums))
            labels.append(f"{prefix}{HEADING_SEP}{unit} {n[0]}" if len(n) == 1 else
                          f"{prefix}{HEADING_SEP}{unit}s {ranges(n)}")
    index = {key: i for i, key in enumerate(order, 1)}
    return labels, {rid: index[key] for rid, key in keys.items()}


def footer_text(labels: list[str]) -> str:
    """'[1] label · [2] label', a document named once for its run of labels:
    'Consultation response 2023: [1] Government response › paras 1, 3; [2] Support under … › para 3'."""
    runs: list[tuple[str, list[str]]] = []
    for i, label in enumerate(labels, 1):
        doc, _, rest = label.partition(HEADING_SEP)
        item = f"[{i}] {rest}" if rest else f"[{i}]"
        if runs and runs[-1][0] == doc:
            runs[-1][1].append(item)
        else:
            runs.append((doc, [item]))
    return " · ".join(f"{doc}: {'; '.join(items)}" for doc, items in runs)


class Deck:
    """Renders the outline of one pack into a 16:9 presentation."""

    def __init__(self, pack: Pack, base: str | None) -> None:
        self.pack, self.base, self.records = pack, base, pack.records
        self.prs = new_presentation()
        self.layouts = {layout.name: layout for layout in self.prs.slide_layouts}
        self.body_size = self._deck_body_size()

    def _deck_body_size(self) -> int:
        """One body size for every key-point slide of the deck: the largest at which all of them fit."""
        fits = []
        for spec in outline(self.pack):
            if spec.kind == "points":
                _, number = footer_groups(spec.cites, self.records)
                fits.append(fit(self._texts(spec.points, number), BODY_BOX) or SIZES["body"][-1])
        return min(fits, default=SIZES["body"][0])

    def _size(self, texts: list[str], after: float = 6) -> int:
        """The deck's body size, or smaller (never below 20 pt) where this slide's text needs it."""
        sizes = tuple(s for s in SIZES["body"] if s <= self.body_size)
        return fit(texts, BODY_BOX, sizes, after) or SIZES["body"][-1]

    def render(self) -> bytes:
        for n, spec in enumerate(outline(self.pack), 1):
            slide = getattr(self, f"_{spec.kind}")(spec)
            if spec.kind != "title":
                add_slide_number(slide, n)
            slide.notes_slide.notes_text_frame.text = clean(notes_for(spec, self.pack, self.base, n))
        set_core(self.prs, self.pack.title, f"{MADE_BY}. {provenance(self.pack)}")
        return save(self.prs)

    # ------------------------------------------------------------------ shared pieces

    def _slide(self, layout: str, title: str):
        slide = self.prs.slides.add_slide(self.layouts[layout])
        shape = slide.shapes.title
        place(shape, TITLE_BOX)
        shape.text = clean(title)
        size = SIZES["title"] if len(title) <= 45 else SIZES["title_small"]
        for p in shape.text_frame.paragraphs:
            for r in p.runs:
                r.font.size = Pt(size)
        return slide

    def _body(self, slide):
        shape = slide.placeholders[1]
        place(shape, BODY_BOX)
        tf = shape.text_frame
        tf.word_wrap = True
        # sized to fit as built (pptx_base.fit); no shrink-on-overflow, which LibreOffice applies even to text that fits
        tf.auto_size = MSO_AUTO_SIZE.NONE
        return tf

    def _footer(self, slide, ids: list[str], lead: str = "Sources") -> dict[str, int]:
        """The footer line: '[1] label · [2] label'; returns record id -> its number."""
        if not ids:
            return {}
        labels, number = footer_groups(ids, self.records)
        text = f"{lead}: " + footer_text(labels)
        shape = add_textbox(slide, FOOTER_BOX)
        shape.name = "Citations"
        add_run(shape.text_frame.paragraphs[0], text, SIZES["footer"], color=GREY)
        return number

    @staticmethod
    def _marker(cites: list[str], number: dict[str, int]) -> str:
        return "[" + ", ".join(str(n) for n in sorted({number[c] for c in cites if c in number})) + "]"

    def _point_paragraphs(self, tf, points: list[Point], number: dict[str, int], texts: list[str]) -> None:
        size = self._size(texts)
        for i, p in enumerate(points):
            par = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            add_run(par, p.text, size)
            tag = voice_tag(p, self.records)
            if tag:
                add_run(par, f" ({tag})", size, italic=True)
            add_run(par, " " + self._marker(p.cites, number), SIZES["footer"], color=GREY)
            par.space_after = Pt(6)

    def _texts(self, points: list[Point], number: dict[str, int]) -> list[str]:
        out = []
        for p in points:
            tag = voice_tag(p, self.records)
            out.append(p.text + (f" ({tag})" if tag else "") + " " + self._marker(p.cites, number))
        return out

    # ------------------------------------------------------------------ one method per slide kind

    def _title(self, spec: Slide):
        slide = self.prs.slides.add_slide(self.layouts["Title Slide"])
        slide.shapes.title.text = clean(spec.title)
        for p in slide.shapes.title.text_frame.paragraphs:
            for r in p.runs:
                r.font.size = Pt(SIZES["cover"] if len(spec.title) < 40 else SIZES["title"])
        tf = slide.placeholders[1].text_frame
        for i, line in enumerate(subtitle_lines(self.pack)):
            add_run(tf.paragraphs[0] if i == 0 else tf.add_paragraph(), line, 24 if i == 0 else 20)
        return slide

    def _points(self, spec: Slide):
        slide = self._slide("Title and Content", spec.title)
        number = self._footer(slide, spec.cites)
        self._point_paragraphs(self._body(slide), spec.points, number, self._texts(spec.points, number))
        return slide

    def _for_you(self, spec: Slide):
        from wtkb.briefing.build import agency_of
        from wtkb.reference.duties import load_duties

        slide = self._slide("Title and Content", spec.title)
        number = self._footer(slide, spec.cites)
        tf = self._body(slide)
        agency = agency_of(self.pack)
        label = agency.label if agency else (self.pack.audience or "your agency")
        names = {d.id: d for d in load_duties()}
        law = [f"{names[d].short_name} ({names[d].title})" for d in self.pack.duties if d in names]
        texts = [f"{p.text} ({record_voice(self.pack, self.records[p.cites[0]])}) "
                 + self._marker(p.cites, number) for p in spec.points]
        intro = (f"Where the sources name {label}:" if spec.points else
                 f"None of the paragraphs this topic cites names {label} directly: the key points apply to "
                 "every agency, and your local arrangements say who does what.")
        lines = [intro, *texts] + ([f"Law that binds {label} here: " + "; ".join(law)] if law else [])
        size = self._size(lines)
        first = tf.paragraphs[0]
        add_run(first, intro, size, bold=bool(spec.points))
        no_bullet(first)
        for p in spec.points:
            par = tf.add_paragraph()
            add_run(par, p.text, size, italic=True)
            add_run(par, f" — {record_voice(self.pack, self.records[p.cites[0]])} ", size)
            add_run(par, self._marker(p.cites, number), SIZES["footer"], color=GREY)
            par.space_after = Pt(6)
        if law:
            par = tf.add_paragraph()
            no_bullet(par)
            add_run(par, f"Law that binds {label} here: ", size, bold=True)
            add_run(par, "; ".join(law), size, link=page_link(duty_page(self.pack.duties[0]), self.base))
        return slide

    def _chart(self, spec: Slide):
        from pptx.chart.data import CategoryChartData
        from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_TICK_LABEL_POSITION
        from pptx.oxml.ns import qn
        from pptx.util import Inches

        q = spec.figure
        assert q is not None
        slide = self._slide("Title Only", spec.title)
        data = CategoryChartData(number_format='0.0##"%"')
        data.categories = [r.label for r in q.results]
        data.add_series("Share of responses (%)", [r.percent for r in q.results])
        x, y, w, h = BODY_BOX
        chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, Inches(x), Inches(y), Inches(w), Inches(h),
                                       data).chart
        chart.has_title = True
        chart.chart_title.text_frame.text = clean(f"“{q.question.strip()}”")
        for p in chart.chart_title.text_frame.paragraphs:
            for r in p.runs:
                r.font.size, r.font.bold = Pt(SIZES["small"]), False
        chart.has_legend = False
        chart.font.size = Pt(SIZES["footer"])
        plot = chart.plots[0]
        plot.has_data_labels = True
        plot.data_labels.number_format, plot.data_labels.number_format_is_linked = 'General"%"', False
        plot.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
        plot.data_labels.font.size = Pt(SIZES["footer"])
        va = chart.value_axis
        va.minimum_scale, va.maximum_scale = 0, 100
        va.tick_labels.number_format, va.tick_labels.number_format_is_linked = 'General"%"', False
        va.has_major_gridlines = True
        ca = chart.category_axis
        ca.reverse_order = True  # the first answer on top, as in the source ...
        crosses = va._element.find(qn("c:crosses"))  # ... with the value axis still at the bottom
        if crosses is not None:
            crosses.set("val", "max")
        ca.tick_label_position = XL_TICK_LABEL_POSITION.LOW
        n = f"{q.responses:,} responses" if q.responses is not None else "Responses not published"
        self._footer(slide, spec.cites, lead=f"{n}; source")
        return slide

    def _quotes(self, spec: Slide):
        slide = self._slide("Title and Content", spec.title)
        number = self._footer(slide, spec.cites)
        tf = self._body(slide)
        texts = [VIEWS] + [f"“{r.text}” — {quote_attribution(r)} [{number[r.id]}]" for r in spec.quotes]
        size = self._size(texts)
        add_run(tf.paragraphs[0], VIEWS, size, bold=True)
        no_bullet(tf.paragraphs[0])
        for r in spec.quotes:
            par = tf.add_paragraph()
            add_run(par, f"“{r.text}”", size, italic=True)
            add_run(par, f" — {quote_attribution(r)} ", size)
            add_run(par, f"[{number[r.id]}]", SIZES["footer"], color=GREY)
            par.space_before = Pt(6)
        return slide

    def _scenario(self, spec: Slide):
        sc = spec.scenario
        assert sc is not None
        slide = self._slide("Title and Content", spec.title)
        self._footer(slide, spec.cites, lead="For the debrief")
        tf = self._body(slide)
        texts = [sc.vignette, "Discuss:", *sc.questions]
        size = self._size(texts)
        add_run(tf.paragraphs[0], sc.vignette, size)
        no_bullet(tf.paragraphs[0])
        tf.paragraphs[0].space_after = Pt(12)
        par = tf.add_paragraph()
        add_run(par, "Discuss:", size, bold=True)
        no_bullet(par)
        for q in sc.questions:
            par = tf.add_paragraph()
            add_run(par, q, size)
            par.space_after = Pt(6)
        return slide

    def _questions(self, spec: Slide):
        slide = self._slide("Title and Content", spec.title)
        tf = self._body(slide)
        size = self._size(spec.questions, after=8)
        for i, q in enumerate(spec.questions):
            par = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            add_run(par, q, size)
            par.space_after = Pt(8)
        return slide

    def _sources(self, spec: Slide):
        slide = self._slide("Title and Content", spec.title)
        tf = self._body(slide)
        small = SIZES["small"]
        for i, doc in enumerate(spec.sources):
            par = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            add_run(par, doc.title, small, bold=True)
            add_run(par, f" — {doc.publisher}, {doc.date}. ", small)
            if self.base:
                link = document_where(doc, self.base)
                add_run(par, link, SIZES["footer"], color=GREY, link=link)
        if self.pack.topic:
            par = tf.add_paragraph()
            add_run(par, f"Handbook chapter: {self.pack.topic.title} ", small)
            link = page_link(self.pack.topic.page, self.base)
            add_run(par, link or "(in the handbook's Topics)", SIZES["footer"], color=GREY, link=link)
        par = tf.add_paragraph()
        no_bullet(par)
        add_run(par, provenance(self.pack), SIZES["footer"], color=GREY)
        return slide


def render_pptx(pack: Pack, base: str | None = None) -> bytes:
    """The deck as pptx bytes (byte-identical for the same pack and base)."""
    return Deck(pack, base).render()
