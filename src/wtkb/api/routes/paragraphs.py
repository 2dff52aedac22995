"""``GET /paragraphs/{id}``: one citable paragraph."""

from __future__ import annotations

from fastapi import APIRouter

from wtkb.api.schemas import PROBLEMS, Paragraph, Problem
from wtkb.api.state import LoadedQA
from wtkb.errors import NotFound

router = APIRouter(tags=["corpus"])


@router.get("/paragraphs/{paragraph_id}", response_model=Paragraph, summary="One citable paragraph by ID",
            responses={404: {"model": Problem, "description": "No paragraph with that ID"}, 503: PROBLEMS[503]})
async def paragraph(paragraph_id: str, qa: LoadedQA) -> Paragraph:
    rec = qa.record(paragraph_id)
    if rec is None:
        raise NotFound(f"no paragraph with ID '{paragraph_id}'", "IDs look like 'cr2023-early-help-p2'; "
                       "find them with GET /search?q=… or `wtkb paragraphs`")
    return Paragraph(**rec.to_dict(), url=qa.url(rec))
