"""Vectors in a Chroma server (``WTKB_CHROMA_URL``), shared by several stateless API workers.

The embedded default keeps everything in ``index/chroma`` (one process, no server). With
``WTKB_CHROMA_URL`` set, ``wtkb build`` still embeds into a private local Chroma first, then
*publishes* the vectors into the server atomically:

1. it copies them into two NEW collections named after the build (``wtkb-<build>-paragraphs``,
   ``wtkb-<build>-sentences``) and checks their counts;
2. only then does the new ``meta.json`` (which names those collections) replace the old one in the
   same atomic swap as the BM25 index, and the server-side pointer collection ``wtkb-current``
   is switched to the new build (its metadata names the live collections);
3. builds other than the new one and the one before it are dropped from the server.

A worker reads the collections its own ``meta.json`` names, so it never sees a half-built
index and its vectors always match its BM25 index and corpus. BM25, the corpus and
``meta.json`` stay per worker (small, read-only files in ``index/``).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from wtkb.errors import IndexError_

POINTER = "wtkb-current"
PREFIX = "wtkb-"
KEEP_BUILDS = 2  # the live build and the one before it (a worker starting mid-switch may still name it)
PAGE = 5000  # rows per request when reading vectors back
# HNSW search breadth of published collections: at least the top-N a worker asks for in WTKB_DENSE=hnsw
# (wtkb.retrieve.dense), so the server's candidates are as good as its graph allows
SEARCH_EF = 400


@dataclass(frozen=True)
class Published:
    """Where a build's vectors live in the server (stored in ``meta.json`` as ``chroma``)."""

    url: str
    build: str
    paragraphs: str
    sentences: str

    def to_dict(self) -> dict[str, str]:
        return {"url": self.url, "build": self.build, "paragraphs": self.paragraphs, "sentences": self.sentences}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Published | None:
        if not data:
            return None
        return cls(**{k: str(data[k]) for k in ("url", "build", "paragraphs", "sentences")})


def server_client(url: str):
    """An HTTP client for the Chroma server at ``url`` (``http://host:port``), checked with a heartbeat."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    u = urlparse(url if "://" in url else f"http://{url}")
    if u.scheme not in ("http", "https") or not u.hostname:
        raise IndexError_(f"WTKB_CHROMA_URL={url!r} is not an http(s) URL",
                          "set it to the Chroma server's address, e.g. http://127.0.0.1:8001")
    try:
        client = chromadb.HttpClient(host=u.hostname, port=u.port or (443 if u.scheme == "https" else 8000),
                                     ssl=u.scheme == "https",
                                     settings=ChromaSettings(anonymized_telemetry=False))
        client.heartbeat()
    except Exception as exc:  # noqa: BLE001 - connection refused, DNS, TLS: the same advice
        raise IndexError_(f"the Chroma server at {url} does not answer ({type(exc).__name__}: {exc})",
                          "start it (`chroma run --path /var/lib/wtkb/chroma --host 127.0.0.1 --port 8001`) "
                          "or unset WTKB_CHROMA_URL to use the embedded index") from exc
    return client


def publish(url: str, local_chroma: Path, names: tuple[str, ...]) -> Published:
    """Copy the collections ``names`` of the local Chroma at ``local_chroma`` into new server collections."""
    from wtkb.index.chroma import chroma_client, release_chroma

    server = server_client(url)
    now = time.time_ns()  # sortable: the newest build sorts last (see switch)
    build = time.strftime("%Y%m%d%H%M%S", time.gmtime(now // 10**9)) + f"{now % 10**9:09d}-{uuid.uuid4().hex[:6]}"
    target = {name: f"{PREFIX}{build}-{name}" for name in names}
    local = chroma_client(local_chroma)
    try:
        for name in names:
            _copy(local.get_collection(name), server, target[name])
    except IndexError_:
        _drop(server, target.values())
        raise
    except Exception as exc:  # noqa: BLE001 - a failed upload leaves nothing half-published
        _drop(server, target.values())
        raise IndexError_(f"publishing the vectors to the Chroma server at {url} failed ({exc})",
                          "check the server (its log, its disk) and rerun `wtkb build`") from exc
    finally:
        release_chroma(local)
    return Published(url=url, build=build, paragraphs=target["paragraphs"], sentences=target["sentences"])


def _copy(src, server, name: str) -> None:
    dest = server.create_collection(name, metadata={"hnsw:space": "cosine", "hnsw:search_ef": SEARCH_EF})
    step = max(1, min(server.get_max_batch_size(), PAGE))
    total = src.count()
    for offset in range(0, total, step):
        rows = src.get(include=["embeddings", "documents", "metadatas"], limit=step, offset=offset)
        dest.add(ids=rows["ids"], embeddings=rows["embeddings"], documents=rows["documents"],
                 metadatas=rows["metadatas"])
    if dest.count() != total:
        raise IndexError_(f"the Chroma server took {dest.count()} of {total} vectors into {name}",
                          "check the server's log and disk, then rerun `wtkb build`")


def switch(published: Published) -> None:
    """Point ``wtkb-current`` at ``published`` and drop all but the newest builds (after the local swap)."""
    server = server_client(published.url)
    meta = {**published.to_dict(), "switched_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    pointer = server.get_or_create_collection(POINTER, metadata=meta)
    pointer.modify(metadata=meta)
    builds = sorted({c.name[len(PREFIX):].rsplit("-", 1)[0] for c in server.list_collections()
                     if c.name.startswith(PREFIX) and c.name != POINTER}, reverse=True)
    old = [b for b in builds if b != published.build][KEEP_BUILDS - 1:]
    _drop(server, [c.name for c in server.list_collections()
                   if c.name != POINTER and any(c.name.startswith(f"{PREFIX}{b}-") for b in old)])


def current(url: str) -> Published | None:
    """The build the server's pointer names (None if nothing was published there yet)."""
    server = server_client(url)
    try:
        pointer = server.get_collection(POINTER)
    except Exception:  # noqa: BLE001 - no pointer yet
        return None
    return Published.from_dict(pointer.metadata)


