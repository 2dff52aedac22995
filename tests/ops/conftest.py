"""Operating fixtures: a real `wtkb serve` (uvicorn) in a subprocess, copies of the index in each
broken state, and a path-prefix reverse proxy like the one a partnership puts in front of it."""

from __future__ import annotations

import http.client
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from wtkb.dev.procs import free_port, served

ROOT = Path(__file__).resolve().parents[2]
STATES = ("garbage-sqlite-header", "truncated-sqlite", "meta-wrong-type", "no-index")


def break_index(index: Path, state: str) -> None:
    """Put the index copy at ``index`` into one of the broken ``STATES``."""
    db = index / "chroma" / "chroma.sqlite3"
    if state == "garbage-sqlite-header":
        with db.open("r+b") as f:
            f.write(b"this is not sqlite" * 6)
    elif state == "truncated-sqlite":
        os.truncate(db, db.stat().st_size // 2)
    elif state == "meta-wrong-type":
        meta = json.loads((index / "meta.json").read_text())
        meta["dim"] = str(meta["dim"])
        (index / "meta.json").write_text(json.dumps(meta))
    elif state == "no-index":
        shutil.rmtree(index)
    else:
        raise ValueError(state)


@pytest.fixture()
def index_copy(qa_settings, tmp_path) -> Path:
    """A private copy of the session's real index, to damage."""
    dest = tmp_path / "index"
    shutil.copytree(qa_settings.index, dest)
    return dest


@contextmanager
def serve(env: dict[str, str], ready=(200, 503), timeout: float = 120):
    """`wtkb serve` on a free loopback port with ``env`` on top of the environment; yields its base URL."""
    port = free_port()
    wtkb = Path(sys.executable).with_name("wtkb")
    cmd = [str(wtkb)] if wtkb.exists() else [sys.executable, "-m", "wtkb.cli"]
    log_path = Path(env.get("WTKB_BUILD_DIR", "/tmp")) / f"serve-{port}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with served([*cmd, "serve", "--host", "127.0.0.1", "--port", str(port)], port,
                {**os.environ, "HF_HUB_OFFLINE": "1", **env}, log_path,
                ready=ready, timeout=timeout, poll=0.3, stop_timeout=20) as proc:
        yield proc.url + "/"


class PrefixProxy:
    """A reverse proxy on loopback that serves ``upstream`` under ``prefix`` (stripping it), as nginx's
    ``location /wtkb/ { proxy_pass http://upstream/; }`` does. ``base`` is its public address (with the
    prefix); set ``upstream`` (the app's base URL) before sending requests through it."""

    def __init__(self, prefix: str = "/wtkb"):
        self.prefix = prefix
        self.upstream = ""
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _forward(self):
                if not self.path.startswith(proxy.prefix + "/"):
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                up = urllib.parse.urlsplit(proxy.upstream)
                conn = http.client.HTTPConnection(up.hostname, up.port, timeout=60)
                conn.request(self.command, self.path[len(proxy.prefix):], body=body, headers=headers)
                r = conn.getresponse()
                data = r.read()
                self.send_response(r.status)
                for k, v in r.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)
                conn.close()

            do_GET = do_POST = do_HEAD = _forward

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}{prefix}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def can_mount() -> bool:
    """Whether this process may mount (root with CAP_SYS_ADMIN): the full-disk and read-only tests need it."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    probe = Path(f"/tmp/wtkb-mount-probe-{os.getpid()}")
    probe.mkdir(exist_ok=True)
    ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)], capture_output=True)
    if ok.returncode == 0:
        subprocess.run(["umount", str(probe)], capture_output=True)
    probe.rmdir()
    return ok.returncode == 0


@contextmanager
def mounted(where: Path, *options: str):
    """``mount`` something at ``where`` for the body (``-t tmpfs ...`` or ``--bind -o ro SRC``)."""
    where.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", *options, str(where)], check=True, capture_output=True)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)
