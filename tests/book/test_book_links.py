"""The built handbook links out to the originals, and no duty page is an empty list (one full build, ``site``)."""

from __future__ import annotations

import re

import pytest

from wtkb.reference.duties import load_duties

pytestmark = pytest.mark.slow

LEGISLATION = "https://www.legislation.gov.uk/"
GOV_UK_RESPONSE = ("https://www.gov.uk/government/consultations/"
                   "working-together-to-safeguard-children-changes-to-statutory-guidance")


def test_the_s17_duty_page_links_the_section_on_legislation_gov_uk(site):
    hrefs = [href for href, _cls, _text in site.page("duties/ca1989-s17.html").links]
    assert LEGISLATION + "ukpga/1989/41/section/17" in hrefs


def test_every_duty_page_links_legislation_gov_uk(site):
    for d in load_duties():
        hrefs = [href for href, _cls, _text in site.page(f"duties/{d.id}.html").links]
        assert any(h.startswith(LEGISLATION) for h in hrefs), f"duties/{d.id}.html links nowhere outside"


def test_no_duty_page_is_an_empty_list(site):
    empty = 0
    for d in load_duties():
        text = (site.html / f"duties/{d.id}.html").read_text(encoding="utf-8")
        assert "None of the 5 sources discusses this provision" not in text
        if 'class="wtkb-backlinks' in text:
            continue  # paragraphs that discuss it
        empty += 1
        # no paragraph: it says where the provision fits, links out, and names related pages
        assert "Where it fits" in text and "wtkb-fits" in text, d.id
        assert any(rubric in text for rubric in ("Other provisions of the", "Topic chapters on the same ground",
                                                 "Where to look next")), d.id
    assert 0 < empty < len(load_duties())


def test_s11_and_s175_pages_point_somewhere_useful(site):
    for rel in ("duties/ca2004-s11.html", "duties/ea2002-s175.html"):
        page = site.page(rel)
        internal = [href for href, cls, _ in page.links if href.endswith(".html") and "topics/" in href]
        assert internal, f"{rel} links no topic chapter"


def test_the_consultation_responses_source_page_links_the_original_on_gov_uk(site):
    hrefs = [href for href, _cls, _text in site.page("sources/cr2023/index.html").links]
    assert GOV_UK_RESPONSE in hrefs


def test_every_cr2023_record_carries_a_citation_with_its_printed_page(site):
    pages = sorted((site.html / "sources" / "cr2023").glob("*.html"))
    buttons = 0
    for page in pages:
        for source in re.findall(r'data-source="([^"]*)"', page.read_text(encoding="utf-8")):
            buttons += 1
            assert source.startswith("HM Government (Dec 2023) ")
            assert re.search(r", (p\. \d+|pp\. \d+–\d+|from p\. \d+)\. https://www\.gov\.uk/", source), source
    assert buttons == sum(1 for r in site.corpus.records if r.document == "cr2023")


def test_no_reader_page_tells_practitioners_to_run_the_server(site):
    # the Ask page's own wording (and its fallback) is the `pages` branch's part of issue 11
    offenders = []
    for page in sorted(site.html.rglob("*.html")):
        rel = str(page.relative_to(site.html))
        if rel == "ask.html":
            continue
        text = page.read_text(encoding="utf-8")
        if "make run" in text or "127.0.0.1" in text:
            offenders.append(rel)
    assert offenders == []
