"""What a practitioner and a trainer do, in headless Chromium against `wtkb serve` on loopback.

1. home -> topic chapter -> {duty} link -> duty page -> backlink -> the paragraph, highlighted;
2. the Ask page: a question, an answer with citations, the first citation's paragraph;
3. a briefing pack built from a topic chapter's form, opened with python-pptx;
4. a phone viewport (390x844): no horizontal scroll on the same pages;
5. axe-core: no serious or critical violations on home, a source chapter, a duty page, the Ask page.
Plus: markup in a question or an answer is shown as text, and without the server the pages say how
to start it. Screenshots of every step: test-artifacts/screenshots/.
"""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path

import pytest

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DV_QUESTION = "can a DV worker be lead practitioner?"
TOPIC = "topics/01-lead-practitioner.html"
DUTY = "duties/ca1989-s17.html"
SOURCE = "sources/cr2023/15-section-3-help-and-support.html"


def fragment(page) -> str:
    return page.evaluate("decodeURIComponent(location.hash.slice(1))")


def assert_highlighted(page, rid: str) -> None:
    """The URL names the paragraph, it is the :target, it is on screen and styled as the target."""
    page.wait_for_function("id => { const t = document.querySelector(':target'); return t && t.id === id; }",
                           arg=rid)
    assert fragment(page) == rid
    state = page.evaluate("""id => {
        const t = document.getElementById(id), box = t.getBoundingClientRect(), cs = getComputedStyle(t);
        return {top: box.top, bottom: box.bottom, height: innerHeight, background: cs.backgroundColor,
                cls: t.className};
    }""", rid)
    assert "wtkb-record" in state["cls"]
    assert state["background"] not in ("rgba(0, 0, 0, 0)", "transparent"), "the target paragraph is not highlighted"
    assert state["top"] < state["height"] and state["bottom"] > 0, f"{rid} is not scrolled into view: {state}"


