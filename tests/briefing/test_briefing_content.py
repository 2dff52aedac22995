"""Pack content for the built-in topics: derived from the chapters, every point cited, nothing invented."""

from __future__ import annotations

import re
import time

import pytest

from wtkb.briefing import (
    MAX_KEY_SLIDES,
    MIN_KEY_SLIDES,
    BriefingError,
    Point,
    build_pack,
    find_topic,
    for_audience,
    is_view,
    parse_chapter,
    plain,
)
from wtkb.reference.consultation import load_consultation

MARKUP = re.compile(r"\{(?:para|duty|term)\}|`|\*\*|\]\(|\\")


def test_list_topics_are_the_chapters(topics, settings):
    files = sorted(p.stem for p in (settings.root / "book/topics").glob("*.md"))
    assert [t.slug for t in topics] == files and len(topics) == 10
    lp = topics[0]
    assert lp.slug == "01-lead-practitioner" and lp.title == "Who can be the lead practitioner"
    assert lp.page == "topics/01-lead-practitioner" and lp.number == 1
    for t in topics:
        assert t.path.read_text(encoding="utf-8").splitlines()[0] == f"# {t.title}"


@pytest.mark.parametrize("text, slug", [
    ("lead practitioner", "01-lead-practitioner"),
    ("Lead Practitioners", "01-lead-practitioner"),
    ("1", "01-lead-practitioner"),
    ("01", "01-lead-practitioner"),
    ("01-lead-practitioner", "01-lead-practitioner"),
    ("information sharing", "07-information-sharing"),
    ("7", "07-information-sharing"),
    ("disabled children", "05-disabled-children"),
    ("prisons", "08-prisons-probation-mbu"),
    ("early help", "04-early-help"),
])
def test_find_topic(topics, text, slug):
    assert find_topic(topics, text).slug == slug


@pytest.mark.parametrize("text", ["family group conferences", "offshore wind farm maintenance", "", "11", "the"])
def test_free_text_is_not_a_built_in_topic(topics, text):
    assert find_topic(topics, text) is None


def test_plain_strips_roles_and_records_citations():
    text, cites = plain("Support under {term}`s17` is flexible {para}`cr2023-support-under-section-17-p1` "
                        "{duty}`ca1989-s17` {duty}`ca1989-s47`; see [the map](10-what-moved.md) and **this** "
                        "{para}`their words <cr2023-fn12>`.")
    assert text == ("Support under s17 is flexible (Children Act 1989 s 17; Children Act 1989 s 47); "
                    "see the map and this their words.")
    assert cites == ["cr2023-support-under-section-17-p1", "cr2023-fn12"]


def test_every_topic_builds_a_cited_pack(packs, corpus, topics):
    by_id = corpus.by_id
    for t in topics:
        pack = packs[t.slug]
        assert pack.topic == t and pack.mode == "topic" and pack.title == t.title
        assert MIN_KEY_SLIDES <= len(pack.slides) <= MAX_KEY_SLIDES, t.slug
        assert pack.what_changed, t.slug
        assert 3 <= len(pack.discussion) <= 5, t.slug
        chapter = t.path.read_text(encoding="utf-8")
        for s in pack.slides:
            assert 2 <= len(s.points) <= 5, (t.slug, s.title)
        for p in pack.points:
            assert p.cites, p.text
            assert not MARKUP.search(p.text), p.text
            assert not p.quoted
            for c in p.cites:
                assert c in by_id and c in pack.records
                assert f"{{para}}`{c}`" in chapter  # the chapter itself cites it
        docs = {pack.records[c].document for c in pack.records}
        assert {s.id for s in pack.sources} == docs


def test_points_are_the_chapters_own_sentences(packs, topics):
    """A point is a sentence, item or table row of its chapter: its words are the chapter's, in order."""
    for t in topics:
        chapter_text = plain(t.path.read_text(encoding="utf-8"))[0]
        chapter_words = " ".join(re.findall(r"\w+", chapter_text.lower()))
        for p in packs[t.slug].points:
            body = re.sub(r"^[^:]{2,70}: ", "", p.text)  # a lead-in label ("Allocation:") is a heading of the chapter
            for part in re.split(r"[:;] ", body):  # list items joined to their introduction
                words = " ".join(re.findall(r"\w+", part.lower()))
                if len(words) > 12:
                    assert words in chapter_words, (t.slug, part)


def test_a_sentence_without_citation_is_never_a_point(packs):
    texts = [p.text for p in packs["08-prisons-probation-mbu"].points]
    assert not any("records these changes and positions" in x for x in texts)  # uncited list introduction
    texts = [p.text for p in packs["04-early-help"].points]
    assert not any(x.startswith("Three themes stood out") for x in texts)


def test_list_fragments_keep_their_introduction(packs):
    chair = [p for p in packs["02-safeguarding-arrangements"].points if "while clarifying that" in p.text]
    assert len(chair) == 1
    assert "no specific post, such as the DCS, is named as chair" in chair[0].text
    assert "cr2023-partnership-chair-government-response-p5" in chair[0].cites
    myths = [p for p in packs["07-information-sharing"].points if "common myths" in p.text]
    assert myths and "that consent is needed to share personal information" in myths[0].text


