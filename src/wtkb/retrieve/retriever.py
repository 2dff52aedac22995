"""Hybrid retrieval: glossary query expansion, dense + BM25 scores, fusion, duplicate collapse.

The index is built by :mod:`wtkb.index` (llama-index ingest into Chroma, bm25s on disk). Dense
scoring goes through :mod:`wtkb.retrieve.dense`: by default the vectors are read back from Chroma
once into a matrix (a query then costs one embedding, one BM25 pass and a few dot products), or,
for a large index in a Chroma server, the server's HNSW index finds the candidates.

Every tunable choice lives in :class:`RetrievalConfig` (``config.py``); glossary expansion is
``expansion.py``. What answering needs from the index goes through the *evidence API* below
(``record``, ``sentences``, ``scored_sentences``, ``best_sentence_of``, ``knows``,
``vocabulary_share``, ``has_terms``, ``is_directory``, ``in_response``, ``stats``); the arrays
behind it are private.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from wtkb.corpus import Corpus, build_corpus
from wtkb.errors import IndexError_, WtkbError
from wtkb.index import (
    BUILD_HINT,
    IndexMeta,
    check_meta,
    load_model,
)
from wtkb.models import Record
from wtkb.reference.everyday import load_everyday
from wtkb.reference.glossary import load_glossary
from wtkb.retrieve.config import (
    ASKS_VIEWS,
    DEFAULT_CONFIG,
    FIGURES,
    PUBLISHER_GENERIC,
    QUANTITY_Q,
    RESPONSE_HEADINGS,
    RetrievalConfig,
    is_yes_no,
)
from wtkb.retrieve.dense import Exact, open_dense
from wtkb.retrieve.expansion import Everyday, Expander, Expansion, Initials, Spelling
from wtkb.settings import Settings
from wtkb.text import split_sentences, tokenize


@dataclass
class Hit:
    record: Record
    score: float
    dense: float
    bm25: float
    rank: int = 0


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
        self._sources = {s.id: s for s in corpus.sources}
        pos = {r.id: i for i, r in enumerate(self.records)}
        self._row_of = pos
        # canonical record of each row: a duplicate collapses onto the record it repeats
        self._canon = np.array([pos.get(r.duplicate_of or r.id, i) for i, r in enumerate(self.records)])
        self._lock = threading.Lock()
        self._load_vectors(index, pos)
        self._load_bm25(index, pos)
        self._priors()
        self.expander = Expander(load_glossary(), self.knows)
        self.initials = Initials([r.text for r in self.records])
        self.everyday = Everyday(load_everyday())
        self.spelling = Spelling(list(self._bm25.vocab_dict))
        self._listed_in: dict[str, str] = {}  # token -> only_listed_in(token)
        self._proper: frozenset[str] | None = None  # is_proper_noun
        self.model = load_model()

    # -- loading ------------------------------------------------------------------------------

    def _load_vectors(self, index: Path, pos: dict[str, int]) -> None:
        # all vectors in memory, or the Chroma server's HNSW (WTKB_DENSE; see wtkb.retrieve.dense)
        self._dense = open_dense(self.settings, self.meta, index, pos, self._lock)
        sents = self._dense.sentences
        self._sent_spans, self._sents_of = sents.spans, sents.of
        self._sent_starts, self._sent_owner = sents.starts, sents.owner

    def _load_bm25(self, index: Path, pos: dict[str, int]) -> None:
        import bm25s

        path = index / "bm25"
        try:
            self._bm25 = bm25s.BM25.load(str(path))
            ids = json.loads((path / "ids.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise IndexError_(f"the keyword index in {path} cannot be read ({exc})", BUILD_HINT) from exc
        if ids != [r.id for r in self.records]:
            raise IndexError_("the keyword index does not match the corpus", BUILD_HINT)

    def _priors(self) -> None:
        recs = self.records
        self._topics: dict[tuple[str, ...], list[int]] = {}
        for i, r in enumerate(recs):
            self._topics.setdefault(_topic_key(r), []).append(i)
        # sections as contiguous runs of records with the same document and heading path
        starts = [0] + [i for i in range(1, len(recs))
                        if (recs[i].document, recs[i].section) != (recs[i - 1].document, recs[i - 1].section)]
        self._sec_starts = np.array(starts, dtype=np.int64)
        sizes = np.diff(np.append(self._sec_starts, len(recs)))
        self._sec_of = np.repeat(np.arange(len(starts)), sizes)
        self._figures = np.array([bool(FIGURES.search(r.text)) for r in recs], np.float32)
        self._response = np.array([any(h.startswith(RESPONSE_HEADINGS) for h in r.section) for r in recs], np.float32)
        self._directory = np.array([r.kind == "list_item" and len(r.text.split()) < 10 and sizes[self._sec_of[i]] >= 30
                                   for i, r in enumerate(recs)], np.float32)
        self._length = np.log1p(np.array([len(r.text.split()) for r in recs], np.float32)) / 5
        self._views = np.array([r.voice in ("respondents", "quote") for r in recs], np.float32)
        # the distinctive words of each publisher's name -> the rows of its documents
        self._publisher_rows: dict[str, np.ndarray] = {}
        for src in self.corpus.sources:
            rows = np.array([i for i, r in enumerate(recs) if r.document == src.id], dtype=np.int64)
            for w in set(re.findall(r"[a-z]+", (src.publisher or "").lower())) - PUBLISHER_GENERIC:
                have = self._publisher_rows.get(w)
                self._publisher_rows[w] = rows if have is None else np.union1d(have, rows)

    def publisher_words(self) -> set[str]:
        """The distinctive words of the publishers' names ("devon", "bond", "solon")."""
        return set(self._publisher_rows)

    def named_sources(self, query: str) -> np.ndarray:
        """1.0 for the records of each document whose publisher the question names ("Devon", "Bond Solon")."""
        out = np.zeros(len(self.records), np.float32)
        for w in self._named_publishers(query):
            out[self._publisher_rows[w]] = 1.0
        return out

    def names_publisher_of(self, query: str, record: Record) -> bool:
        """Whether the question names the publisher of ``record``'s document ("according to Bond Solon")."""
        row = self._row_of[record.id]
        return any(row in self._publisher_rows[w] for w in self._named_publishers(query))

    def _named_publishers(self, query: str) -> set[str]:
        return set(re.findall(r"[a-z]+", query.lower())) & self._publisher_rows.keys()

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
        return [QueryVector(vecs[i], d, s, x) for i, (d, s, x) in enumerate(self._dense.score_many(vecs))]

    def expand(self, query: str, config: RetrievalConfig | None = None) -> Expansion:
        c = config or self.config
        exp = self.everyday.expand(self.expander.expand(query, plain_terms=c.expand_plain_terms))
        return self.spelling.expand(self.initials.expand(exp, self.knows), self.knows)

    def bm25_scores(self, query: str, expansion: Expansion, config: RetrievalConfig | None = None) -> np.ndarray:
        """Raw BM25 of every record; glossary expansion terms count ``expansion_weight``."""
        c = config or self.config
        q_tokens = tokenize(query)
        ids = self._bm25.get_tokens_ids(q_tokens)
        scores = self._bm25.get_scores_from_ids(ids) if ids else np.zeros(len(self.records), np.float32)
        if expansion.phrases and c.expansion_weight:
            extra = [t for t in tokenize(" ".join(expansion.phrases)) if t not in q_tokens]
            eids = self._bm25.get_tokens_ids(list(dict.fromkeys(extra)))
            if eids:
                scores = scores + c.expansion_weight * self._bm25.get_scores_from_ids(eids)
        return np.asarray(scores, dtype=np.float32)

    def sentence_scores(self, qvec: np.ndarray) -> np.ndarray:
        return self._dense.score_many(qvec[None])[0][1]

    def best_sentence_scores(self, sent: np.ndarray, fallback: np.ndarray) -> np.ndarray:
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
            dense, sent, exact, qvec = qvec.dense, qvec.sentence, qvec.exact, qvec.vec
        else:
            dense, sent, exact = self._dense.score_many(qvec[None])[0]
        raw = self.bm25_scores(query, exp, c)
        top = float(raw.max(initial=0.0))
        bm25 = raw / (top + c.bm25_norm * max(1, len(tokenize(query)))) if top > 0 else raw
        s = Scores(query=query, expansion=exp, qvec=qvec, dense=dense, sentence=sent, bm25_raw=raw, bm25=bm25,
                   exact=exact)
        self._dense.complete(s)  # hnsw: exact cosines for the fusion candidates (memory: all exact already)
        if c.fusion == "dense":
            s.fused = dense
        elif c.fusion == "bm25":
            s.fused = raw
        elif c.fusion == "rrf":
            s.fused = c.rrf_dense_share * _rrf(dense, c) + (1 - c.rrf_dense_share) * _rrf(raw, c)
        else:
            best_sent = self.best_sentence_scores(sent, dense)
            fused = (c.w_dense * dense + c.w_sentence * best_sent + c.w_bm25 * bm25
                     + c.w_section_dense * self.section_max(dense) + c.w_section_bm25 * self.section_max(bm25)
                     + c.w_response * self._response + c.w_directory * self._directory + c.w_length * self._length)
            if c.w_quantity and QUANTITY_Q.search(query):
                fused += c.w_quantity * self._figures
            if c.w_views and ASKS_VIEWS.search(query):
                fused += c.w_views * self._views
            if c.w_named_source:
                fused += c.w_named_source * self.named_sources(query)
            if c.w_response_yes_no and is_yes_no(query):
                fused += c.w_response_yes_no * self._response
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
            c = int(self._canon[row])
            if c in seen:
                continue
            seen.add(c)
            hits.append(Hit(self.records[c], float(fused[row]), float(s.dense[row]), float(s.bm25_raw[row]),
                            len(hits) + 1))
            if len(hits) >= k:
                break
        return hits


    # -- evidence API: what answering and briefing packs read (the arrays behind it are private) ---

    def record(self, record_id: str) -> Record | None:
        """The record with this paragraph ID, or None."""
        return self.by_id.get(record_id)

    def sentences(self, record: Record) -> list[tuple[int, int]]:
        """Sentence spans ``(start, end)`` of ``record.text``, as indexed (split on the fly for footnotes)."""
        rng = self._sents_of.get(self._row_of[record.id])
        if not rng:
            return split_sentences(record.text)
        return [(self._sent_spans[j][1], self._sent_spans[j][2]) for j in rng]

    def scored_sentences(self, s: Scores, record: Record) -> list[tuple[int, int, float]]:
        """``(start, end, cosine to the query)`` for each sentence of ``record``; a record without
        sentence vectors (a footnote) gives each sentence the paragraph's own cosine."""
        row = self._row_of[record.id]
        self._dense.complete(s, [row])
        rng = self._sents_of.get(row)
        if not rng:
            return [(a, b, float(s.dense[row])) for a, b in split_sentences(record.text)]
        return [(self._sent_spans[j][1], self._sent_spans[j][2], float(s.sentence[j])) for j in rng]

    def best_sentence_of(self, s: Scores, record: Record) -> str:
        """The sentence of ``record`` closest to the query, copied exactly (the first on a tie; the whole
        text for a record without sentence vectors, e.g. a footnote)."""
        if not self._sents_of.get(self._row_of[record.id]):
            return record.text.strip()
        spans = self.scored_sentences(s, record)
        a, b, _ = max(spans, key=lambda x: x[2])
        return record.text[a:b].strip()

    def lead_in(self, record: Record) -> Record | None:
        """The paragraph a list item continues ("Following your feedback, we will:"), if it has one."""
        if record.kind != "list_item":
            return None
        i = self._row_of[record.id] - 1
        while i >= 0:
            r = self.records[i]
            if r.document != record.document or r.section != record.section:
                return None
            if r.kind not in ("list_item", "footnote"):
                return r
            i -= 1
        return None

    def items_after(self, record: Record, limit: int = 6) -> list[Record]:
        """The list items that directly follow ``record`` in its section (what its "…:" introduces)."""
        out: list[Record] = []
        i = self._row_of[record.id] + 1
        while i < len(self.records) and len(out) < limit:
            r = self.records[i]
            if not self._same_list(r, record):
                break
            if r.kind == "list_item":
                out.append(r)
            i += 1
        return out

    def list_of(self, record: Record) -> list[Record]:
        """Every item of the list a list item belongs to (the run of items around it in its section), in
        reading order; [] for a record that is not a list item."""
        if record.kind != "list_item":
            return []
        i = self._row_of[record.id]
        while i > 0 and self._same_list(self.records[i - 1], record):
            i -= 1
        out: list[Record] = []
        while i < len(self.records) and self._same_list(self.records[i], record):
            if self.records[i].kind == "list_item":
                out.append(self.records[i])
            i += 1
        return out

    @staticmethod
    def _same_list(r: Record, item: Record) -> bool:
        return r.document == item.document and r.section == item.section and r.kind in ("list_item", "footnote")

    def topic_records(self, record: Record) -> list[Record]:
        """The records of the consultation topic ``record`` belongs to: its section and that section's
        "Government response" (what respondents said and what government decided, side by side)."""
        return [self.records[i] for i in self._topics.get(_topic_key(record), [])]

    def knows(self, token: str) -> bool:
        """Whether a (stemmed) token occurs anywhere in the corpus."""
        return token in self._bm25.vocab_dict

    def vocabulary_share(self, s: Scores) -> float:
        """Share of the question's words (stop words and 1–2 letter words aside) that the corpus or the
        glossary knows: a question about something the sources never mention scores low."""
        toks = [t for t in tokenize(s.query) if len(t) > 2 or self.knows(t)]  # repeats count, as before
        if not toks:
            return 0.0
        known = s.expansion.known_tokens
        return sum(1 for t in toks if self.knows(t) or t in known) / len(toks)

    def content_tokens(self, text: str) -> list[str]:
        """The words of ``text`` that can carry meaning: 3+ letters, or any word the corpus uses ("s47")."""
        return list(dict.fromkeys(t for t in tokenize(text) if len(t) > 2 or self.knows(t)))

    def has_terms(self, record: Record, tokens: list[str]) -> bool:
        """Whether every one of ``tokens`` (stemmed) occurs in ``record`` as the keyword index sees it
        (text, heading path, quoted body and source names)."""
        row = self._row_of[record.id]
        ids = [self._bm25.vocab_dict[t] for t in tokens if self.knows(t)]
        return len(ids) == len(tokens) and all(float(self._bm25.get_scores_from_ids([i])[row]) > 0 for i in ids)

    def is_directory(self, record: Record) -> bool:
        """A short item of a long name list (e.g. who responded): rarely an answer."""
        return bool(self._directory[self._row_of[record.id]])

    def only_listed_in(self, token: str) -> str:
        """The heading of the long name list that is the only place a (stemmed) token occurs ("Cumbria":
        "Annex A: List of organisations that responded to the consultation"), else ""."""
        if not self.knows(token):
            return ""
        if token not in self._listed_in:  # once per token (the corpus does not change under a loaded index)
            scores = np.asarray(self._bm25.get_scores_from_ids([self._bm25.vocab_dict[token]]))
            rows = np.flatnonzero(scores > 0)
            listed = len(rows) and self._directory[rows].all()
            self._listed_in[token] = (self.records[rows[0]].section or [""])[-1] if listed else ""
        return self._listed_in[token]

    def is_proper_noun(self, word: str) -> bool:
        """Whether the sources always write ``word`` with a capital inside a sentence ("Devon", "Cornwall",
        "Ofsted"): a place or a body, as a question may type it in lower case ("chief constable of devon")."""
        if self._proper is None:  # once (the corpus does not change under a loaded index)
            self._proper = _proper_nouns(r.text for r in self.records)
        return word.lower() in self._proper

    def in_response(self, record: Record) -> bool:
        """The record is under a "Government response" / "Following your feedback" heading."""
        return bool(self._response[self._row_of[record.id]])

    def source(self, document: str):
        """The manifest entry (:class:`wtkb.models.SourceDoc`) of a document id."""
        return self._sources.get(document)

    def stats(self) -> dict[str, Any]:
        """What /health reports about the loaded index."""
        return {"corpus_hash": self.meta.corpus_hash, "model": self.meta.model, "records": len(self.records),
                "dense": self._dense.mode,
                "sentences": self.meta.sentences, "documents": len(self.corpus.sources),
                "duplicates": sum(1 for r in self.records if r.duplicate_of)}

    def priors(self) -> dict[str, np.ndarray]:
        """The per-record prior signals of the fused score (read-only copies), for the evaluator's fitting."""
        return {"canon": self._canon.copy(), "figures": self._figures.copy(), "response": self._response.copy(),
                "directory": self._directory.copy(), "length": self._length.copy()}

    def row(self, record_id: str) -> int:
        """The score-array row of a record (for reading a :class:`Scores` array)."""
        return self._row_of[record_id]

    # -- kept for callers not yet on the evidence API (wtkb.dev.evaluate); use the methods above ----

    @property
    def row_of(self) -> dict[str, int]:
        return self._row_of

    @property
    def canon(self) -> np.ndarray:
        return self._canon

    @property
    def figures(self) -> np.ndarray:
        return self._figures

    @property
    def response(self) -> np.ndarray:
        return self._response

    @property
    def directory(self) -> np.ndarray:
        return self._directory

    @property
    def length(self) -> np.ndarray:
        return self._length

    def best_sentence(self, sent: np.ndarray, fallback: np.ndarray) -> np.ndarray:
        return self.best_sentence_scores(sent, fallback)


