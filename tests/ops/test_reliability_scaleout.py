"""Scale-out: vectors in a real Chroma server (``chroma run``), two stateless API workers sharing it,
answers identical to the embedded default; publishing is atomic (issue 13, item 4)."""

from __future__ import annotations

import json
import shutil

import httpx
import pytest

from wtkb.errors import IndexError_
from wtkb.index import remote
from wtkb.index.chroma import chroma_client, release_chroma
from wtkb.index.meta import IndexMeta
from wtkb.settings import Settings

from ..conftest import ROOT

pytestmark = pytest.mark.slow

QUESTIONS = ["who chairs the safeguarding partnership?", "can a DV worker be lead practitioner?",
             "what is a child protection conference?", "how many people responded to the consultation?",
             "what is the capital of France?"]


@pytest.fixture(scope="module")
def chroma(tmp_path_factory):
    from wtkb.dev.procs import chroma_executable, chroma_server

    if not shutil.which(chroma_executable()):
        pytest.fail(f"the chroma server ({chroma_executable()}) is missing: `make setup` installs chromadb")
    with chroma_server(tmp_path_factory.mktemp("chroma-server") / "data") as srv:
        yield srv


def _tiny_local(path, n: int = 3):
    client = chroma_client(path)
    try:
        for name in ("paragraphs", "sentences"):
            coll = client.get_or_create_collection(name, metadata={"hnsw:space": "cosine"})
            coll.add(ids=[f"{name}-{i}" for i in range(n)], embeddings=[[float(i), 1.0, 0.5] for i in range(n)],
                     documents=[f"text {i}" for i in range(n)], metadatas=[{"i": i} for i in range(n)])
    finally:
        release_chroma(client)


def test_publish_switches_atomically_and_keeps_two_builds(chroma, tmp_path):
    _tiny_local(tmp_path / "local")
    names = ("paragraphs", "sentences")
    builds = []
    for _ in range(3):
        pub = remote.publish(chroma.url, tmp_path / "local", names)
        # published but not switched yet: the pointer still names the previous build
        assert (remote.current(chroma.url) or remote.Published("", "none", "", "")).build != pub.build
        remote.switch(pub)
        assert remote.current(chroma.url) == pub
        builds.append(pub)
    server = remote.server_client(chroma.url)
    live = {c.name for c in server.list_collections()}
    for old in builds[:1]:
        assert old.paragraphs not in live and old.sentences not in live  # dropped
    for kept in builds[1:]:
        assert kept.paragraphs in live and kept.sentences in live  # the live build and the one before
    paras, sents = remote.read_remote(chroma.url, builds[-1])
    assert sorted(paras["ids"]) == ["paragraphs-0", "paragraphs-1", "paragraphs-2"]
    assert [len(v) for v in sents["embeddings"]] == [3, 3, 3]


def test_a_failed_publish_leaves_nothing_behind(chroma, tmp_path):
    _tiny_local(tmp_path / "local")
    before = remote.current(chroma.url)
    names_before = {c.name for c in remote.server_client(chroma.url).list_collections()}
    with pytest.raises(Exception):  # noqa: B017 - "missing" is not in the local store: the copy fails midway
        remote.publish(chroma.url, tmp_path / "local", ("paragraphs", "missing"))
    assert {c.name for c in remote.server_client(chroma.url).list_collections()} == names_before
    assert remote.current(chroma.url) == before


def test_an_unreachable_server_says_what_to_do():
    with pytest.raises(IndexError_) as exc:
        remote.server_client("http://127.0.0.1:9")
    assert "does not answer" in exc.value.what and "chroma run" in exc.value.fix


def test_two_workers_on_a_chroma_server_answer_as_the_embedded_index(chroma, qa_settings, tmp_path_factory, corpus):
    from fastapi.testclient import TestClient

    from wtkb.api import create_app
    from wtkb.dev.procs import api_server
    from wtkb.index import build_index

    tmp = tmp_path_factory.mktemp("served-by-chroma")
    settings = Settings(root=ROOT, build_dir=tmp / "_build", index_dir=tmp / "index", chroma_url=chroma.url)
    build_index(settings, corpus)
    meta = IndexMeta.read(settings.index)
    assert meta.chroma and meta.chroma["url"] == chroma.url
    assert not (settings.index / "chroma").exists()  # the vectors live in the server only
    assert remote.current(chroma.url).build == meta.chroma["build"]

    with TestClient(create_app(qa_settings)) as embedded:
        want = [embedded.post("/ask", json={"question": q, "top_k": 5}).json() for q in QUESTIONS]
        want_search = embedded.get("/search", params={"q": "family group conference", "k": 10}).json()
    with api_server(settings, workers=2) as srv:
        with httpx.Client(base_url=srv.url, timeout=120) as c:
            assert c.get("/health").json()["records"] == len(corpus.records)
            for _ in range(3):  # new connections: the kernel spreads them over both workers
                for q, expected in zip(QUESTIONS, want, strict=True):
                    with httpx.Client(base_url=srv.url, timeout=120) as fresh:
                        got = fresh.post("/ask", json={"question": q, "top_k": 5}).json()
                    assert _answer(got) == _answer(expected), q
            assert _search(c.get("/search", params={"q": "family group conference", "k": 10}).json()) == \
                _search(want_search)
        from wtkb.dev.procs import worker_pids

        pids = worker_pids(srv.process.pid)
        assert len(pids) == 2
        out = srv.output()  # the log is removed when the server stops
    assert out.count("Application startup complete") == 2 and "Traceback" not in out


