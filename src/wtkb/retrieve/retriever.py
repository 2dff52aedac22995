"""Hybrid retrieval: glossary query expansion, dense + BM25 scores, fusion, duplicate collapse.

The index is built by :mod:`wtkb.index` (llama-index ingest into Chroma, bm25s on disk). At
load time the vectors are read back from Chroma once into a numpy matrix; a query then costs
one embedding, one BM25 pass and a few dot products, with no per-query framework overhead.

Every tunable choice lives in :class:`RetrievalConfig`; the defaults are the values chosen on
the evaluation set's dev split (see ``python -m wtkb.dev.evaluate``).
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from wtkb.corpus import Corpus, build_corpus
from wtkb.errors import IndexError_, WtkbError
from wtkb.index import (
    BUILD_HINT,
    IndexMeta,
    check_meta,
    load_model,
    load_vectors,
)
from wtkb.models import Record
from wtkb.reference.glossary import GlossaryEntry, load_glossary
from wtkb.settings import Settings
from wtkb.text import tokenize


@dataclass(frozen=True)
class RetrievalConfig:
    """Fusion, expansion and boost settings. The defaults were chosen on the dev split only."""

    fusion: str = "hybrid"  # "hybrid" (weighted sum below), "rrf", "dense" or "bm25"
    # hybrid: weighted sum of these signals (cosines are in [-1, 1], BM25 is scaled to [0, 1))
    w_dense: float = 0.5  # paragraph embedded with title, heading path and who is quoted
    w_sentence: float = 0.2  # best-matching single sentence of the paragraph
    w_bm25: float = 0.2  # BM25 over text, heading path, quoted body and source names
    w_section_dense: float = 0.05  # best dense score in the same section (section-level boost)
    w_section_bm25: float = 0.1  # best BM25 score in the same section
    w_quantity: float = 0.15  # "how many / what %" question and the paragraph has figures
    w_response: float = 0.02  # paragraph under "Government response" / "Following your feedback"
    w_response_yes_no: float = 0.02  # ... more so for a yes/no question
    w_directory: float = -0.1  # short items of a long name list (e.g. Annex A, who responded)
    w_length: float = 0.05  # log length: a little preference for substantial paragraphs
    bm25_norm: float = 0.5  # BM25 is divided by (max + bm25_norm * query terms)
    rrf_k: int = 60  # for fusion="rrf"
    rrf_dense_share: float = 0.5  # for fusion="rrf"
    candidates: int = 50  # for fusion="rrf": ranks beyond this contribute nothing
    expansion_weight: float = 0.5  # weight of glossary expansion terms in BM25
    expand_dense: bool = True  # add glossary expansions to the text that is embedded
    expand_plain_terms: bool = False  # also expand a glossary term the user wrote out in full


DEFAULT_CONFIG = RetrievalConfig()


@dataclass
class Hit:
    record: Record
    score: float
    dense: float
    bm25: float
    rank: int = 0


@dataclass
class Expansion:
    """A query with the glossary's expansion phrases for the shorthand it uses."""

    query: str
    terms: list[str] = field(default_factory=list)  # glossary terms found
    phrases: list[str] = field(default_factory=list)  # phrases added
    known_tokens: set[str] = field(default_factory=set)  # query tokens the glossary accounts for

    @property
    def dense_text(self) -> str:
        return f"{self.query} ({'; '.join(self.phrases)})" if self.phrases else self.query


class Expander:
    """Finds glossary terms, aliases and acronyms in a query and adds their ``query_expansion`` phrases."""

    def __init__(self, entries: list[GlossaryEntry]):
        self.entries = entries
        self._patterns: list[tuple[GlossaryEntry, re.Pattern[str], re.Pattern[str]]] = []
        for e in entries:
            short = [e.term] + [a for a in e.aliases if _is_shorthand(a, e)]
            full = [a for a in e.aliases if not _is_shorthand(a, e)]
            if e.expansion:
                full.append(_clean_expansion(e.expansion))
            self._patterns.append((e, _alternation(short), _alternation(full)))

    def expand(self, query: str, plain_terms: bool = False) -> Expansion:
        out = Expansion(query)
        low = query.lower()
        seen: set[str] = set()
        for e, short, full in self._patterns:
            hit = short.search(query) or (plain_terms and full.search(query))
            if not hit:
                continue
            out.terms.append(e.term)
            out.known_tokens.update(tokenize(" ".join([e.term, *e.aliases, e.expansion or ""])))
            for p in e.query_expansion:
                key = p.lower()
                if key not in seen and key not in low:
                    seen.add(key)
                    out.phrases.append(p)
        return out


