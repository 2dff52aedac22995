"""`GET/POST /briefings`: the built-in topics, and a briefing pack as a downloadable file."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient

from wtkb.api import create_app
from wtkb.briefing import list_topics
from wtkb.settings import Settings

pytestmark = pytest.mark.slow
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def test_topics_are_the_handbook_topic_chapters(client, qa_settings):
    r = client.get("/briefings")
    assert r.status_code == 200
    topics = list_topics(qa_settings)
    assert [t["slug"] for t in r.json()] == [t.slug for t in topics]
    first = r.json()[0]
    assert first == {"slug": "01-lead-practitioner", "title": "Who can be the lead practitioner",
                     "url": "/topics/01-lead-practitioner.html"}


def test_pptx_pack_is_an_attachment_that_opens(client, qa_settings):
    from pptx import Presentation

    # a forged Host header changes no link: pack links come from the settings only
    r = client.post("/briefings", json={"topic": "lead practitioner", "audience": "education DSLs"},
                    headers={"Host": "phish.example.com"})
    assert r.status_code == 200
    assert r.headers["content-type"] == PPTX
    assert r.headers["content-disposition"] == 'attachment; filename="wtkb-briefing-01-lead-practitioner.pptx"'
    deck = Presentation(io.BytesIO(r.content))
    assert int(r.headers["x-wtkb-slides"]) == len(deck.slides)
    assert deck.slides[0].shapes.title.text == "Who can be the lead practitioner"
    notes = "\n".join(s.notes_slide.notes_text_frame.text for s in deck.slides if s.has_notes_slide)
    # no public address configured (WTKB_BASE_URL "/"): no links to the server that built it, and no
    # localhost; the notes name the source and handbook page instead
    assert "http://" not in notes and "testserver" not in notes
    assert "handbook page “sources/cr2023/15-section-3-help-and-support”" in notes
    assert "phish" not in notes


@pytest.mark.parametrize(("fmt", "media", "suffix"), [("seven", "text/html", ".html"), ("seven-pptx", PPTX, ".pptx")])
def test_seven_minute_briefing(client, fmt, media, suffix):
    r = client.post("/briefings", json={"topic": "01-lead-practitioner", "format": fmt})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(media)
    assert r.headers["content-disposition"] == f'attachment; filename="wtkb-briefing-01-lead-practitioner{suffix}"'
    assert "x-wtkb-slides" not in r.headers


@pytest.mark.parametrize(("fmt", "media", "suffix"), [("md", "text/markdown", ".md"), ("html", "text/html", ".html")])
def test_markdown_and_handout(client, fmt, media, suffix):
    r = client.post("/briefings", json={"topic": "07-information-sharing", "format": fmt})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(media)
    assert r.headers["content-disposition"].endswith(f'{suffix}"')
    assert "Information sharing and consent" in r.text
    assert "x-wtkb-slides" not in r.headers


def test_free_text_topic_uses_retrieval(client):
    r = client.post("/briefings", json={"topic": "family group conferences", "format": "md"})
    assert r.status_code == 200
    assert 'filename="wtkb-briefing-family-group-conferences.md"' in r.headers["content-disposition"]
    assert "family group conference" in r.text.lower()


@pytest.mark.parametrize(("body", "status", "words"), [
    ({"topic": "offshore wind farm maintenance"}, 404,
     ["offshore wind farm maintenance", "Who can be the lead practitioner"]),
    ({"topic": "   "}, 422, ["topic is empty"]),
    ({"topic": "x" * 201}, 422, ["201 characters", "limit is 200"]),
    ({"topic": "lead practitioner", "format": "pdf"}, 422, ["'format' must be one of", "'pdf'"]),
    ({"topic": "lead practitioner", "audience": "a" * 101}, 422, ["'audience' is too long", "100"]),
    ({"topic": "lead practitioner", "slides": 5}, 422, ["unknown field 'slides'", "'topic'"]),
    ({"topic": 7}, 422, ["'topic' must be a string"]),
    ({}, 422, ["'topic' is required"]),
])
def test_bad_requests_say_what_to_fix(client, body, status, words):
    r = client.post("/briefings", json=body)
    assert r.status_code == status, r.text
    detail = r.json()["detail"]
    for w in words:
        assert w in detail


def test_no_body_gives_an_example(client):
    r = client.post("/briefings")
    assert r.status_code == 422
    assert '"topic": "01-lead-practitioner"' in r.json()["detail"]


def test_handbook_duty_pages_are_served_beside_the_duty_api(site, qa_settings):
    """/duties/{id} is the API's JSON; /duties/{id}.html is the handbook's page (same prefix)."""
    settings = Settings(root=site.settings.root, build_dir=site.settings.build, index_dir=qa_settings.index)
    with TestClient(create_app(settings)) as c:
        page = c.get("/duties/ca1989-s17.html")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert "wtkb-backlinks" in page.text
        assert c.get("/duties/index.html").status_code == 200
        data = c.get("/duties/ca1989-s17")
        assert data.status_code == 200 and data.json()["id"] == "ca1989-s17"
        assert c.get("/duties/nope.html").status_code == 404
        assert c.get("/ask.html").status_code == 200


def test_without_an_index_built_in_topics_still_build_and_free_text_says_build_it(tmp_settings):
    """No index yet: a built-in topic needs none; a free-text topic answers 503 with the fix."""
    with TestClient(create_app(tmp_settings)) as c:
        assert c.post("/briefings", json={"topic": "01-lead-practitioner", "format": "md"}).status_code == 200
        r = c.post("/briefings", json={"topic": "family group conferences"})
        assert r.status_code == 503
        assert "wtkb build" in r.json()["detail"]
