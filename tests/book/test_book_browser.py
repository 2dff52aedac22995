"""The built handbook in headless Chromium: phone and desktop widths, copy citation, sorting, print, search.

Needs Debian's chromium at /usr/bin/chromium (`make browser` installs it) and
the playwright package; skipped with the reason otherwise. The site is served
over http on 127.0.0.1 by a thread (see conftest.served).
"""

from __future__ import annotations

import pytest

from ..conftest import CHROMIUM

PHONE, DESKTOP = 390, 1366

pytestmark = [pytest.mark.browser, pytest.mark.slow]

if not CHROMIUM.exists():
    pytest.skip("headless Chromium is not installed at /usr/bin/chromium (run `make browser`)",
                allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")

PAGES = [
    "index.html",
    "ask.html",
    "using.html",
    "sources/cr2023/15-section-3-help-and-support.html",
    "sources/cr2023/05-profile-of-respondents.html",
    "sources/devon2024.html",
    "duties/index.html",
    "duties/ca1989-s17.html",
    "generated/consultation.html",
    "generated/you-said-we-will.html",
    "generated/glossary.html",
    "topics/01-lead-practitioner.html",
]


@pytest.fixture()
def open_page(browser, served):
    contexts = []

    def go(path: str, width: int):
        ctx = browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(ctx)
        page = ctx.new_page()
        page.goto(served + path)
        page.wait_for_load_state("load")
        return page

    yield go
    for ctx in contexts:
        ctx.close()


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
@pytest.mark.parametrize("path", PAGES)
def test_no_horizontal_overflow(open_page, site, path, width):
    if not (site.html / path).is_file():
        pytest.skip(f"{path} not built")
    page = open_page(path, width)
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{path} is {scroll}px wide at {width}px"


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_copy_citation_copies_the_originals_citation_and_the_permalink(open_page, served, site, width):
    rid = "cr2023-support-under-section-17-p1"
    path = "sources/cr2023/15-section-3-help-and-support.html"
    page = open_page(f"{path}#{rid}", width)
    button = page.locator(f"#{rid} button.wtkb-cite")
    assert button.is_visible()
    button.click()
    page.wait_for_function("b => b.getAttribute('data-citation') !== null", arg=button.element_handle())
    copied = button.get_attribute("data-citation")
    # publisher, date, the document's title, its section heading, the printed page, the original, the permalink
    assert copied.startswith("HM Government (Dec 2023) Changes to statutory guidance: Working Together")
    assert "‘Support under section 17 of the Children Act 1989’, pp. 42–44." in copied
    assert "https://www.gov.uk/government/consultations/" in copied
    assert copied.endswith(f" Handbook: {served}{path}#{rid}")
    assert button.inner_text() in ("Copied", "Copy failed: select the link instead")
    assert page.locator("button.wtkb-cite").count() == len(
        [r for r in site.corpus.records if r.page == path[:-5]])


def test_phone_collapses_the_sidebar(open_page):
    page = open_page("sources/cr2023/15-section-3-help-and-support.html", PHONE)
    assert not page.locator("#pst-primary-sidebar").is_visible()
    assert page.locator(".wtkb-record").first.is_visible()
    desk = open_page("sources/cr2023/15-section-3-help-and-support.html", DESKTOP)
    assert desk.locator("#pst-primary-sidebar").is_visible()


def test_print_shows_content_without_navigation(open_page):
    page = open_page("duties/ca1989-s17.html", DESKTOP)
    page.emulate_media(media="print")
    assert not page.locator("#pst-primary-sidebar").is_visible()
    assert not page.locator(".bd-header-article").is_visible()
    assert page.locator("#jb-print-docs-body h1").is_visible()  # the book theme prints the title itself
    src = open_page("sources/cr2023/15-section-3-help-and-support.html", DESKTOP)
    src.emulate_media(media="print")
    assert not src.locator("button.wtkb-cite").first.is_visible()
    assert src.locator(".wtkb-record").first.is_visible()


def test_tables_sort_by_a_column(open_page):
    page = open_page("generated/consultation.html", DESKTOP)
    table = page.locator("table.wtkb-sortable").first
    header = table.locator("thead th").nth(3)  # Share
    header.locator("button.wtkb-sort").click()
    shares = [float(t.strip().rstrip("%")) for t in table.locator("tbody tr td:nth-child(4)").all_inner_texts()]
    assert shares == sorted(shares) and header.get_attribute("aria-sort") == "ascending"
    header.locator("button.wtkb-sort").click()
    shares = [float(t.strip().rstrip("%")) for t in table.locator("tbody tr td:nth-child(4)").all_inner_texts()]
    assert shares == sorted(shares, reverse=True) and header.get_attribute("aria-sort") == "descending"


def test_built_in_search_finds_paragraphs(open_page):
    page = open_page("search.html?q=lead+practitioner", DESKTOP)
    page.wait_for_selector("#search-results ul li", timeout=15000)
    assert page.locator("#search-results ul li").count() > 3


def test_chart_has_alt_text_with_numbers(open_page):
    page = open_page("generated/consultation.html", PHONE)
    img = page.locator("img[src$='q-section-17-outcomes.svg']")
    alt = img.get_attribute("alt")
    assert "36%" in alt and "38%" in alt and "1,007" in alt
    assert img.evaluate("i => i.naturalWidth > 0 && i.getBoundingClientRect().width <= 390")
