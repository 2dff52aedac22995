"""The corpus built from the real sources: clean, joined, citable, stable."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from wtkb.corpus import build_corpus, paragraph_id

FURNITURE = [r"Skip to content", r"Toggle Contrast", r"^Top$", r"Please leave a comment", r"call us on",
             r"Follow us on", r"Like us on", r"Want more information\?", r"Related Sector:",
             r"^Date: .*Category:"]
MARKUP = [r"<sup>", r"</?b>", r"\*\*", r"\]\(", r"\]\(#\)", r"\\\(", r"^#+ ", r"\t"]


def test_no_furniture_or_markup_in_any_text(corpus):
    offenders = []
    for r in corpus.records:
        for pat in FURNITURE + MARKUP:
            if re.search(pat, r.text, re.M):
                offenders.append((r.id, pat, r.text[:80]))
    assert offenders == []


def test_real_content_near_furniture_is_kept(corpus):
    texts = [r.text for r in corpus.records if r.document == "devon2024"]
    assert any("contact our Front Door directly by calling 0345 155 1071" in t for t in texts)
    assert any(t == "Need an urgent response from MASH?" for t in texts)


@pytest.mark.parametrize("joined", [
    "Just under one fifth of respondents (19%) disagreed/strongly disagree",
    "the decision about how lead practitioners will be allocated will be for the social work qualified",
    "(Lead Safeguarding Partners - LSPs) and those responsible for leading operational delivery",
    "is a local authority duty, designed to be flexible",
    "how decisions are made and the role of social work",
])
def test_page_break_joins_are_made(corpus, joined):
    hits = [r for r in corpus.records if joined in r.text]
    assert len(hits) == 1, f"{joined!r} should be inside exactly one record, found {len(hits)}"


def test_about_twenty_joins_in_the_consultation_response(corpus):
    assert 18 <= corpus.joins["cr2023"] <= 24


def test_no_body_paragraph_starts_mid_sentence(corpus):
    mid = [r for r in corpus.records if r.kind in ("paragraph", "quote") and re.match(r"^[a-z(]", r.text)]
    assert mid == []


def test_footnotes_are_citable_records(corpus):
    fn13 = corpus.by_id["cr2023-fn13"]
    assert fn13.kind == "footnote"
    assert fn13.text.startswith("The Designated Social Care Officer is a role within the local authority")
    citing = [r for r in corpus.records if "cr2023-fn13" in r.footnotes]
    assert len(citing) == 1 and "Respondents welcomed the role of Designated Social Care Officer." in citing[0].text
    # footnote 12's list stays with its footnote and out of the text flow
    fn12 = corpus.by_id["cr2023-fn12"]
    assert "a) is a general duty" in fn12.text and "e) is a general duty on the local authority" in fn12.text
    assert not any(r.kind != "footnote" and "a) is a general duty" in r.text for r in corpus.records)
    assert sorted(int(r.position) for r in corpus.records if r.document == "cr2023" and r.kind == "footnote") \
        == list(range(1, 18))


def test_table_1_has_real_rows(corpus):
    tables = [r for r in corpus.records if r.kind == "table"]
    assert len(tables) == 1
    t = tables[0]
    assert t.caption == "Table 1: Main consultation respondent groups"
    assert t.rows[0] == ["Respondent group", "Respondent type"]
    assert len(t.rows) == 14
    groups = {row[0]: row[1] for row in t.rows[1:]}
    assert groups["Police"] == "Police Officer"
    assert "Director of children's services" in groups["Local Authority"]


def test_figures_keep_their_caption_only(corpus):
    figs = [r.text for r in corpus.records if r.kind == "figure"]
    assert figs == ["Figure 1: Respondent type", "Figure 2: Breakdown of respondent groups"]


def test_quotes_keep_their_attribution(corpus):
    quotes = [r for r in corpus.records if r.kind == "quote"]
    barnardos = [q for q in quotes if q.attribution == "Barnardo's"]
    assert barnardos and barnardos[0].text.startswith("This section provides a good starting point")
    assert not any(q.text.endswith("]") for q in quotes)
    wt = [q for q in quotes if q.document == "devon2024"]
    assert wt[0].attribution == "Working Together to Safeguard Children 2023"


def test_table_of_contents_is_not_content(corpus):
    assert not any(re.search(r"Ministerial Foreword\s*5|Executive summary\s*7", r.text) for r in corpus.records)
    assert not any(r.section and r.section[0] == "Contents" for r in corpus.records)


def test_annex_b_repeats_are_marked_as_duplicates(corpus):
    annex = [r for r in corpus.records if r.section and r.section[0].startswith("Annex B")]
    assert len(annex) == 40
    by_id = corpus.by_id
    for r in annex:
        assert r.duplicate_of, f"{r.id} repeats an earlier list item but is not marked"
        first = by_id[r.duplicate_of]
        assert not first.section[0].startswith("Annex B") and first.duplicate_of is None
    body_dups = [r for r in corpus.records if r.duplicate_of and not r.section[0].startswith("Annex B")]
    assert body_dups == []


def test_heading_hierarchy(corpus):
    by_id = corpus.by_id
    gr = [r for r in corpus.records if r.section[-1:] == ["Government response"]
          and r.section[-2:-1] == ["Support under section 17 of the Children Act 1989"]]
    assert gr and gr[0].section == ["Section 3 – Help and support for children and their families",
                                    "Support under section 17 of the Children Act 1989", "Government response"]
    assert by_id["devon2024-chapter-2-p1"].section == ["Overview of the main changes in Working Together 2023",
                                                        "Chapter 2"]


def test_ids_unique_and_labels_sayable(corpus):
    ids = [r.id for r in corpus.records]
    assert len(ids) == len(set(ids))
    for r in corpus.records:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r.id), r.id
        assert r.label.startswith(next(s.short_title for s in corpus.sources if s.id == r.document))
    assert corpus.by_id["cr2023-support-under-section-17-government-response-p1"].label == (
        "Consultation response 2023 › Support under section 17 of the Children Act 1989 › Government response › para 1")
    assert paragraph_id("cr2023", "partnership-chair", 2) == "cr2023-partnership-chair-p2"


def test_ids_unchanged_between_two_builds(root, corpus):
    again = build_corpus(root / "sources")
    assert [r.id for r in again.records] == [r.id for r in corpus.records]
    assert again.hash == corpus.hash


SNAPSHOT = Path(__file__).with_name("ids.snapshot.txt")


def test_ids_match_snapshot(corpus):
    """An accidental change to any ID fails here. After a deliberate change, regenerate with
    WTKB_UPDATE_SNAPSHOT=1 pytest tests/corpus -k snapshot, and say why in the commit."""
    current = "".join(f"{r.id}\t{r.kind}\t{r.label}\n" for r in corpus.records)
    if os.environ.get("WTKB_UPDATE_SNAPSHOT") == "1":
        SNAPSHOT.write_text(current, encoding="utf-8")
    assert SNAPSHOT.read_text(encoding="utf-8") == current


def test_counts_per_document(corpus):
    counts = {}
    for r in corpus.records:
        counts[r.document] = counts.get(r.document, 0) + 1
    assert set(counts) == {"devon2023", "devon2024", "lscp2023", "bondsolon2023", "cr2023"}
    assert counts["cr2023"] > 500 and min(counts.values()) >= 10
