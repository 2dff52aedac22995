"""`wtkb build`: corpus, then index and handbook, each replaced atomically."""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field

from wtkb.atomic import atomic_dir
from wtkb.corpus import Corpus, build_corpus
from wtkb.settings import Settings


@dataclass
class BuildReport:
    corpus: Corpus
    timings: dict[str, float] = field(default_factory=dict)

    def counts(self) -> dict[str, Counter[str]]:
        out: dict[str, Counter[str]] = {}
        for r in self.corpus.records:
            out.setdefault(r.document, Counter())[r.kind] += 1
        return out


def write_corpus(settings: Settings, corpus: Corpus) -> None:
    with atomic_dir(settings.corpus_dir) as tmp:
        (tmp / "corpus.jsonl").write_text(corpus.jsonl(), encoding="utf-8")
        (tmp / "sources.json").write_text(
            json.dumps([s.provenance() for s in corpus.sources], indent=2, ensure_ascii=False), encoding="utf-8")
        (tmp / "meta.json").write_text(json.dumps(
            {"corpus_hash": corpus.hash, "records": len(corpus.records), "joins": corpus.joins}, indent=2),
            encoding="utf-8")


def run_build(settings: Settings, stages: tuple[str, ...] = ("corpus", "index", "book"), progress=None) -> BuildReport:
    """Run the build stages in order. ``progress(stage)`` is called as each starts."""
    t0 = time.perf_counter()
    if progress:
        progress("corpus")
    corpus = build_corpus(settings.sources_dir)
    write_corpus(settings, corpus)
    report = BuildReport(corpus=corpus, timings={"corpus": time.perf_counter() - t0})
    if "index" in stages:
        if progress:
            progress("index")
        t = time.perf_counter()
        from wtkb.index import build_index

        build_index(settings, corpus)
        report.timings["index"] = time.perf_counter() - t
    if "book" in stages:
        if progress:
            progress("book")
        t = time.perf_counter()
        from wtkb.book import build_book

        build_book(settings, corpus)
        report.timings["book"] = time.perf_counter() - t
    report.timings["total"] = time.perf_counter() - t0
    return report
