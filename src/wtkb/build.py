"""`wtkb build`: corpus, then index and handbook, each replaced atomically.

One build at a time per build folder (:func:`wtkb.atomic.build_lock`; a second one waits), and each
build first removes what an interrupted one left (``.index.tmp-*``, ``.html.tmp-*``, …). A folder
that cannot be written (full disk, read-only, no permission) stops the build with one
:class:`~wtkb.errors.BuildError` that names the folder and what to do, and the previous outputs stay.
"""

from __future__ import annotations

import errno
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from wtkb.atomic import atomic_dir, build_lock, clean_stale
from wtkb.corpus import Corpus, build_corpus
from wtkb.errors import BuildError, WtkbError
from wtkb.settings import Settings

# what the OS (or a library quoting it) says when a folder cannot take a build's output
WRITE_PROBLEMS = {
    errno.ENOSPC: ("the disk is full", "free some space there (or set WTKB_BUILD_DIR / WTKB_INDEX_DIR to a "
                                       "folder on a disk with room), then run `wtkb build` again"),
    errno.EDQUOT: ("the disk quota is used up", "free some space there, then run `wtkb build` again"),
    errno.EROFS: ("the folder is on a read-only file system", "build on a writable disk (WTKB_BUILD_DIR, "
                                                              "WTKB_INDEX_DIR) and copy the outputs across"),
    errno.EACCES: ("this user may not write there", "run the build as the folder's owner, or make it writable"),
    errno.EPERM: ("this user may not write there", "run the build as the folder's owner, or make it writable"),
}
WRITE_WORDS = {"No space left on device": errno.ENOSPC, "database or disk is full": errno.ENOSPC,
               "Disk quota exceeded": errno.EDQUOT, "Read-only file system": errno.EROFS,
               "readonly database": errno.EROFS, "Permission denied": errno.EACCES}


def write_problem(exc: BaseException | str, where: Path) -> BuildError | None:
    """A BuildError when ``exc`` (an exception or a child's stderr) says ``where`` cannot be written."""
    code = exc.errno if isinstance(exc, OSError) else None
    if code not in WRITE_PROBLEMS:
        text = str(exc)
        code = next((c for words, c in WRITE_WORDS.items() if words in text), None)
    if code is None:
        return None
    what, fix = WRITE_PROBLEMS[code]
    return BuildError(f"the build could not write to {where}: {what}", f"{fix}. The previous outputs were left "
                      "as they were", where)


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


def run_build(settings: Settings, stages: tuple[str, ...] = ("corpus", "index", "book"),
              progress: Callable[[str], None] | None = None) -> BuildReport:
    """Run the build stages in order, under the build lock. ``progress(stage)`` is called as each starts
    (and with a note if another build holds the lock)."""
    try:
        with build_lock(settings.build / ".wtkb-build.lock", on_wait=progress):
            for target in (settings.corpus_dir, settings.index, settings.html_dir):
                clean_stale(target)
            return _stages(settings, stages, progress)
    except WtkbError:
        raise
    except Exception as exc:
        problem = write_problem(exc, _where(exc, settings))
        if problem is None:
            raise
        raise problem from exc


def _where(exc: Exception, settings: Settings) -> Path:
    name = getattr(exc, "filename", None)
    return Path(name).parent if name else settings.build


def _stages(settings: Settings, stages: tuple[str, ...], progress: Callable[[str], None] | None) -> BuildReport:
    from wtkb.book import build_book
    from wtkb.index import build_index

    steps = {"index": (build_index, settings.index), "book": (build_book, settings.html_dir)}
    t0 = time.perf_counter()
    if progress:
        progress("corpus")
    corpus = build_corpus(settings.sources_dir)
    write_corpus(settings, corpus)
    report = BuildReport(corpus=corpus, timings={"corpus": time.perf_counter() - t0})
    for stage in ("index", "book"):
        if stage not in stages:
            continue
        if progress:
            progress(stage)
        t = time.perf_counter()
        step, where = steps[stage]
        try:
            step(settings, corpus)
        except WtkbError:
            raise
        except Exception as exc:  # an OSError, or Chroma reporting a full disk as its own error type
            problem = write_problem(exc, where)
            if problem is None:
                raise
            raise problem from exc
        report.timings[stage] = time.perf_counter() - t
    report.timings["total"] = time.perf_counter() - t0
    return report