def api_answer(server: str, question: str) -> dict:
    req = urllib.request.Request(server + "ask", data=json.dumps({"question": question}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)


def ask_on(page, question: str, scope: str = ".wtkb-ask-page") -> None:
    page.locator(f"{scope} [name=question]").fill(question)
    page.locator(f"{scope} button[type=submit]").click()
    page.wait_for_selector(f"{scope} .wtkb-answer .wtkb-answer-heading")


# ---- 1. home -> topic -> duty -> backlink -> paragraph ---------------------------------------------


def test_home_to_topic_to_duty_to_paragraph(server, new_page, shot):
    page = new_page()
    page.goto(server)
    shot(page, "1-1-home")
    page.locator("nav.bd-docs-nav a", has_text="Who can be the lead practitioner").first.click()
    page.wait_for_url(re.compile(re.escape(TOPIC) + "$"))
    assert page.locator("h1").first.inner_text().startswith("Who can be the lead practitioner")
    shot(page, "1-2-topic")

    page.locator("article a.wtkb-duty-ref[href$='ca1989-s17.html']").first.click()
    page.wait_for_url(re.compile(re.escape(DUTY) + "$"))
    assert "section 17" in page.locator("article").inner_text().lower()
    shot(page, "1-3-duty")

    backlink = page.locator("ul.wtkb-backlinks a.wtkb-para-ref").first
    rid = backlink.get_attribute("href").split("#", 1)[1]
    backlink.click()
    page.wait_for_url(re.compile("#" + re.escape(rid) + "$"))
    assert_highlighted(page, rid)
    shot(page, "1-4-paragraph", full=False)


# ---- 2. asking -----------------------------------------------------------------------------------


def test_ask_page_answers_with_citations_that_land_on_the_paragraph(server, new_page, shot):
    expected = api_answer(server, DV_QUESTION)
    assert expected["supported"] and expected["citations"]
    page = new_page()
    page.goto(server + "ask.html")
    page.wait_for_selector(".wtkb-ask-page.wtkb-server-ok")
    ask_on(page, DV_QUESTION)
    answer = page.locator(".wtkb-ask-page .wtkb-answer")
    shown = answer.locator(".wtkb-answer-text").inner_text()
    # the answer shown is the API's answer: its sentences, with numbered markers instead of [IDs]
    for sentence in re.split(r"\s*\[[^\]]+\]\s*", expected["answer"]):
        if sentence.strip():
            assert sentence.strip() in shown
    labels = answer.locator(".wtkb-citations a.wtkb-answer-cite").all_inner_texts()
    assert labels == [c["label"] for c in expected["citations"]]
    assert answer.locator("a.wtkb-answer-marker").count() >= len(expected["citations"])
    shot(page, "2-1-ask-answer")

    first = expected["citations"][0]
    answer.locator(".wtkb-citations a.wtkb-answer-cite").first.click()
    page.wait_for_url(re.compile("#" + re.escape(first["id"]) + "$"))
    assert page.url.startswith(server + first["url"].lstrip("/").split("#")[0])
    assert_highlighted(page, first["id"])
    shot(page, "2-2-cited-paragraph", full=False)


def test_ask_box_on_every_page_answers_in_place(server, new_page, shot):
    page = new_page(PHONE)
    page.goto(server + DUTY)
    box = page.locator("aside.wtkb-askbox")
    assert box.count() == 1
    ask_on(page, "who are the safeguarding partners?", "aside.wtkb-askbox")
    assert box.locator(".wtkb-citations li, .wtkb-see-also li").count() >= 1
    box.scroll_into_view_if_needed()
    shot(page, "2-3-askbox-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_unanswerable_question_says_so(server, new_page):
    page = new_page()
    page.goto(server + "ask.html")
    ask_on(page, "what is the boiling point of mercury in kelvin?")
    answer = page.locator(".wtkb-ask-page .wtkb-answer")
    assert "Not answered by the sources" in answer.locator("h2.wtkb-answer-heading").inner_text()
    assert "do not answer" in answer.locator(".wtkb-answer-text").inner_text()
    assert answer.locator(".wtkb-citations").count() == 0


def test_markup_in_a_question_or_an_answer_is_shown_as_text(server, new_page, shot):
    page = new_page()
    alerts: list[str] = []
    page.on("dialog", lambda d: (alerts.append(d.message), d.dismiss()))
    page.goto(server + "ask.html")
    ask_on(page, '<img src=x onerror="alert(1)"> who decides the <b>lead practitioner</b>?')
    assert page.locator(".wtkb-answer img, .wtkb-answer b, .wtkb-answer script").count() == 0

    # an answer whose own text holds markup (as a compromised or buggy server might send) stays text
    evil = '<img src=x onerror="alert(2)"><script>alert(3)</script>'
    fake = {"question": "q", "answer": f"{evil} [cr2023-early-help-p1]", "supported": True,
            "citations": [{"id": "cr2023-early-help-p1", "document": "cr2023", "label": f"label {evil}",
                           "section": "s", "text": f"text {evil}", "url": "/index.html#x", "score": 1.0}],
            "see_also": []}
    page.route("**/ask", lambda route: route.fulfill(status=200, content_type="application/json",
                                                      body=json.dumps(fake)))
    ask_on(page, "anything")
    answer = page.locator(".wtkb-ask-page .wtkb-answer")
    # the first answer's heading is already there: wait for the faked answer itself
    answer.locator(".wtkb-answer-text", has_text="alert(2)").wait_for()
    assert evil in answer.locator(".wtkb-answer-text").inner_text()
    assert evil in answer.locator(".wtkb-citations a").first.inner_text()
    assert page.locator(".wtkb-answer img, .wtkb-answer script").count() == 0
    page.wait_for_timeout(300)
    assert alerts == []
    shot(page, "2-4-markup-as-text")


# ---- 3. briefing packs ---------------------------------------------------------------------------


def test_build_a_briefing_from_a_topic_chapter(server, new_page, shot, tmp_path):
    from pptx import Presentation

    page = new_page()
    page.goto(server + TOPIC + "#build-a-briefing-pack")
    form = page.locator("form.wtkb-briefing-form")
    form.locator("[name=audience]").fill("education DSLs")
    form.locator("[name=format]").select_option("pptx")
    shot(page, "3-1-briefing-form", full=False)
    with page.expect_download() as dl:
        form.locator("button[type=submit]").click()
    download = dl.value
    assert download.suggested_filename.endswith(".pptx")
    path = Path(tmp_path) / download.suggested_filename
    download.save_as(path)
    page.wait_for_function("() => document.querySelector('form.wtkb-briefing-form .wtkb-status')"
                           ".textContent.startsWith('Downloaded')")
    shot(page, "3-2-briefing-downloaded", full=False)

    deck = Presentation(str(path))
    titles = [s.shapes.title.text if s.shapes.title is not None else "" for s in deck.slides]
    assert titles[0] == "Who can be the lead practitioner"
    subtitle = deck.slides[0].placeholders[1].text
    assert "education DSLs" in subtitle
    for expected in ("What changed", "What people said", "Questions for discussion", "Sources"):
        assert any(t.startswith(expected) for t in titles), f"no '{expected}' slide in {titles}"
    assert any(shape.has_chart for s in deck.slides for shape in s.shapes), "no chart slide"
    notes = "\n".join(s.notes_slide.notes_text_frame.text for s in deck.slides if s.has_notes_slide)
    # no public address configured: the notes name the source and page, never this (local) server
    assert "handbook page “sources/cr2023/15-section-3-help-and-support”, paragraph cr2023-support-under-section-17" \
        in notes
    assert "127.0.0.1" not in notes and "localhost" not in notes


def test_briefing_form_reports_a_topic_the_sources_do_not_cover(server, new_page):
    page = new_page()
    page.goto(server + TOPIC)
    # the form posts its chapter's topic; point it at a topic the sources do not cover
    page.evaluate("document.querySelector('form.wtkb-briefing-form').dataset.topic = "
                  "'offshore wind farm maintenance'")
    page.locator("form.wtkb-briefing-form button[type=submit]").click()
    status = page.locator("form.wtkb-briefing-form .wtkb-status")
    page.wait_for_function("() => document.querySelector('form.wtkb-briefing-form .wtkb-status')"
                           ".textContent.startsWith('Could not')")
    assert "offshore wind farm maintenance" in status.inner_text()


# ---- 4. phone ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["index.html", TOPIC, DUTY, SOURCE, "ask.html"])
def test_phone_has_no_horizontal_scroll(server, new_page, shot, path):
    page = new_page(PHONE)
    page.goto(server + path)
    page.wait_for_load_state("load")
    if path == "ask.html":
        ask_on(page, DV_QUESTION)
    width = page.evaluate("document.documentElement.scrollWidth")
    shot(page, "4-phone-" + path.replace("/", "_").removesuffix(".html"))
    assert width <= PHONE["width"], f"{path} is {width}px wide on a {PHONE['width']}px phone"


# ---- 5. accessibility ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["index.html", SOURCE, DUTY, "ask.html", TOPIC])
def test_no_serious_accessibility_violations(server, new_page, axe_source, path):
    page = new_page(bypass_csp=True)  # axe is injected as an inline script
    page.goto(server + path)
    page.wait_for_load_state("load")
    if path == "ask.html":  # with an answer on the page, which is what people look at
        ask_on(page, DV_QUESTION)
    page.wait_for_timeout(300)  # the theme's icons are swapped in after load
    page.add_script_tag(content=axe_source)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [f"{v['impact']} {v['id']}: {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
           for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, f"{path}:\n" + "\n".join(bad)


# ---- without the server ----------------------------------------------------------------------------


def test_static_copy_says_asking_needs_the_server(served, new_page, shot):
    """The same site from a plain static web server: no API, so the page says how to start one."""
    page = new_page()
    page.goto(served + "ask.html")
    status = page.locator(".wtkb-ask-page .wtkb-status")
    page.wait_for_function("() => document.querySelector('.wtkb-ask-page.wtkb-no-server')")
    text = status.inner_text()
    assert "answering service" in text and "tell whoever runs this handbook" in text and "wtkb serve" in text
    shot(page, "5-static-ask-page")
    topic = new_page()
    topic.goto(served + TOPIC)
    topic.locator("form.wtkb-briefing-form button[type=submit]").click()
    topic.wait_for_function("() => document.querySelector('form.wtkb-briefing-form .wtkb-status')"
                            ".textContent.includes('answering service')")
