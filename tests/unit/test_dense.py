"""The dense-scoring seam's pure parts: which mode ``WTKB_DENSE`` picks, and the sentence spans' layout."""

from __future__ import annotations

import pytest

from wtkb.errors import IndexError_
from wtkb.index.meta import INDEX_FORMAT, IndexMeta
from wtkb.retrieve.dense import AUTO_HNSW_RECORDS, SentenceIndex, dense_mode
from wtkb.settings import Settings

SERVER = {"url": "http://127.0.0.1:8001", "build": "b", "paragraphs": "p", "sentences": "s"}


def _meta(records: int, chroma: dict | None) -> IndexMeta:
    return IndexMeta(format=INDEX_FORMAT, corpus_hash="h", model="m", model_package="p", dim=384, records=records,
                     sentences=2 * records, built_at="", build_seconds=0.0, chroma=chroma)


@pytest.mark.parametrize("mode, records, chroma, url, want", [
    ("auto", 816, None, None, "memory"),  # the embedded default
    ("auto", AUTO_HNSW_RECORDS + 1, None, None, "memory"),  # no server: nothing to query
    ("auto", 816, SERVER, SERVER["url"], "memory"),  # a small index in a server: in-process is faster
    ("auto", AUTO_HNSW_RECORDS + 1, SERVER, SERVER["url"], "hnsw"),
    ("auto", AUTO_HNSW_RECORDS + 1, SERVER, None, "memory"),  # auto needs WTKB_CHROMA_URL set
    ("memory", AUTO_HNSW_RECORDS + 1, SERVER, SERVER["url"], "memory"),
    ("hnsw", 816, SERVER, None, "hnsw"),  # explicit: the build's server address
])
def test_the_mode_wtkb_dense_picks(mode, records, chroma, url, want):
    assert dense_mode(Settings(dense=mode, chroma_url=url), _meta(records, chroma)) == want


def test_hnsw_for_a_local_index_says_what_to_do():
    with pytest.raises(IndexError_) as exc:
        dense_mode(Settings(dense="hnsw"), _meta(816, None))
    assert "Chroma server" in exc.value.what and "WTKB_DENSE=memory" in exc.value.fix


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValueError):
        Settings(dense="gpu")


def test_sentences_are_sorted_into_one_run_per_record():
    pos = {"a": 0, "b": 1, "c": 2}
    ids = ["b-1", "a-0", "b-0", "a-1"]
    metas = [{"record": "b", "start": 9, "end": 12}, {"record": "a", "start": 0, "end": 4},
             {"record": "b", "start": 0, "end": 8}, {"record": "a", "start": 5, "end": 9}]
    idx, perm = SentenceIndex.from_metadata(ids, metas, pos, 3)
    assert idx.ids == ["a-0", "a-1", "b-0", "b-1"] and [ids[j] for j in perm] == idx.ids
    assert idx.spans == [(0, 0, 4), (0, 5, 9), (1, 0, 8), (1, 9, 12)]
    assert idx.of == {0: range(0, 2), 1: range(2, 4)}  # "c" has no sentences (a footnote, a repeat)
    assert idx.starts.tolist() == [0, 2] and idx.owner.tolist() == [0, 1]


def test_sentences_of_an_unknown_record_are_refused():
    with pytest.raises(IndexError_):
        SentenceIndex.from_metadata(["x-0"], [{"record": "x", "start": 0, "end": 1}], {"a": 0}, 1)

