"""The deck rules of issue 12, checked on every built-in topic x several audiences, from the pptx itself:
16:9, every text run >= 16 pt (body >= 20 pt), no text box outside its slide or overflowing its box,
slide numbers, at most one "(continued)" per section, no localhost link anywhere in the file, and
audience tailoring that changes the content."""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections import Counter

from pptx import Presentation
from pptx.util import Emu

EMU_PER_PT = 12700
LOCAL = re.compile(rb"localhost|127\.0\.0\.1|0\.0\.0\.0")


def _runs_xml_sizes(data: bytes) -> list[tuple[str, int]]:
    """(part, size in hundredths of a pt) of every run, paragraph default and chart text in the file."""
    z = zipfile.ZipFile(io.BytesIO(data))
    out = []
    for name in z.namelist():
        if not name.endswith(".xml") or not name.startswith(("ppt/slides/", "ppt/charts/")):
            continue
        for m in re.finditer(rb'<a:(?:rPr|defRPr|endParaRPr)\b[^>]*?\ssz="(\d+)"', z.read(name)):
            out.append((name, int(m.group(1))))
    return out


def _estimated_height_pt(shape) -> float:
    """A text frame's height, estimated independently of the renderer: 0.5 em per glyph, 1.2 em lines."""
    tf = shape.text_frame
    indent = 27 if shape.is_placeholder else 0  # a body placeholder's bullet indent
    width_pt = (shape.width - tf.margin_left - tf.margin_right) / EMU_PER_PT - indent
    total = 0.0
    for p in tf.paragraphs:
        sizes = [r.font.size.pt for r in p.runs if r.font.size is not None] or [16.0]
        size = max(sizes)
        chars = len(p.text)
        per_line = max(1, int(width_pt / (size * 0.5)))
        total += max(1, math.ceil(chars / per_line)) * size * 1.2 + (p.space_after.pt if p.space_after else 0) \
            + (p.space_before.pt if p.space_before else 0)
    return total


def _check_deck(key, pack, data: bytes) -> None:
    assert not LOCAL.search(data), key
    z = zipfile.ZipFile(io.BytesIO(data))
    for name in z.namelist():  # also inside compressed parts
        assert not LOCAL.search(z.read(name)), (key, name)
    small = [(n, s) for n, s in _runs_xml_sizes(data) if s < 1600]
    assert not small, (key, small[:5])
    prs = Presentation(io.BytesIO(data))
    assert (prs.slide_width, prs.slide_height) == (Emu(12192000), Emu(6858000)) or \
        abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01, key
    W, H = prs.slide_width, prs.slide_height
    titles = [s.shapes.title.text for s in prs.slides]
    base = Counter(t.removesuffix(" (continued)") for t in titles if t.endswith(" (continued)"))
    assert all(n <= 1 for n in base.values()), (key, base)
    for i, slide in enumerate(prs.slides, 1):
        numbers = [sh for sh in slide.shapes if sh.name == "Slide Number"]
        if i > 1:
            assert len(numbers) == 1 and b'type="slidenum"' in numbers[0].text_frame._txBody.xml.encode(), (key, i)
            assert numbers[0].text_frame.text == str(i)
        for sh in slide.shapes:
            assert sh.left >= 0 and sh.top >= 0 and sh.left + sh.width <= W and sh.top + sh.height <= H, \
                (key, i, sh.name)
            if sh.has_text_frame and sh.text_frame.text.strip():
                need = _estimated_height_pt(sh)
                assert need <= sh.height / EMU_PER_PT, (key, i, sh.name, need, sh.height / EMU_PER_PT)
        if slide.slide_layout.name == "Title and Content":
            body = slide.placeholders[1].text_frame
            main = [r.font.size.pt for p in body.paragraphs for r in p.runs[:1] if r.font.size]
            if titles[i - 1] != "Sources":
                assert main and min(main) >= 20, (key, i, main)


def test_every_topic_for_every_audience_meets_the_deck_rules(audience_decks):
    assert len(audience_decks) >= 3 * 10
    for key, (pack, data) in audience_decks.items():
        _check_deck(key, pack, data)


def test_decks_with_a_public_address_link_there_and_nowhere_local(decks):
    for slug, (pack, _prs, data) in decks.items():
        _check_deck(slug, pack, data)
        assert b"https://kb.example.org/wt/" in b"".join(
            zipfile.ZipFile(io.BytesIO(data)).read(n) for n in zipfile.ZipFile(io.BytesIO(data)).namelist()
            if n.endswith(".rels")), slug


def test_no_public_address_names_sources_instead_of_linking(audience_decks):
    pack, data = audience_decks[("01-lead-practitioner", "school DSLs")]
    z = zipfile.ZipFile(io.BytesIO(data))
    rels = b"".join(z.read(n) for n in z.namelist() if n.endswith(".rels"))
    assert b"TargetMode=\"External\"" not in rels  # no hyperlinks at all
    prs = Presentation(io.BytesIO(data))
    notes = prs.slides[2].notes_slide.notes_text_frame.text
    rid = pack.slides[0].points[0].cites[0]
    assert f"paragraph {rid}" in notes and "handbook page" in notes


def test_school_dsl_and_police_decks_differ_in_key_points_and_for_you(audience_decks):
    differ = 0
    for slug in {k[0] for k in audience_decks}:
        dsl, _ = audience_decks[(slug, "school DSLs")]
        police, _ = audience_decks[(slug, "police officers")]
        assert dsl.agency == "education" and police.agency == "police"
        assert [p.text for p in dsl.for_you] != [p.text for p in police.for_you] or not dsl.for_you, slug
        differ += [p.text for p in dsl.points] != [p.text for p in police.points]
    assert differ >= 5  # most topics: the order and choice of key points follows the audience
    dsl, _ = audience_decks[("01-lead-practitioner", "school DSLs")]
    police, _ = audience_decks[("01-lead-practitioner", "police officers")]
    assert [p.text for p in dsl.points] != [p.text for p in police.points]
    assert dsl.for_you and all(re.search(r"school|education|teacher", p.text, re.I) for p in dsl.for_you)
    assert {p.text for p in dsl.for_you} != {p.text for p in police.for_you}


def test_audiences_match_the_agencies(audiences):
    from wtkb.briefing import match_agency

    want = ["education", "police", "health", "childrens-social-care", "vcs", "leaders"]
    assert [match_agency(a).key for a in audiences] == want
    assert match_agency("GPs and practice nurses").key == "health"
    assert match_agency("designated safeguarding leads").key == "education"
    assert match_agency("astronauts") is None and match_agency(None) is None


def test_what_this_means_for_you_slide(audience_decks):
    pack, data = audience_decks[("06-child-protection-standards", "police officers")]
    prs = Presentation(io.BytesIO(data))
    slide = [s for s in prs.slides if s.shapes.title.text == "What this means for you"][0]
    text = slide.placeholders[1].text_frame.text
    for p in pack.for_you:
        assert p.text in text and p.quoted
        r = pack.records[p.cites[0]]
        assert r.text.find(p.text.strip("“”")) >= 0  # copied exactly from the paragraph it cites
    footer = [sh for sh in slide.shapes if sh.name == "Citations"]
    assert (len(footer) == 1) == bool(pack.for_you)
