"""Start-up never crashes on index state: each broken index gives the documented 503 with the fix,
for the API, /health and `wtkb ask`; a read-only index serves normally and is never written."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import urllib.error
import urllib.request
from contextlib import nullcontext
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from wtkb.api import create_app
from wtkb.settings import Settings

from .conftest import ROOT, STATES, break_index, can_mount, mounted, serve

pytestmark = pytest.mark.slow


def settings_for(index: Path, tmp_path: Path) -> Settings:
    return Settings(root=ROOT, build_dir=tmp_path / "_build", index_dir=index)


@pytest.mark.parametrize("state", STATES)
def test_broken_index_starts_and_answers_503_with_the_fix(state, index_copy, tmp_path):
    break_index(index_copy, state)
    with TestClient(create_app(settings_for(index_copy, tmp_path))) as client:  # the lifespan runs: no crash
        h = client.get("/health")
        assert h.status_code == 503
        body = h.json()
        assert body["status"] == "unavailable" and body["index_loaded"] is False
        assert "wtkb build" in body["message"]
        for r in (client.post("/ask", json={"question": "who is the lead practitioner?"}),
                  client.get("/search", params={"q": "early help"}), client.get("/paragraphs/x"),
                  client.get("/duties")):
            assert r.status_code == 503 and "wtkb build" in r.json()["detail"], r.text
        # the handbook and the built-in briefing topics still work
        assert client.get("/briefings").status_code == 200


WHAT = {"garbage-sqlite-header": "not a sqlite database", "truncated-sqlite": "truncated",
        "meta-wrong-type": "'dim' in meta.json is '384', not a int", "no-index": "no retrieval index"}


@pytest.mark.parametrize("state", STATES)
def test_wtkb_ask_says_what_is_wrong_and_exits_2(state, index_copy, tmp_path, monkeypatch):
    from wtkb.cli import app
    from wtkb.settings import get_settings

    break_index(index_copy, state)
    monkeypatch.setenv("WTKB_INDEX_DIR", str(index_copy))
    monkeypatch.setenv("WTKB_BUILD_DIR", str(tmp_path / "_build"))
    get_settings.cache_clear()
    try:
        r = CliRunner().invoke(app, ["ask", "who is the lead practitioner?"])
    finally:
        get_settings.cache_clear()
    assert r.exit_code == 2, r.output
    assert WHAT[state] in r.output and "wtkb build" in r.output and "Traceback" not in r.output


def test_a_real_server_starts_on_a_broken_index(index_copy, tmp_path):
    break_index(index_copy, "truncated-sqlite")
    env = {"WTKB_ROOT": str(ROOT), "WTKB_BUILD_DIR": str(tmp_path / "_build"), "WTKB_INDEX_DIR": str(index_copy)}
    with serve(env, ready=(503,), timeout=60) as base:
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(base + "health", timeout=5)
        assert e.value.code == 503 and "truncated" in json.loads(e.value.read())["message"]


def _snapshot(folder: Path) -> dict[str, tuple[int, str]]:
    return {str(p.relative_to(folder)): (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_read_only_index_serves_normally_and_is_never_written(index_copy, tmp_path):
    """Mounted read-only where this process may mount (root); else made read-only with chmod."""
    before = _snapshot(index_copy)
    if can_mount():
        ctx = mounted(tmp_path / "ro-index", "--bind", "-o", "ro", str(index_copy))
    else:
        subprocess.run(["chmod", "-R", "a-w", str(index_copy)], check=True)
        ctx = nullcontext(index_copy)
    with ctx as index:
        if can_mount():
            with pytest.raises(OSError):
                (index / "probe").write_text("x")
        with TestClient(create_app(settings_for(index, tmp_path))) as client:
            assert client.get("/health").json()["status"] == "ok"
            a = client.post("/ask", json={"question": "can a DV worker be lead practitioner?"}).json()
            assert a["supported"] and a["citations"]
        after = _snapshot(index)
    os.system(f"chmod -R u+w {index_copy}")
    assert after == before  # nothing in the index was created, changed or touched

