"""Shared fixtures: the real sources, the real corpus, settings pointing at temp folders.

Two expensive session fixtures live here because several suites use them: ``site`` (one full
handbook build of a project copy, about 10 s) and ``qa_settings`` (the real retrieval index with
the real model and Chroma, about 30 s). Each is built at most once per test session.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from wtkb.book import GENERATED_DIRS, build_book  # importing wtkb sets the offline environment
from wtkb.corpus import Corpus, build_corpus
from wtkb.settings import Settings

# the Sphinx test fixtures (`app`, `make_app`, the `sphinx` marker) for tests/sphinx/
pytest_plugins = "sphinx.testing.fixtures"

ROOT = Path(__file__).resolve().parents[1]
# Debian's Chromium (`make browser` installs it), never a Playwright download; these flags work here
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu-compositing", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    """The corpus built from the real sources (read-only: do not mutate)."""
    return build_corpus(ROOT / "sources")


@pytest.fixture()
def tmp_settings(tmp_path: Path) -> Settings:
    """Settings for the real project whose build and index go to a temp folder."""
    return Settings(root=ROOT, build_dir=tmp_path / "_build", index_dir=tmp_path / "index")


# ---- the handbook: a project copy and one full build of it ------------------------------

def make_project(dest: Path) -> Settings:
    """Copy what a handbook build reads into ``dest`` and return settings for it."""
    shutil.copytree(ROOT / "sources", dest / "sources")
    shutil.copytree(ROOT / "book", dest / "book",
                    ignore=lambda d, names: [n for n in names if Path(d) == ROOT / "book" and
                                             (n in GENERATED_DIRS or n.startswith((".", "_build")))])
    for name in ("_config.yml", "_toc.yml"):
        shutil.copy2(ROOT / name, dest / name)
    return Settings(root=dest, build_dir=dest / "_build", index_dir=dest / "index")


@dataclass
class Page:
    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (href, classes, text)


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._a: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.page.ids.add(a["id"])
        if tag == "a":
            self._a.append([a.get("href") or "", a.get("class") or "", ""])

    def handle_data(self, data):
        for link in self._a:
            link[2] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._a:
            href, cls, text = self._a.pop()
            self.page.links.append((href, cls, " ".join(text.split())))


@functools.cache
def parse_html(path: Path) -> Page:
    p = _Collect()
    p.feed(path.read_text(encoding="utf-8"))
    return p.page


@dataclass
class Site:
    settings: Settings
    corpus: Corpus

    @property
    def html(self) -> Path:
        return self.settings.html_dir

    def page(self, rel: str) -> Page:
        return parse_html(self.html / rel)


@pytest.fixture(scope="session")
def site(tmp_path_factory, corpus) -> Site:
    """One full handbook build of a project copy (about 10 s)."""
    settings = make_project(tmp_path_factory.mktemp("site"))
    build_book(settings, corpus)
    return Site(settings, corpus)


@pytest.fixture(scope="session")
def served(site):
    """The built site over http on 127.0.0.1 (a thread), as its base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(Quiet, directory=str(site.html)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


# ---- the retrieval index ----------------------------------------------------------------


@pytest.fixture(scope="session")
def qa_settings(tmp_path_factory, corpus) -> Settings:
    """Settings whose index (real model, real Chroma) is built once into a session temp folder."""
    from wtkb.index import build_index

    tmp = tmp_path_factory.mktemp("qa")
    settings = Settings(root=ROOT, build_dir=tmp / "_build", index_dir=tmp / "index")
    build_index(settings, corpus)
    return settings


# ---- headless Chromium -------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for one test module (Playwright's sync API allows one running instance)."""
    if not CHROMIUM.exists():
        pytest.skip("headless Chromium is not installed at /usr/bin/chromium (`make browser` installs it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()
