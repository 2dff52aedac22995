"""The index: what `wtkb build` writes, and how a missing, stale or half-built index is refused."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from wtkb.errors import IndexError_
from wtkb.index import (
    INDEX_FORMAT,
    MODEL_NAME,
    PARAGRAPHS,
    build_index,
    chroma_client,
    embed_text,
    load_model,
)
from wtkb.settings import Settings
from wtkb.text import split_sentences

pytestmark = pytest.mark.slow


def test_meta_records_corpus_hash_model_and_counts(qa_settings, corpus):
    meta = json.loads((qa_settings.index / "meta.json").read_text())
    assert meta["corpus_hash"] == corpus.hash
    assert meta["model"] == MODEL_NAME == "sentence-transformers/all-MiniLM-L6-v2"
    assert meta["records"] == len(corpus.records) and meta["format"] == INDEX_FORMAT
    assert meta["sentences"] > meta["records"] // 2
    assert (qa_settings.index / "bm25").is_dir() and (qa_settings.index / "chroma").is_dir()


def test_chroma_holds_every_record_embedded_with_title_and_heading(qa_settings, corpus):
    client = chroma_client(qa_settings.index / "chroma")
    assert client.get_settings().anonymized_telemetry is False
    coll = client.get_collection(PARAGRAPHS)
    assert coll.count() == len(corpus.records)
    rec = corpus.by_id["cr2023-support-under-section-17-government-response-p3"]
    got = coll.get(ids=[rec.id], include=["documents", "embeddings"])
    assert got["documents"][0] == rec.text  # the store keeps the corpus text itself
    title = next(s.title for s in corpus.sources if s.id == rec.document)
    text = embed_text(rec, title)
    assert text.startswith(title + "\n") and "Government response" in text.split("\n")[1]
    want = load_model().encode(text, normalize_embeddings=True)
    assert float(np.dot(want, np.asarray(got["embeddings"][0]))) > 0.999


def test_sentences_are_exact_slices_of_the_paragraph(corpus):
    rec = corpus.by_id["cr2023-support-under-section-17-government-response-p3"]
    spans = split_sentences(rec.text)
    assert len(spans) == 5
    assert rec.text[spans[-1][0]:spans[-1][1]] == ("Guidance is clear that where there are child protection concerns, "
                                                   "the lead practitioner will be a social worker.")
    text = "Some settings (e.g. schools) apply. Others do not."
    assert [text[a:b] for a, b in split_sentences(text)] == ["Some settings (e.g. schools) apply.", "Others do not."]


def test_missing_index_is_refused_with_the_fix(tmp_settings):
    from wtkb.retrieve import Retriever

    with pytest.raises(IndexError_) as e:
        Retriever(tmp_settings)
    assert "no retrieval index" in e.value.what and "wtkb build" in e.value.fix


def test_stale_index_is_refused_with_the_fix(qa_settings, tmp_path, corpus):
    from wtkb.retrieve import Retriever

    stale = Settings(root=qa_settings.root, build_dir=tmp_path / "_build", index_dir=tmp_path / "index")
    shutil.copytree(qa_settings.index, stale.index)
    meta = json.loads((stale.index / "meta.json").read_text())
    meta["corpus_hash"] = "0000000000000000"
    (stale.index / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(IndexError_) as e:
        Retriever(stale, corpus)
    assert "stale" in e.value.what and corpus.hash in e.value.what and "wtkb build" in e.value.fix
    meta.update(corpus_hash=corpus.hash, model="some-other-model")
    (stale.index / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(IndexError_, match="some-other-model"):
        Retriever(stale, corpus)


def test_a_failed_rebuild_leaves_the_old_index_untouched(qa_settings, tmp_path, corpus, monkeypatch):
    import wtkb.index.build as index

    target = Settings(root=qa_settings.root, build_dir=tmp_path / "_build", index_dir=tmp_path / "index")
    shutil.copytree(qa_settings.index, target.index)
    before = (target.index / "meta.json").read_bytes()

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(index, "_build_dense", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        build_index(target, corpus)
    assert (target.index / "meta.json").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index"]  # no half-built folder left behind
