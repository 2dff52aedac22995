"""The HTTP API (FastAPI): ``create_app`` and its parts (see :mod:`wtkb.api.app`)."""

from wtkb.api.app import create_app
from wtkb.api.handbook import Handbook
from wtkb.api.schemas import (
    BRIEFING_FORMATS,
    SEARCH_K_MAX,
    TOP_K_MAX,
    AskRequest,
    BriefingRequest,
    BriefingTopic,
    Health,
    Paragraph,
    Problem,
    SearchResults,
)
from wtkb.api.state import AppState

__all__ = ["BRIEFING_FORMATS", "SEARCH_K_MAX", "TOP_K_MAX", "AppState", "AskRequest", "BriefingRequest",
           "BriefingTopic", "Handbook", "Health", "Paragraph", "Problem", "SearchResults", "create_app"]
