"""Navigation and site search as a practitioner uses them, on the STATIC handbook (no wtkb server).

At 390 px the theme hides the sidebar behind the menu button; at 1366 px it is on screen. Either way
a practitioner must reach a topic chapter, a duty page and the glossary from the home page, and the
built-in search must know the field's shorthand. The site is served over http on 127.0.0.1 by a thread
(tests/conftest.py ``served``); screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import urllib.parse

import pytest

from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# what a practitioner types -> pages of which at least one must be in the first five results
SHORTHAND = {
    "DV": {"duties/daa2021.html", "topics/01-lead-practitioner.html"},
    "DSL": {"topics/03-education-and-vcse.html"},
    "s17": {"duties/ca1989-s17.html"},
    "section 17": {"duties/ca1989-s17.html"},
    "lead practitioner": {"topics/01-lead-practitioner.html"},
}


def open_menu(page) -> None:
    """Tap the visible menu button; on a phone the theme's dialog must open with the contents in it."""
    button = page.locator("button.primary-toggle:visible")
    assert button.count() == 1, "exactly one menu button is visible"
    assert button.get_attribute("title") and "Toggle" not in button.get_attribute("title")
    button.click()
    page.wait_for_function("() => document.getElementById('pst-primary-sidebar-modal').open")


def nav_link(page, text: str):
    return page.locator(f"#pst-primary-sidebar-modal a.reference:text-is('{text}')")


def test_phone_menu_reaches_a_topic_a_duty_page_and_the_glossary(new_page, served, shot):
    page = new_page(PHONE)
    page.goto(served + "index.html")
    open_menu(page)
    shot(page, "nav-phone-menu-open", full=False)
    nav_link(page, "Who can be the lead practitioner").click()
    page.wait_for_url("**/topics/01-lead-practitioner.html")
    assert page.locator("h1").first.inner_text().startswith("Who can be the lead practitioner")

    headings = page.locator("button.secondary-toggle:visible")  # "On this page" opens the page's headings
    assert headings.get_attribute("aria-label") == "On this page"
    headings.click()
    page.wait_for_function("() => document.getElementById('pst-secondary-sidebar-modal').open")
    assert page.locator("#pst-secondary-sidebar-modal a", has_text="Who decides").first.is_visible()
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.getElementById('pst-secondary-sidebar-modal').open")

    open_menu(page)
    nav_link(page, "Duties register").click()
    page.wait_for_url("**/duties/index.html")
    page.locator("table.wtkb-register a.wtkb-duty-ref", has_text="Children Act 1989 s 17").first.click()
    page.wait_for_url("**/duties/ca1989-s17.html")

    open_menu(page)
    nav_link(page, "Glossary").click()
    page.wait_for_url("**/generated/glossary.html")
    assert page.locator("dl.glossary").first.is_visible()
    # the menu closes again (Escape) and leaves the page usable
    open_menu(page)
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.getElementById('pst-primary-sidebar-modal').open")


def test_desktop_sidebar_reaches_the_same_pages_and_the_button_hides_it(new_page, served):
    page = new_page(DESKTOP)
    page.goto(served + "index.html")
    sidebar = page.locator("#pst-primary-sidebar")
    assert sidebar.is_visible()
    for text, url in (("Who can be the lead practitioner", "topics/01-lead-practitioner.html"),
                      ("Duties register", "duties/index.html"), ("Glossary", "generated/glossary.html")):
        sidebar.locator(f"a.reference:text-is('{text}')").click()
        page.wait_for_url(f"**/{url}")
    page.locator("button.primary-toggle:visible").click()
    page.wait_for_function("() => document.getElementById('pst-primary-sidebar').classList.contains"
                           "('pst-sidebar-hidden')")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1366px"])
def test_home_page_links_topics_duties_charts_glossary_and_ask_near_the_top(new_page, served, viewport):
    page = new_page(viewport)
    page.goto(served + "index.html")
    box = page.locator(".wtkb-start")
    assert box.is_visible()
    top = box.bounding_box()["y"]
    assert top < 900, f"the 'Find your way' box starts {top}px down"
    hrefs = box.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    for wanted in ("ask.html", "duties/index.html", "generated/consultation.html", "generated/glossary.html",
                   "topics/01-lead-practitioner.html", "topics/10-what-moved.html"):
        assert wanted in hrefs, f"{wanted} is not linked from the home page's first box"
    small = box.locator("a").evaluate_all("links => links.filter(a => a.getBoundingClientRect().height < 24)"
                                          ".map(a => a.textContent)")
    assert small == [], f"tap targets under 24 px: {small}"


def search(page, served: str, query: str) -> list[tuple[str, str]]:
    page.goto(served + "search.html?q=" + urllib.parse.quote_plus(query))
    page.wait_for_selector("#search-results ul.search li", timeout=20000)
    page.wait_for_function("() => !document.querySelector('#search-progress') || "
                           "document.querySelector('#search-progress').textContent === ''", timeout=20000)
    items = page.locator("#search-results ul.search li")
    page.wait_for_timeout(500)  # snippets are fetched per result
    out = []
    for i in range(min(5, items.count())):
        li = items.nth(i)
        href = li.locator("a").first.get_attribute("href").split("#")[0].split("?")[0]
        out.append((href, li.inner_text()))
    return out


@pytest.mark.parametrize("query", list(SHORTHAND))
def test_static_search_knows_the_shorthand(new_page, served, shot, query):
    page = new_page(DESKTOP)
    results = search(page, served, query)
    shot(page, f"search-{query.replace(' ', '-')}", full=False)
    hrefs = [h for h, _ in results]
    assert SHORTHAND[query] & set(hrefs), f"{query!r}: none of {SHORTHAND[query]} in the first five: {hrefs}"
    for href, text in results:
        assert "Copy citation" not in text, f"button text in the snippet of {href}"
        assert "{para}" not in text and "{duty}" not in text and "```" not in text, f"markup in {href}: {text}"
