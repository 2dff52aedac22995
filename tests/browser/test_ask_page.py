"""The Ask page on a phone and a laptop, and the pages GOV.UK and procedures-manual readers expect.

In headless Chromium against a real `wtkb serve` (see conftest), at 390 px and 1366 px:

- Back from a citation (and a reload) shows the question and the answer again, kept in the tab's
  history entry, never in the address; Clear removes them;
- the page a citation leads to marks the sentence the answer quoted, inside the highlighted paragraph;
- each citation shows whose words it is (its voice label); a hedged answer shows its hedge apart, first;
- every tap target that is not a link inside a sentence is at least 24 x 24 px;
- axe-core: no serious or critical violations on the home, Ask, source, duty, glossary, accessibility,
  role and local pages;
- the content-date line is on every page and in print; the glossary's A-Z jumps; "Your role" leads from
  the home page to the duties and topics of that kind of organisation.
Screenshots: test-artifacts/screenshots/ask-*.png and pages-*.png.
"""

from __future__ import annotations

import re

import pytest

from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DV_QUESTION = "can a DV worker be lead practitioner?"
SOURCE = "sources/cr2023/15-section-3-help-and-support.html"
DUTY = "duties/ca1989-s17.html"
GLOSSARY = "generated/glossary.html"
WIDTHS = {"phone": PHONE, "desktop": DESKTOP}
AXE_PAGES = ["index.html", "ask.html", SOURCE, DUTY, GLOSSARY, "accessibility.html",
             "generated/roles/1-education.html", "generated/local.html"]


def ask_on(page, question: str, scope: str = ".wtkb-ask-page") -> None:
    page.locator(f"{scope} [name=question]").fill(question)
    page.locator(f"{scope} button[type=submit]").click()
    page.wait_for_selector(f"{scope} .wtkb-answer .wtkb-answer-heading")


def squash(text: str) -> str:
    return " ".join(text.split())


# ---- keeping the answer across Back --------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_back_from_a_citation_restores_the_question_and_answer(server, new_page, shot, width):
    page = new_page(WIDTHS[width])
    page.goto(server + "ask.html")
    page.wait_for_selector(".wtkb-ask-page.wtkb-server-ok")
    ask_on(page, DV_QUESTION)
    answer = page.locator(".wtkb-ask-page .wtkb-answer")
    shown = answer.inner_text()
    assert "dv" not in page.url.lower() and "practitioner" not in page.url.lower()
    shot(page, f"ask-{width}-1-answer")

    marker = answer.locator("a.wtkb-answer-marker").first
    marker.click()
    page.wait_for_selector(".wtkb-record:target")
    shot(page, f"ask-{width}-2-cited", full=False)
    page.go_back()
    page.wait_for_selector(".wtkb-ask-page .wtkb-answer .wtkb-answer-heading")
    assert page.locator(".wtkb-ask-page [name=question]").input_value() == DV_QUESTION
    assert answer.inner_text() == shown
    assert "practitioner" not in page.url.lower()
    shot(page, f"ask-{width}-3-back")

    # not just the browser's page cache: a reload (which runs the page again) shows it too
    page.reload()
    page.wait_for_selector(".wtkb-ask-page .wtkb-answer .wtkb-answer-heading")
    assert answer.inner_text() == shown
    # Clear removes the question and the answer, also from the tab's history entry
    page.locator(".wtkb-ask-page button", has_text="Clear").click()
    assert page.locator(".wtkb-ask-page [name=question]").input_value() == ""
    assert page.locator(".wtkb-ask-page .wtkb-answer .wtkb-answer-heading").count() == 0
    page.reload()
    page.wait_for_selector(".wtkb-ask-page.wtkb-server-ok")
    assert page.locator(".wtkb-ask-page .wtkb-answer .wtkb-answer-heading").count() == 0
    assert page.evaluate("JSON.stringify(history.state || {})").find("practitioner") < 0


def test_a_new_visit_to_the_ask_page_starts_empty(server, new_page):
    """The kept answer belongs to that history entry: opening the Ask page again from a link starts afresh."""
    page = new_page()
    page.goto(server + "ask.html")
    ask_on(page, DV_QUESTION)
    page.goto(server + "index.html")
    page.goto(server + "ask.html")
    page.wait_for_selector(".wtkb-ask-page.wtkb-server-ok")
    assert page.locator(".wtkb-ask-page .wtkb-answer .wtkb-answer-heading").count() == 0
    assert page.locator(".wtkb-ask-page [name=question]").input_value() == ""


def test_ask_box_answer_is_kept_across_back_by_keyboard(server, new_page):
    """On any page's ask box, by keyboard only: type, Enter, Tab to a citation, Enter, Back."""
    page = new_page(PHONE)
    page.goto(server + DUTY)
    box = page.locator("aside.wtkb-askbox")
    box.locator("[name=question]").focus()
    page.keyboard.type("who are the safeguarding partners?")
    page.keyboard.press("Enter")
    page.wait_for_selector("aside.wtkb-askbox .wtkb-answer .wtkb-answer-heading")
    shown = box.locator(".wtkb-answer").inner_text()
    box.locator(".wtkb-answer a").first.focus()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "keyboard focus on a citation is not visible"
    page.keyboard.press("Enter")
    page.wait_for_selector(".wtkb-record:target")
    page.go_back()
    page.wait_for_selector("aside.wtkb-askbox .wtkb-answer .wtkb-answer-heading")
    assert box.locator(".wtkb-answer").inner_text() == shown


