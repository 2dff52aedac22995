"""Dense scoring: a query vector's cosine to the paragraphs and sentences, two ways behind one seam.

* :class:`MemoryDense` (``WTKB_DENSE=memory``, the default for small indexes): every paragraph and
  sentence vector in a matrix in this process, every cosine exact (one matrix product per query).
* :class:`HnswDense` (``WTKB_DENSE=hnsw``, an index published to a Chroma server): the vectors stay
  in the server; a query asks its HNSW index for the top :data:`TOP_PARAGRAPHS` paragraphs and top
  :data:`TOP_SENTENCES` sentences, and every other record gets a *floor* (the lowest cosine the server
  returned, an upper bound of what it would have had). :meth:`HnswDense.complete` then makes the
  cosines exact, server-side, for the records an answer needs: the dense and the BM25 candidates
  before fusion, and any further record whose sentences the answer reads. A worker holds no vector
  matrix, only the sentence spans and per-query score arrays.

``WTKB_DENSE=auto`` picks hnsw for an index in a Chroma server with more than
:data:`AUTO_HNSW_RECORDS` records, memory otherwise (the README's growth table says why).

The arrays a :class:`~wtkb.retrieve.Scores` carries keep one entry per record and per sentence in
both modes, so the evidence API reads them the same way; ``Scores.exact`` says which are exact
(``None``: all of them).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from wtkb.errors import IndexError_
from wtkb.index import BUILD_HINT, IndexMeta, load_vectors

if TYPE_CHECKING:
    from wtkb.settings import Settings

DENSE_MODES = ("auto", "memory", "hnsw")
# auto: the server's HNSW above this many records (measured: see README, "Growth: how it scales")
AUTO_HNSW_RECORDS = 100_000
TOP_PARAGRAPHS = 200  # paragraphs asked of the server's HNSW per query
TOP_SENTENCES = 400  # sentences asked of the server's HNSW per query
BM25_CANDIDATES = 100  # the best BM25 records also get exact cosines before fusion
SEARCH_EF = 400  # the HNSW search breadth set on published collections (>= the top-N asked for)


@dataclass
class SentenceIndex:
    """The indexed sentences, sorted by (record row, start): each record's sentences are one run."""

    spans: list[tuple[int, int, int]]  # (record row, start, end)
    ids: list[str]  # sentence ids in the same order
    of: dict[int, range] = field(default_factory=dict)  # record row -> its run of sentence positions
    starts: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    owner: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))

    @classmethod
    def from_metadata(cls, ids: list[str], metadatas: list[dict], pos: dict[str, int], n_records: int
                      ) -> tuple[SentenceIndex, list[int]]:
        """The index and the permutation that sorts the stored order (``ids``/``metadatas``) into it."""
        try:
            spans = [(pos[m["record"]], int(m["start"]), int(m["end"])) for m in metadatas]
        except (KeyError, TypeError, ValueError) as exc:
            raise IndexError_("the sentence vectors do not match the corpus", BUILD_HINT) from exc
        if any(r not in range(n_records) for r, _, _ in spans):
            raise IndexError_("the sentence vectors do not match the corpus", BUILD_HINT)
        perm = sorted(range(len(spans)), key=lambda j: spans[j][:2])
        out = cls([spans[j] for j in perm], [ids[j] for j in perm])
        j, sp = 0, out.spans
        while j < len(sp):
            k = j
            while k < len(sp) and sp[k][0] == sp[j][0]:
                k += 1
            out.of[sp[j][0]] = range(j, k)
            j = k
        out.starts = np.array([rg.start for rg in out.of.values()], dtype=np.int64)
        out.owner = np.array(list(out.of), dtype=np.int64)
        return out, perm


@dataclass
class Exact:
    """Which cosines of one query are exact: per record (paragraph) and per sentence."""

    para: np.ndarray
    sent: np.ndarray


class DenseScorer(Protocol):
    mode: str
    sentences: SentenceIndex

    def score_many(self, vecs: np.ndarray) -> list[tuple[np.ndarray, np.ndarray, Exact | None]]:
        """Per query vector: cosine per record, cosine per sentence, and which of them are exact."""

    def complete(self, s, rows=None) -> None:
        """Make the cosines of ``rows`` (default: the fusion candidates of ``s``) and their sentences exact."""

    def held_mib(self) -> float:
        """The vector memory this worker holds."""


