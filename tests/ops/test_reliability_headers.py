"""Security headers on every response (API and handbook), a CSP the handbook's own scripts satisfy
(checked in Chromium), ``Allow`` on every 405, and CORS off unless configured (issue 13, item 3)."""

from __future__ import annotations

import base64
import hashlib

import pytest

from wtkb.api.security import DATA_CSP, html_csp
from wtkb.settings import Settings

from ..conftest import CHROMIUM, ROOT

FOREIGN = "https://evil.example"
COMMON = {"x-content-type-options": "nosniff", "x-frame-options": "DENY", "referrer-policy": "no-referrer"}


def _sha(js: bytes) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(js).digest()).decode() + "'"


def test_html_csp_allows_exactly_the_pages_inline_scripts():
    page = (b"<html><script>var a = 1;</script><script src='/_static/x.js'></script>"
            b"<SCRIPT type='text/javascript'>\nlet b = 2;\n</SCRIPT><script>var a = 1;</script></html>")
    csp = html_csp(page)
    assert _sha(b"var a = 1;") in csp and _sha(b"\nlet b = 2;\n") in csp
    assert csp.count("sha256-") == 2  # the repeat once, the external script not at all
    assert "'unsafe-inline'" not in csp.split("style-src")[0]  # no inline script without its hash
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp


def test_headers_even_on_a_crash_and_405_allow_from_the_contract():
    """A tiny app through the same middleware: a 500 from the catch-all still carries every header."""
    from fastapi import FastAPI
    from fastapi.responses import HTMLResponse
    from fastapi.testclient import TestClient

    from wtkb.api import security

    app = FastAPI()

    @app.get("/boom")
    async def boom():
        raise RuntimeError("crash")

    @app.get("/page", response_class=HTMLResponse)
    async def page():
        return "<html><script>go()</script></html>"

    @app.post("/thing/{tid}")
    async def thing(tid: str):
        return {"tid": tid}

    security.install(app, Settings(root=ROOT))
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/boom")
        assert r.status_code == 500 and all(r.headers.get(k) == v for k, v in COMMON.items())
        assert r.headers["content-security-policy"] == DATA_CSP
        p = c.get("/page")
        assert _sha(b"go()") in p.headers["content-security-policy"]
        assert c.head("/page").headers["x-frame-options"] == "DENY"
        r = c.get("/thing/x")
        assert r.status_code == 405 and r.headers["allow"] == "POST"


# ---- the real app: API and handbook ----------------------------------------------------------

@pytest.fixture(scope="module")
def app_settings(site, qa_settings) -> Settings:
    """The built handbook (``site``) and the real index (``qa_settings``) served by one app."""
    return Settings(root=ROOT, build_dir=site.settings.build, index_dir=qa_settings.index)


def _client(settings: Settings):
    from fastapi.testclient import TestClient

    from wtkb.api import create_app

    return TestClient(create_app(settings))


@pytest.fixture(scope="module")
def client(app_settings):
    with _client(app_settings) as c:
        yield c


@pytest.mark.slow
@pytest.mark.parametrize("method, path, status", [
    ("GET", "/health", 200), ("GET", "/search?q=early+help", 200), ("GET", "/paragraphs/nope", 404),
    ("POST", "/ask", 422), ("GET", "/ask", 405), ("PUT", "/ask", 405), ("DELETE", "/search", 405),
    ("GET", "/openapi.json", 200), ("GET", "/", 200), ("GET", "/ask.html", 200), ("GET", "/_static/wtkb.js", 200),
    ("GET", "/no-such-page.html", 404), ("POST", "/index.html", 405), ("GET", "/docs", 200),
])
def test_every_response_carries_the_security_headers(client, method, path, status):
    r = client.request(method, path)
    assert r.status_code == status, r.text
    for k, v in COMMON.items():
        assert r.headers.get(k) == v, (k, r.headers)
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    if r.headers.get("content-type", "").startswith("text/html"):
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("style-src")[0]
    else:
        assert csp == DATA_CSP
    if status == 405:
        assert r.headers.get("allow"), "a 405 must say which methods are allowed"


