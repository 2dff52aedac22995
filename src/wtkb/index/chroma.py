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
