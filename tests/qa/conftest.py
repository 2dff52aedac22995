"""Q&A fixtures: the real index, built ONCE per test session into a temp folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from wtkb.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DV_QUESTION = "can a DV worker be lead practitioner?"


@pytest.fixture(scope="session")
def qa_settings(tmp_path_factory, corpus) -> Settings:
    """Settings whose index (real model, real Chroma) is built once into a session temp folder."""
    from wtkb.index import build_index

    tmp = tmp_path_factory.mktemp("qa")
    settings = Settings(root=ROOT, build_dir=tmp / "_build", index_dir=tmp / "index")
    build_index(settings, corpus)
    return settings


@pytest.fixture(scope="session")
def qa(qa_settings):
    from wtkb.qa import load_qa

    return load_qa(qa_settings)


@pytest.fixture(scope="session")
def client(qa_settings):
    """A TestClient of the real app over the session index (lifespan run: the index is loaded)."""
    from fastapi.testclient import TestClient

    from wtkb.api import create_app

    with TestClient(create_app(qa_settings)) as c:
        yield c