# ---- the quoted sentence, the voice labels -------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_citation_marks_the_quoted_sentence_inside_the_paragraph(server, new_page, shot, width):
    page = new_page(WIDTHS[width])
    page.goto(server + "ask.html")
    ask_on(page, DV_QUESTION)
    markers = page.locator(".wtkb-ask-page a.wtkb-answer-marker")
    quoted = [m for m in markers.all() if "quote=" in (m.get_attribute("href") or "")]
    assert quoted, "no citation marker carries the position of its sentence"
    text = page.locator(".wtkb-ask-page .wtkb-answer-text").inner_text()
    quoted[0].click()
    page.wait_for_selector("mark.wtkb-quoted")
    state = page.evaluate("""() => {
        const t = document.querySelector(':target'), marks = [...t.querySelectorAll('mark.wtkb-quoted')];
        const box = marks[0].getBoundingClientRect();
        return {marked: marks.map(m => m.textContent).join(''), para: t.querySelector('.wtkb-text').textContent,
                top: box.top, bottom: box.bottom, height: innerHeight,
                bg: getComputedStyle(marks[0]).backgroundColor};
    }""")
    marked = squash(state["marked"])
    assert marked and marked in squash(text), "the marked words are not the sentence the answer quoted"
    assert len(marked) < len(squash(state["para"])) or squash(state["para"]) in squash(text)
    assert state["bg"] not in ("rgba(0, 0, 0, 0)", "transparent")
    assert state["top"] < state["height"] and state["bottom"] > 0, "the quoted sentence is not on screen"
    shot(page, f"ask-{width}-4-quoted-sentence", full=False)


def test_each_citation_says_whose_words_it_is(server, new_page, shot):
    page = new_page(PHONE)
    page.goto(server + "ask.html")
    ask_on(page, DV_QUESTION)
    items = page.locator(".wtkb-ask-page .wtkb-citations > li, .wtkb-ask-page .wtkb-see-also > li")
    assert items.count() >= 1
    seen = {}
    for li in items.all():
        label = li.locator(".wtkb-voice")
        assert label.count() == 1, "a citation has no voice label"
        assert label.inner_text().strip()
        seen[label.get_attribute("class")] = page.evaluate(
            "el => { const s = getComputedStyle(el); return [s.color, s.backgroundColor, s.borderStyle]; }",
            label.element_handle())
    # different voices look different
    assert len(set(map(tuple, seen.values()))) == len(seen)
    page.locator(".wtkb-ask-page .wtkb-citations").first.scroll_into_view_if_needed()
    shot(page, "ask-phone-5-voice-labels", full=False)


def test_a_myth_the_source_lists_reads_as_a_myth_on_a_phone(server, new_page, shot):
    page = new_page(PHONE)
    page.goto(server + "ask.html")
    ask_on(page, "is consent needed to share information?")
    text = squash(page.locator(".wtkb-ask-page .wtkb-answer-text").inner_text())
    assert text.startswith("It is not necessary to seek consent")
    if "Consent is needed to share personal information" in text:  # only ever after the advice, labelled
        assert "listed as a common myth (not advice): Consent is needed to share personal information" in text
        labels = page.locator(".wtkb-ask-page .wtkb-citations .wtkb-voice-myth").all_inner_texts()
        assert labels and all(label.endswith("a myth it lists, not advice") for label in labels)
    shot(page, "ask-phone-6-myth", full=False)


def test_a_hedged_answer_says_so_apart_before_its_sentences_on_a_phone(server, new_page, shot):
    page = new_page(PHONE)
    page.goto(server + "ask.html")
    ask_on(page, "which groups did people worry were being discriminated against? (equalities bit)")
    answer = page.locator(".wtkb-ask-page .wtkb-answer")
    assert "closest the sources come" in answer.locator(".wtkb-answer-heading").inner_text()
    hedge = squash(answer.locator(".wtkb-answer-hedge").inner_text())
    assert hedge.startswith("The sources may not answer this exactly.")
    text = squash(answer.locator(".wtkb-answer-text").inner_text())
    assert "may not answer" not in text and "discrimination against certain groups" in text
    assert "may not answer this exactly" in page.locator(".wtkb-ask-page .wtkb-status").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "ask-phone-7-hedged", full=False)


# ---- tap targets ---------------------------------------------------------------------------------

