"""``GET /briefings`` (the built-in topics) and ``POST /briefings`` (build a pack and return the file).

Packs are built in worker processes (``WTKB_BRIEFING_WORKERS``, :mod:`wtkb.api.packs`), never on
the threads and batcher that answer ``/ask``. Links in a pack are absolute, from the configured public
address (``Settings.public_base``), never from the request's ``Host`` header.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from wtkb.api.guard import require_json
from wtkb.api.schemas import PROBLEMS, TOPIC_CHARS, BriefingRequest, BriefingTopic, Problem, clean_text
from wtkb.api.state import AppSettings, State
from wtkb.errors import InvalidRequest
from wtkb.urls import page_url

router = APIRouter(tags=["briefings"])


@router.get("/briefings", response_model=list[BriefingTopic],
            summary="The built-in briefing topics (the handbook's topic chapters)")
async def briefing_topics(cfg: AppSettings) -> list[BriefingTopic]:
    from wtkb.briefing import list_topics

    return [BriefingTopic(slug=t.slug, title=t.title, url=page_url(t.page, cfg.base_url)) for t in list_topics(cfg)]


@router.post("/briefings", summary="Build a cited briefing pack and return the file",
             dependencies=[Depends(require_json)],
             responses={200: {"description": "The pack (see BriefingRequest.format), as an attachment",
                              "content": {"application/vnd.openxmlformats-officedocument.presentationml."
                                          "presentation": {}, "text/markdown": {}, "text/html": {}}},
                        **PROBLEMS, 404: {"model": Problem, "description": "The sources do not cover that topic"}})
async def briefing(body: BriefingRequest, st: State) -> Response:
    from wtkb.briefing.render import FORMATS

    topic = clean_text(body.topic, "topic", st.settings.max_question_chars)
    if len(body.topic) > TOPIC_CHARS:  # as sent (the schema's maxLength), not after stripping
        raise InvalidRequest(f"topic is {len(body.topic)} characters long; the limit is {TOPIC_CHARS}",
                             "name the topic in a few words, or use a slug from GET /briefings")
    audience = (body.audience or "").strip() or None
    data, name, slides = await st.packs.build(topic, audience, body.format)
    fmt = FORMATS[body.format]
    headers = {"Content-Disposition": f'attachment; filename="{name}{fmt.suffix}"'}
    if fmt.slides and slides:
        headers["X-Wtkb-Slides"] = str(slides)
    return Response(content=data, media_type=fmt.media_type, headers=headers)