@dataclass
class QueryVector:
    """A query's embedding with its cosine to every paragraph and every sentence."""

    vec: np.ndarray
    dense: np.ndarray
    sentence: np.ndarray
    exact: Exact | None = None  # which cosines are exact (None: all; see wtkb.retrieve.dense)


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
    exact: Exact | None = None  # which cosines are exact (None: all; see wtkb.retrieve.dense)


_MID_WORD = re.compile(r"(?<=[\w,]) +([A-Za-z][a-z]{2,})\b")  # after a word or a comma: not a sentence's first


def _proper_nouns(texts: Iterable[str]) -> frozenset[str]:
    """The words (lower-cased) written inside sentences, and always with a capital there."""
    caps: set[str] = set()
    lower: set[str] = set()
    for text in texts:
        for m in _MID_WORD.finditer(text):
            w = m.group(1)
            if w[0].isupper():
                caps.add(w.lower())
            else:
                lower.add(w)
    return frozenset(w for w in caps if w not in lower)


def _topic_key(record: Record) -> tuple[str, ...]:
    section = list(record.section)
    if section and section[-1].startswith(RESPONSE_HEADINGS):
        section.pop()
    return (record.document, *section)


def _rrf(scores: np.ndarray, c: RetrievalConfig) -> np.ndarray:
    order = np.argsort(-scores, kind="stable")
    ranks = np.empty(len(scores), dtype=np.float32)
    ranks[order] = np.arange(1, len(scores) + 1)
    out = 1.0 / (c.rrf_k + ranks)
    out[ranks > c.candidates] = 0.0
    return out
