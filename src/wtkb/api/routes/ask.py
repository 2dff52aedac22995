"""``POST /ask``: a grounded answer with citations."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from wtkb.api.guard import require_json
from wtkb.api.schemas import PROBLEMS, AskRequest, clean_text
from wtkb.api.state import LoadedQA, State
from wtkb.qa import Answer

router = APIRouter(tags=["Q&A"])


@router.post("/ask", response_model=Answer, responses=PROBLEMS, dependencies=[Depends(require_json)],
             summary="Answer a question from the sources, citing paragraphs")
async def ask(body: AskRequest, qa: LoadedQA, st: State) -> Answer:
    question = clean_text(body.question, "question", st.settings.max_question_chars)
    # the embedding runs on the batcher's thread; scoring and sentence choice take ~1 ms here
    qvec = await st.batcher.embed_async(qa.query_text(question))
    if qa.uses_llm:  # a call to the model server: keep it off the event loop
        return await run_in_threadpool(qa.ask, question, body.top_k, qvec)
    return qa.ask(question, body.top_k, qvec=qvec)


@router.get("/ask", include_in_schema=False)
async def ask_get() -> JSONResponse:  # otherwise the handbook mount at / would answer 404
    return JSONResponse({"detail": "use POST /ask with a JSON body such as {\"question\": \"...\"}; "
                                   "GET /search?q=... searches without answering"},
                        status_code=405, headers={"Allow": "POST"})