class MemoryDense:
    """Every vector in this process; torch matrix products on the encoder's thread pool."""

    mode = "memory"

    def __init__(self, paras: dict, sents: dict, pos: dict[str, int], n_records: int, dim: int,
                 lock: threading.Lock):
        import torch

        if len(paras["ids"]) != n_records or any(i not in pos for i in paras["ids"]):
            raise IndexError_("the vector store does not match the corpus", BUILD_HINT)
        order = np.array([pos[i] for i in paras["ids"]])
        mat = np.zeros((n_records, dim), dtype=np.float32)
        mat[order] = np.asarray(paras["embeddings"], dtype=np.float32)
        self.sentences, perm = SentenceIndex.from_metadata(sents["ids"], sents["metadatas"], pos, n_records)
        smat = np.asarray(sents["embeddings"], dtype=np.float32)[perm] if perm else np.zeros((0, dim), np.float32)
        # Dot products run in torch, on the same thread pool as the encoder: numpy's OpenBLAS would
        # start its own spinning threads, and the two pools fighting over 2 cores made queries ~10x slower.
        self._torch = torch
        self._mat = torch.from_numpy(mat)
        self._smat = torch.from_numpy(np.ascontiguousarray(smat))
        self._lock = lock

    def score_many(self, vecs: np.ndarray) -> list[tuple[np.ndarray, np.ndarray, Exact | None]]:
        q = self._torch.from_numpy(np.ascontiguousarray(vecs, dtype=np.float32).reshape(-1, self._mat.shape[1]))
        with self._lock:
            dense = (q @ self._mat.T).numpy()
            sent = (q @ self._smat.T).numpy()
        return [(dense[i], sent[i], None) for i in range(len(q))]

    def complete(self, s, rows=None) -> None:
        return None  # every cosine is exact already

    def held_mib(self) -> float:
        return (self._mat.numel() + self._smat.numel()) * 4 / 2**20


class HnswDense:
    """The vectors stay in the Chroma server; its HNSW index finds the candidates (see the module doc)."""

    mode = "hnsw"

    def __init__(self, url: str, published, pos: dict[str, int], n_records: int, n_sentences: int):
        from wtkb.index import remote

        self._paras, self._sents = remote.published_collections(url, published)
        ids = remote.read_ids(self._paras)
        if len(ids) != n_records or any(i not in pos for i in ids):
            raise IndexError_("the vector store does not match the corpus", BUILD_HINT)
        sids, metas = remote.read_metadata(self._sents)
        if len(sids) != n_sentences:
            raise IndexError_(f"the Chroma server holds {len(sids)} sentence vectors, the index says "
                              f"{n_sentences}", BUILD_HINT)
        self.sentences, _ = SentenceIndex.from_metadata(sids, metas, pos, n_records)
        self._pos = pos
        self._ids = [""] * n_records
        for rid, row in pos.items():
            self._ids[row] = rid
        self._sent_pos = {sid: j for j, sid in enumerate(self.sentences.ids)}
        self.top_paragraphs = min(TOP_PARAGRAPHS, n_records)
        self.top_sentences = min(TOP_SENTENCES, n_sentences)

    def score_many(self, vecs: np.ndarray) -> list[tuple[np.ndarray, np.ndarray, Exact | None]]:
        q = np.asarray(vecs, dtype=np.float32).reshape(len(vecs), -1).tolist()
        n, m = len(self._ids), len(self.sentences.ids)
        paras = self._paras.query(query_embeddings=q, n_results=self.top_paragraphs, include=["distances"]) \
            if n else None
        sents = self._sents.query(query_embeddings=q, n_results=self.top_sentences, include=["distances"]) \
            if m else None
        out = []
        for i in range(len(q)):
            dense, para = _filled(n, paras, i, self._pos)
            sent, known = _filled(m, sents, i, self._sent_pos)
            out.append((dense, sent, Exact(para, known)))
        return out

    def candidates(self, s) -> list[int]:
        """The records fusion can rank high: the server's dense top-N and the BM25 top candidates."""
        rows = np.flatnonzero(s.exact.para)
        bm = s.bm25_raw
        k = min(BM25_CANDIDATES, len(bm))
        if k:
            top = np.argpartition(-bm, k - 1)[:k]
            rows = np.union1d(rows, top[bm[top] > 0])
        return rows.tolist()

    def complete(self, s, rows=None) -> None:
        x: Exact | None = getattr(s, "exact", None)
        if x is None:
            return
        before_fusion = rows is None
        rows = self.candidates(s) if before_fusion else rows
        para = [r for r in rows if not x.para[r]]
        sent = [j for r in rows for j in self.sentences.of.get(r, ()) if not x.sent[j]]
        q = [np.asarray(s.qvec, dtype=np.float32).tolist()]
        for coll, todo, ids, arr, known in ((self._paras, para, self._ids, s.dense, x.para),
                                            (self._sents, sent, self.sentences.ids, s.sentence, x.sent)):
            if not todo:
                continue
            got = coll.query(query_embeddings=q, ids=[ids[t] for t in todo], n_results=len(todo),
                             include=["distances"])
            found = dict(zip(got["ids"][0], got["distances"][0], strict=True))
            for t in todo:
                if ids[t] in found:
                    arr[t] = 1.0 - found[ids[t]]
                    known[t] = True
        if before_fusion:  # the rest: the lowest exact cosine seen, so that no unchecked record outranks a checked one
            for arr, known in ((s.dense, x.para), (s.sentence, x.sent)):
                if known.any() and not known.all():
                    arr[~known] = arr[known].min()

    def held_mib(self) -> float:
        return 0.0


