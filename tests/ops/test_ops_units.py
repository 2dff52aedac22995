"""Fast unit tests (no model, no index, no server): addresses, error presenters, build helpers."""

from __future__ import annotations

import errno
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from wtkb.api.errors import describe, message, status_for
from wtkb.atomic import build_lock, clean_stale
from wtkb.briefing import BriefingError
from wtkb.build import write_problem
from wtkb.corpus.sources import load_manifest
from wtkb.errors import (
    BuildError,
    IndexError_,
    IndexUnavailable,
    InvalidRequest,
    NotFound,
    SourceError,
    UnsupportedMediaType,
    WtkbError,
)
from wtkb.index.store import check_sqlite
from wtkb.models import Record
from wtkb.settings import Settings
from wtkb.urls import absolute_base, base_path, normalise_base, page_url, record_url

# ---- one addressing model ---------------------------------------------------------------------


@pytest.mark.parametrize("given, base, path", [
    ("/", "/", "/"), ("", "/", "/"), ("/wtkb", "/wtkb/", "/wtkb/"), ("/wtkb/", "/wtkb/", "/wtkb/"),
    ("https://sg.example.org", "https://sg.example.org/", "/"),
    ("https://sg.example.org/wtkb", "https://sg.example.org/wtkb/", "/wtkb/"),
    ("http://127.0.0.1:8000/a/b/", "http://127.0.0.1:8000/a/b/", "/a/b/"),
])
def test_base_urls_are_normalised(given, base, path):
    assert normalise_base(given) == base
    assert base_path(given) == path


@pytest.mark.parametrize("bad", ["wtkb/", "ftp://host/", "http://", "/wtkb/?x=1", "https://host/#top"])
def test_unusable_base_urls_say_what_to_write(bad):
    with pytest.raises(ValueError, match="WTKB_BASE_URL"):
        normalise_base(bad)
    with pytest.raises(ValueError, match="WTKB_BASE_URL"):
        Settings(base_url=bad)


def test_links_are_built_from_the_base_only():
    rec = Record(id="wt2023-x-p1", document="wt2023", section=["A"], kind="paragraph", text="t", label="l",
                 position=1, line=1, page="sources/wt2023/02-a")
    for base in ("/", "/wtkb/", "https://sg.example.org/wtkb/"):
        assert record_url(rec, base) == f"{base}sources/wt2023/02-a.html#wt2023-x-p1"
        assert page_url("topics/01-x", base) == f"{base}topics/01-x.html"


def test_packs_get_an_absolute_base_from_settings():
    assert absolute_base("/", "127.0.0.1", 8000) == "http://127.0.0.1:8000/"
    assert absolute_base("/wtkb/", "0.0.0.0", 9000) == "http://127.0.0.1:9000/wtkb/"
    assert absolute_base("https://sg.example.org/wtkb/", "0.0.0.0", 9000) == "https://sg.example.org/wtkb/"
    assert Settings(base_url="/wtkb", host="10.0.0.5", port=80).public_base == "http://10.0.0.5:80/wtkb/"


# ---- the API's error presenter ------------------------------------------------------------------


@pytest.mark.parametrize("exc, status", [
    (NotFound("x", "y"), 404), (InvalidRequest("x", "y"), 422), (UnsupportedMediaType("x", "y"), 415),
    (BriefingError("x", "y"), 422), (IndexUnavailable("x", "y"), 503), (SourceError("x", "y"), 503),
    (WtkbError("x", "y"), 503), (BuildError("x", "y"), 503),
])
def test_each_error_kind_has_its_status(exc, status):
    assert status_for(exc) == status
    assert message(exc) == "x; y"


def test_old_index_error_name_is_the_new_class():
    assert IndexError_ is IndexUnavailable


@pytest.mark.parametrize("error, path, status, words", [
    ({"type": "json_invalid", "loc": ("body", 1), "ctx": {"error": "Expecting value"}}, "/ask", 400,
     "not valid JSON (Expecting value)"),
    ({"type": "missing", "loc": ("body",)}, "/ask", 422, 'no JSON body: send e.g. {"question"'),
    ({"type": "missing", "loc": ("body",)}, "/briefings", 422, 'send e.g. {"topic"'),
    ({"type": "missing", "loc": ("body", "question")}, "/ask", 422, "'question' is required"),
    ({"type": "extra_forbidden", "loc": ("body", "x")}, "/briefings", 422, "takes 'topic'"),
    ({"type": "extra_forbidden", "loc": ("body", "x")}, "/ask", 422, "takes 'question' and optionally"),
    ({"type": "dict_type", "loc": ("body",)}, "/ask", 422, "must be a JSON object"),
    ({"type": "less_than_equal", "loc": ("body", "top_k"), "input": 21, "ctx": {"le": 20}}, "/ask", 422,
     "'top_k' must be between 1 and 20 (got 21)"),
    ({"type": "int_parsing", "loc": ("query", "k")}, "/search", 422, "'k' must be a whole number"),
    ({"type": "something_new", "loc": ("body", "f"), "msg": "odd"}, "/ask", 422, "'f': odd"),
])
def test_validation_errors_become_one_sentence(error, path, status, words):
    got_status, text = describe([error], path)
    assert got_status == status and words in text


