"""What the app holds between requests (settings, the loaded QA or why it is not loaded) and the
dependencies that hand it to the routes."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import Depends, Request

from wtkb.errors import IndexUnavailable, WtkbError
from wtkb.index import BUILD_HINT
from wtkb.qa import QA
from wtkb.settings import Settings

log = logging.getLogger("wtkb.api")


class AppState:
    """Settings, and the loaded QA (or the error that says why it could not be loaded).

    Loading never raises: whatever state the index is in (missing, stale, truncated, unreadable,
    read-only), the server starts, serves the handbook, and the Q&A routes answer 503 with the fix.
    Briefing packs are built in worker processes (:mod:`wtkb.api.packs`), off the threads ``/ask`` needs.
    """

    def __init__(self, settings: Settings):
        self.settings = settings
        self.qa: QA | None = None
        self.error: WtkbError | None = None
        self.batcher = None
        from wtkb.api.packs import PackBuilder

        self.packs = PackBuilder(settings)

    def load(self) -> None:
        if self.settings.torch_threads:
            import torch

            torch.set_num_threads(self.settings.torch_threads)
        from wtkb.qa import load_qa
        from wtkb.retrieve import EmbeddingBatcher

        try:
            qa = load_qa(self.settings, warm=False)
            # every forward pass runs on the batcher's thread, the warm-up included (see load_qa)
            self.batcher = EmbeddingBatcher(qa.retriever.vectors_for)
            self.batcher.embed("warm up")
            self.qa, self.error = qa, None
        except WtkbError as exc:
            self.qa, self.error = None, exc
        except Exception as exc:  # noqa: BLE001 - an index we cannot read must not stop the server
            self.qa = None
            self.error = IndexUnavailable(f"the retrieval index at {self.settings.index} cannot be read "
                                          f"({type(exc).__name__}: {exc})", BUILD_HINT)
        if self.error is not None:
            log.warning("Q&A unavailable: %s; %s", self.error.what, self.error.fix)

    def close(self) -> None:
        if self.batcher is not None:
            self.batcher.close()
        self.packs.close()

    def require_qa(self) -> QA:
        if self.qa is None:
            raise self.error or IndexUnavailable("the index is not loaded yet", BUILD_HINT)
        return self.qa


# dependencies are async so that FastAPI does not hop to a worker thread for them
async def get_state(request: Request) -> AppState:
    return request.app.state.wtkb


async def get_app_settings(state: Annotated[AppState, Depends(get_state)]) -> Settings:
    return state.settings


async def get_qa(state: Annotated[AppState, Depends(get_state)]) -> QA:
    return state.require_qa()


State = Annotated[AppState, Depends(get_state)]
AppSettings = Annotated[Settings, Depends(get_app_settings)]
LoadedQA = Annotated[QA, Depends(get_qa)]
