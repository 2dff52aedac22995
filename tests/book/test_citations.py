"""Citations of the original documents: printed pages from cr2023's own contents list, case-record wording.

Fast: they read the real source file and the real corpus (no model, no handbook build).
"""

from __future__ import annotations

import pytest

from wtkb.corpus.citation import ambiguous_headings, published, publisher_name, section_of, source_citation
from wtkb.corpus.pages import contents, document_locators, locator, page_locators
from wtkb.corpus.sources import read_source
from wtkb.models import Record


def rec(rid: str, *section: str) -> Record:
    return Record(id=rid, document="d", section=list(section), kind="paragraph", text="t", label=rid, position=1,
                  line=1)


def test_contents_list_is_read_with_its_printed_pages(corpus):
    cr = next(d for d in corpus.sources if d.id == "cr2023")
    entries = contents(read_source(cr))
    assert entries[0] == ("Ministerial Foreword", 5)
    assert ("Support under section 17 of the Children Act 1989", 42) in entries
    assert entries[-1][0].startswith("Annex B")
    assert [p for _, p in entries] == sorted(p for _, p in entries)  # printed pages only go forward


def test_every_cr2023_record_gets_its_page_and_repeated_headings_find_their_own_entry(corpus):
    cr = next(d for d in corpus.sources if d.id == "cr2023")
    locs = document_locators(cr, corpus.records)
    assert set(locs) == {r.id for r in corpus.records if r.document == "cr2023"}
    assert locs["cr2023-support-under-section-17-p1"] == "pp. 42–44"
    # the "Government response" after section 17 is the one on p. 44, not the first in the document (p. 22)
    reply = next(r for r in corpus.records if r.section[-1:] == ["Government response"]
                 and "Support under section 17" in " ".join(r.section))
    assert locs[reply.id] == "pp. 44–45"
    others = [d for d in corpus.sources if d.id != "cr2023"]
    assert all(document_locators(d, corpus.records) == {} for d in others)  # no contents list, no page


def test_a_heading_missing_from_the_contents_keeps_the_page_above_it():
    entries = [("Intro", 3), ("Part one", 5), ("Part two", 9)]
    records = [rec("a", "Intro"), rec("b", "Part one"), rec("c", "Part one", "You said that:"), rec("d", "Part two")]
    assert page_locators(entries, records) == {"a": "pp. 3–5", "b": "pp. 5–9", "c": "pp. 5–9", "d": "from p. 9"}
    assert locator([("A", 4), ("B", 4)], 0) == "p. 4"


@pytest.mark.parametrize("date, shown", [("2023-12", "Dec 2023"), ("2023-07-26", "26 Jul 2023"), ("2023", "2023"),
                                         ("summer 2023", "summer 2023")])
def test_published_dates_read_as_in_a_reference(date, shown):
    assert published(date) == shown


def test_case_record_citation_names_publisher_date_title_section_page_and_address(corpus):
    cr = next(d for d in corpus.sources if d.id == "cr2023")
    assert publisher_name(cr.publisher) == "HM Government"
    records = [r for r in corpus.records if r.document == "cr2023"]
    r = corpus.by_id["cr2023-support-under-section-17-p1"]
    text = source_citation(r, cr, section_of(r, ambiguous_headings(records)), "pp. 42–44")
    assert text.startswith("HM Government (Dec 2023) Changes to statutory guidance: Working Together to Safeguard "
                           "Children – Government consultation response, ‘Support under section 17 of the Children "
                           "Act 1989’, pp. 42–44.")
    assert text.endswith(" https://www.gov.uk/government/consultations/"
                         "working-together-to-safeguard-children-changes-to-statutory-guidance")
    assert "para" not in text  # our own paragraph count is not the document's


def test_an_ambiguous_heading_is_shown_with_its_parent():
    records = [rec("a", "S1", "Early help", "Government response"), rec("b", "S1", "Family", "Government response")]
    amb = ambiguous_headings(records)
    assert amb == {"Government response"}
    assert section_of(records[0], amb) == "Early help › Government response"
