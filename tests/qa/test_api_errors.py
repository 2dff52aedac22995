"""Every bad request gets a 4xx with a message a person can act on, and the server keeps serving."""

from __future__ import annotations

import pytest

from .conftest import DV_QUESTION

pytestmark = pytest.mark.slow

JSON = {"content-type": "application/json"}


@pytest.mark.parametrize("send, status, words", [
    (dict(json={"question": ""}), 422, "question is empty"),
    (dict(json={"question": "   \n\t "}), 422, "question is empty"),
    (dict(json={"question": "x" * 1001}), 422, "limit is 1000"),
    (dict(json={"question": 42}), 422, "'question' must be a string"),
    (dict(json={"question": ["a list"]}), 422, "'question' must be a string"),
    (dict(json={"question": None}), 422, "'question' must be a string"),
    (dict(json={"question": DV_QUESTION, "top_k": "five"}), 422, "'top_k' must be a whole number"),
    (dict(json={"question": DV_QUESTION, "top_k": 2.5}), 422, "'top_k' must be a whole number"),
    (dict(json={"question": DV_QUESTION, "top_k": True}), 422, "'top_k' must be a whole number"),
    (dict(json={"question": DV_QUESTION, "top_k": 0}), 422, "'top_k' must be between 1 and 20"),
    (dict(json={"question": DV_QUESTION, "top_k": 21}), 422, "'top_k' must be between 1 and 20"),
    (dict(json={"question": DV_QUESTION, "top_k": -3}), 422, "'top_k' must be between 1 and 20"),
    (dict(json={"top_k": 3}), 422, "'question' is required"),
    (dict(json={"question": DV_QUESTION, "questoin": 1}), 422, "unknown field 'questoin'"),
    (dict(json=["can a DV worker be lead practitioner?"]), 422, "must be a JSON object"),
    (dict(content=b'{"question": "unclosed', headers=JSON), 400, "not valid JSON"),
    (dict(content=b"question=hello", headers=JSON), 400, "not valid JSON"),
    (dict(content=b"\xff\xfe\x00garbage", headers=JSON), 400, "not valid JSON"),
    (dict(), 422, "no JSON body"),
    (dict(content=b"x" * 70_000, headers=JSON), 413, "over 64 KiB"),
])
def test_bad_ask_requests(client, send, status, words):
    r = client.post("/ask", **send)
    assert r.status_code == status, r.text
    assert words in r.json()["detail"]


@pytest.mark.parametrize("url, status, words", [
    ("/search", 422, "'q' is required"),
    ("/search?q=", 422, "q is empty"),
    ("/search?q=%20%20", 422, "q is empty"),
    ("/search?q=" + "a" * 1001, 422, "limit is 1000"),
    ("/search?q=early+help&k=0", 422, "'k' must be between 1 and 50"),
    ("/search?q=early+help&k=many", 422, "'k' must be a whole number"),
    ("/paragraphs/no-such-paragraph", 404, "no paragraph with ID 'no-such-paragraph'"),
    ("/paragraphs/cr2023-early-help-p999", 404, "GET /search"),
])
def test_bad_get_requests(client, url, status, words):
    r = client.get(url)
    assert r.status_code == status, r.text
    assert words in r.json()["detail"]


def test_wrong_method_and_path_are_4xx(client):
    r = client.get("/ask")
    assert r.status_code == 405 and "use POST /ask" in r.json()["detail"]
    assert client.post("/search", json={}).status_code == 405
    assert client.get("/no/such/thing.json").status_code == 404


def test_still_answers_after_bad_requests(client):
    client.post("/ask", content=b"{", headers=JSON)
    r = client.post("/ask", json={"question": DV_QUESTION, "top_k": 3})
    assert r.status_code == 200 and r.json()["supported"] is True
