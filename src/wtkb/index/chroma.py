"""ChromaDB access shared by the build and query sides."""

from __future__ import annotations

from pathlib import Path

PARAGRAPHS = "paragraphs"
SENTENCES = "sentences"


def chroma_client(path: Path):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    return chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False,
                                                                            allow_reset=False))


def release_chroma(client) -> None:
    """Let go of Chroma's cached system so the folder can be moved (atomic swap) or reopened."""
    try:
        client.clear_system_cache()
    except Exception:  # noqa: BLE001 - best effort; a later open still works
        pass


def load_vectors(settings, meta, index: Path) -> tuple[dict, dict]:
    """The paragraph vectors and the sentence vectors (with metadata) that ``meta`` describes.

    From ``index/chroma`` (embedded, the default; read from a private copy by
    :func:`wtkb.index.store.read_vectors`) or, for an index published to a Chroma server, from the
    collections its ``meta.json`` names (``WTKB_CHROMA_URL`` overrides the server address the build
    used, e.g. a service name inside a container network). Raises ``IndexUnavailable``.
    """
    from wtkb.errors import IndexUnavailable
    from wtkb.index.remote import Published, read_remote
    from wtkb.index.store import read_vectors

    published = Published.from_dict(getattr(meta, "chroma", None))
    if published is not None:
        return read_remote(settings.chroma_url or published.url, published)
    if settings.chroma_url:
        raise IndexUnavailable(f"WTKB_CHROMA_URL is set but the index at {index} keeps its vectors locally "
                               "(it was built without a Chroma server)",
                               "publish it: `WTKB_CHROMA_URL=... wtkb build`, or unset WTKB_CHROMA_URL")
    stored = read_vectors(index / "chroma")
    return stored.paragraphs, stored.sentences
