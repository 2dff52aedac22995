"""Shared fixtures: the real sources, the real corpus, settings pointing at temp folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from wtkb.corpus import Corpus, build_corpus  # noqa: E402
from wtkb.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    """The corpus built from the real sources (read-only: do not mutate)."""
    return build_corpus(ROOT / "sources")


@pytest.fixture()
def tmp_settings(tmp_path: Path) -> Settings:
    """Settings for the real project whose build and index go to a temp folder."""
    return Settings(root=ROOT, build_dir=tmp_path / "_build", index_dir=tmp_path / "index")