def _filled(size: int, result, i: int, where: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """One query's server answer as a full array: the cosines it returned, the lowest of them elsewhere."""
    known = np.zeros(size, dtype=bool)
    if result is None or not result["ids"][i]:
        return np.zeros(size, np.float32), known
    rows = np.array([where[x] for x in result["ids"][i]], dtype=np.int64)
    cos = 1.0 - np.asarray(result["distances"][i], dtype=np.float32)
    out = np.full(size, float(cos.min()), dtype=np.float32)
    out[rows] = cos
    known[rows] = True
    return out, known


def dense_mode(settings: Settings, meta: IndexMeta) -> str:
    """``memory`` or ``hnsw`` for this index under ``WTKB_DENSE`` (see the module doc)."""
    mode = settings.dense
    served = bool(getattr(meta, "chroma", None))
    if mode == "hnsw" and not served:
        raise IndexError_("WTKB_DENSE=hnsw needs an index published to a Chroma server, and this one keeps "
                          "its vectors locally", "publish it (`WTKB_CHROMA_URL=http://host:port wtkb build`), "
                          "or set WTKB_DENSE=memory (or auto)")
    if mode == "auto":
        return "hnsw" if served and settings.chroma_url and meta.records > AUTO_HNSW_RECORDS else "memory"
    return mode


def open_dense(settings: Settings, meta: IndexMeta, index: Path, pos: dict[str, int],
               lock: threading.Lock) -> DenseScorer:
    """The dense scorer ``WTKB_DENSE`` chooses for the index at ``index`` (raises ``IndexUnavailable``)."""
    from wtkb.index.remote import Published

    if dense_mode(settings, meta) == "hnsw":
        published = Published.from_dict(meta.chroma)
        url = settings.chroma_url or published.url
        try:
            return HnswDense(url, published, pos, meta.records, meta.sentences)
        except IndexError_:
            raise
        except Exception as exc:  # noqa: BLE001 - a server that fails mid-read: the same advice
            raise IndexError_(f"the sentence spans of build {published.build} cannot be read from the Chroma "
                              f"server at {url} ({type(exc).__name__}: {str(exc)[:200]})",
                              "check the server (its log, its disk) and restart this worker") from exc
    paras, sents = load_vectors(settings, meta, index)
    return MemoryDense(paras, sents, pos, len(pos), meta.dim, lock)
