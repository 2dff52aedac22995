"""Q&A fixtures over the real index (``qa_settings`` in tests/conftest.py, built once per session)."""

from __future__ import annotations

import pytest

DV_QUESTION = "can a DV worker be lead practitioner?"
# the keys of the answer contract (`POST /ask`, `wtkb ask --json`)
ANSWER_KEYS = {"question", "answer", "supported", "hedged", "citations", "see_also", "sentences", "topics"}


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