SMALL_TARGETS = """() => {
  const sel = 'a[href], button, summary, input, select, textarea, [role=button]';
  const out = [];
  for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
    if (!r.width || !r.height || cs.visibility === 'hidden') continue;
    if (el.closest('[hidden], .visually-hidden, .sr-only')) continue;
    if (el.matches('a') && !el.matches('.wtkb-answer-marker, .wtkb-chip a, nav.wtkb-az a')) {
      // WCAG 2.5.8 inline exception: a link inside a sentence is sized by the line of text it is in
      const block = el.parentElement.closest('p, li, dd, dt, td, th, figcaption, blockquote');
      if (block && squash(block.textContent).length > squash(el.textContent).length + 2) continue;
    }
    if (r.width < 24 || r.height < 24)
      out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${squash(el.textContent).slice(0, 30)}"`
               + ` ${Math.round(r.width)}x${Math.round(r.height)}`);
  }
  function squash(t) { return (t || '').replace(/\\s+/g, ' ').trim(); }
  return out;
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", ["index.html", "ask.html", SOURCE, DUTY, GLOSSARY, "accessibility.html"])
def test_every_tap_target_is_at_least_24px(server, new_page, width, path):
    page = new_page(WIDTHS[width], bypass_csp=True)  # axe is injected as an inline script
    page.goto(server + path)
    page.wait_for_load_state("load")
    if path == "ask.html":
        ask_on(page, DV_QUESTION)
    page.wait_for_timeout(300)  # the theme swaps its icons in after load
    small = page.evaluate(SMALL_TARGETS)
    assert not small, f"{path} at {width}: {len(small)} tap targets under 24 px:\n" + "\n".join(small[:25])


# ---- accessibility -------------------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", AXE_PAGES)
def test_axe_no_serious_violations(server, new_page, axe_source, shot, width, path):
    page = new_page(WIDTHS[width], bypass_csp=True)  # axe is injected as an inline script
    page.goto(server + path)
    page.wait_for_load_state("load")
    if path == "ask.html":
        ask_on(page, DV_QUESTION)
    page.wait_for_timeout(300)
    if width == "phone":
        shot(page, "pages-phone-" + path.replace("/", "_").removesuffix(".html"))
    page.add_script_tag(content=axe_source)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [f"{v['impact']} {v['id']}: {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
           for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, f"{path} at {width}:\n" + "\n".join(bad)


# ---- the pages readers of GOV.UK guidance expect --------------------------------------------------


@pytest.mark.parametrize("path", ["index.html", SOURCE, DUTY, GLOSSARY, "topics/01-lead-practitioner.html"])
def test_content_date_on_every_page_and_in_print(server, new_page, shot, path):
    page = new_page()
    page.goto(server + path)
    line = page.locator(".wtkb-content-date")
    assert line.count() == 1
    text = line.inner_text()
    assert re.search(r"sources dated .*20\d\d", text) and "handbook built" in text
    stamp = page.locator(".wtkb-print-stamp")
    assert not stamp.is_visible()
    page.emulate_media(media="print")
    assert line.is_visible(), "the content date is not printed"
    assert stamp.is_visible() and text.removeprefix("Content date: ") in stamp.inner_text()
    assert not page.locator("aside.wtkb-askbox").is_visible()
    if path == SOURCE:
        page.pdf(path=str(shot(page, "pages-print-source").with_suffix(".pdf")))


def test_glossary_a_to_z_jumps_to_the_letter(server, new_page, shot):
    page = new_page(PHONE)
    page.goto(server + GLOSSARY)
    az = page.locator("nav.wtkb-az")
    links = az.locator("a")
    assert links.count() >= 10
    assert az.locator("span.wtkb-az-none").count() >= 1  # letters with no terms are shown, not linked
    shot(page, "pages-phone-glossary-az", full=False)
    az.locator("a", has_text=re.compile("^S$")).click()
    page.wait_for_url(re.compile("#glossary-s$"))
    top = page.evaluate("document.getElementById('glossary-s').getBoundingClientRect().top")
    assert 0 <= top < PHONE["height"] / 2
    terms = page.evaluate("[...document.getElementById('glossary-s').closest('section').querySelectorAll('dt')]"
                          ".map(dt => dt.textContent.trim())")
    assert terms and all(t[0].upper() == "S" for t in terms)


def test_your_role_from_the_home_page_to_its_duties_and_topics(server, new_page, shot):
    page = new_page(PHONE)
    page.goto(server)
    link = page.locator("article a", has_text="I work in a school")
    assert link.count() == 1
    phrases = [t.replace("\u2019", "'") for t in page.locator("ul.wtkb-roles a").all_inner_texts()]
    for who in ("school", "health", "police", "children's social care", "voluntary"):
        assert any(who in p for p in phrases), f"no 'I work in' entry for {who}"
    link.click()
    page.wait_for_url(re.compile("roles/1-education.html$"))
    article = page.locator("article")
    assert article.locator("a.wtkb-duty-ref[href$='ea2002-s175.html']").count() == 1
    assert article.locator("a[href$='03-education-and-vcse.html']").count() >= 1
    assert article.locator("a.wtkb-duty-ref[href$='ca2004-s11.html']").count() == 0  # s11 does not bind schools
    shot(page, "pages-phone-role-education")
    article.locator("a[href$='local.html']").first.click()
    page.wait_for_url(re.compile("generated/local.html$"))
    text = page.locator("article").inner_text().replace("\u2019", "'")
    assert "your local safeguarding partnership's procedures" in text
