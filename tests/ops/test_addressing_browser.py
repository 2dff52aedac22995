"""One addressing model, in Chromium: behind a reverse proxy at /wtkb/, with WTKB_BASE_URL as a path
prefix or as a full URL, a citation on the Ask page lands on its paragraph; a forged Host header
changes no link; /docs and /redoc render with every non-loopback request blocked.

(The site served at / is covered by tests/browser/test_journeys.py.)
"""

from __future__ import annotations

import json
import re
import urllib.request
from urllib.parse import urlsplit

import pytest

from .conftest import ROOT, PrefixProxy, serve

pytestmark = [pytest.mark.slow, pytest.mark.browser]
QUESTION = "can a DV worker be lead practitioner?"
SHOTS = ROOT / "test-artifacts" / "screenshots"


@pytest.fixture(scope="module", params=["path-prefix", "full-url"])
def deployed(request, site, qa_settings):
    """(public base URL, the app's own URL) for the app behind a /wtkb/ proxy, configured either way."""
    proxy = PrefixProxy("/wtkb")
    base_url = "/wtkb/" if request.param == "path-prefix" else proxy.base
    env = {"WTKB_ROOT": str(site.settings.root), "WTKB_BUILD_DIR": str(site.settings.build),
           "WTKB_INDEX_DIR": str(qa_settings.index), "WTKB_BASE_URL": base_url}
    try:
        with serve(env, ready=(200,)) as upstream:
            proxy.upstream = upstream
            yield request.param, proxy.base, upstream
    finally:
        proxy.close()


@pytest.fixture(scope="module", params=["path-prefix", "full-url"])
def docs_deployed(request, tmp_path_factory):
    """The same two set-ups with no index and no handbook (the API docs need neither): fast to start."""
    tmp = tmp_path_factory.mktemp("docs")
    proxy = PrefixProxy("/wtkb")
    base_url = "/wtkb/" if request.param == "path-prefix" else proxy.base
    env = {"WTKB_ROOT": str(ROOT), "WTKB_BUILD_DIR": str(tmp / "_build"), "WTKB_INDEX_DIR": str(tmp / "none"),
           "WTKB_BASE_URL": base_url}
    try:
        with serve(env, ready=(503,), timeout=60) as upstream:
            proxy.upstream = upstream
            yield request.param, proxy.base, upstream
    finally:
        proxy.close()


def post(url: str, body: dict, headers: dict | None = None) -> urllib.request.Request:
    return urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                  headers={"Content-Type": "application/json", **(headers or {})})


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1366, "height": 900}])
def test_a_citation_on_the_ask_page_lands_on_its_paragraph(deployed, browser, viewport):
    kind, public, _ = deployed
    ctx = browser.new_context(viewport=viewport)
    page = ctx.new_page()
    page.set_default_timeout(30000)
    try:
        page.goto(public + "ask.html")
        page.wait_for_selector(".wtkb-ask-page.wtkb-server-ok")
        page.locator(".wtkb-ask-page [name=question]").fill(QUESTION)
        page.locator(".wtkb-ask-page button[type=submit]").click()
        page.wait_for_selector(".wtkb-ask-page .wtkb-answer .wtkb-answer-heading")
        link = page.locator(".wtkb-ask-page .wtkb-citations a.wtkb-answer-cite").first
        href = link.get_attribute("href")
        rid = href.rsplit("#", 1)[1]
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"ops-{kind}-{viewport['width']}-ask.png"), full_page=True)
        link.click()
        page.wait_for_url(re.compile("#" + re.escape(rid) + "$"))
        assert page.url.startswith(public + "sources/"), page.url
        page.wait_for_function("id => { const t = document.querySelector(':target'); return t && t.id === id; }",
                               arg=rid)
        page.screenshot(path=str(SHOTS / f"ops-{kind}-{viewport['width']}-landed.png"))
    finally:
        ctx.close()


def test_a_forged_host_header_changes_no_link(deployed):
    kind, public, upstream = deployed
    forged = {"Host": "phish.example.com", "X-Forwarded-Host": "phish.example.com",
              "X-Forwarded-Proto": "https", "Forwarded": "host=phish.example.com"}
    with urllib.request.urlopen(post(upstream + "ask", {"question": QUESTION}, forged), timeout=60) as r:
        answer = json.load(r)
    want = "/wtkb/" if kind == "path-prefix" else public
    assert answer["citations"] and all(c["url"].startswith(want + "sources/") for c in answer["citations"])
    with urllib.request.urlopen(post(upstream + "briefings", {"topic": "01-lead-practitioner", "format": "md"},
                                     forged), timeout=120) as r:
        pack = r.read().decode("utf-8")
    # a pack links only to a configured full base URL; with a path prefix alone it names the sources and
    # handbook pages instead (no address a reader could not reach, no localhost)
    assert "phish" not in pack
    if kind == "full-url":
        assert public + "sources/" in pack
    else:
        assert "http://" not in pack and "handbook page" in pack
    with urllib.request.urlopen(urllib.request.Request(upstream + "briefings", headers=forged), timeout=10) as r:
        assert all(t["url"].startswith(want + "topics/") for t in json.load(r))


@pytest.mark.parametrize("page_path, ready", [("docs", ".swagger-ui .opblock-summary"),
                                              ("redoc", "[data-section-id^='tag/']")])
def test_api_docs_render_with_the_network_blocked(docs_deployed, browser, page_path, ready):
    kind, public, _ = docs_deployed
    ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    blocked: list[str] = []

    def only_loopback(route):
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    ctx.route("**/*", only_loopback)
    page = ctx.new_page()
    page.set_default_timeout(30000)
    try:
        page.goto(public + page_path)
        page.wait_for_selector(ready)
        assert "/ask" in page.inner_text("body")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"ops-{kind}-{page_path}.png"))
    finally:
        ctx.close()
    assert blocked == []  # nothing asked of a CDN or a font service

