"""Builds on a shared machine: a build lock, leftovers of a killed build cleaned, no orphaned Sphinx,
one clear error for a full disk or a read-only folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wtkb.build import run_build
from wtkb.errors import BuildError
from wtkb.settings import Settings, get_settings

from ..conftest import make_project
from .conftest import ROOT, can_mount, mounted

pytestmark = pytest.mark.slow


def _children(pid: int) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(d.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_killed_build_leaves_no_sphinx_running(tmp_path):
    settings = make_project(tmp_path / "project")
    env = {**os.environ, "WTKB_ROOT": str(settings.root), "WTKB_BUILD_DIR": str(settings.build),
           "WTKB_INDEX_DIR": str(settings.index)}
    wtkb = Path(sys.executable).with_name("wtkb")
    build = subprocess.Popen([str(wtkb), "build", "--only", "book"], env=env, cwd=settings.root,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline, sphinx = time.monotonic() + 180, []
    while not sphinx and time.monotonic() < deadline and build.poll() is None:
        sphinx = [p for p in _children(build.pid) if b"wtkb.book.pages" in Path(f"/proc/{p}/cmdline").read_bytes()]
        time.sleep(0.1)
    assert sphinx, "the build never started Sphinx"
    time.sleep(1.0)  # let the child get into its build
    build.send_signal(signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 10
    while _alive(sphinx[0]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(sphinx[0]), "the Sphinx child outlived its killed parent"


def test_next_build_cleans_what_a_killed_build_left(tmp_settings):
    # what `kill -9` leaves at each atomic swap: a half-written temporary folder beside the output
    leftovers = [tmp_settings.corpus_dir.parent / ".corpus.tmp-x1", tmp_settings.index.parent / ".index.tmp-x2",
                 tmp_settings.html_dir.parent / ".html.tmp-x3", tmp_settings.index.parent / ".index.old-77"]
    for p in leftovers:
        (p / "half").mkdir(parents=True)
    run_build(tmp_settings, stages=("corpus",))
    assert not any(p.exists() for p in leftovers)
    assert tmp_settings.corpus_path.is_file()


def test_a_second_build_waits_for_the_first_and_says_so(tmp_settings, monkeypatch):
    from wtkb.cli import app

    lock = tmp_settings.build / ".wtkb-build.lock"
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from pathlib import Path
        from wtkb.atomic import build_lock
        with build_lock(Path({str(lock)!r})):
            print("held", flush=True)
            time.sleep(3)
        """)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    monkeypatch.setenv("WTKB_BUILD_DIR", str(tmp_settings.build))
    monkeypatch.setenv("WTKB_INDEX_DIR", str(tmp_settings.index))
    get_settings.cache_clear()
    t0 = time.monotonic()
    try:
        r = CliRunner().invoke(app, ["build", "--only", "corpus"])
    finally:
        get_settings.cache_clear()
    holder.wait(timeout=10)
    assert r.exit_code == 0, r.output
    assert "another build is running" in r.output and time.monotonic() - t0 > 2


needs_mount = pytest.mark.skipif(not can_mount(), reason="needs root with mount (tmpfs, read-only bind)")


@needs_mount
def test_a_full_disk_is_one_clear_error_and_the_old_output_stays(tmp_path, monkeypatch):
    from wtkb.cli import app

    with mounted(tmp_path / "small", "-t", "tmpfs", "-o", "size=256k", "tmpfs") as small:
        settings = Settings(root=ROOT, build_dir=small / "_build", index_dir=small / "index")
        (settings.corpus_dir).mkdir(parents=True)
        (settings.corpus_path).write_text("the previous corpus\n")
        with pytest.raises(BuildError) as e:
            run_build(settings, stages=("corpus",))
        assert "the disk is full" in e.value.what and str(settings.corpus_dir.parent) in e.value.what
        assert settings.corpus_path.read_text() == "the previous corpus\n"
        assert not list(settings.build.glob(".corpus.tmp-*"))
        monkeypatch.setenv("WTKB_BUILD_DIR", str(settings.build))
        monkeypatch.setenv("WTKB_INDEX_DIR", str(settings.index))
        get_settings.cache_clear()
        try:
            r = CliRunner().invoke(app, ["build", "--only", "corpus"])
        finally:
            get_settings.cache_clear()
        assert r.exit_code == 2 and "Traceback" not in r.output
        assert r.output.count("error:") == 1 and "free some space there" in r.output


@needs_mount
def test_a_read_only_folder_is_one_clear_error(tmp_path):
    with mounted(tmp_path / "ro", "-t", "tmpfs", "-o", "size=1m,ro", "tmpfs") as ro:
        settings = Settings(root=ROOT, build_dir=ro / "_build", index_dir=ro / "index")
        with pytest.raises(BuildError) as e:
            run_build(settings, stages=("corpus",))
        assert "read-only file system" in e.value.what
