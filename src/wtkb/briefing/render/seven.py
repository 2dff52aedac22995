"""The 7-minute briefing: seven boxes on one A4 page, as printable HTML or as one A4 pptx slide.

The content is :func:`wtkb.briefing.seven.seven_minute`; here it is only laid out. The pptx is a
single portrait A4 slide for printing or sharing (a print format, not a projected deck, so its
type scale is a printed page's: 10-13 pt), built on the same template as the deck.
"""

from __future__ import annotations

from pptx.util import Inches, Pt

from wtkb.briefing.model import Pack
from wtkb.briefing.render.common import cite_labels, footer_label, page_link, provenance, subtitle_lines
from wtkb.briefing.render.handout import e, html_cites, point_html
from wtkb.briefing.render.pptx_base import (
    ACCENT,
    GREY,
    add_textbox,
    clean,
    new_presentation,
    save,
    set_core,
    text_height,
)
from wtkb.briefing.render.pptx_base import add_run as _add_run
from wtkb.briefing.seven import Box, seven_minute


def add_run(p, text: str, size: int, **kw):
    return _add_run(p, text, size, floor=PRINT_MIN, **kw)


SEVEN_CSS = """
@page { size: A4; margin: 11mm; }
* { box-sizing: border-box; }
body { font: 9pt/1.3 "DejaVu Sans", Arial, Helvetica, sans-serif; color: #111; margin: 0 auto; max-width: 188mm; }
header { border-bottom: 3px solid #0b4f7a; margin-bottom: 3mm; padding-bottom: 2mm; }
h1 { font-size: 15pt; margin: 0; }
.kicker { font-size: 9pt; font-weight: bold; color: #0b4f7a; margin: 0 0 1mm; text-transform: uppercase;
  letter-spacing: .04em; }
.meta { color: #444; font-size: 8.4pt; margin: 1mm 0 0; }
.grid { column-count: 2; column-gap: 3mm; }
.box { border: 1px solid #9bb7cc; border-radius: 2mm; padding: 2mm 3mm; margin: 0 0 3mm; break-inside: avoid;
  background: #f5f9fc; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
h2 { font-size: 10.5pt; margin: 0 0 1mm; color: #0b4f7a; }
h2 .n { display: inline-block; min-width: 5.5mm; height: 5.5mm; border-radius: 50%; background: #0b4f7a; color: #fff;
  text-align: center; line-height: 5.5mm; margin-right: 1.5mm; font-size: 9pt;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
ul, ol { margin: 0; padding-left: 4.5mm; }
li { margin-bottom: 1mm; }
.cite { color: #555; font-size: 7.6pt; }
.voice { font-style: italic; color: #7a3b00; }
.rests { color: #555; font-size: 7.6pt; margin: 1mm 0 0; }
a { color: #0b4f7a; text-decoration: none; }
footer { border-top: 1px solid #999; margin-top: 3mm; padding-top: 1mm; font-size: 7.6pt; color: #333; }
@media screen { body { padding: 11mm; } }
@media print { a { color: inherit; } }
"""
A4 = (8.27, 11.69)  # inches, portrait
SEVEN_SIZES = (11, 10.5, 10, 9.5, 9)  # the body size of the one-slide version: the largest that fits
PRINT_MIN = 8  # pt: the smallest text of the printed page (citations)
MARGIN_IN, GAP_IN, TOP_IN, FOOT_IN, PAD_IN = 0.4, 0.15, 1.4, 0.55, 0.25  # inches


def _box_html(n: int, box: Box, pack: Pack, base: str | None) -> list[str]:
    out = ['<section class="box">', f'<h2><span class="n">{n}</span>{e(box.title)}</h2>']
    items = [point_html(p, pack.records, base, footer_label) for p in box.points] + [e(x) for x in box.lines]
    tag = "ol" if box.title.startswith("Questions") else "ul"
    out += [f"<{tag}>"] + [f"<li>{x}</li>" for x in items] + [f"</{tag}>"]
    if box.cites:
        out.append(f'<p class="rests">Rests on: {html_cites(box.cites, pack.records, base, footer_label)}</p>')
    return out + ["</section>"]