def _drop(server, names) -> None:
    for n in names:
        try:
            server.delete_collection(n)
        except Exception:  # noqa: BLE001 - already gone
            pass


def read_remote(url: str, published: Published) -> tuple[dict, dict]:
    """Every paragraph vector and every sentence vector (with metadata) of a published build."""
    server = server_client(url)
    try:
        paras = _read_all(server.get_collection(published.paragraphs), ["embeddings"])
        sents = _read_all(server.get_collection(published.sentences), ["embeddings", "metadatas"])
    except Exception as exc:  # noqa: BLE001 - e.g. the collections were dropped by a newer build
        raise IndexError_(f"the vectors of build {published.build} are not in the Chroma server at {url} ({exc})",
                          "rebuild with `WTKB_CHROMA_URL=... wtkb build` (the server keeps only the "
                          f"{KEEP_BUILDS} newest builds), or copy the current index/ to this worker") from exc
    return paras, sents


def published_collections(url: str, published: Published):
    """The paragraph and sentence collections of a published build, for querying the server's HNSW."""
    server = server_client(url)
    try:
        return server.get_collection(published.paragraphs), server.get_collection(published.sentences)
    except Exception as exc:  # noqa: BLE001 - e.g. the collections were dropped by a newer build
        raise IndexError_(f"the vectors of build {published.build} are not in the Chroma server at {url} ({exc})",
                          "rebuild with `WTKB_CHROMA_URL=... wtkb build` (the server keeps only the "
                          f"{KEEP_BUILDS} newest builds), or copy the current index/ to this worker") from exc


def read_ids(coll) -> list[str]:
    """Every id in ``coll`` (no vectors)."""
    return _read_all(coll, [])["ids"]


def read_metadata(coll) -> tuple[list[str], list[dict]]:
    """Every id and metadata in ``coll`` (no vectors): the sentence spans of a published build."""
    rows = _read_all(coll, ["metadatas"])
    return rows["ids"], rows["metadatas"]


def _read_all(coll, include: list[str]) -> dict[str, list]:
    from wtkb.index.store import read_paged

    return read_paged(coll, include, PAGE)
