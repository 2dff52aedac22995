"""Atomic replacement of a build folder: build beside it, then swap."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_dir(target: Path) -> Iterator[Path]:
    """Yield an empty temporary folder beside ``target``; on success it replaces ``target``.

    If the body raises, the temporary folder is removed and ``target`` is left
    exactly as it was, so a failed build never leaves a half-written output.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; the output is served to others
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    if target.exists():
        os.replace(target, old)
    os.replace(tmp, target)
    shutil.rmtree(old, ignore_errors=True)


def write_file(path: Path, data: bytes) -> Path:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path`` (readable by all)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_json(path: Path, data: object) -> Path:
    """Write ``data`` as indented JSON to ``path`` (folders made, file replaced in one step); return ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_file(path, (json.dumps(data, indent=2) + "\n").encode("utf-8"))


# -- leftovers and the build lock ------------------------------------------------------------------

STALE_PATTERNS = (".{name}.tmp-*", ".{name}.old-*")


def clean_stale(target: Path) -> list[Path]:
    """Remove what an interrupted :func:`atomic_dir` or :func:`write_file` left beside ``target``
    (``.NAME.tmp-*`` and ``.NAME.old-*``); return what was removed. Call it only under :func:`build_lock`,
    when no other build can be writing them."""
    removed = []
    if not target.parent.is_dir():
        return removed
    for pattern in STALE_PATTERNS:
        for p in target.parent.glob(pattern.format(name=target.name)):
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)
            removed.append(p)
    return removed


_held: dict[str, int] = {}  # lock file -> depth, so that a build inside a build does not wait for itself


@contextmanager
def build_lock(path: Path, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (a file, made if missing) for the body.

    A second build waits for the first (``on_wait`` is told once, with what to expect); the lock goes
    with the process, so a build killed with ``kill -9`` never leaves it held. Re-entrant within a process.
    """
    import fcntl

    key = str(path.resolve())
    if _held.get(key):
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "another process"
            if on_wait:
                on_wait(f"another build is running (pid {holder}); waiting for it to finish")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        _held[key] = 1
        try:
            yield
        finally:
            _held.pop(key, None)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