def _is_shorthand(alias: str, e: GlossaryEntry) -> bool:
    """An acronym, an abbreviation or a spelling variant of the term, as opposed to a full phrase."""
    a = alias.replace(".", "").replace(" ", "")
    return len(a) <= 6 or a.lower() == e.term.lower().replace(" ", "") or a.lower().rstrip("s") == e.term.lower()


def _clean_expansion(text: str) -> str:
    return re.sub(r"\s*\(.*?\)", "", text).strip()


def _alternation(words: list[str]) -> re.Pattern[str]:
    words = sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True)
    if not words:
        return re.compile(r"(?!x)x")
    alts = "|".join(re.escape(w).replace(r"\ ", r"[\s\-]+").replace("'", "['’]?").replace("’", "['’]?")
                    for w in words)
    return re.compile(rf"(?<![\w.])(?:{alts})(?![\w])", re.IGNORECASE)


QUANTITY_Q = re.compile(r"\b(?:how many|how much|what percent(?:age)?|percentage|proportion|number of|what share|"
                        r"split|majority|minority)\b|%", re.I)
YES_NO_Q = re.compile(r"^\s*(?:[^?]*?\s[-–:]\s*)?(is|are|was|were|do|does|did|can|could|should|must|may|will|would|"
                      r"has|have|had|shall)\b", re.I)
FIGURES = re.compile(r"%|per ?cent|\b\d{2,}\b")
RESPONSE_HEADINGS = ("Government response", "Following your feedback")


def is_yes_no(question: str) -> bool:
    return bool(YES_NO_Q.search(question))


