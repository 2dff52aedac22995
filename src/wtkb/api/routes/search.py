"""``GET /search``: hybrid search over the paragraphs, no answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from wtkb.api.schemas import PROBLEMS, SEARCH_K_MAX, SearchResults, clean_text
from wtkb.api.state import LoadedQA, State

router = APIRouter(tags=["Q&A"])


@router.get("/search", response_model=SearchResults, responses=PROBLEMS,
            summary="Hybrid search over the paragraphs (no answer)")
async def search(qa: LoadedQA, st: State,
                 q: Annotated[str, Query(description="Search words", examples=["family group conference"])],
                 k: Annotated[int, Query(ge=1, le=SEARCH_K_MAX, description="How many results")] = 10,
                 ) -> SearchResults:
    text = clean_text(q, "q", st.settings.max_question_chars)
    qvec = await st.batcher.embed_async(qa.query_text(text))
    return SearchResults(q=text, results=qa.search(text, k, qvec=qvec))
