"""The rendered packs, as a trainer sees them: slide order, citations on every point, notes, native charts."""

from __future__ import annotations

import dataclasses
import html
import io
import re
import zipfile

import pytest
from pptx.enum.shapes import MSO_SHAPE_TYPE

from wtkb.briefing import BriefingError, build_pack
from wtkb.briefing.render import FORMATS, VIEWS, outline, render, slide_count
from wtkb.reference.consultation import load_consultation
from wtkb.urls import record_url

BASE = "https://kb.example.org/wt/"
LAYOUTS = {"Title Slide", "Title and Content", "Title Only"}


def body_paragraphs(slide) -> list[str]:
    return [p.text for p in slide.placeholders[1].text_frame.paragraphs]


def notes(slide) -> str:
    return slide.notes_slide.notes_text_frame.text


def footer(slide) -> str:
    boxes = [sh for sh in slide.shapes if sh.name == "Citations"]
    return boxes[0].text_frame.text if boxes else ""


def test_one_format_registry_for_api_cli_and_handbook_form():
    from wtkb.api.app import BRIEFING_FORMATS, BriefingRequest
    from wtkb.sphinx.forms import BRIEFING_FORMATS as FORM_OPTIONS

    assert list(FORMATS) == ["pptx", "html", "seven", "seven-pptx", "md"]
    pptx = FORMATS["pptx"]
    assert pptx.media_type == "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    assert pptx.suffix == ".pptx" and pptx.slides and FORMATS["html"].media_type.startswith("text/html")
    assert BRIEFING_FORMATS == tuple(FORMATS)
    assert FORM_OPTIONS == tuple((f.name, f.label) for f in FORMATS.values())
    schema = BriefingRequest.model_json_schema()["properties"]["format"]
    assert schema["enum"] == list(FORMATS)


def test_unknown_format(packs):
    with pytest.raises(BriefingError, match="unknown format 'pdf'"):
        render(packs["01-lead-practitioner"], "pdf")


def test_slide_order_and_layouts(decks):
    for slug, (pack, prs, _) in decks.items():
        slides = list(prs.slides)
        titles = [s.shapes.title.text for s in slides]
        expected = [pack.title, "What changed", *(s.title for s in pack.slides)]
        n = len(pack.figures)
        expected += [f"Consultation figures ({i} of {n})" if n > 1 else "Consultation figures"
                     for i in range(1, n + 1)]
        expected += ["What people said"] if pack.quotes else []
        expected += [f"Case scenario: {pack.scenario.title}"]
        expected += ["Questions for discussion", "Sources"]
        assert titles == expected, slug
        assert len(slides) == slide_count(pack) == len(outline(pack))
        assert slides[0].slide_layout.name == "Title Slide"
        for s in slides[1:]:
            want = "Title Only" if s.shapes.title.text.startswith("Consultation figures") else "Title and Content"
            assert s.slide_layout.name == want, (slug, s.shapes.title.text)
        assert 5 <= len(pack.slides) <= 10


def test_text_sits_in_placeholders_and_there_are_no_pictures(decks):
    for slug, (_, prs, data) in decks.items():
        for s in prs.slides:
            assert s.slide_layout.name in LAYOUTS
            kinds = [sh.shape_type for sh in s.shapes]
            assert MSO_SHAPE_TYPE.PICTURE not in kinds
            extra = {sh.name for sh in s.shapes if sh.shape_type != MSO_SHAPE_TYPE.PLACEHOLDER and not sh.has_chart}
            assert extra <= {"Citations", "Slide Number"}, (slug, extra)
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        assert not [n for n in names if n.startswith("ppt/media/")], slug  # no images at all


def test_every_point_is_numbered_to_its_footer_and_the_notes_are_a_script(decks):
    for slug, (pack, prs, _) in decks.items():
        slides = list(prs.slides)
        key = [pack.what_changed, *(s.points for s in pack.slides)]
        for slide, points in zip(slides[1:1 + len(key)], key, strict=True):
            paras = body_paragraphs(slide)
            assert len(paras) == len(points)
            foot = footer(slide)
            assert re.match(r"Sources: [^\[]+: \[1\] ", foot) and "›" in foot
            for text, p in zip(paras, points, strict=True):
                assert text.startswith(p.text)
                marks = re.search(r"\[(\d+(?:, \d+)*)\]$", text)
                assert marks, (slug, text)
                for n in marks.group(1).split(", "):
                    assert f"[{n}] " in foot
            n = notes(slide)
            assert n.startswith("Say: ") and "\n\nAsk the room: " in n
            for p in points:
                for rid in p.cites:
                    r = pack.records[rid]
                    assert r.text in n, (slug, rid)
                    assert r.label in n and record_url(r, BASE) in n