def test_a_server_index_without_the_server_says_what_to_do(chroma, tmp_path, corpus):
    """An index whose vectors are in a server that is gone: /health says why (no crash, no stale vectors)."""
    meta_path = tmp_path / "index" / "meta.json"
    meta_path.parent.mkdir()
    from wtkb.index.meta import INDEX_FORMAT
    from wtkb.index.model import MODEL_NAME

    meta_path.write_text(json.dumps({
        "format": INDEX_FORMAT, "corpus_hash": corpus.hash, "model": MODEL_NAME, "model_package": "x", "dim": 384,
        "records": len(corpus.records), "sentences": 0, "built_at": "", "build_seconds": 0,
        "chroma": {"url": "http://127.0.0.1:9", "build": "gone", "paragraphs": "p", "sentences": "s"}}))
    from wtkb.qa import load_qa

    with pytest.raises(IndexError_) as exc:
        load_qa(Settings(root=ROOT, build_dir=tmp_path / "_build", index_dir=tmp_path / "index"), warm=False)
    assert "does not answer" in exc.value.what


def _answer(a: dict) -> dict:
    return {"answer": a["answer"], "supported": a["supported"],
            "citations": [(c["id"], round(c["score"], 4)) for c in a["citations"]],
            "see_also": [c["id"] for c in a["see_also"]]}


def _search(s: dict) -> list:
    return [(c["id"], round(c["score"], 4)) for c in s["results"]]


def test_hnsw_workers_hold_no_vectors_and_answer_as_the_embedded_index(chroma, qa_settings, tmp_path_factory,
                                                                       corpus):
    """WTKB_DENSE=hnsw: two workers query the server's HNSW index instead of loading every vector; on the
    real corpus their answers equal the embedded index's (measured in-process: 362 of 363 evaluation questions)."""
    import numpy as np
    import torch
    from fastapi.testclient import TestClient

    from wtkb.api import create_app
    from wtkb.dev.evaluate import load_questions, questions_path
    from wtkb.dev.procs import api_server
    from wtkb.dev.scale import publish_copy
    from wtkb.qa import load_qa

    tmp = tmp_path_factory.mktemp("hnsw")
    shutil.copytree(qa_settings.index, tmp / "index")
    served, _ = publish_copy(qa_settings.model_copy(update={"index_dir": tmp / "index"}), chroma.url)
    hnsw = served.model_copy(update={"dense": "hnsw"})
    meta = IndexMeta.read(hnsw.index)

    # in process: the retriever holds the sentence spans but no vector matrix
    retriever = load_qa(hnsw, warm=False).retriever
    assert retriever.stats()["dense"] == "hnsw"
    big = meta.sentences * meta.dim // 2  # half the sentence matrix
    held = [v for obj in (retriever, *vars(retriever).values()) if hasattr(obj, "__dict__")
            for v in vars(obj).values()]
    sizes = [v.numel() if isinstance(v, torch.Tensor) else v.size for v in held
             if isinstance(v, np.ndarray | torch.Tensor)]
    assert sizes and max(sizes) < big

    questions = QUESTIONS + [q.q for q in load_questions(questions_path(Settings(root=ROOT)))][::8]
    with TestClient(create_app(qa_settings)) as embedded:
        assert embedded.get("/health").json()["dense"] == "memory"
        want = [embedded.post("/ask", json={"question": q, "top_k": 5}).json() for q in questions]
        want_top5 = [_ids(embedded.get("/search", params={"q": q, "k": 5}).json()) for q in questions]
    with api_server(hnsw, workers=2) as srv, httpx.Client(base_url=srv.url, timeout=120) as c:
        assert c.get("/health").json()["dense"] == "hnsw"
        got = [c.post("/ask", json={"question": q, "top_k": 5}).json() for q in questions]
        got_top5 = [_ids(c.get("/search", params={"q": q, "k": 5}).json()) for q in questions]
        out = srv.output()
    assert "Traceback" not in out
    assert [(a["answer"], [x["id"] for x in a["citations"]]) for a in got] == \
        [(a["answer"], [x["id"] for x in a["citations"]]) for a in want]
    same = sum(g == w for g, w in zip(got_top5, want_top5, strict=True))
    assert same >= 0.95 * len(questions), f"top-5 agreement {same}/{len(questions)}"  # measured: 360 of 363


def test_hnsw_needs_an_index_in_a_server(qa_settings):
    from wtkb.qa import load_qa

    with pytest.raises(IndexError_) as exc:
        load_qa(qa_settings.model_copy(update={"dense": "hnsw"}), warm=False)
    assert "WTKB_DENSE=hnsw" in exc.value.what and "WTKB_CHROMA_URL" in exc.value.fix


def _ids(s: dict) -> list[str]:
    return [c["id"] for c in s["results"]]