class Retriever:
    """The loaded index: records, vectors, BM25 and the glossary, ready to search."""

    def __init__(self, settings: Settings, corpus: Corpus | None = None, config: RetrievalConfig = DEFAULT_CONFIG):
        self.settings = settings
        self.config = config
        try:
            corpus = corpus or build_corpus(settings.sources_dir)
        except WtkbError as exc:
            raise IndexError_(f"the corpus cannot be read, so the index cannot be checked: {exc.what}",
                              exc.fix, exc.path, exc.line) from exc
        index = settings.index
        self.meta = IndexMeta.read(index)
        check_meta(self.meta, corpus.hash, index)
        self.corpus = corpus
        self.records = corpus.records
        self.by_id = {r.id: r for r in self.records}
        self.titles = {s.id: s.title for s in corpus.sources}
        self.short_titles = {s.id: s.short_title for s in corpus.sources}
        pos = {r.id: i for i, r in enumerate(self.records)}
        self.row_of = pos
        # canonical record of each row: a duplicate collapses onto the record it repeats
        self.canon = np.array([pos.get(r.duplicate_of or r.id, i) for i, r in enumerate(self.records)])
        self._load_vectors(index, pos)
        self._load_bm25(index, pos)
        self._priors()
        self.expander = Expander(load_glossary())
        self.model = load_model()
        self._lock = threading.Lock()
        # Dot products run in torch, on the same thread pool as the encoder: numpy's OpenBLAS would
        # start its own spinning threads, and the two pools fighting over 2 cores made queries ~10x slower.
        import torch

        self._torch = torch
        self._mat_t = torch.from_numpy(self.matrix)
        self._sent_t = torch.from_numpy(self.sent_matrix)

    # -- loading ------------------------------------------------------------------------------

    def _load_vectors(self, index: Path, pos: dict[str, int]) -> None:
        # embedded (read-only, from a private copy, see wtkb.index.store) or from a Chroma server
        paras, sents = load_vectors(self.settings, self.meta, index)
        if len(paras["ids"]) != len(self.records) or any(i not in pos for i in paras["ids"]):
            raise IndexError_("the vector store does not match the corpus", BUILD_HINT)
        order = np.array([pos[i] for i in paras["ids"]])
        mat = np.zeros((len(self.records), self.meta.dim), dtype=np.float32)
        mat[order] = np.asarray(paras["embeddings"], dtype=np.float32)
        self.matrix = mat
        # sentences sorted by (record row, start) so each record's sentences are one contiguous run
        spans = [(pos[m["record"]], int(m["start"]), int(m["end"])) for m in sents["metadatas"]]
        if any(r not in range(len(self.records)) for r, _, _ in spans):
            raise IndexError_("the sentence vectors do not match the corpus", BUILD_HINT)
        perm = sorted(range(len(spans)), key=lambda j: spans[j][:2])
        self.sent_spans = [spans[j] for j in perm]
        self.sent_matrix = np.asarray(sents["embeddings"], dtype=np.float32)[perm] if perm else \
            np.zeros((0, self.meta.dim), np.float32)
        self.sent_rows = np.array([r for r, _, _ in self.sent_spans], dtype=np.int64)
        self.sents_of: dict[int, range] = {}
        j = 0
        while j < len(self.sent_spans):
            k = j
            while k < len(self.sent_spans) and self.sent_spans[k][0] == self.sent_spans[j][0]:
                k += 1
            self.sents_of[self.sent_spans[j][0]] = range(j, k)
            j = k
        self._sent_starts = np.array([rg.start for rg in self.sents_of.values()], dtype=np.int64)
        self._sent_owner = np.array(list(self.sents_of), dtype=np.int64)

    def _load_bm25(self, index: Path, pos: dict[str, int]) -> None:
        import bm25s

        path = index / "bm25"
        try:
            self.bm25 = bm25s.BM25.load(str(path))
            ids = json.loads((path / "ids.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise IndexError_(f"the keyword index in {path} cannot be read ({exc})", BUILD_HINT) from exc
        if ids != [r.id for r in self.records]:
            raise IndexError_("the keyword index does not match the corpus", BUILD_HINT)

    def _priors(self) -> None:
        recs = self.records
        # sections as contiguous runs of records with the same document and heading path
        starts = [0] + [i for i in range(1, len(recs))
                        if (recs[i].document, recs[i].section) != (recs[i - 1].document, recs[i - 1].section)]
        self._sec_starts = np.array(starts, dtype=np.int64)
        sizes = np.diff(np.append(self._sec_starts, len(recs)))
        self._sec_of = np.repeat(np.arange(len(starts)), sizes)
        self.figures = np.array([bool(FIGURES.search(r.text)) for r in recs], np.float32)
        self.response = np.array([any(h.startswith(RESPONSE_HEADINGS) for h in r.section) for r in recs], np.float32)
        self.directory = np.array([r.kind == "list_item" and len(r.text.split()) < 8 and sizes[self._sec_of[i]] >= 30
                                   for i, r in enumerate(recs)], np.float32)
        self.length = np.log1p(np.array([len(r.text.split()) for r in recs], np.float32)) / 5

    # -- query --------------------------------------------------------------------------------

    def embed(self, text: str) -> np.ndarray:
        with self._lock:  # one forward pass at a time: torch already uses every core
            v = self.model.encode(text, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
        return v.astype(np.float32, copy=False)

    def embed_many(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            v = self.model.encode(texts, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False,
                                  batch_size=max(1, len(texts)))
        return v.astype(np.float32, copy=False)

    def query_text(self, query: str, config: RetrievalConfig | None = None) -> str:
        """The text that is embedded for ``query`` (with glossary expansions when configured)."""
        c = config or self.config
        return self.expand(query, c).dense_text if c.expand_dense else query

    def vectors_for(self, texts: list[str]) -> list[QueryVector]:
        """Embed ``texts`` and score them against every paragraph and sentence, all on this thread.

        The API's batcher calls this on its own thread so that every torch operation of the
        server runs on one thread (see :func:`wtkb.qa.load_qa`).
        """
        vecs = self.embed_many(texts)
        q = self._torch.from_numpy(vecs)
        with self._lock:
            dense = (q @ self._mat_t.T).numpy()
            sent = (q @ self._sent_t.T).numpy()
        return [QueryVector(vecs[i], dense[i], sent[i]) for i in range(len(texts))]

    def _dot(self, mat, qvec: np.ndarray) -> np.ndarray:
        return (mat @ self._torch.from_numpy(np.ascontiguousarray(qvec, dtype=np.float32))).numpy()

    def expand(self, query: str, config: RetrievalConfig | None = None) -> Expansion:
        c = config or self.config
        return self.expander.expand(query, plain_terms=c.expand_plain_terms)

    def bm25_scores(self, query: str, expansion: Expansion, config: RetrievalConfig | None = None) -> np.ndarray:
        """Raw BM25 of every record; glossary expansion terms count ``expansion_weight``."""
        c = config or self.config
        q_tokens = tokenize(query)
        ids = self.bm25.get_tokens_ids(q_tokens)
        scores = self.bm25.get_scores_from_ids(ids) if ids else np.zeros(len(self.records), np.float32)
        if expansion.phrases and c.expansion_weight:
            extra = [t for t in tokenize(" ".join(expansion.phrases)) if t not in q_tokens]
            eids = self.bm25.get_tokens_ids(list(dict.fromkeys(extra)))
            if eids:
                scores = scores + c.expansion_weight * self.bm25.get_scores_from_ids(eids)
        return np.asarray(scores, dtype=np.float32)

    def sentence_scores(self, qvec: np.ndarray) -> np.ndarray:
        return self._dot(self._sent_t, qvec)

    def best_sentence(self, sent: np.ndarray, fallback: np.ndarray) -> np.ndarray:
        """Per record, the best sentence cosine (records without sentence vectors keep ``fallback``)."""
        out = fallback.copy()
        if len(sent):
            out[self._sent_owner] = np.maximum.reduceat(sent, self._sent_starts)
        return out

    def section_max(self, x: np.ndarray) -> np.ndarray:
        return np.maximum.reduceat(x, self._sec_starts)[self._sec_of]

    def score(self, query: str, config: RetrievalConfig | None = None,
              qvec: np.ndarray | QueryVector | None = None) -> Scores:
        """Every signal and the fused score for every record row.

        ``qvec``: the embedding of :meth:`query_text` (or a :class:`QueryVector` from
        :meth:`vectors_for`); embedded here when not given.
        """
        c = config or self.config
        exp = self.expand(query, c)
        if qvec is None:
            qvec = self.embed(exp.dense_text if c.expand_dense else query)
        if isinstance(qvec, QueryVector):
            dense, sent, qvec = qvec.dense, qvec.sentence, qvec.vec
        else:
            dense = self._dot(self._mat_t, qvec)
            sent = self.sentence_scores(qvec)
        raw = self.bm25_scores(query, exp, c)
        top = float(raw.max(initial=0.0))
        bm25 = raw / (top + c.bm25_norm * max(1, len(tokenize(query)))) if top > 0 else raw
        s = Scores(query=query, expansion=exp, qvec=qvec, dense=dense, sentence=sent, bm25_raw=raw, bm25=bm25)
        if c.fusion == "dense":
            s.fused = dense
        elif c.fusion == "bm25":
            s.fused = raw
        elif c.fusion == "rrf":
            s.fused = c.rrf_dense_share * _rrf(dense, c) + (1 - c.rrf_dense_share) * _rrf(raw, c)
        else:
            best_sent = self.best_sentence(sent, dense)
            fused = (c.w_dense * dense + c.w_sentence * best_sent + c.w_bm25 * bm25
                     + c.w_section_dense * self.section_max(dense) + c.w_section_bm25 * self.section_max(bm25)
                     + c.w_response * self.response + c.w_directory * self.directory + c.w_length * self.length)
            if c.w_quantity and QUANTITY_Q.search(query):
                fused += c.w_quantity * self.figures
            if c.w_response_yes_no and is_yes_no(query):
                fused += c.w_response_yes_no * self.response
            s.fused = fused
        return s

    def search(self, query: str, k: int = 5, config: RetrievalConfig | None = None,
               qvec: np.ndarray | QueryVector | None = None) -> list[Hit]:
        return self.rank(self.score(query, config, qvec), k)

    def rank(self, s: Scores, k: int) -> list[Hit]:
        """Top ``k`` distinct records: duplicates collapse onto the record they repeat."""
        fused = s.fused
        n = min(len(fused), max(4 * k, k + 40))
        part = np.argpartition(-fused, n - 1)[:n] if n < len(fused) else np.arange(len(fused))
        order = part[np.argsort(-fused[part], kind="stable")]
        hits: list[Hit] = []
        seen: set[int] = set()
        for row in order:
            c = int(self.canon[row])
            if c in seen:
                continue
            seen.add(c)
            hits.append(Hit(self.records[c], float(fused[row]), float(s.dense[row]), float(s.bm25_raw[row]),
                            len(hits) + 1))
            if len(hits) >= k:
                break
        return hits


@dataclass
class QueryVector:
    """A query's embedding with its cosine to every paragraph and every sentence."""

    vec: np.ndarray
    dense: np.ndarray
    sentence: np.ndarray


@dataclass
class Scores:
    query: str
    expansion: Expansion
    qvec: np.ndarray
    dense: np.ndarray
    sentence: np.ndarray
    bm25_raw: np.ndarray
    bm25: np.ndarray
    fused: np.ndarray | None = None


def _rrf(scores: np.ndarray, c: RetrievalConfig) -> np.ndarray:
    order = np.argsort(-scores, kind="stable")
    ranks = np.empty(len(scores), dtype=np.float32)
    ranks[order] = np.arange(1, len(scores) + 1)
    out = 1.0 / (c.rrf_k + ranks)
    out[ranks > c.candidates] = 0.0
    return out