def render_seven_html(pack: Pack, base: str | None = None) -> str:
    """The 7-minute briefing as one printable A4 page."""
    out = ["<!DOCTYPE html>", '<html lang="en-GB">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>7-minute briefing: {e(pack.title)}</title>", f"<style>{SEVEN_CSS}</style>", "</head>",
           "<body>", "<header>", '<p class="kicker">7-minute briefing</p>', f"<h1>{e(pack.title)}</h1>"]
    meta = [e(x) for x in subtitle_lines(pack)]
    if pack.topic:
        url = page_link(pack.topic.page, base)
        meta.append("Handbook: " + (f'<a href="{e(url)}">{e(pack.topic.title)}</a>' if url else e(pack.topic.title)))
    out += ['<p class="meta">' + " · ".join(meta) + "</p>", "</header>", '<div class="grid">']
    for n, box in enumerate(seven_minute(pack), 1):
        out += _box_html(n, box, pack, base)
    note = f"{provenance(pack, names=False)} Every point cites the paragraphs it rests on."
    out += ["</div>", f"<footer>{e(note)}</footer>", "</body>", "</html>", ""]
    return "\n".join(out)


def _box_lines(box: Box, pack: Pack) -> list[tuple[str, str]]:
    """(text, citation) per line of one box on the slide."""
    out = [(p.text, "[" + "; ".join(cite_labels(p.cites, pack.records, footer_label)) + "]") for p in box.points]
    out += [(x, "") for x in box.lines]
    if box.cites:
        out.append(("", "Rests on: " + "; ".join(cite_labels(box.cites, pack.records, footer_label))))
    return out


def _box_paras(n: int, box: Box, pack: Pack, size: float) -> list[tuple[str, float, float]]:
    """(text, size, space after) of each paragraph of box ``n`` at body ``size``, for sizing."""
    out = [(f"{n}. {box.title}", size + 1, 2)]
    for text, cite in _box_lines(box, pack):
        if text:
            out.append((f"• {text} {cite}".strip(), size, 2))
        else:
            out.append((cite, max(size - 2, PRINT_MIN), 2))
    return out


def _layout(boxes: list[Box], pack: Pack) -> tuple[float, list[tuple[float, float, float, float]]]:
    """The largest size at which the boxes, stacked in two columns (1-4 and 5-7), fit the page; their places."""
    col_w = (A4[0] - 2 * MARGIN_IN - GAP_IN) / 2
    room = A4[1] - TOP_IN - FOOT_IN
    split = 4
    for size in SEVEN_SIZES:
        heights = [text_height(_box_paras(n, b, pack, size), col_w - 0.2) / 72 + PAD_IN
                   for n, b in enumerate(boxes, 1)]
        cols = [heights[:split], heights[split:]]
        if all(sum(c) + GAP_IN * (len(c) - 1) <= room for c in cols) or size == SEVEN_SIZES[-1]:
            break
    places = []
    for n, h in enumerate(heights):
        col = 0 if n < split else 1
        y = TOP_IN + sum(heights[col * split:n]) + GAP_IN * (n - col * split)
        places.append((MARGIN_IN + col * (col_w + GAP_IN), y, col_w, h))
    return size, places


def render_seven_pptx(pack: Pack, base: str | None = None) -> bytes:
    """The 7-minute briefing as one portrait A4 slide: seven text boxes in two columns, each cited."""
    prs = new_presentation()
    prs.slide_width, prs.slide_height = Inches(A4[0]), Inches(A4[1])
    slide = prs.slides.add_slide({la.name: la for la in prs.slide_layouts}["Blank"])
    head = add_textbox(slide, (MARGIN_IN, 0.3, A4[0] - 2 * MARGIN_IN, 1.0))
    add_run(head.text_frame.paragraphs[0], "7-MINUTE BRIEFING", 11, bold=True, color=ACCENT)
    add_run(head.text_frame.add_paragraph(), pack.title, 20, bold=True)
    add_run(head.text_frame.add_paragraph(), " · ".join(subtitle_lines(pack)), 10, color=GREY)
    boxes = seven_minute(pack)
    size, places = _layout(boxes, pack)
    for n, (box, geo) in enumerate(zip(boxes, places, strict=True), 1):
        shape = add_textbox(slide, geo)
        shape.name = f"Box {n}"
        shape.line.color.rgb = ACCENT
        tf = shape.text_frame
        add_run(tf.paragraphs[0], f"{n}. {box.title}", size + 1, bold=True, color=ACCENT)
        for text, cite in _box_lines(box, pack):
            par = tf.add_paragraph()
            par.space_after = Pt(2)
            if text:
                add_run(par, f"• {text} ", size)
            if cite:
                add_run(par, cite, max(size - 2, PRINT_MIN), color=GREY)
    foot = add_textbox(slide, (MARGIN_IN, A4[1] - FOOT_IN + 0.1, A4[0] - 2 * MARGIN_IN, 0.4))
    add_run(foot.text_frame.paragraphs[0], provenance(pack, names=False), 9, color=GREY)
    slide.notes_slide.notes_text_frame.text = clean(provenance(pack))
    set_core(prs, f"7-minute briefing: {pack.title}", provenance(pack))
    return save(prs)
