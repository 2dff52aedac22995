"""The 7-minute briefing: seven cited boxes, one printed A4 page (HTML) or one A4 slide (pptx)."""

from __future__ import annotations

import html
import io
import re

import pytest
from pptx import Presentation

from wtkb.briefing.render import render
from wtkb.briefing.seven import TITLES, seven_minute


def test_seven_boxes_every_one_cited(packs):
    for slug, pack in packs.items():
        boxes = seven_minute(pack)
        assert [b.title for b in boxes] == list(TITLES), slug
        for b in boxes:
            cites = [c for p in b.points for c in p.cites] + b.cites
            assert cites and all(c in pack.records for c in cites), (slug, b.title)
            assert b.points or b.lines, (slug, b.title)


def test_seven_minute_html(packs):
    pack = packs["01-lead-practitioner"]
    page = render(pack, "seven", "https://kb.example.org/").decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "@page { size: A4;" in page
    assert page.count("<section class=\"box\">") == 7
    for n, title in enumerate(TITLES, 1):
        assert f'<span class="n">{n}</span>{html.escape(title)}</h2>' in page
    sections = re.findall(r'<section class="box.*?</section>', page, re.S)
    assert all('class="cite"' in s for s in sections)  # every box cited
    assert "https://kb.example.org/sources/" in page and "<script" not in page


def test_seven_minute_single_slide(packs):
    pack = packs["01-lead-practitioner"]
    data = render(pack, "seven-pptx")
    prs = Presentation(io.BytesIO(data))
    assert len(prs.slides) == 1 and prs.slide_height > prs.slide_width  # portrait A4
    texts = [sh.text_frame.text for sh in prs.slides[0].shapes if sh.has_text_frame]
    for n, title in enumerate(TITLES, 1):
        box = next(t for t in texts if t.startswith(f"{n}. {title}"))
        assert "[" in box or "Rests on:" in box
    assert b"localhost" not in data
    assert render(pack, "seven-pptx") == data


@pytest.mark.browser
def test_seven_minute_prints_on_one_a4_page(packs, audience_decks, browser):
    """Headless Chromium prints the 7-minute briefing of every built-in topic, for no audience and for
    several, on one A4 page."""
    page = browser.new_page()
    tailored = {key: pack for key, (pack, _) in audience_decks.items()}
    try:
        for key, pack in [*packs.items(), *tailored.items()]:
            page.set_content(render(pack, "seven").decode("utf-8"))
            pdf = page.pdf(prefer_css_page_size=True)
            assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1, key
    finally:
        page.close()
