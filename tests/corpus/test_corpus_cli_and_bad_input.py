"""The CLI contract of `wtkb paragraphs` / `wtkb build --only corpus`, and every kind of bad source input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wtkb.cli import app
from wtkb.settings import get_settings

REQUIRED_KEYS = {"id", "document", "section", "kind", "text", "label", "footnotes"}
SMALL = "000_90eeeff23045b5cd.txt"


def run_cli(args: list[str], root: Path, monkeypatch) -> tuple[int, str, str]:
    monkeypatch.setenv("WTKB_ROOT", str(root))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, args)
    finally:
        get_settings.cache_clear()
    return result.exit_code, result.stdout, result.stderr


def test_paragraphs_jsonl_contract(root, corpus):
    proc = subprocess.run([sys.executable, "-m", "wtkb.cli", "paragraphs", "--jsonl"], cwd=root,
                          capture_output=True, text=True, check=True)
    lines = proc.stdout.splitlines()
    assert len(lines) == len(corpus.records)
    objs = [json.loads(line) for line in lines]
    for o in objs:
        assert REQUIRED_KEYS <= set(o), o
        assert isinstance(o["section"], list) and o["text"].strip() == o["text"] and o["text"]
    order = [s.id for s in corpus.sources]
    docs = [o["document"] for o in objs]
    assert docs == sorted(docs, key=order.index), "records must be grouped in manifest order"
    for doc in order:
        lines_ = [o["line"] for o in objs if o["document"] == doc and o["kind"] != "footnote"]
        assert lines_ == sorted(lines_), f"{doc} records must be in document order"
    assert any(o.get("duplicate_of") for o in objs)


def make_sources(tmp_path: Path, root: Path, manifest: str | None = None) -> Path:
    src = tmp_path / "sources"
    src.mkdir()
    shutil.copy(root / "sources" / SMALL, src / SMALL)
    (src / "manifest.yaml").write_text(manifest or f"""documents:
  - id: devon2023
    title: "Working Together 2023 Consultation"
    short_title: "Devon consultation feedback 2023"
    publisher: "Devon Safeguarding Children Partnership"
    date: "2023"
    kind: local feedback
    licence: "test"
    file: {SMALL}
    format: web
""", encoding="utf-8")
    return src


def build_ok(tmp_path, root, monkeypatch) -> Path:
    code, out, err = run_cli(["build", "--only", "corpus"], tmp_path, monkeypatch)
    assert code == 0, err
    built = tmp_path / "_build" / "corpus" / "corpus.jsonl"
    assert built.is_file()
    return built


def test_build_replaces_corpus_and_reports_counts(tmp_path, root, monkeypatch):
    make_sources(tmp_path, root)
    built = build_ok(tmp_path, root, monkeypatch)
    assert len(built.read_text().splitlines()) == 15
    assert not list((tmp_path / "_build").glob(".corpus.tmp-*")), "no temp folder is left behind"


BAD_CASES = {
    "manifest entry without a file": (
        lambda src: (src / SMALL).rename(src.parent / SMALL), "names file", "000_90eeeff23045b5cd.txt"),
    "file without a manifest entry": (
        lambda src: (src / "005_extra.txt").write_text("Hello\n\nA paragraph.\n"), "has no entry in the manifest",
        "005_extra.txt"),
    "empty file": (lambda src: (src / SMALL).write_text("  \n\n"), "empty", SMALL),
    "non-UTF-8 file": (lambda src: (src / SMALL).write_bytes("Caf\u00e9 line\n".encode("cp1252")), "not UTF-8",
                       SMALL),
    "malformed manifest": (
        lambda src: (src / "manifest.yaml").write_text("documents:\n  - id: devon2023\n    title: [unclosed\n"),
        "not valid YAML", "manifest.yaml:"),
    "manifest missing fields": (
        lambda src: (src / "manifest.yaml").write_text(f"documents:\n  - id: devon2023\n    file: {SMALL}\n"),
        "lacks required field", "manifest.yaml"),
    "two blocks with the same ID": (
        lambda src: (src / SMALL).write_text(
            "Title line\n\nFirst paragraph.\n\n---\n\n<sup>1</sup> a note\n\n<sup>1</sup> the same note number\n"),
        "same ID", SMALL),
}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_input_stops_build_and_keeps_previous(case, tmp_path, root, monkeypatch):
    src = make_sources(tmp_path, root)
    if case == "two blocks with the same ID":
        text = (src / "manifest.yaml").read_text().replace("format: web", "format: markdown")
        (src / "manifest.yaml").write_text(text)
    built = build_ok(tmp_path, root, monkeypatch)
    before = built.read_bytes()
    breaker, message, where = BAD_CASES[case]
    breaker(src)
    code, out, err = run_cli(["build", "--only", "corpus"], tmp_path, monkeypatch)
    assert code == 2
    flat = " ".join(err.split())
    assert message in flat, err
    assert where in flat, err
    assert "what to do:" in flat
    assert built.read_bytes() == before, "a failed build must leave the previous build untouched"


def test_changed_source_is_refused(tmp_path, root, monkeypatch):
    src = make_sources(tmp_path, root)
    text = (src / "manifest.yaml").read_text() + "    sha256: \"" + "0" * 64 + "\"\n"
    (src / "manifest.yaml").write_text(text)
    code, _, err = run_cli(["build", "--only", "corpus"], tmp_path, monkeypatch)
    assert code == 2 and "sha256 mismatch" in " ".join(err.split())


def test_sixth_document_needs_only_file_and_entry(tmp_path, root, monkeypatch):
    src = make_sources(tmp_path, root)
    (src / "005_note.txt").write_text("Skip to content\n\nA New Note\n\nPractitioners should read this.\n\nTop")
    (src / "manifest.yaml").write_text((src / "manifest.yaml").read_text() + """  - id: note2025
    title: "A new note"
    short_title: "Note 2025"
    publisher: "Test"
    date: "2025"
    kind: notice
    licence: "test"
    file: 005_note.txt
""")
    code, out, err = run_cli(["paragraphs", "--jsonl"], tmp_path, monkeypatch)
    assert code == 0, err
    recs = [json.loads(x) for x in out.splitlines()]
    note = [r for r in recs if r["document"] == "note2025"]
    assert [(r["id"], r["text"]) for r in note] == [("note2025-a-new-note-p1", "Practitioners should read this.")]


def test_duplicated_manifest_entry_is_reported_at_its_own_line(tmp_path, root):
    """A repeated entry names the line of the repeat, and the line of the first one."""
    from wtkb.corpus.sources import load_manifest
    from wtkb.errors import SourceError

    src = make_sources(tmp_path, root)
    text = (src / "manifest.yaml").read_text()
    entry = text[text.index("  - id: devon2023"):]
    entry = entry[: entry.index("\n  - id:", 1) + 1] if "\n  - id:" in entry[1:] else entry
    (src / "manifest.yaml").write_text(text + entry)
    first = text.splitlines().index("  - id: devon2023") + 1
    repeat = len(text.splitlines()) + 1
    with pytest.raises(SourceError) as err:
        load_manifest(src)
    assert err.value.line == repeat
    assert f"also at line {first}" in err.value.what
