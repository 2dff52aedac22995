"""`wtkb ask` (human, --json, --jsonl) and its errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from wtkb.cli import app
from wtkb.settings import get_settings

from .conftest import ANSWER_KEYS, DV_QUESTION

pytestmark = pytest.mark.slow


@pytest.fixture()
def env(monkeypatch, qa_settings):
    def use(settings):
        monkeypatch.setenv("WTKB_ROOT", str(settings.root))
        monkeypatch.setenv("WTKB_INDEX_DIR", str(settings.index))
        monkeypatch.setenv("WTKB_BUILD_DIR", str(settings.build))
        get_settings.cache_clear()

    use(qa_settings)
    yield use
    get_settings.cache_clear()


def test_ask_json(env):
    r = CliRunner().invoke(app, ["ask", DV_QUESTION, "--json"])
    assert r.exit_code == 0, r.output
    a = json.loads(r.stdout)
    assert set(a) == ANSWER_KEYS
    assert a["supported"] is True
    assert "the lead practitioner will be a social worker" in a["answer"]


def test_ask_human(env):
    r = CliRunner().invoke(app, ["ask", DV_QUESTION], env={"COLUMNS": "160"})
    assert r.exit_code == 0, r.output
    assert "answer" in r.stdout and "cited" in r.stdout
    assert "cr2023-support-under-section-17-government-response-p3" in r.stdout
    assert "Consultation response 2023" in r.stdout


def test_ask_jsonl_one_line_out_per_line_in(env):
    lines = [DV_QUESTION, "", "how to bake bread", "x" * 1001]
    r = CliRunner().invoke(app, ["ask", "--jsonl"], input="\n".join(lines) + "\n")
    assert r.exit_code == 0, r.output
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(out) == 4
    assert out[0]["supported"] is True and out[0]["question"] == DV_QUESTION
    assert out[1] == {"question": "", "error": "the question is empty"}
    assert out[2]["supported"] is False and out[2]["see_also"] == []  # nothing in the sources is related
    assert "limit is 1000" in out[3]["error"]


@pytest.mark.parametrize("args, words", [
    (["ask", ""], "the question is empty"),
    (["ask", "x" * 1001], "limit is 1000"),
    (["ask"], "no question given"),
    (["ask", "hello", "--jsonl"], "--jsonl reads questions from stdin"),
])
def test_ask_usage_errors(env, args, words):
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 2 and words in r.output


def test_ask_without_index_says_run_build(env, tmp_settings):
    env(tmp_settings)
    r = CliRunner().invoke(app, ["ask", DV_QUESTION])
    assert r.exit_code == 2
    assert "no retrieval index" in r.output and "wtkb build" in r.output
