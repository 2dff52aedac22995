"""The HTTP API (FastAPI): ``create_app`` and its parts."""

from wtkb.api.app import (  # noqa: F401 (re-exported)
    BRIEFING_FORMATS,
    MAX_BODY_BYTES,
    SEARCH_K_MAX,
    TOP_K_MAX,
    AppState,
    AskRequest,
    BriefingRequest,
    BriefingTopic,
    Handbook,
    Health,
    Paragraph,
    Problem,
    SearchResults,
    access,
    create_app,
    log,
)