def test_what_changed_is_the_in_short_box(packs, topics):
    ch = parse_chapter(topics[0])
    assert [p.text for p in packs[topics[0].slug].what_changed] == [p.text for p in ch.in_short]
    assert "the lead practitioner remains a social worker" in packs[topics[0].slug].what_changed[1].text


def test_discussion_questions_come_from_the_chapter(packs, topics):
    for t in topics:
        md = t.path.read_text(encoding="utf-8")
        section = md[md.index("## Questions for discussion"):md.index("## See also")]
        assert packs[t.slug].discussion == [line[2:] for line in section.splitlines() if line.startswith("- ")]
        assert all(q.endswith("?") for q in packs[t.slug].discussion)


def test_figures_are_the_consultation_questions_the_chapter_cites(packs, topics):
    questions = {q.id: q for q in load_consultation()}
    lp = packs["01-lead-practitioner"]
    # Devon's one-figure question is cited, but a one-bar chart says nothing: no chart for it
    assert [q.id for q in lp.figures] == ["q-section-17-outcomes", "q-social-work-oversight"]
    for t in topics:
        pack = packs[t.slug]
        md = t.path.read_text(encoding="utf-8")
        for q in pack.figures:
            assert q == questions[q.id] and len(q.results) >= 2
            assert any(f"{{para}}`{r}`" in md for r in q.record_ids)
    assert packs["07-information-sharing"].figures == []  # no figure is about information sharing


def test_quotes_are_attributed_views(packs, corpus):
    for pack in packs.values():
        assert len(pack.quotes) <= 3 and sum(len(r.text) for r in pack.quotes) <= 560  # one slide at 20 pt
        for r in pack.quotes:
            assert r.kind == "quote" and r.attribution and is_view(r)
            assert corpus.by_id[r.id] == r
    lp = packs["01-lead-practitioner"]
    assert {r.attribution for r in lp.quotes} >= {"Health practitioner"}
    guidance = corpus.by_id["devon2024-sharing-information-p1"]
    assert guidance.kind == "quote" and not is_view(guidance)  # the guidance quoted, not anybody's view


def test_audience_words_come_first_within_a_slide(settings, corpus, packs):
    plain_pack = packs["01-lead-practitioner"]
    dsl = build_pack(settings, "lead practitioner", audience="education DSLs", corpus=corpus)
    assert dsl.audience == "education DSLs"
    said = [s for s in dsl.slides if s.title == "What respondents said"][0]
    assert "education" in said.points[0].text
    before = [s for s in plain_pack.slides if s.title == "What respondents said"][0]
    assert "education" not in before.points[0].text
    # the same points overall, only reordered
    assert sorted(p.text for p in dsl.points) == sorted(p.text for p in plain_pack.points)


def test_audience_ordering_keeps_a_sentence_with_the_one_it_leans_on():
    import re as _re

    pts = [Point("Government declined.", ["a"]), Point("Schools asked for help.", ["b"]),
           Point("It also noted costs.", ["c"])]
    out = for_audience(pts, [_re.compile(r"\bschools?\b", _re.I)])
    assert [p.cites for p in out] == [["b"], ["c"], ["a"]]


def test_built_in_topics_need_no_index_and_are_fast(settings, corpus, topics, monkeypatch):
    import wtkb.qa

    def boom(*a, **k):
        raise AssertionError("a built-in topic must not load the index")

    monkeypatch.setattr(wtkb.qa, "load_qa", boom)
    for t in topics:
        start = time.perf_counter()
        build_pack(settings, t.title, corpus=corpus)
        assert time.perf_counter() - start < 2.0


def test_same_options_same_pack(settings, corpus):
    a = build_pack(settings, "information sharing", "police", corpus=corpus)
    b = build_pack(settings, "information sharing", "police", corpus=corpus)
    assert a.to_dict() == b.to_dict()


@pytest.mark.parametrize("topic, words", [("", "no topic given"), ("   ", "no topic given"),
                                          ("x" * 1001, "limit is 1000")])
def test_bad_topics_raise(settings, corpus, topic, words):
    with pytest.raises(BriefingError, match=words):
        build_pack(settings, topic, corpus=corpus)


def test_a_chapter_without_discussion_questions_is_refused(tmp_path, corpus):
    from wtkb.settings import Settings

    (tmp_path / "book/topics").mkdir(parents=True)
    (tmp_path / "book/topics/01-x.md").write_text(
        "# Example\n\n## A\n\nOne {para}`cr2023-support-under-section-17-p1`. Two "
        "{para}`cr2023-support-under-section-17-p2`.\n", encoding="utf-8")
    with pytest.raises(BriefingError, match="discussion question") as exc:
        build_pack(Settings(root=tmp_path), "1", corpus=corpus)
    assert "Questions for discussion" in exc.value.fix and exc.value.path.endswith("01-x.md")
