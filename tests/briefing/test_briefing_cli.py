"""`wtkb briefing`: --list, formats, the report, atomic writes and its errors (exit 1, what + what to do)."""

from __future__ import annotations

import io

import pytest
from typer.testing import CliRunner

from wtkb.cli import app
from wtkb.settings import get_settings

ROOT_ENV = "WTKB_ROOT"


@pytest.fixture()
def env(monkeypatch, settings, tmp_path):
    """The real project, with build and index folders in a temp folder."""
    monkeypatch.setenv(ROOT_ENV, str(settings.root))
    monkeypatch.setenv("WTKB_BUILD_DIR", str(tmp_path / "_build"))
    monkeypatch.setenv("WTKB_INDEX_DIR", str(tmp_path / "no-index"))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def run(*args: str):
    return CliRunner().invoke(app, ["briefing", *args])


def test_list(env, topics):
    r = run("--list")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert len(lines) == len(topics) == 10
    assert lines[0].split(None, 1) == ["01-lead-practitioner", "Who can be the lead practitioner"]
    assert lines[6].startswith("07-information-sharing") and lines[6].endswith("Information sharing and consent")


def test_builds_a_deck_and_reports(env):
    out = env / "lp.pptx"
    r = run("--topic", "lead practitioner", "--audience", "education DSLs", "-o", str(out))
    assert r.exit_code == 0, r.output
    from pptx import Presentation

    prs = Presentation(str(out))
    assert prs.slides[0].shapes.title.text == "Who can be the lead practitioner"
    assert f"wrote {out} (pptx, {len(prs.slides)} slides" in r.stdout
    assert "from the handbook chapter" in r.stdout and "key slides" in r.stdout
    assert r.stdout.rstrip().endswith("s")  # "... in 0.42s"
    assert [p.name for p in env.iterdir() if p.name.startswith(".")] == []  # no temp file left
    assert oct(out.stat().st_mode & 0o777) == "0o644"


@pytest.mark.parametrize("args, name, check", [
    ([], "pack.md", lambda b: b.startswith(b"<!-- Briefing pack") and b"\n## What changed" in b),
    ([], "pack.html", lambda b: b.startswith(b"<!DOCTYPE html>")),
    (["--format", "html"], "pack.txt", lambda b: b.startswith(b"<!DOCTYPE html>")),
    (["--format", "MD"], "pack.txt", lambda b: b"\n---\n" in b),
    ([], "pack", lambda b: b.startswith(b"PK")),  # no suffix: pptx
])
def test_format_from_option_or_suffix(env, args, name, check):
    out = env / name
    r = run("-t", "7", "-o", str(out), *args)
    assert r.exit_code == 0, r.output
    assert check(out.read_bytes())


def test_handout_and_base_url(env):
    out, handout = env / "deck.pptx", env / "handout.html"
    r = run("-t", "information sharing", "-o", str(out), "--handout", str(handout),
            "--base-url", "https://kb.example.org/")
    assert r.exit_code == 0, r.output
    page = handout.read_text(encoding="utf-8")
    assert 'href="https://kb.example.org/sources/' in page
    assert f"wrote {handout} (html, one-page handout" in r.stdout


def test_replaces_an_existing_file_atomically(env, monkeypatch):
    out = env / "deck.pptx"
    out.write_bytes(b"old deck")
    import wtkb.briefing.render

    def broken(*a, **k):
        raise wtkb.briefing.BriefingError("rendering failed", "fix it")

    monkeypatch.setattr(wtkb.briefing.render, "render", broken)
    r = run("-t", "1", "-o", str(out))
    assert r.exit_code == 2 and "rendering failed" in r.output
    assert out.read_bytes() == b"old deck"  # untouched
    monkeypatch.undo()
    env_again = run  # the real renderer
    r = env_again("-t", "1", "-o", str(out))
    assert r.exit_code == 0, r.output
    assert out.read_bytes()[:2] == b"PK"
    assert sorted(p.name for p in env.iterdir() if p.is_file()) == ["deck.pptx"]


@pytest.mark.parametrize("args, words", [
    (["-o", "x.pptx"], "no topic given"),
    (["-t", "lead practitioner"], "no output file given"),
    (["-t", "lead practitioner", "-o", "x.pptx", "--format", "pdf"], "unknown format 'pdf'"),
    (["-t", "lead practitioner", "-o", "missing/folder/x.pptx"], "does not exist"),
    (["-t", "lead practitioner", "-o", "."], "is a folder"),
])
def test_usage_errors(env, monkeypatch, args, words):
    monkeypatch.chdir(env)
    r = run(*args)
    assert r.exit_code == 2, r.output
    assert "error: " in r.output and words in r.output and "what to do:" in r.output


def test_free_text_without_an_index_says_run_build(env):
    r = run("-t", "family group conferences", "-o", str(env / "x.pptx"))
    assert r.exit_code == 2
    assert "wtkb build" in r.output
    assert not (env / "x.pptx").exists()


# ---- free-text topics need the real index --------------------------------------------------


@pytest.fixture()
def index_env(monkeypatch, briefing_qa_settings, tmp_path):
    monkeypatch.setenv(ROOT_ENV, str(briefing_qa_settings.root))
    monkeypatch.setenv("WTKB_INDEX_DIR", str(briefing_qa_settings.index))
    monkeypatch.setenv("WTKB_BUILD_DIR", str(briefing_qa_settings.build))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


@pytest.mark.slow
def test_uncovered_topic_exits_1_with_a_clear_message(index_env):
    out = index_env / "wind.pptx"
    r = run("-t", "offshore wind farm maintenance", "-o", str(out))
    assert r.exit_code == 2
    assert "the sources do not cover “offshore wind farm maintenance”" in r.output
    assert "wtkb briefing --list" in r.output and "Who can be the lead practitioner" in r.output
    assert not out.exists()


@pytest.mark.slow
def test_free_text_topic_via_cli(index_env):
    out = index_env / "fgc.md"
    r = run("-t", "family group conferences", "-o", str(out))
    assert r.exit_code == 0, r.output
    assert "retrieved from the sources" in r.stdout
    assert "## Family group conferences" in io.StringIO(out.read_text(encoding="utf-8")).read()