@pytest.mark.slow
@pytest.mark.parametrize("method, path, allow", [
    ("PUT", "/ask", "POST"), ("PATCH", "/ask", "POST"), ("DELETE", "/search", "GET, HEAD"),
    ("POST", "/health", "GET, HEAD"), ("PUT", "/paragraphs/x", "GET, HEAD"), ("POST", "/index.html", "GET, HEAD"),
    ("DELETE", "/briefings", "GET, HEAD, POST"),
])
def test_405_names_the_allowed_methods(client, method, path, allow):
    r = client.request(method, path)
    assert r.status_code == 405 and r.headers["allow"] == allow


@pytest.mark.slow
def test_handbook_page_csp_hashes_its_inline_scripts(client, site):
    body = (site.html / "index.html").read_bytes()
    r = client.get("/")
    assert r.content == body
    assert r.headers["content-security-policy"] == html_csp(body)


@pytest.mark.slow
def test_cors_is_off_by_default(client):
    r = client.get("/health", headers={"Origin": FOREIGN})
    assert r.status_code == 200 and "access-control-allow-origin" not in r.headers
    pre = client.options("/ask", headers={"Origin": FOREIGN, "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in pre.headers and pre.status_code == 405


@pytest.mark.slow
def test_cors_allows_only_the_configured_origins(app_settings):
    allowed = "https://intranet.example.org"
    with _client(app_settings.model_copy(update={"cors_origins": f"{allowed}, https://other.example"})) as c:
        r = c.post("/ask", json={"question": "who are the safeguarding partners?"}, headers={"Origin": allowed})
        assert r.status_code == 200 and r.headers["access-control-allow-origin"] == allowed
        assert r.headers["x-content-type-options"] == "nosniff"
        pre = c.options("/ask", headers={"Origin": allowed, "Access-Control-Request-Method": "POST",
                                         "Access-Control-Request-Headers": "content-type"})
        assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == allowed
        foreign = c.get("/health", headers={"Origin": FOREIGN})
        assert "access-control-allow-origin" not in foreign.headers
        denied = c.options("/ask", headers={"Origin": FOREIGN, "Access-Control-Request-Method": "POST"})
        assert denied.status_code == 400 and "access-control-allow-origin" not in denied.headers


# ---- in Chromium: the pages' JS runs under the policy, and nothing is blocked ----------------

BROWSER_PAGES = ["index.html", "ask.html", "sources/cr2023/15-section-3-help-and-support.html",
                 "generated/consultation.html", "generated/glossary.html", "topics/01-lead-practitioner.html"]


@pytest.mark.slow
@pytest.mark.browser
def test_handbook_scripts_run_under_the_csp_without_violations(app_settings, site):
    if not CHROMIUM.exists():
        pytest.skip("headless Chromium is not installed at /usr/bin/chromium (`make browser` installs it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    from wtkb.dev.procs import api_server

    from ..conftest import CHROMIUM_ARGS

    with api_server(app_settings) as srv, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for path in BROWSER_PAGES:
                if not (site.html / path).is_file():
                    continue
                ctx = browser.new_context(viewport={"width": 390, "height": 900})
                page = ctx.new_page()
                # only what the policy blocked: the theme's own console errors (a second THEBE_JS_URL
                # declaration, an unset colour mode) happen without a CSP too and are not this test's
                problems: list[str] = []
                page.on("console", lambda m, out=problems: out.append(m.text)
                        if any(w in m.text for w in ("Content Security Policy", "CSP violation", "Refused to"))
                        else None)
                page.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                                     "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))")
                resp = page.goto(f"{srv.url}/{path}")
                assert "script-src" in resp.headers["content-security-policy"]
                page.wait_for_load_state("networkidle")
                # the theme's own (inline and external) scripts ran: it set the colour mode …
                assert page.evaluate("document.documentElement.dataset.theme") in ("light", "dark"), path
                # … and wtkb.js ran: the ask box (or the Ask page's form) is there
                assert page.locator("form.wtkb-ask, .wtkb-askbox, .wtkb-ask-page form").count() >= 1, path
                if path == "ask.html":  # fetch() to this server is allowed (connect-src 'self')
                    page.wait_for_selector(".wtkb-server-ok", timeout=30_000)
                assert problems == [], (path, problems)
                ctx.close()
        finally:
            browser.close()
