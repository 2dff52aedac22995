"""``index/meta.json``: what the index was built from; the query side refuses a stale one."""

from __future__ import annotations

import json
from dataclasses import MISSING, dataclass
from pathlib import Path

from wtkb.errors import IndexError_
from wtkb.index.model import MODEL_NAME

INDEX_FORMAT = 2  # bump when the layout or the embedded text changes: older indexes become stale
BUILD_HINT = "run `wtkb build` (or `make build`) to build it"


@dataclass
class IndexMeta:
    format: int
    corpus_hash: str
    model: str
    model_package: str
    dim: int
    records: int
    sentences: int
    built_at: str
    build_seconds: float
    chroma: dict | None = None  # set when the vectors were published to a Chroma server (wtkb.index.remote)

    @classmethod
    def read(cls, index: Path) -> IndexMeta:
        path = index / "meta.json"
        if not path.is_file():
            raise IndexError_(f"no retrieval index at {index}", BUILD_HINT)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            meta = cls(**{k: data[k] if f.default is MISSING else data.get(k, f.default)
                          for k, f in cls.__dataclass_fields__.items()})
        except (ValueError, KeyError, TypeError) as exc:
            raise IndexError_(f"the retrieval index at {index} is unreadable ({exc})", BUILD_HINT, path) from exc
        except OSError as exc:
            raise IndexError_(f"the retrieval index at {index} cannot be read ({exc.strerror or exc})",
                              f"{BUILD_HINT}, or let the server's user read {index}", path) from exc
        for name, want in FIELD_TYPES.items():
            value = getattr(meta, name)
            if isinstance(value, bool) or not isinstance(value, want):
                raise IndexError_(f"the retrieval index at {index} is unreadable: '{name}' in meta.json is "
                                  f"{value!r}, not a {want[0].__name__}", BUILD_HINT, path)
        return meta


# what each field of meta.json must hold (a float may be written as a whole number)
FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "format": (int,), "corpus_hash": (str,), "model": (str,), "model_package": (str,), "dim": (int,),
    "records": (int,), "sentences": (int,), "built_at": (str,), "build_seconds": (float, int)}


def check_meta(meta: IndexMeta, corpus_hash: str, index: Path) -> None:
    """Refuse an index built from another corpus, model or format."""
    if meta.format != INDEX_FORMAT:
        raise IndexError_(f"the retrieval index at {index} has format {meta.format}, this version reads "
                          f"format {INDEX_FORMAT}", BUILD_HINT)
    if meta.model != MODEL_NAME:
        raise IndexError_(f"the retrieval index was built with model {meta.model}, not {MODEL_NAME}", BUILD_HINT)
    if meta.corpus_hash != corpus_hash:
        raise IndexError_(f"the retrieval index is stale: it was built from corpus {meta.corpus_hash} but the "
                          f"sources now give corpus {corpus_hash}", BUILD_HINT)
