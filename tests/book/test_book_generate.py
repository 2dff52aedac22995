"""The generated MyST pages and charts, without running Sphinx."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

from wtkb.book import directive, generate, md, sync, tracker_sections
from wtkb.book.charts import chart_svg
from wtkb.reference import consultation as charts
from wtkb.reference.consultation import alt_text, load_consultation
from wtkb.urls import record_url

SAMPLE = """
- id: q-one
  section: "Section 3 – Help and support for children and their families"
  question: "Do you agree that the proposed changes will help?"
  responses: 1007
  para: cr2023-support-under-section-17-p3
  results:
    - {label: "Yes", percent: 36}
    - {label: "No", percent: 38}
    - {label: "Don't know", percent: 26}
  breakdowns: []
  note: "A note that names cr2023-support-under-section-17-p4."
- id: q-two
  section: "Help and support for children and families"
  question: "proposed changes to Section 17"
  responses: null
  para: devon2023-help-and-support-p2
  results:
    - {label: "Supportive", percent: 41}
  breakdowns: []
  note: null
"""


@pytest.fixture(scope="module")
def files(corpus, tmp_path_factory):
    from wtkb.settings import Settings

    return generate(Settings(build_dir=tmp_path_factory.mktemp("b")), corpus)


RECORD_RE = re.compile(r"^`{3,}\{wtkb-record\} (\S+)$", re.M)


def test_every_record_is_on_its_page_once(files, corpus):
    seen: dict[str, str] = {}
    for rel, text in files.items():
        if rel.endswith(".md"):
            for rid in RECORD_RE.findall(text):
                assert rid not in seen, f"{rid} on {rel} and {seen[rid]}"
                seen[rid] = rel
    assert seen == {r.id: f"{r.page}.md" for r in corpus.records}


def test_record_directive_carries_label_kind_and_text(files, corpus):
    r = corpus.by_id["cr2023-support-under-section-17-p1"]
    page = files[f"{r.page}.md"]
    block = page[page.index(f"{{wtkb-record}} {r.id}"):]
    block = block[:block.index("\n```\n")]
    assert f':label: "{r.label}"' in block
    assert ":kind: \"paragraph\"" in block
    assert ":footnotes: \"cr2023-fn12\"" in block
    assert ":duties: \"ca1989-s17\"" in block
    assert block.rstrip().endswith(r.text)


def test_quotes_keep_attribution_and_the_table_its_rows(files, corpus):
    q = corpus.by_id["cr2023-partnership-chair-p3"]
    assert f':attribution: "{q.attribution}"' in files[f"{q.page}.md"]
    t = next(r for r in corpus.records if r.kind == "table")
    page = files[f"{t.page}.md"]
    assert '[["Respondent group", "Respondent type"], ["Child"' in page


def test_cr2023_is_split_in_document_order_with_a_landing_page(files, corpus):
    pages = sorted(p for p in files if p.startswith("sources/cr2023/") and p != "sources/cr2023/index.md")
    order = list(dict.fromkeys(f"{r.page}.md" for r in corpus.records if r.document == "cr2023"))
    assert pages == order
    assert "{tableofcontents}" in files["sources/cr2023/index.md"]
    for doc in ("devon2023", "devon2024", "lscp2023", "bondsolon2023"):
        assert f"{{wtkb-source}} {doc}" in files[f"sources/{doc}.md"]


def test_headings_follow_the_section_path(files):
    page = files["sources/cr2023/15-section-3-help-and-support.md"]
    assert page.startswith("% GENERATED")
    assert "\n# Section 3 – Help and support for children and their families\n" in page
    assert "\n## Support under section 17 of the Children Act 1989\n" in page
    assert "\n### Government response\n" in page
    assert "\n# Devon partnership briefing 2024\n" in files["sources/devon2024.md"]


def test_generation_is_reproducible(files, corpus, tmp_path):
    from wtkb.settings import Settings

    again = generate(Settings(build_dir=tmp_path), corpus)
    assert again == files


def test_duty_pages_and_register(files):
    from wtkb.reference.duties import load_duties

    for d in load_duties():
        page = files[f"duties/{d.id}.md"]
        assert f"{{wtkb-duty}} {d.id}" in page and f"{{duty-backlinks}} {d.id}" in page
    assert "{duty-register}" in files["duties/index.md"]


def test_glossary_page_has_every_term(files):
    from wtkb.reference.glossary import load_glossary

    page = files["generated/glossary.md"]
    assert ":::{glossary}" in page
    for e in load_glossary():
        assert f"\n{e.term}\n  " in page


def test_tracker_lines_up_main_body_sections_not_annex_b(corpus, files):
    sections = tracker_sections(corpus)
    assert [s.title for s in sections] == [
        "Views of children and young people", "Section 1 – A shared endeavour",
        "Section 2 – Multi-agency safeguarding arrangements (MASA)",
        "Section 3 – Help and support for children and their families",
        "Section 4 – Decisive, multi-agency child protection",
        "Section 5 – Learning from serious child safeguarding incidents"]
    for s in sections:
        assert s.said and s.will
        assert all(not r.section[0].startswith("Annex") for r in s.said + s.will)
        assert all(r.duplicate_of is None for r in s.said + s.will)
    s3 = sections[3]
    assert s3.repeats[s3.said[2].id] == "cr2023-section-3-help-support-you-said-that-p3"
    page = files["generated/you-said-we-will.md"]
    assert "{para}`para 3 <cr2023-you-said-we-will-section-3-you-said-that-p3>`" in page
    assert "{para}`in Annex B <cr2023-section-3-help-support-you-said-that-p3>`" in page


def test_consultation_sample_renders_charts_with_numbers_in_alt_text(corpus, tmp_path, monkeypatch):
    path = tmp_path / "consultation.yaml"
    path.write_text(SAMPLE, encoding="utf-8")
    monkeypatch.setattr(charts, "consultation_path", lambda: path)
    from wtkb.book import consultation_page

    page, svgs = consultation_page(corpus)
    assert set(svgs) == {"generated/charts/q-one.svg", "generated/charts/q-two.svg"}
    qs = load_consultation(path)
    assert alt_text(qs[0]) == ("Bar chart of the answers to “Do you agree that the proposed changes will help?”. "
                               "1,007 responses: Yes 36%; No 38%; Don't know 26%.")
    assert "41%" in alt_text(qs[1]) and "not published" in alt_text(qs[1])
    assert f':alt: "{alt_text(qs[0])}"' in page
    assert ":class: wtkb-sortable" in page  # the summary table is sortable
    assert "{para}`cr2023-support-under-section-17-p4`" in page  # IDs in a note become links
    assert "## Devon consultation feedback 2023: Help and support for children and families" in page
    svg = html.unescape(svgs["generated/charts/q-one.svg"].decode())
    assert svg.startswith("<?xml") and f"<title>{alt_text(qs[0])}</title>" in svg


def test_charts_are_byte_for_byte_reproducible():
    q = load_consultation()[0] if load_consultation() else None
    if q is None:
        pytest.skip("no consultation data file yet")
    assert chart_svg(q) == chart_svg(q)


def test_real_consultation_file_has_a_chart_per_answered_question(files):
    qs = load_consultation()
    if not qs:
        pytest.skip("no consultation data file yet")
    assert {f"generated/charts/{q.id}.svg" for q in qs if q.results} == {
        p for p in files if p.startswith("generated/charts/")}
    assert "devon-lead-professional-section-17" in files["generated/consultation.md"]


def test_markdown_escaping():
    assert md("a *b* [c](d) {para}`x` <i> $1 & #2") == r"a \*b\* \[c\](d) \{para\}\`x\` \<i\> \$1 \& \#2"
    assert md("1. not a list") == r"1\. not a list"
    assert md("- not a bullet") == r"\- not a bullet"
    assert md("two\nlines") == "two lines"


def test_directive_option_values_are_quoted_and_fences_grow():
    text = directive("wtkb-record", "x", [("label", 'Annex A: "quoted" › para 1'), ("empty", None)], "a ``` b")
    assert ':label: "Annex A: \\"quoted\\" › para 1"' in text
    assert ":empty:" not in text
    assert text.startswith("````{wtkb-record} x") and text.rstrip().endswith("````")
    assert yaml.safe_load(text.splitlines()[1].split(": ", 1)[1]) == 'Annex A: "quoted" › para 1'


def test_record_url(corpus):
    r = corpus.by_id["cr2023-support-under-section-17-p1"]
    assert record_url(r) == ("/sources/cr2023/15-section-3-help-and-support.html"
                             "#cr2023-support-under-section-17-p1")
    assert record_url(r, "https://x.org/kb/").startswith("https://x.org/kb/sources/cr2023/")


def test_sync_writes_changes_only_and_removes_stale_files(tmp_path):
    book = tmp_path / "book"
    (book / "topics").mkdir(parents=True)
    (book / "topics" / "mine.md").write_text("hand-written")
    changed = sync(book, {"sources/a.md": "A", "generated/charts/c.svg": b"<svg/>"})
    assert sorted(changed) == ["generated/charts/c.svg", "sources/a.md"]
    mtime = (book / "sources" / "a.md").stat().st_mtime_ns
    assert sync(book, {"sources/a.md": "A", "generated/charts/c.svg": b"<svg/>"}) == []
    assert (book / "sources" / "a.md").stat().st_mtime_ns == mtime
    (book / "sources" / "old.md").write_text("stale")
    sync(book, {"sources/a.md": "A"})
    assert not (book / "sources" / "old.md").exists()
    assert not (book / "generated").exists()
    assert (book / "topics" / "mine.md").read_text() == "hand-written"  # never touched
    assert Path(book / "sources" / "a.md").read_text() == "A"
