"""Limits that hold on shared use, on a real `wtkb serve` (uvicorn) over loopback.

The server here has no index (it answers 503 to Q&A), which is all these limits need: every one is
enforced before a route runs, and the server starts in a few seconds without the model.
"""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request

import pytest

from .conftest import ROOT, serve

pytestmark = pytest.mark.slow
TIMEOUT = 2  # WTKB_TIMEOUT_REQUEST for this server


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("limits")
    env = {"WTKB_ROOT": str(ROOT), "WTKB_BUILD_DIR": str(tmp / "_build"), "WTKB_INDEX_DIR": str(tmp / "no-index"),
           "WTKB_TIMEOUT_REQUEST": str(TIMEOUT), "WTKB_TIMEOUT_KEEP_ALIVE": "1"}
    with serve(env, ready=(503,), timeout=60) as url:
        yield url


def connect(base: str) -> socket.socket:
    port = int(base.rstrip("/").rsplit(":", 1)[1])
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(TIMEOUT + 10)
    return s


def read_all(s: socket.socket) -> bytes:
    out = b""
    while chunk := s.recv(65536):
        out += chunk
    return out


def test_a_chunked_body_over_the_limit_gets_413_without_being_read_in_full(base):
    s = connect(base)
    s.sendall(b"POST /ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b"a" * 16384
    for _ in range(8):  # 128 KiB of a promised 1 MiB body, and then the client sends no more
        s.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
    t0 = time.monotonic()
    reply = s.recv(4096)
    assert reply.startswith(b"HTTP/1.1 413"), reply[:200]
    assert time.monotonic() - t0 < TIMEOUT  # answered at once, not after reading (or waiting for) the rest
    assert b"over 64 KiB" in reply + s.recv(4096)


def test_a_declared_length_over_the_limit_gets_413_at_once(base):
    s = connect(base)
    s.sendall(b"POST /ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1048576\r\n\r\n")
    assert s.recv(4096).startswith(b"HTTP/1.1 413")  # the body was never sent, nor waited for


@pytest.mark.parametrize("sent", [b"", b"GET /health HTTP/1.1\r\nHost: x\r\n", b"POST /ask HTTP/1.1\r\nHo"])
def test_idle_and_incomplete_connections_are_closed_within_the_timeout(base, sent):
    s = connect(base)
    t0 = time.monotonic()
    s.sendall(sent)
    assert read_all(s) == b""  # closed by the server, with nothing sent back
    assert TIMEOUT - 0.5 < time.monotonic() - t0 < TIMEOUT + 2


def test_a_stalled_body_gets_408(base):
    s = connect(base)
    s.sendall(b"POST /ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{\"q")
    t0 = time.monotonic()
    reply = read_all(s)
    assert reply.startswith(b"HTTP/1.1 408") and b"did not arrive within" in reply
    assert time.monotonic() - t0 < TIMEOUT + 2


def test_a_kept_alive_connection_is_closed_when_idle(base):
    s = connect(base)
    s.sendall(b"GET /briefings HTTP/1.1\r\nHost: x\r\n\r\n")
    assert s.recv(65536).startswith(b"HTTP/1.1 200")
    t0 = time.monotonic()
    read_all(s)
    assert time.monotonic() - t0 < 1 + 2  # WTKB_TIMEOUT_KEEP_ALIVE=1


def test_head_is_answered_wherever_get_is(base):
    for path, status in (("health", 503), ("briefings", 200), ("openapi.json", 200), ("docs", 200)):
        req = urllib.request.Request(base + path, method="HEAD")
        try:
            with urllib.request.urlopen(req, timeout=5) as r:
                got, body, length = r.status, r.read(), r.headers.get("content-length")
        except urllib.error.HTTPError as e:
            got, body, length = e.code, e.read(), e.headers.get("content-length")
        assert got == status and body == b"" and int(length) > 0, path


def test_a_body_that_is_not_json_gets_415(base):
    for path, body in (("ask", b'{"question": "who decides?"}'), ("briefings", b'{"topic": "01-lead-practitioner"}')):
        req = urllib.request.Request(base + path, data=body, method="POST", headers={"Content-Type": "text/plain"})
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(req, timeout=5)
        assert e.value.code == 415
        assert "Content-Type: application/json" in json.loads(e.value.read())["detail"]


def test_responses_with_question_text_are_not_stored(base):
    for method, path, body in (("GET", "search?q=early+help", None), ("POST", "ask", b'{"question": "x"}')):
        req = urllib.request.Request(base + path, data=body, method=method,
                                     headers={"Content-Type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as e:  # 503: no index here, but the header is there
            urllib.request.urlopen(req, timeout=5)
        assert e.value.headers["cache-control"] == "no-store"
    with urllib.request.urlopen(base + "briefings", timeout=5) as r:
        assert r.headers["cache-control"] == "no-store"
