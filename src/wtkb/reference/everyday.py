"""Everyday words and how the sources word them (``data/everyday.yaml``): query expansion only."""

from __future__ import annotations

from functools import lru_cache

from wtkb.errors import SourceError
from wtkb.reference.files import data_path, read_yaml

FIX = "each entry is {word: <everyday word>, sources: [<phrase as the sources word it>, ...]}"


@lru_cache(maxsize=1)
def load_everyday() -> dict[str, tuple[str, ...]]:
    """``{word: phrases}``; a malformed entry is a `SourceError` naming the file."""
    path = data_path("everyday.yaml")
    raw = read_yaml(path, "everyday words") or []
    out: dict[str, tuple[str, ...]] = {}
    for i, item in enumerate(raw if isinstance(raw, list) else [None]):
        ok = isinstance(item, dict) and isinstance(item.get("word"), str) and isinstance(item.get("sources"), list) \
            and all(isinstance(p, str) and p.strip() for p in item["sources"])
        if not ok:
            raise SourceError(f"everyday-words entry {i + 1} is malformed", FIX, path)
        if item["word"].lower() in out:
            raise SourceError(f"everyday word {item['word']!r} is listed twice", "keep one entry per word", path)
        out[item["word"].lower()] = tuple(item["sources"])
    return out
