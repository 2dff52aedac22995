"""The query side of retrieval: expansion, hybrid scoring, the embedding batcher."""

from wtkb.retrieve.batcher import EmbeddingBatcher  # noqa: F401 (re-exported)
from wtkb.retrieve.retriever import (  # noqa: F401 (re-exported)
    DEFAULT_CONFIG,
    FIGURES,
    QUANTITY_Q,
    RESPONSE_HEADINGS,
    YES_NO_Q,
    Expander,
    Expansion,
    Hit,
    QueryVector,
    RetrievalConfig,
    Retriever,
    Scores,
    is_yes_no,
)
