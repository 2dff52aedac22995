"""``GET /health``: is the index loaded, and which one; what to do when it is not."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from wtkb.api.errors import message
from wtkb.api.schemas import Health
from wtkb.api.state import State

router = APIRouter(tags=["service"])
EMPTY = {"corpus_hash": None, "model": None, "records": 0, "sentences": 0, "documents": 0, "duplicates": 0,
         "dense": None}


@router.get("/health", response_model=Health, summary="Is the index loaded, and which one",
            responses={503: {"model": Health, "description": "Index missing, stale or unreadable"}})
async def health(st: State) -> JSONResponse:
    qa = st.qa
    body: dict[str, Any] = {
        "status": "ok" if qa else "unavailable", "index_loaded": qa is not None,
        **(qa.stats() if qa else EMPTY),
        "handbook": (st.settings.html_dir / "index.html").is_file(),
        "llm_mode": st.settings.llm_mode,
        "message": None if qa else (message(st.error) if st.error else "loading"),
    }
    return JSONResponse(body, status_code=200 if qa else 503)
