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
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING

from wtkb.atomic import atomic_dir
from wtkb.errors import IndexError_
from wtkb.index import remote
from wtkb.index.chroma import PARAGRAPHS, SENTENCES, chroma_client, release_chroma
from wtkb.index.documents import context, keyword_text, sentence_id, source_words
from wtkb.index.meta import INDEX_FORMAT, IndexMeta
from wtkb.index.model import MODEL_NAME, MODEL_PACKAGE, llama_embedder
from wtkb.settings import Settings
from wtkb.text import split_sentences, tokenize

if TYPE_CHECKING:
    from wtkb.corpus import Corpus
    from wtkb.models import Record


def build_index(settings: Settings, corpus: Corpus) -> None:
    """Build the dense and keyword indexes for ``corpus`` into ``settings.index``, atomically."""
    t0 = time.perf_counter()
    titles = {s.id: s.title for s in corpus.sources}
    records = corpus.records
    published = None
    with atomic_dir(settings.index) as tmp:
        n_sent, dim = _build_dense(tmp / "chroma", records, titles)
        _build_bm25(tmp / "bm25", records, {s.id: source_words(s) for s in corpus.sources})
        if settings.chroma_url:  # new server collections now; meta.json names them (see wtkb.index.remote)
            published = remote.publish(settings.chroma_url, tmp / "chroma", (PARAGRAPHS, SENTENCES))
            shutil.rmtree(tmp / "chroma")  # the vectors live in the server (a failed build's are dropped later)
        meta = IndexMeta(format=INDEX_FORMAT, corpus_hash=corpus.hash, model=MODEL_NAME,
                         model_package=MODEL_PACKAGE, dim=dim, records=len(records), sentences=n_sent,
                         built_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                         build_seconds=round(time.perf_counter() - t0, 2),
                         chroma=published.to_dict() if published else None)
        (tmp / "meta.json").write_text(json.dumps(meta.__dict__, indent=2) + "\n", encoding="utf-8")
        readme = settings.index / "README.md"
        if readme.is_file():
            (tmp / "README.md").write_text(readme.read_text(encoding="utf-8"), encoding="utf-8")
    if published:  # the local swap is done: point the server at the new build, drop old ones
        remote.switch(published)


def _build_dense(path: Path, records: list[Record], titles: dict[str, str]) -> tuple[int, int]:
    from llama_index.core import StorageContext, VectorStoreIndex
    from llama_index.core.schema import TextNode
    from llama_index.vector_stores.chroma import ChromaVectorStore

    embed_model = llama_embedder()
    client = chroma_client(path)
    try:
        para_nodes = []
        sent_nodes = []
        for r in records:
            # llama-index embeds get_content(EMBED) = "title\nheading path\ntext" (== embed_text);
            # Chroma keeps the record text itself as the document
            para_nodes.append(TextNode(
                id_=r.id, text=r.text,
                metadata={**context(r, titles.get(r.document, r.document)),
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
        release_chroma(client)


def build_keyword_index(path: Path, corpus: Corpus) -> None:
    """The BM25 index of ``corpus`` into ``path`` (as :func:`build_index` writes it)."""
    _build_bm25(path, corpus.records, {s.id: source_words(s) for s in corpus.sources})


def _build_bm25(path: Path, records: list[Record], words: dict[str, str]) -> None:
    import bm25s

    retriever = bm25s.BM25(k1=1.2, b=0.75)
    retriever.index([tokenize(keyword_text(r, words.get(r.document, ""))) or [""] for r in records],
                    show_progress=False)
    retriever.save(str(path))
    (path / "ids.json").write_text(json.dumps([r.id for r in records]), encoding="utf-8")