# ---- build helpers ------------------------------------------------------------------------------


@pytest.mark.parametrize("exc, words", [
    (OSError(errno.ENOSPC, "No space left on device"), "the disk is full"),
    (OSError(errno.EROFS, "Read-only file system"), "read-only file system"),
    (OSError(errno.EACCES, "Permission denied"), "may not write there"),
    (RuntimeError("sqlite: database or disk is full"), "the disk is full"),
    ("Traceback ...\nOSError: [Errno 28] No space left on device: 'x'", "the disk is full"),
])
def test_write_problems_are_one_build_error(exc, words, tmp_path):
    err = write_problem(exc, tmp_path)
    assert isinstance(err, BuildError) and words in err.what and str(tmp_path) in err.what
    assert "previous outputs were left" in err.fix


def test_other_failures_are_not_called_write_problems(tmp_path):
    assert write_problem(ValueError("bad value"), tmp_path) is None
    assert write_problem(OSError(errno.ENOENT, "No such file"), tmp_path) is None


def test_stale_temp_folders_are_cleaned_and_nothing_else(tmp_path):
    target = tmp_path / "index"
    target.mkdir()
    (target / "keep").write_text("x")
    stale = [tmp_path / ".index.tmp-abc", tmp_path / ".index.old-123"]
    for p in stale:
        p.mkdir()
        (p / "f").write_text("x")
    (tmp_path / ".other.tmp-1").mkdir()
    assert sorted(clean_stale(target)) == sorted(stale)
    assert not any(p.exists() for p in stale)
    assert (target / "keep").is_file() and (tmp_path / ".other.tmp-1").is_dir()


def test_build_lock_makes_a_second_build_wait(tmp_path):
    lock = tmp_path / ".wtkb-build.lock"
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from pathlib import Path
        from wtkb.atomic import build_lock
        with build_lock(Path({str(lock)!r})):
            print("held", flush=True)
            time.sleep(1.5)
        """)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    notes: list[str] = []
    t0 = time.monotonic()
    with build_lock(lock, on_wait=notes.append):
        waited = time.monotonic() - t0
        with build_lock(lock):  # re-entrant in one process
            pass
    holder.wait(timeout=10)
    assert waited > 0.5
    assert notes and "another build is running" in notes[0] and str(holder.pid) in notes[0]


def test_sqlite_check_names_a_damaged_or_truncated_store(tmp_path):
    import sqlite3

    db = tmp_path / "chroma.sqlite3"
    with sqlite3.connect(db) as c:
        c.execute("create table t (x)")
        c.executemany("insert into t values (?)", [("x" * 500,)] * 100)
    check_sqlite(db)  # a whole database passes
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])
    with pytest.raises(IndexUnavailable, match="truncated"):
        check_sqlite(db)
    db.write_bytes(b"garbage" * 100)
    with pytest.raises(IndexUnavailable, match="not a sqlite database"):
        check_sqlite(db)


def test_a_repeated_manifest_id_is_reported_where_it_repeats(tmp_path, root):
    text = (root / "sources" / "manifest.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    entries = [i for i, ln in enumerate(lines) if ln.startswith("  - id: ")]
    first = "\n".join(lines[entries[0]:entries[1]])  # the first entry, repeated at the end
    for f in (root / "sources").iterdir():
        if f.name != "manifest.yaml":
            (tmp_path / f.name).symlink_to(f)
    (tmp_path / "manifest.yaml").write_text(text.rstrip("\n") + "\n" + first + "\n", encoding="utf-8")
    with pytest.raises(SourceError) as e:
        load_manifest(tmp_path)
    assert f"used twice (also at line {entries[0] + 1})" in e.value.what
    assert e.value.line == len(lines) + 1 and Path(e.value.path).name == "manifest.yaml"
