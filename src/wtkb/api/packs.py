"""Briefing packs for the API, built in a separate worker process so that they cannot slow ``/ask``.

Building a pack is pure-Python work (chapter parsing, python-pptx, lxml) that holds the GIL for
long stretches: on a thread of the server it starved the event loop and the embedding thread, and
eight trainers building packs made ``/ask`` about 12x slower at the median. A process pool of
``WTKB_BRIEFING_WORKERS`` processes (default 1, at lower CPU priority) takes that work out of the
server's process; requests queue for it. A built-in topic needs only the corpus; a free-text topic
needs retrieval, so a worker loads its own index and model the first time it gets one (about the
server's memory again).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from wtkb.settings import Settings

_settings: Settings | None = None
_corpus = None
_qa = None


def _init(settings_json: str, parent: int) -> None:
    """In the worker: settings, a lower CPU priority than the server's, and an end when the server ends."""
    global _settings
    from wtkb.procs import die_with_parent

    die_with_parent(parent)
    _settings = Settings.model_validate_json(settings_json)
    try:
        os.nice(5)
    except OSError:
        pass


def _warm() -> bool:
    """In the worker: import the briefing code and read the corpus, so the first pack is not slow."""
    _corpus_once()
    import wtkb.briefing.render  # noqa: F401

    return True


def _corpus_once():
    global _corpus
    if _corpus is None:
        from wtkb.corpus import build_corpus

        _corpus = build_corpus(_settings.sources_dir)
    return _corpus


def make_pack(topic: str, audience: str | None, fmt: str) -> tuple[bytes, str, int | None]:
    """In the worker: (file bytes, file name without suffix, slide count) for one pack."""
    global _qa
    from wtkb.briefing import build_pack, find_topic, list_topics
    from wtkb.briefing.render import render, slide_count
    from wtkb.text import slugify

    settings = _settings
    if _qa is None and find_topic(list_topics(settings), topic) is None:  # free text: retrieval needs the index
        from wtkb.qa import load_qa

        _qa = load_qa(settings)
    pack = build_pack(settings, topic, audience, qa=_qa, corpus=_corpus_once())
    name = pack.topic.slug if pack.topic else slugify(pack.title)[:60] or "topic"
    return render(pack, fmt, base_url=settings.public_base), f"wtkb-briefing-{name}", slide_count(pack)


class PackBuilder:
    """The server's side: a process pool, started on the first pack (spawning and importing take a few
    seconds, so a server that never builds a pack never pays for it)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._pool: ProcessPoolExecutor | None = None

    def start(self) -> None:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.settings.briefing_workers, mp_context=multiprocessing.get_context(
                "spawn"), initializer=_init, initargs=(self.settings.model_dump_json(), os.getpid()))
            for _ in range(self.settings.briefing_workers):
                self._pool.submit(_warm)

    async def build(self, topic: str, audience: str | None, fmt: str) -> tuple[bytes, str, int | None]:
        self.start()
        return await asyncio.get_running_loop().run_in_executor(self._pool, make_pack, topic, audience, fmt)

    def close(self) -> None:
        """Stop the workers: queued packs are cancelled, one being built finishes (a second or so)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
