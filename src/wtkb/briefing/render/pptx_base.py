"""The pptx template and helpers shared by the deck and the one-slide 7-minute briefing.

The template is python-pptx's default (Office theme, so a trainer can restyle it by changing the
theme or the master) turned 16:9: the master's and layouts' placeholders are widened to the new
slide width. Text uses the theme's fonts; sizes follow one type scale (:data:`SIZES`): body text
never below 20 pt, nothing anywhere below 16 pt. Text is sized to fit its box with :func:`fit`,
a conservative estimate (average glyph width :data:`CHAR_EM` of the size); nothing relies on
PowerPoint's shrink-on-overflow.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from datetime import UTC, datetime

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.oxml.ns import qn
from pptx.util import Inches, Pt

# fixed document dates and zip entry times: the same pack gives the same bytes
FIXED_TIME = datetime(2024, 1, 1, tzinfo=UTC)
ZIP_TIME = (2024, 1, 1, 0, 0, 0)
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9
SIZES = {"title": 36, "title_small": 30, "cover": 40, "body": (24, 22, 20), "small": 18, "footer": 16, "min": 16}
CHAR_EM = 0.6  # average glyph width, in ems: DejaVu Sans, which LibreOffice uses without Calibri (Calibri: ~0.47)
SPACE_BEFORE = 0.2  # the master's space before a body paragraph, in lines
LINE = 1.2  # line height, in ems
GREY = RGBColor(0x4D, 0x4D, 0x4D)
ACCENT = RGBColor(0x0B, 0x4F, 0x7A)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

# where things sit on every slide (inches): the title, the body, the footer line, the slide number
MARGIN = 0.5
TITLE_BOX = (MARGIN, 0.35, 13.333 - 2 * MARGIN, 1.05)
BODY_BOX = (MARGIN, 1.45, 13.333 - 2 * MARGIN, 4.9)
FOOTER_BOX = (MARGIN, 6.42, 11.4, 0.98)  # three lines at 16 pt
NUMBER_BOX = (11.95, 6.85, 0.9, 0.45)
INSET = 0.1  # a text frame's default left/right inset, inches
BULLET_INDENT = 0.375  # the master's level-1 bullet indent, inches


def clean(text: str) -> str:
    """Text safe for XML (no control characters)."""
    return _CONTROL.sub("", text)


def new_presentation():
    """The 16:9 template: the default Office theme with its placeholders widened to the slide."""
    prs = Presentation()
    scale = WIDTH / prs.slide_width
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    for holder in [prs.slide_master, *prs.slide_layouts]:
        for off in holder.element.iter(qn("a:off")):
            off.set("x", str(int(int(off.get("x")) * scale)))
        for ext in holder.element.iter(qn("a:ext")):
            if ext.get("cx") is not None:
                ext.set("cx", str(int(int(ext.get("cx")) * scale)))
    return prs


def place(shape, box: tuple[float, float, float, float]) -> None:
    shape.left, shape.top, shape.width, shape.height = (Inches(v) for v in box)


def wrapped_lines(text: str, size: float, width_in: float) -> int:
    """How many lines ``text`` takes at ``size`` pt in a frame ``width_in`` wide (greedy word wrap)."""
    per_line = max(1, int(width_in * 72 / (size * CHAR_EM)))
    lines = 0
    for part in text.split("\n"):
        n, used = 1, 0
        for word in part.split():
            need = len(word) + (1 if used else 0)
            if used and used + need > per_line:
                n, used = n + 1, len(word)
            else:
                used += need
        n += max(0, math.ceil(used / per_line) - 1) if used > per_line else 0
        lines += n
    return lines


def text_height(paras: list[tuple[str, float, float]], width_in: float) -> float:
    """Height in points of paragraphs ``(text, size, space after in pt)`` in a frame ``width_in`` wide."""
    return sum(wrapped_lines(t, s, width_in) * s * LINE + after + SPACE_BEFORE * s * LINE for t, s, after in paras)


def fit(texts: list[str], box: tuple[float, float, float, float], sizes=SIZES["body"], after: float = 6,
        bullets: bool = True) -> int | None:
    """The largest of ``sizes`` at which ``texts`` (one paragraph each) fit ``box``; None if none does."""
    width = box[2] - 2 * INSET - (BULLET_INDENT if bullets else 0)
    room = (box[3] - 0.1) * 72
    for s in sizes:
        if text_height([(t, s, after) for t in texts], width) <= room:
            return s
    return None


def add_run(p, text: str, size: int, *, bold=False, italic=False, color=None, link: str | None = None,
            floor: int = SIZES["min"]):
    """A run of ``size`` pt (never below ``floor``: the deck's 16 pt unless a print format says otherwise)."""
    r = p.add_run()
    r.text = clean(text)
    r.font.size = Pt(max(size, floor))
    if bold:
        r.font.bold = True
    if italic:
        r.font.italic = True
    if color is not None:
        r.font.color.rgb = color
    if link:
        r.hyperlink.address = link
    return r


def no_bullet(p) -> None:
    """A paragraph of a body placeholder without its bullet (and without the hanging indent)."""
    ppr = p._p.get_or_add_pPr()
    ppr.set("marL", "0")
    ppr.set("indent", "0")
    ppr.insert(0, ppr.makeelement(qn("a:buNone"), {}))


def add_textbox(slide, box: tuple[float, float, float, float]):
    shape = slide.shapes.add_textbox(*(Inches(v) for v in box))
    shape.text_frame.word_wrap = True
    return shape


def add_slide_number(slide, number: int) -> None:
    """A slide-number field (PowerPoint and LibreOffice keep it current when slides move)."""
    shape = add_textbox(slide, NUMBER_BOX)
    shape.name = "Slide Number"
    p = shape.text_frame.paragraphs[0]
    p.alignment = 3  # right
    fld = p._p.makeelement(qn("a:fld"), {"id": "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}", "type": "slidenum"})
    rpr = fld.makeelement(qn("a:rPr"), {"lang": "en-GB", "sz": str(SIZES["footer"] * 100)})
    fill = rpr.makeelement(qn("a:solidFill"), {})
    fill.append(fill.makeelement(qn("a:srgbClr"), {"val": "4D4D4D"}))
    rpr.append(fill)
    t = fld.makeelement(qn("a:t"), {})
    t.text = str(number)
    fld.extend([rpr, t])
    p._p.append(fld)


def set_core(prs, title: str, comments: str) -> None:
    cp = prs.core_properties
    cp.title = clean(title)[:250]
    cp.subject = "Briefing pack"
    cp.author = "wtkb"
    cp.last_modified_by = "wtkb"
    cp.keywords = "Working Together to Safeguard Children 2023; briefing"
    cp.comments = clean(comments)[:250]
    cp.created = cp.modified = cp.last_printed = FIXED_TIME.replace(tzinfo=None)
    cp.revision = 1


def save(prs) -> bytes:
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