def test_title_slide(decks, settings, corpus):
    pack, prs, _ = decks["07-information-sharing"]
    first = prs.slides[0]
    sub = first.placeholders[1].text_frame.text
    assert "Working Together to Safeguard Children 2023" in sub and "Sources dated 2023" in sub
    assert pack.corpus_hash[:12] not in sub  # no hash on the title: provenance is on the last slide
    assert f"{BASE}topics/07-information-sharing.html" in notes(first)
    assert pack.corpus_hash[:12] in notes(first)
    dsl = build_pack(settings, "7", audience="education DSLs", corpus=corpus)
    prs2 = _open(render(dsl, "pptx"))
    assert prs2.slides[0].placeholders[1].text_frame.paragraphs[0].text == "For education DSLs"


def _open(data: bytes):
    from pptx import Presentation

    return Presentation(io.BytesIO(data))


def test_chart_slides_are_native_charts_of_the_published_figures(decks):
    questions = {q.id: q for q in load_consultation()}
    seen = 0
    for slug, (pack, prs, _) in decks.items():
        charts = [s for s in prs.slides if s.shapes.title.text.startswith("Consultation figures")]
        assert len(charts) == len(pack.figures), slug
        for slide, q in zip(charts, pack.figures, strict=True):
            frames = [sh for sh in slide.shapes if sh.has_chart]
            assert len(frames) == 1
            chart = frames[0].chart
            published = questions[q.id]
            assert list(chart.plots[0].categories) == [r.label for r in published.results]
            assert list(chart.series[0].values) == [r.percent for r in published.results]
            assert chart.chart_title.text_frame.text == f"“{published.question.strip()}”"
            assert len(published.results) >= 2  # a one-bar chart says nothing
            caption = footer(slide)
            src = pack.records[q.record_ids[0]]
            assert re.match(r"(?:[\d,]+ responses|Responses not published); source: [^\[]+: \[1\] ", caption)
            assert src.label.split(" › ")[0] in caption
            assert src.text in notes(slide) and record_url(src, BASE) in notes(slide)
            seen += 1
    assert seen >= 10


def test_what_people_said_marks_views(decks):
    pack, prs, _ = decks["01-lead-practitioner"]
    slide = [s for s in prs.slides if s.shapes.title.text == "What people said"][0]
    paras = body_paragraphs(slide)
    assert paras[0] == VIEWS == "Respondents' views, not guidance"
    for r, text in zip(pack.quotes, paras[1:], strict=True):
        assert text.startswith(f"“{r.text}” — {r.attribution}") and re.search(r"\[\d+\]$", text)
        assert r.text in notes(slide) and record_url(r, BASE) in notes(slide)
    # a topic whose sections quote nobody gets no such slide rather than an empty one
    pack, prs, _ = decks["07-information-sharing"]
    assert not pack.quotes and "What people said" not in [s.shapes.title.text for s in prs.slides]


def test_scenario_discussion_and_sources_slides(decks):
    for slug, (pack, prs, _) in decks.items():
        slides = list(prs.slides)
        case, disc, src = slides[-3], slides[-2], slides[-1]
        assert pack.scenario and case.shapes.title.text.startswith("Case scenario: ")
        body = body_paragraphs(case)
        assert body[0] == pack.scenario.vignette and body[2:] == pack.scenario.questions
        assert re.match(r"For the debrief: [^\[]+: \[1\] ", footer(case))
        for rid in pack.scenario.debrief:
            assert pack.records[rid].text in notes(case), slug
        assert body_paragraphs(disc) == pack.discussion and 3 <= len(pack.discussion) <= 5
        text = src.placeholders[1].text_frame.text
        cited_docs = {r.document for r in pack.records.values()}
        assert {d.id for d in pack.sources} == cited_docs
        for d in pack.sources:
            assert d.title in text and d.publisher in text
        assert f"{BASE}{pack.topic.page}.html" in text
        assert f"newest {pack.corpus_date}" in text and pack.corpus_hash[:12] in text  # provenance, last slide


