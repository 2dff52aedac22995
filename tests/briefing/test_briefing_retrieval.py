"""Free-text topics: retrieval decides coverage; points are handbook sentences or the sources' own, quoted."""

from __future__ import annotations

import io

import pytest

from wtkb.briefing import BriefingError, build_pack, list_topics, parse_chapter
from wtkb.briefing.render import render

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fgc(briefing_qa_settings, briefing_qa):
    return build_pack(briefing_qa_settings, "family group conferences", qa=briefing_qa)


def test_covered_free_text_topic_uses_retrieval(fgc, corpus, briefing_qa_settings):
    assert fgc.mode == "retrieval" and fgc.topic is None
    assert fgc.title == "Family group conferences" and fgc.query == "family group conferences"
    assert 1 <= len(fgc.slides) <= 10 and fgc.points
    by_id = corpus.by_id
    chapter_points = {p.text for t in list_topics(briefing_qa_settings)
                      for ch in [parse_chapter(t)] for p in [*ch.in_short, *(q for s in ch.sections for q in s.points)]}
    for p in fgc.points:
        assert p.cites and all(c in by_id for c in p.cites)
        if p.quoted:  # the source's own sentence, exactly, in quotation marks
            assert p.text.startswith("“") and p.text.endswith("”")
            assert p.text[1:-1] in by_id[p.cites[0]].text
        else:  # a handbook sentence (perhaps led by its section's title)
            assert p.text in chapter_points or p.text.split(": ", 1)[-1] in chapter_points, p.text
    cited = {c for p in fgc.points for c in p.cites}
    assert "cr2023-family-networks-p2" in cited  # the FGC figures paragraph
    assert [q.id for q in fgc.figures] == ["q-family-group-conferences"]
    for r in fgc.quotes:
        assert r.kind == "quote" and r.attribution
    assert 3 <= len(fgc.discussion) <= 5
    assert any("family group conference" in q for q in fgc.discussion)
    assert "04-early-help" in [t.slug for t in fgc.chapters]


def test_free_text_pack_renders(fgc):
    from pptx import Presentation

    prs = Presentation(io.BytesIO(render(fgc, "pptx")))
    titles = [s.shapes.title.text for s in prs.slides]
    assert titles[0] == "Family group conferences" and titles[-2:] == ["Questions for discussion", "Sources"]
    assert "retrieved for the free-text topic" in prs.slides[0].notes_slide.notes_text_frame.text
    assert render(fgc, "pptx") == render(fgc, "pptx")


def test_free_text_title_is_escaped(briefing_qa_settings, briefing_qa):
    pack = build_pack(briefing_qa_settings, "family group conferences <script>", qa=briefing_qa)
    assert pack.title == "Family group conferences <script>"
    page = render(pack, "html").decode("utf-8")
    assert "<script>" not in page and "<h1>Family group conferences &lt;script&gt;</h1>" in page


@pytest.mark.parametrize("topic", ["offshore wind farm maintenance", "female genital mutilation in Scotland"])
def test_uncovered_topic_is_refused(briefing_qa_settings, briefing_qa, topic):
    with pytest.raises(BriefingError) as exc:
        build_pack(briefing_qa_settings, topic, qa=briefing_qa)
    assert f"the sources do not cover “{topic}”" in exc.value.what
    assert "wtkb briefing --list" in exc.value.fix and "Information sharing and consent" in exc.value.fix
