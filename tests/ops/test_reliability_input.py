"""One bad request never hurts another: unencodable text is refused at the edge, and the embedding
batcher fails only the request whose text failed (issue 13, item 1)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from wtkb.errors import InputError
from wtkb.retrieve.batcher import EmbeddingBatcher
from wtkb.text import TEXT_PATTERN, WORDS_PATTERN, bad_character

POISON = "who chairs \ud800 the partnership?"
GOOD = ["who chairs the safeguarding partnership?", "can a DV worker be lead practitioner?",
        "what is a child protection conference?", "who are the safeguarding partners?"]


# ---- pure functions: the rule and the schema pattern say the same thing ----------------------

@pytest.mark.parametrize("text, bad", [
    ("who chairs the partnership?", False), ("tab\tand\nnewline\r\n", False), ("é ✓ 👍 שלום", False),
    ("nul\x00 and bell\x07 are valid Unicode", False), ("\U0010ffff", False),
    ("\ud800", True), ("a\udfffb", True), ("\udced\udca0\udc80", True),
])
def test_bad_character_and_pattern_agree(text, bad):
    assert (bad_character(text) is not None) is bad
    assert (re.search(TEXT_PATTERN, text) is None) is bad


def test_bad_character_names_the_character_and_where():
    msg = bad_character(POISON)
    assert "character 12 is U+D800" in msg and "surrogate" in msg


@pytest.mark.parametrize("text, ok", [("a", True), ("  x  ", True), ("", False), (" \n\t ", False), ("\ud800x", False)])
def test_words_pattern_is_the_non_blank_rule(text, ok):
    assert (re.search(WORDS_PATTERN, text) is not None) is ok
    assert ok is (bool(text.strip()) and bad_character(text) is None)


# ---- the batcher, with an encoder that fails on one text ------------------------------------

def _encoder(calls: list[list[str]], gate: threading.Event | None = None):
    def encode(texts: list[str]) -> list:
        if gate is not None:
            gate.wait(5)
        calls.append(list(texts))
        if any("boom" in t for t in texts):
            raise RuntimeError("this text breaks the model")
        return [len(t) for t in texts]
    return encode


def test_unencodable_text_fails_alone_before_batching():
    calls: list[list[str]] = []
    b = EmbeddingBatcher(_encoder(calls))
    try:
        fut = b.submit(POISON)
        with pytest.raises(InputError, match="U\\+D800"):
            fut.result(timeout=5)
        assert b.embed("fine") == 4
        assert all(POISON not in c for c in calls)  # never reached the model
    finally:
        b.close()


def test_a_failing_batch_is_retried_one_by_one():
    calls: list[list[str]] = []
    gate = threading.Event()
    b = EmbeddingBatcher(_encoder(calls, gate))
    try:
        first = b.submit("first")  # holds the thread until the gate opens, so the rest queue up as one batch
        time.sleep(0.1)
        futs = {t: b.submit(t) for t in ["good one", "boom", "good two", "good three"]}
        gate.set()
        assert first.result(timeout=5) == 5
        with pytest.raises(RuntimeError, match="breaks the model"):
            futs["boom"].result(timeout=5)
        assert {t: f.result(timeout=5) for t, f in futs.items() if t != "boom"} == \
            {"good one": 8, "good two": 8, "good three": 10}
        assert ["good one", "boom", "good two", "good three"] in calls  # the shared pass was tried …
        assert ["good two"] in calls and b.retried_batches == 1  # … then each text alone
    finally:
        b.close()


def test_a_cancelled_caller_does_not_stop_the_batcher():
    calls: list[list[str]] = []
    gate = threading.Event()
    b = EmbeddingBatcher(_encoder(calls, gate))
    try:
        b.submit("hold")
        time.sleep(0.1)
        gone = b.submit("gone away")
        gone.cancel()
        kept = b.submit("kept")
        gate.set()
        assert kept.result(timeout=5) == 4
        assert b.embed("still alive") == 11
    finally:
        b.close()


# ---- the CLI --------------------------------------------------------------------------------

def test_cli_refuses_undecodable_bytes_in_a_question(tmp_settings):
    from wtkb.dev.procs import settings_env

    # invalid UTF-8 on the command line arrives as lone surrogates (Python's surrogateescape)
    r = subprocess.run([sys.executable.encode(), b"-m", b"wtkb.cli", b"ask", b"who chairs \xed\xa0\x80 it?"],
                       env=settings_env(tmp_settings),
                       capture_output=True, timeout=120)
    assert r.returncode != 0
    err = r.stderr.decode()
    assert "U+DCED" in err and "surrogate" in err


# ---- the poison pill among concurrent good requests, on a real uvicorn ----------------------

@pytest.mark.slow
def test_jsonl_cli_answers_good_lines_and_refuses_bad_ones(qa_settings):
    from wtkb.dev.procs import settings_env

    lines = "who chairs the partnership?\nwho chairs \ud800 the partnership?\n".encode("utf-8", "surrogatepass")
    r = subprocess.run([sys.executable, "-m", "wtkb.cli", "ask", "--jsonl"], input=lines,
                       env=settings_env(qa_settings), capture_output=True, timeout=300)
    assert r.returncode == 0, r.stderr.decode()
    good, bad = (json.loads(x) for x in r.stdout.decode().splitlines())
    assert good["answer"] and "error" not in good
    assert "surrogate" in bad["error"]


@pytest.mark.slow
def test_poison_pill_among_concurrent_good_requests(qa_settings):
    from wtkb.dev.procs import api_server

    raw_poison = json.dumps({"question": POISON}).encode()  # JSON escapes it as \ud800, as a client would
    assert b"\\ud800" in raw_poison
    with api_server(qa_settings) as srv:
        def good(i: int) -> int:
            with httpx.Client(base_url=srv.url, timeout=600) as c:  # a loaded 2-core machine is slow, not failing
                return c.post("/ask", json={"question": GOOD[i % len(GOOD)]}).status_code

        def bad(i: int) -> httpx.Response:
            with httpx.Client(base_url=srv.url, timeout=600) as c:
                kind = i % 3
                if kind == 0:
                    return c.post("/ask", content=raw_poison, headers={"content-type": "application/json"})
                if kind == 1:  # a URL cannot carry a lone surrogate (it decodes to U+FFFD): a blank query
                    return c.get("/search", params={"q": "   "})
                return c.post("/briefings", content=json.dumps({"topic": "lead \udfff practitioner"}).encode(),
                              headers={"content-type": "application/json"})

        with ThreadPoolExecutor(20) as pool:
            goods = [pool.submit(good, i) for i in range(48)]
            bads = [pool.submit(bad, i) for i in range(12)]
            good_status = [f.result() for f in goods]
            bad_resp = [f.result() for f in bads]
        assert good_status == [200] * 48
        for r in bad_resp:
            assert r.status_code == 422, r.text
            detail = r.json()["detail"]
            assert ("U+D" in detail and "surrogate" in detail) or "q is empty" in detail, detail
        assert httpx.get(f"{srv.url}/health").status_code == 200
        out = srv.output()  # the log is removed when the server stops
    assert "Traceback" not in out and "POST /ask 200" in out