def test_same_pack_same_bytes(settings, corpus, decks):
    pack, _, data = decks["02-safeguarding-arrangements"]
    again = build_pack(settings, "02-safeguarding-arrangements", corpus=corpus)
    assert render(again, "pptx", BASE) == data
    assert render(again, "md", BASE) == render(pack, "md", BASE)
    for fmt in FORMATS:
        assert render(again, fmt, BASE) == render(pack, fmt, BASE), fmt
        assert render(again, fmt) == render(pack, fmt), fmt
    z = zipfile.ZipFile(io.BytesIO(data))
    assert {i.date_time for i in z.infolist()} == {(2024, 1, 1, 0, 0, 0)}
    prs = _open(data)
    cp = prs.core_properties
    assert cp.author == "wtkb" and cp.revision == 1 and cp.title == pack.title


def test_markdown_deck(packs):
    pack = packs["01-lead-practitioner"]
    md = render(pack, "md", BASE).decode("utf-8")
    slides = md.split("\n\n---\n\n")
    assert len(slides) == slide_count(pack)
    assert [re.search(r"^## (.*)$", s, re.M).group(1) for s in slides] == \
        [s.title for s in outline(pack)]
    assert md.count("\n## ") + md.startswith("## ") == slide_count(pack)
    first_point = pack.slides[0].points[0]
    rid = first_point.cites[0]
    assert f"({record_url(pack.records[rid], BASE)})" in md  # the label links to the paragraph
    assert "> **Speaker notes**" in md
    assert pack.records[rid].text[:80] in md
    assert "| Yes | 36% |" in md and VIEWS in md and "Say: " in md


def test_handout_is_one_short_escaped_page(packs, settings, corpus):
    for slug, pack in packs.items():
        page = render(pack, "html", BASE).decode("utf-8")
        assert page.startswith("<!DOCTYPE html>") and "@page { size: A4; margin: 12mm; }" in page
        visible = html.unescape(re.sub(r"<style>.*?</style>|<[^>]+>", "", page, flags=re.S))
        assert len(visible) < 6500, (slug, len(visible))  # about one A4 page at 8.6pt in two columns
        for q in pack.discussion:
            assert html.escape(q, quote=True) in page
        assert VIEWS in html.unescape(page) or not pack.quotes
        assert "<script" not in page and "<img" not in page
    evil = build_pack(settings, "lead practitioner", audience="<script>alert(1)</script>", corpus=corpus)
    evil = dataclasses.replace(evil, title="<b>Lead</b> & co")
    page = render(evil, "html", BASE).decode("utf-8")
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>Lead</b>" not in page and "&lt;b&gt;Lead&lt;/b&gt; &amp; co" in page
    md = render(evil, "md").decode("utf-8")
    assert "<script>alert" not in render(evil, "seven").decode("utf-8")
    assert "<script>" not in md
    deck = _open(render(evil, "pptx"))
    assert deck.slides[0].placeholders[1].text_frame.paragraphs[0].text == "For <script>alert(1)</script>"


def test_links_use_the_public_address_or_name_the_source(packs):
    pack = packs["04-early-help"]
    rid = pack.what_changed[0].cites[0]
    page = render(pack, "html", BASE).decode("utf-8")
    assert f'href="{html.escape(record_url(pack.records[rid], BASE))}"' in page
    for base in (None, "/", "/wt/"):  # no public address: no links, the source and page by name
        for fmt in FORMATS:
            data = render(pack, fmt, base)
            assert b"href=" not in data and b"http://" not in data and b"localhost" not in data, (fmt, base)
    md = render(pack, "md").decode("utf-8")
    assert f"paragraph {rid}" in md and "handbook page" in md


def test_settings_base_url_is_public_only_when_a_full_url(settings):
    from wtkb.briefing.render import public_base

    assert public_base(settings.model_copy(update={"base_url": "/"})) is None
    assert public_base(settings.model_copy(update={"base_url": BASE})) == BASE


@pytest.mark.browser
def test_handout_prints_on_one_a4_page(packs, browser):
    """Headless Chromium prints each built-in topic's handout on a single A4 page."""
    page = browser.new_page()
    try:
        for slug, pack in packs.items():
            page.set_content(render(pack, "html").decode("utf-8"))
            pdf = page.pdf(prefer_css_page_size=True)
            assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1, slug
    finally:
        page.close()
