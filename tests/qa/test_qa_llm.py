"""LLM mode against a small OpenAI-compatible server on loopback (no real model exists offline)."""

from __future__ import annotations

import json
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from wtkb.qa import QA
from wtkb.qa.llm import ground
from wtkb.retrieve import Hit

from .conftest import DV_QUESTION

pytestmark = pytest.mark.slow


class FakeOpenAI(BaseHTTPRequestHandler):
    """POST /v1/chat/completions: answers with ``server.reply(prompt)``; remembers the prompts."""

    def do_POST(self):  # noqa: N802 - http.server's naming
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        prompt = "\n".join(m["content"] for m in body["messages"])
        self.server.prompts.append(prompt)
        content = self.server.reply(prompt)
        out = json.dumps({
            "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": body.get("model", "fake"),
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):  # keep test output quiet
        pass


@pytest.fixture()
def fake_llm():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOpenAI)
    server.prompts = []
    server.reply = lambda prompt: "NOT IN SOURCES"
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield server
    server.shutdown()
    server.server_close()


def llm_qa(qa, base_url: str) -> QA:
    settings = qa.settings.model_copy(update={"llm_mode": "openai", "llm_base_url": base_url,
                                              "llm_model": "fake-model", "llm_timeout": 5.0})
    return QA(settings, retriever=qa.retriever)


def context_ids(prompt: str) -> list[str]:
    return re.findall(r"^\[([a-z0-9-]+)\]", prompt, flags=re.M)


def test_only_grounded_sentences_are_kept(qa, fake_llm):
    def reply(prompt):
        first, second = context_ids(prompt)[:2]
        return (f"A broader range of practitioners can lead under section 17 [{first}]. "
                "A DV worker can always lead any case [cr2023-made-up-p99]. "
                "This sentence cites nothing. "
                f"Where there are child protection concerns the lead is a social worker [{first}, {second}].")

    fake_llm.reply = reply
    a = llm_qa(qa, f"http://127.0.0.1:{fake_llm.server_port}/v1").ask(DV_QUESTION)
    assert a.supported
    assert "broader range of practitioners can lead under section 17" in a.answer
    assert "child protection concerns the lead is a social worker" in a.answer
    assert "made-up" not in a.answer and "always lead any case" not in a.answer
    assert "cites nothing" not in a.answer
    ids = context_ids(fake_llm.prompts[0])
    assert {c.id for c in a.citations} == set(ids[:2])
    # the model saw only the retrieved paragraphs, each with its ID, and the rule to cite them
    hits = qa.retriever.search(DV_QUESTION, 5)
    assert ids == [h.record.id for h in hits]
    assert "ONLY the numbered paragraphs" in fake_llm.prompts[0]


def test_nothing_grounded_falls_back_to_extractive(qa, fake_llm):
    fake_llm.reply = lambda prompt: "Anyone can be a lead practitioner [wt2023-chapter-9-p1]. Trust me."
    a = llm_qa(qa, f"http://127.0.0.1:{fake_llm.server_port}/v1").ask(DV_QUESTION)
    assert fake_llm.prompts, "the LLM was not called"
    assert a == qa.ask(DV_QUESTION)


def test_unreachable_llm_falls_back_to_extractive(qa):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again at once: nothing listens there
    a = llm_qa(qa, f"http://127.0.0.1:{port}/v1").ask(DV_QUESTION)
    assert a == qa.ask(DV_QUESTION)


def test_unsupported_questions_never_reach_the_llm(qa, fake_llm):
    a = llm_qa(qa, f"http://127.0.0.1:{fake_llm.server_port}/v1").ask("how to bake bread")
    assert a.supported is False and fake_llm.prompts == []


def test_llm_sentences_keep_voice_labels_and_the_refusal_rule(qa, fake_llm, corpus):
    def reply(prompt):
        first = context_ids(prompt)[0]
        return f"The government will let more practitioners lead [{first}]."

    fake_llm.reply = reply
    lq = llm_qa(qa, f"http://127.0.0.1:{fake_llm.server_port}/v1")
    a = lq.ask(DV_QUESTION)
    assert a.supported and a.sentences and all(p.source == "llm" for p in a.sentences)
    for p in a.sentences:
        rec = corpus.by_id[p.ids[0]]
        assert p.voice == rec.voice and p.voice_label
    assert all(c.voice and c.voice_label for c in a.citations)
    # a question whose key concept the sources do not cover is refused before the model is asked
    before = len(fake_llm.prompts)
    r = lq.ask("how long do we have to complete a rapid review?")
    assert r.supported is False and len(fake_llm.prompts) == before


def test_the_model_is_told_whose_words_each_paragraph_is_and_never_sees_a_myth_as_advice(qa, fake_llm):
    lq = llm_qa(qa, f"http://127.0.0.1:{fake_llm.server_port}/v1")
    lq.ask("is consent needed to share information?")
    prompt = fake_llm.prompts[-1]
    assert "never present respondents' views or a local briefing as national policy" in prompt
    assert "(Consultation response 2023 › Prison and Probation Services › Government response › para 5; " \
           "Government decision)" in prompt
    # Devon's "Consent is needed to share personal information" is a myth it lists: not in the model's context
    assert not any(i.startswith("devon2024-common-myths") for i in context_ids(prompt))
    lq.ask("what are the common myths about information sharing?")
    assert any("a myth it lists, not advice" in line for line in fake_llm.prompts[-1].splitlines())


def test_ground_rules(corpus):
    recs = [corpus.records[0], corpus.records[1]]
    hits = [Hit(r, 1.0, 0.0, 0.0, i + 1) for i, r in enumerate(recs)]
    a, b = recs[0].id, recs[1].id
    kept = ground(f"One [{a}]. Two. [{b}] Three [{a}; nope-p1]. Four [{a},{b}]. NOT IN", hits)
    assert [(s, [h.record.id for h in hs]) for s, hs in kept] == [("One.", [a]), ("Two.", [b]), ("Four.", [a, b])]
    assert ground("NOT IN SOURCES", hits) == []
