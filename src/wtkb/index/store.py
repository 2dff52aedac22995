"""Reading the built vector store back, read-only, whatever state it is in.

The query side never opens ``index/chroma`` itself: Chroma writes into the folder it opens (its
sqlite journal, migrations, segment files), which breaks a read-only or unprivileged deployment and
can change a store that another process is serving. :func:`read_vectors` checks the sqlite file,
copies the folder to a private temporary one, reads the two collections from the copy and removes
it. Anything unreadable (a garbage header, a truncated file, a missing collection, a Chroma panic)
becomes one :class:`~wtkb.errors.IndexUnavailable` that says what to do.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wtkb.errors import IndexUnavailable
from wtkb.index.chroma import PARAGRAPHS, SENTENCES, chroma_client, release_chroma
from wtkb.index.meta import BUILD_HINT

SQLITE_FILE = "chroma.sqlite3"
SQLITE_MAGIC = b"SQLite format 3\x00"
PAGE = 5000  # rows per ``get`` when reading a collection back


@dataclass
class StoredVectors:
    """What the query side needs from Chroma: paragraph vectors and sentence vectors with their spans."""

    paragraphs: dict[str, Any]  # Chroma ``get`` result: ids, embeddings
    sentences: dict[str, Any]  # ids, embeddings, metadatas (record, start, end)


def check_sqlite(path: Path) -> None:
    """IndexUnavailable unless ``path`` looks like a whole sqlite database (header and size)."""
    try:
        with path.open("rb") as f:
            header = f.read(100)
        size = path.stat().st_size
    except OSError as exc:
        raise IndexUnavailable(f"the vector store {path} cannot be read ({exc.strerror or exc})",
                               f"{BUILD_HINT}, or let the server's user read {path.parent}", path) from exc
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise IndexUnavailable(f"the vector store {path} is not a sqlite database (its header is damaged)",
                               BUILD_HINT, path)
    page = int.from_bytes(header[16:18], "big")
    page = 65536 if page == 1 else page
    pages = int.from_bytes(header[28:32], "big")
    if page < 512 or size % page or (pages and size < pages * page):
        raise IndexUnavailable(f"the vector store {path} is truncated ({size} bytes; the database says "
                               f"{pages} pages of {page})", BUILD_HINT, path)


def read_paged(coll, include: list[str], page: int = PAGE) -> dict[str, list]:
    """Every row of ``coll`` in pages: one ``get`` of a large collection exceeds sqlite's variable limit
    ("too many SQL variables" from about 32,000 rows; the 100x growth benchmark has 200,000)."""
    out: dict[str, list] = {"ids": [], **{k: [] for k in include}}
    total = coll.count()
    for offset in range(0, total, page):
        rows = coll.get(include=include, limit=page, offset=offset)
        out["ids"].extend(rows["ids"])
        for k in include:
            out[k].extend(list(rows[k]))
    return out


def read_vectors(chroma_dir: Path) -> StoredVectors:
    """The two collections of the store in ``chroma_dir``, read from a private copy (never written)."""
    if not (chroma_dir / SQLITE_FILE).is_file():
        raise IndexUnavailable(f"no vector store in {chroma_dir}", BUILD_HINT)
    check_sqlite(chroma_dir / SQLITE_FILE)
    with tempfile.TemporaryDirectory(prefix="wtkb-chroma-") as tmp:
        copy = Path(tmp) / "chroma"
        try:
            shutil.copytree(chroma_dir, copy)
        except OSError as exc:
            raise IndexUnavailable(f"the vector store in {chroma_dir} cannot be copied to read it ({exc})",
                                   f"{BUILD_HINT}; check that {tempfile.gettempdir()} has free space") from exc
        for p in (copy, *copy.rglob("*")):  # a copy of a read-only folder is read-only too
            p.chmod(0o700 if p.is_dir() else 0o600)
        client = None
        try:
            client = chroma_client(copy)
            paras = read_paged(client.get_collection(PARAGRAPHS), ["embeddings"])
            sents = read_paged(client.get_collection(SENTENCES), ["embeddings", "metadatas"])
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # noqa: BLE001 - Chroma's Rust panics are BaseExceptions; all mean the same
            raise IndexUnavailable(f"the vector store in {chroma_dir} cannot be read ({type(exc).__name__}: "
                                   f"{str(exc)[:200]})", BUILD_HINT) from exc
        finally:
            if client is not None:
                release_chroma(client)
    return StoredVectors(paras, sents)
