"""Real servers in subprocesses, for the scale benchmark and the reliability tests.

``served`` runs any server command on a loopback port, waits until a path answers a ready status,
and stops that process (and only it) on exit; the benchmark and the ops tests' fixture use it with
their own commands. ``api_server`` runs ``wtkb serve`` (uvicorn, ``--workers N``) and
``chroma_server`` runs ``chroma run`` from the pinned chromadb package through it, each on a free
loopback port.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from wtkb.settings import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Proc:
    url: str
    port: int
    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.is_file() else ""


def _status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except (OSError, ValueError):
        return None


def _wait(proc: Proc, path: str, timeout: float, ready: Collection[int] = (200,), poll: float = 0.25) -> None:
    deadline = time.monotonic() + timeout
    while _status(proc.url + path) not in ready:
        # the worker started without an index: it will answer 503 for good, so unless 503 will do, waiting cannot help
        if 503 not in ready and "Q&A unavailable" in proc.output():
            raise RuntimeError(f"{proc.url}: the index could not be loaded:\n{proc.output()[-3000:]}")
        if proc.process.poll() is not None:
            raise RuntimeError(f"{proc.url}: the server exited ({proc.process.returncode}):\n{proc.output()[-3000:]}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{proc.url}{path} did not answer {'/'.join(map(str, ready))} within {timeout:.0f} s:\n"
                               f"{proc.output()[-3000:]}")
        time.sleep(poll)


def _stop(p: subprocess.Popen, timeout: float = 30) -> None:
    if p.poll() is None:
        p.terminate()
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout=10)


@contextmanager
def served(cmd: list[str], port: int, env: dict[str, str], log: Path, path: str = "/health", *,
           ready: Collection[int] = (200,), timeout: float = 120, poll: float = 0.25,
           stop_timeout: float = 30) -> Iterator[Proc]:
    """Run the server ``cmd`` (listening on loopback ``port``), its output in ``log``; yield it once
    ``GET path`` answers one of ``ready``; terminate it on exit (kill it after ``stop_timeout`` s)."""
    with log.open("wb") as out:
        p = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
    proc = Proc(f"http://127.0.0.1:{port}", port, p, log)
    try:
        _wait(proc, path, timeout, ready, poll)
        yield proc
    finally:
        _stop(p, stop_timeout)


def settings_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment that gives a child process these settings (paths and the Chroma server)."""
    env = {**os.environ, "WTKB_ROOT": str(settings.root), "WTKB_INDEX_DIR": str(settings.index),
           "WTKB_BUILD_DIR": str(settings.build)}
    for key in ("WTKB_CHROMA_URL", "WTKB_LOG_QUESTIONS", "WTKB_CORS_ORIGINS", "WTKB_DENSE"):
        env.pop(key, None)
    if settings.chroma_url:
        env["WTKB_CHROMA_URL"] = settings.chroma_url
    env["WTKB_DENSE"] = settings.dense
    env.update(extra)
    return env


@contextmanager
def api_server(settings: Settings, workers: int = 1, timeout: float = 900, **env: str) -> Iterator[Proc]:
    """``wtkb serve --workers N`` on a free port, ready (``GET /health`` 200 from a loaded worker)."""
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="wtkb-api-", suffix=".log")[1])
    extra = {"WTKB_TORCH_THREADS": "1"} if workers > 1 else {}
    cmd = [sys.executable, "-m", "wtkb.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
           "--workers", str(workers)]
    try:
        with served(cmd, port, settings_env(settings, **{**extra, **env}), log, timeout=timeout) as proc:
            if workers > 1:  # every worker loads on its own: wait until all of them said so
                _wait_workers(proc, workers, timeout)
            yield proc
    finally:
        log.unlink(missing_ok=True)


def _wait_workers(proc: Proc, workers: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while proc.output().count("Application startup complete") < workers:
        if time.monotonic() > deadline or proc.process.poll() is not None:
            raise RuntimeError(f"not all {workers} workers started:\n{proc.output()[-3000:]}")
        time.sleep(0.5)


def chroma_executable() -> str:
    exe = Path(sys.executable).with_name("chroma")
    return str(exe) if exe.exists() else (shutil.which("chroma") or "chroma")


@contextmanager
def chroma_server(path: Path, timeout: float = 120) -> Iterator[Proc]:
    """``chroma run`` (the pinned chromadb's server) on a free loopback port, data in ``path``."""
    port = free_port()
    path.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    cmd = [chroma_executable(), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)]
    with served(cmd, port, env, path.parent / f"chroma-{port}.log", "/api/v2/heartbeat", timeout=timeout) as proc:
        yield proc


def rss_mib(pid: int) -> float:
    """Resident memory of one process, in MiB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def worker_pids(parent: int) -> list[int]:
    """The uvicorn worker processes under ``parent`` (or the parent itself with one worker)."""
    kids = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent and b"resource_tracker" not in (d / "cmdline").read_bytes():
                kids.append(int(d.name))
    return kids or [parent]
