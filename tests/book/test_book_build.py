"""A full handbook build (into a temp folder): anchors, links, duty pages, and the atomic swap."""

from __future__ import annotations

import html
import json
import posixpath
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wtkb.book import build_book
from wtkb.cli import app
from wtkb.errors import WtkbError

from ..conftest import make_project, parse_html

pytestmark = pytest.mark.slow

REF_CLASSES = ("wtkb-para-ref", "wtkb-duty-ref", "wtkb-fnref")


def cli_records() -> list[dict]:
    result = CliRunner().invoke(app, ["paragraphs", "--jsonl"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_every_paragraph_id_is_an_anchor_on_its_page(site):
    records = cli_records()
    assert len(records) == len(site.corpus.records)
    for r in records:
        page = site.html / f"{r['page']}.html"
        assert page.is_file(), f"no page {r['page']}.html for {r['id']}"
        assert r["id"] in site.page(f"{r['page']}.html").ids, f"{r['id']} is not an anchor on {r['page']}.html"


def all_pages(site) -> list[str]:
    return sorted(str(p.relative_to(site.html)) for p in site.html.rglob("*.html"))


def test_every_para_and_duty_link_resolves(site):
    checked = 0
    for rel in all_pages(site):
        for href, classes, _text in site.page(rel).links:
            if not any(c in classes.split() for c in REF_CLASSES):
                continue
            target, _, frag = href.partition("#")
            target_rel = posixpath.normpath(posixpath.join(posixpath.dirname(rel), target)) if target else rel
            assert (site.html / target_rel).is_file(), f"{rel}: link to missing page {href}"
            if frag:
                assert frag in parse_html(site.html / target_rel).ids, f"{rel}: link to missing anchor {href}"
            checked += 1
    assert checked > 1000  # chips, footnote marks, backlinks, topic citations


def test_topic_pages_cite_paragraphs_with_their_labels(site):
    topics = [p for p in all_pages(site) if p.startswith("topics/")]
    assert topics, "no topic pages were built"
    labels = {r.label for r in site.corpus.records}
    cited = [(text, href) for t in topics for href, cls, text in site.page(t).links if "wtkb-para-ref" in cls]
    assert cited
    assert sum(text in labels for text, _ in cited) > len(cited) / 2  # most keep the default label text


def test_record_markup(site):
    html = (site.html / "sources/cr2023/15-section-3-help-and-support.html").read_text(encoding="utf-8")
    rid = "cr2023-support-under-section-17-p1"
    block = html[html.index(f'id="{rid}"') - 60:]
    block = block[:block.index("</p>", block.index("wtkb-text"))]
    assert 'class="wtkb-record wtkb-paragraph"' in block
    assert f'href="#{rid}"' in block  # permalink
    assert 'class="wtkb-cite"' in block and "Copy citation" in block
    assert f'data-cite="{site.corpus.by_id[rid].label}"' in block
    assert "../../duties/ca1989-s17.html" in block  # duty chip
    assert "#cr2023-fn12" in block  # footnote mark
    quote = html[html.index('id="cr2023-support-under-section-17-p7"'):]
    quote = quote[:quote.index("</blockquote>")]
    assert "<blockquote" in quote and 'class="attribution"' in quote and "Police officer" in quote
    table = (site.html / "sources/cr2023/05-profile-of-respondents.html").read_text(encoding="utf-8")
    t = table[table.index('id="cr2023-profile-of-respondents-p5"'):]
    assert "<table" in t[:2000] and "Respondent group" in t[:4000]


def test_a_myth_is_labelled_and_styled_as_one_on_its_source_page(site):
    html = (site.html / "sources/devon2024.html").read_text(encoding="utf-8")
    myth = html[html.index('id="devon2024-common-myths-about-challenges-p2"'):][:1200]
    assert "wtkb-voice-myth" in myth and "a myth it lists, not advice" in myth
    advice = html[html.index('id="devon2024-information-sharing-and-consent-p4"'):]  # "GDPR is not a barrier"
    advice = advice[:advice.index('id="devon2024-', 10)]
    assert "GDPR is not a barrier" in advice and "wtkb-voice-myth" not in advice


def backlinked(site, duty: str) -> list[str]:
    ids = []
    for href, classes, _ in site.page(f"duties/{duty}.html").links:
        if "wtkb-para-ref" in classes.split() and "#" in href:
            ids.append(href.split("#", 1)[1])
    return ids


def test_section_17_duty_page_lists_every_discussion(site):
    ids = backlinked(site, "ca1989-s17")
    docs = [site.corpus.by_id[i].document for i in ids]
    assert sum(d in ("bondsolon2023", "cr2023") for d in docs) >= 8
    assert "bondsolon2023" in docs and "cr2023" in docs
    html = (site.html / "duties/ca1989-s17.html").read_text(encoding="utf-8")
    assert re.search(r"\d+ paragraphs in all 5 sources concern this provision", html)
    citing = [p.stem for p in (site.settings.root / "book/topics").glob("*.md")
              if "{duty}`ca1989-s17`" in p.read_text(encoding="utf-8")]
    for stem in citing:  # topic pages that use {duty}`ca1989-s17` are listed too
        assert f"../topics/{stem}.html" in html


def test_data_protection_page_lists_information_sharing(site):
    ids = set(backlinked(site, "dpa2018"))
    assert {"devon2024-information-sharing-and-consent-p1", "devon2024-common-myths-about-challenges-p1",
            "cr2023-prison-and-probation-services-government-response-p5", "cr2023-information-sharing-p1"} <= ids


def test_register_counts_come_from_the_backlinks(site):
    from wtkb.reference.duties import duty_backlinks

    counts = {k: len(v) for k, v in duty_backlinks(site.corpus.records).items()}
    html = (site.html / "duties/index.html").read_text(encoding="utf-8")
    body = html[html.index("<tbody>"):html.index("</tbody>")]
    rows = {}
    for row in body.split("<tr")[1:]:
        duty = re.search(r'href="([a-z0-9-]+)\.html"', row).group(1)
        rows[duty] = int(re.findall(r"<td><p>(\d+)</p></td>", row)[-1])
    assert rows == counts
    s44 = (site.html / "duties/ca1989-s44.html").read_text(encoding="utf-8")
    assert "None of the 5 sources quotes or discusses this provision" in s44  # and says where it fits instead
    assert "https://www.legislation.gov.uk/ukpga/1989/41/section/44" in s44


def test_glossary_terms_are_linkable(site):
    html = (site.html / "generated/glossary.html").read_text(encoding="utf-8")
    assert 'id="term-LSP"' in html
    home = (site.html / "index.html").read_text(encoding="utf-8")
    assert "glossary.html#term-LSP" in home


def test_consultation_page_has_accessible_charts(site):
    from wtkb.reference.consultation import alt_text, load_consultation

    page = (site.html / "generated/consultation.html").read_text(encoding="utf-8")
    alts = {src.rsplit("/", 1)[-1]: html.unescape(alt)
            for src, alt in re.findall(r'<img[^>]*src="([^"]+)"[^>]*alt="([^"]*)"', page)}
    alts |= {src.rsplit("/", 1)[-1]: html.unescape(alt)
             for alt, src in re.findall(r'<img[^>]*alt="([^"]*)"[^>]*src="([^"]+)"', page)}
    for q in load_consultation():
        if q.results:
            assert alts[f"{q.id}.svg"] == alt_text(q)
    assert "wtkb-sortable" in page
    assert "41%" in page  # the Devon survey's figure


def test_static_files_and_search(site):
    assert (site.html / "_static/wtkb.css").is_file() and (site.html / "_static/wtkb.js").is_file()
    index = (site.html / "index.html").read_text(encoding="utf-8")
    assert "_static/wtkb.css" in index and "_static/wtkb.js" in index
    assert "@media print" in (site.html / "_static/wtkb.css").read_text(encoding="utf-8")
    assert (site.html / "search.html").is_file()
    assert '"practition"' in (site.html / "searchindex.js").read_text(encoding="utf-8")  # record text is indexed


# --------------------------------------------------------------------------- incremental and atomic builds


@pytest.fixture(scope="module")
def project(tmp_path_factory, corpus):
    settings = make_project(tmp_path_factory.mktemp("atomic"))
    build_book(settings, corpus)
    return settings


def snapshot(html: Path) -> dict[str, int]:
    return {str(p.relative_to(html)): p.stat().st_mtime_ns for p in html.rglob("*") if p.is_file()}


def test_incremental_build_updates_collected_backlinks(project, corpus):
    page = project.root / "book/topics/zz-incremental.md"
    page.write_text("# Incremental test\n\nSee {duty}`ca2004-s11` and {para}`cr2023-fn12`.\n", encoding="utf-8")
    try:
        build_book(project, corpus)  # incremental: how fast is `make bench`'s business, not a test's
        duty = (project.html_dir / "duties/ca2004-s11.html").read_text(encoding="utf-8")
        assert "topics/zz-incremental.html" in duty and "Incremental test" in duty
    finally:
        page.unlink()
    build_book(project, corpus)  # the page is purged from the store
    duty = (project.html_dir / "duties/ca2004-s11.html").read_text(encoding="utf-8")
    assert "zz-incremental" not in duty
    assert not (project.html_dir / "topics/zz-incremental.html").exists()


def test_a_failed_build_leaves_the_previous_site_untouched(project, corpus):
    before = snapshot(project.html_dir)
    assert before
    bad = project.root / "book/topics/zz-broken.md"
    bad.write_text("# Broken\n\nSee {para}`cr2023-no-such-paragraph-p99` and {duty}`no-such-act`.\n",
                   encoding="utf-8")
    try:
        with pytest.raises(WtkbError) as info:
            build_book(project, corpus)
        msg = str(info.value)
        assert "cr2023-no-such-paragraph-p99" in msg and "no-such-act" in msg
        assert "zz-broken" in msg
        assert snapshot(project.html_dir) == before
        assert not list(project.html_dir.parent.glob(".html.tmp-*"))
    finally:
        bad.unlink()
    build_book(project, corpus)  # and it recovers once the page is fixed
    assert (project.html_dir / "index.html").is_file()


def test_a_missing_page_gets_the_handbooks_own_404_page_at_any_depth(site):
    from fastapi.testclient import TestClient

    from wtkb.api import create_app

    c = TestClient(create_app(site.settings))  # no lifespan: the handbook does not need the index
    r = c.get("/sources/cr2023/no-such-page.html")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "This page is not in the handbook" in r.text
    # served at any depth, so its styles and links are absolute, not relative to where it was asked for
    hrefs = re.findall(r'href="([^"]+)"', r.text)
    assert any(h.startswith("/_static/") and h.split("?")[0].endswith(".css") for h in hrefs)
    assert {"/index.html", "/search.html", "/ask.html"} <= set(hrefs)
    assert not any(h.startswith("../") or h.startswith("_static/") for h in hrefs)


def test_the_404_page_links_follow_the_sites_path():
    from wtkb.book.pages import not_found_context, site_path

    assert site_path("/") == "/" and site_path("https://example.org/wtkb") == "/wtkb/"
    assert 'href="/wtkb/search.html"' in not_found_context("/wtkb/")["body"]
