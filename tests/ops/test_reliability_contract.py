"""Contract = behaviour: schemathesis (pinned in the dev dependencies) against a real server, every
default check, a bounded number of cases; plus the rules the schema must state (issue 13, item 2)."""

from __future__ import annotations

import re
import subprocess
import sys

import httpx
import pytest

from wtkb.text import TEXT_PATTERN, WORDS_PATTERN

pytestmark = pytest.mark.slow

MAX_EXAMPLES = 25  # per operation and phase: about 2 minutes on 2 cores


def test_schema_states_the_rules_the_server_enforces(qa_settings):
    from fastapi.testclient import TestClient

    from wtkb.api import create_app

    settings = qa_settings.model_copy(update={"max_question_chars": 300})
    with TestClient(create_app(settings)) as c:
        schema = c.get("/openapi.json").json()
        ask = schema["components"]["schemas"]["AskRequest"]["properties"]
        assert ask["question"]["maxLength"] == 300 and ask["question"]["minLength"] == 1  # from the settings
        assert ask["question"]["pattern"] == WORDS_PATTERN
        assert (ask["top_k"]["minimum"], ask["top_k"]["maximum"]) == (1, 20)
        brief = schema["components"]["schemas"]["BriefingRequest"]["properties"]
        assert brief["topic"]["pattern"] == WORDS_PATTERN and brief["topic"]["maxLength"] == 200
        assert brief["audience"]["pattern"] == TEXT_PATTERN
        q = next(p for p in schema["paths"]["/search"]["get"]["parameters"] if p["name"] == "q")
        assert q["schema"]["pattern"] == WORDS_PATTERN and q["schema"]["maxLength"] == 300
        # and the server enforces exactly that: at the limit it answers, one over it refuses
        assert c.post("/ask", json={"question": "a" * 300}).status_code == 200
        assert c.post("/ask", json={"question": "a" * 301}).status_code == 422
        assert c.post("/ask", json={"question": " \t"}).status_code == 422
        assert re.search(WORDS_PATTERN, " \t") is None


def test_schemathesis_finds_no_disagreement(qa_settings, tmp_path):
    pytest.importorskip("schemathesis", reason="schemathesis is a pinned dev dependency: run `make setup`")
    from wtkb.dev.procs import api_server

    with api_server(qa_settings) as srv:
        assert httpx.get(f"{srv.url}/health").status_code == 200
        r = subprocess.run(
            [sys.executable, "-m", "schemathesis.cli", "run", f"{srv.url}/openapi.json",
             "--max-examples", str(MAX_EXAMPLES), "--seed", "13", "--workers", "1", "--generation-database", "none",
             "--request-timeout", "120", "--no-color", "--report", "junit", "--report-dir", str(tmp_path)],
            capture_output=True, text=True, timeout=1500, cwd=tmp_path)
        out = r.stdout + r.stderr
        assert r.returncode == 0, out[-6000:]
        assert "No issues found" in out or "passed" in out, out[-3000:]
        assert httpx.get(f"{srv.url}/health").status_code == 200  # still serving
        out = srv.output()  # the log is removed when the server stops
    assert "Traceback" not in out
