"""The real thing in a real browser: `wtkb serve` (uvicorn) on loopback, driven by Playwright.

The server serves the session's handbook build (``site``) with the session's index
(``qa_settings``), both in temp folders, so nothing here touches the working tree. Headless
Chromium is Debian's (/usr/bin/chromium; `make test` installs it when missing), never a
Playwright download. axe-core comes from npm (`make test` runs `npm ci` in tests/browser).

Screenshots of each step go to test-artifacts/screenshots/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ..conftest import CHROMIUM

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

if not CHROMIUM.exists():
    pytest.skip("headless Chromium is not installed at /usr/bin/chromium (`make browser` installs it)",
                allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(site, qa_settings):
    """`wtkb serve` on 127.0.0.1 over the session's handbook and index; yields its base URL."""
    port = _free_port()
    env = {**os.environ, "WTKB_ROOT": str(site.settings.root), "WTKB_BUILD_DIR": str(site.settings.build),
           "WTKB_INDEX_DIR": str(qa_settings.index), "HF_HUB_OFFLINE": "1", "WTKB_LOG_QUESTIONS": "false"}
    wtkb = Path(sys.executable).with_name("wtkb")
    cmd = [str(wtkb)] if wtkb.exists() else [sys.executable, "-m", "wtkb.cli"]
    log = open(site.settings.root / "serve.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([*cmd, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(base + "health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            log.close()
            raise RuntimeError("wtkb serve did not come up:\n" + (site.settings.root / "serve.log").read_text())
        time.sleep(0.3)
    yield base
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


@pytest.fixture()
def new_page(browser):
    """``new_page(viewport=DESKTOP)``: a page in a fresh context (downloads allowed); closed after the test.

    ``bypass_csp=True`` only for tools the tests inject (axe-core): the pages' own Content-Security-Policy
    rightly refuses an injected inline script, and ``tests/ops`` checks that policy on its own.
    """
    contexts = []

    def make(viewport: dict | None = None, bypass_csp: bool = False):
        ctx = browser.new_context(viewport=viewport or DESKTOP, accept_downloads=True, bypass_csp=bypass_csp)
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(20000)
        return page

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture(scope="session")
def shot():
    """``shot(page, name, full=True)``: a screenshot in test-artifacts/screenshots/ (``full=False``: the viewport,
    which shows where a link landed)."""
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str, full: bool = True) -> Path:
        path = SHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full)
        return path

    return take


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.skip("axe-core is not installed in tests/browser/node_modules (`make browser` runs npm ci)")
    return AXE.read_text(encoding="utf-8")
