"""``GET /duties`` and ``GET /duties/{id}``: the duties register and the paragraphs under each duty.

The handbook's duty pages share the ``/duties/`` path (``/duties/<id>.html``); those are handed
to the handbook mount.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from wtkb.api.schemas import Problem
from wtkb.api.state import LoadedQA, State
from wtkb.errors import NotFound, WtkbError
from wtkb.qa import QA

router = APIRouter(tags=["corpus"])
UNAVAILABLE = {503: {"model": Problem, "description": "Duties register or index not available"}}


def _register(qa: QA) -> list[tuple[Any, list[str]]]:
    try:
        return qa.duties()
    except WtkbError as exc:
        raise WtkbError(f"duties register not built: {exc.what}", exc.fix) from exc


def _duty(d: Any, links: list[str], qa: QA, full: bool = False) -> dict[str, Any]:
    out = {k: getattr(d, k) for k in ("id", "act", "provision", "title", "binds", "requires")}
    out["paragraph_count"] = len(links)
    if full:
        recs = [r for r in (qa.record(i) for i in links) if r is not None]
        out["paragraphs"] = [qa.citation(r, 0.0).model_dump(exclude={"score"}) for r in recs]
    else:
        out["paragraphs"] = links
    return out


@router.get("/duties", summary="The duties register, with the paragraphs that concern each duty",
            responses=UNAVAILABLE)
def duties(qa: LoadedQA) -> JSONResponse:
    return JSONResponse([_duty(d, links, qa) for d, links in _register(qa)])


@router.get("/duties/{duty_id}", summary="One duty and the paragraphs that concern it",
            responses={404: {"model": Problem, "description": "No duty with that ID"}, **UNAVAILABLE})
async def duty(duty_id: str, request: Request, st: State):
    if duty_id.endswith(".html"):  # the handbook's duty pages share the /duties/ path
        return await request.app.state.handbook.get_response(f"duties/{duty_id}", request.scope)
    qa = st.require_qa()
    pairs = _register(qa)
    for d, links in pairs:
        if d.id == duty_id:
            return JSONResponse(_duty(d, links, qa, full=True))
    raise NotFound(f"no duty with ID '{duty_id}'",
                   f"GET /duties lists them ({', '.join(d.id for d, _ in pairs[:5])}, …)")
