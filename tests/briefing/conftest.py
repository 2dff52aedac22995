"""Briefing fixtures: packs for every built-in topic (no index needed) and, for free-text topics, the real index."""

from __future__ import annotations

from pathlib import Path

import pytest

from wtkb.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = "https://kb.example.org/wt/"  # a configured public address of the handbook
# audiences every built-in topic is built for in the deck checks (free text, as a trainer types it)
AUDIENCES = ("school DSLs", "police officers", "health visitors", "children's social care",
             "voluntary and community groups", "partnership leaders")


@pytest.fixture(scope="session")
def settings() -> Settings:
    """The real project (its book/topics chapters); nothing is written under it."""
    return Settings(root=ROOT)


@pytest.fixture(scope="session")
def topics(settings):
    from wtkb.briefing import list_topics

    return list_topics(settings)


@pytest.fixture(scope="session")
def packs(settings, topics, corpus):
    """slug -> the pack for every built-in topic (no audience)."""
    from wtkb.briefing import build_pack

    return {t.slug: build_pack(settings, t.slug, corpus=corpus) for t in topics}


@pytest.fixture(scope="session")
def decks(packs):
    """slug -> (pack, python-pptx Presentation of its rendered deck, the bytes)."""
    import io

    from pptx import Presentation

    from wtkb.briefing.render import render

    out = {}
    for slug, pack in packs.items():
        data = render(pack, "pptx", PUBLIC)
        out[slug] = (pack, Presentation(io.BytesIO(data)), data)
    return out


@pytest.fixture(scope="session")
def audiences() -> tuple[str, ...]:
    return AUDIENCES


@pytest.fixture(scope="session")
def audience_decks(settings, topics, corpus):
    """(slug, audience) -> (pack, pptx bytes) for every built-in topic x the first three audiences, rendered
    without a public address (the default), plus the school-DSL and police decks of every topic."""
    from wtkb.briefing import build_pack
    from wtkb.briefing.render import render

    out = {}
    for i, t in enumerate(topics):
        for aud in sorted({*AUDIENCES[:3], AUDIENCES[3 + i % 3]}):
            pack = build_pack(settings, t.slug, audience=aud, corpus=corpus)
            out[(t.slug, aud)] = (pack, render(pack, "pptx"))
    return out


@pytest.fixture(scope="session")
def briefing_qa_settings(request, tmp_path_factory, corpus) -> Settings:
    """The session's real index: the shared ``qa_settings`` fixture where this tree has one, else built here."""
    try:
        return request.getfixturevalue("qa_settings")
    except pytest.FixtureLookupError:
        from wtkb.index import build_index

        tmp = tmp_path_factory.mktemp("briefing-qa")
        s = Settings(root=ROOT, build_dir=tmp / "_build", index_dir=tmp / "index")
        build_index(s, corpus)
        return s


@pytest.fixture(scope="session")
def briefing_qa(briefing_qa_settings):
    from wtkb.qa import load_qa

    return load_qa(briefing_qa_settings)
