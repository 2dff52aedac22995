"""The query side of retrieval: config, glossary expansion, hybrid scoring, the embedding batcher."""

from wtkb.retrieve.batcher import EmbeddingBatcher  # noqa: F401 (re-exported)
from wtkb.retrieve.config import (  # noqa: F401 (re-exported)
    DEFAULT_CONFIG,
    FIGURES,
    QUANTITY_Q,
    RESPONSE_HEADINGS,
    YES_NO_Q,
    RetrievalConfig,
    is_yes_no,
)
from wtkb.retrieve.expansion import Expander, Expansion  # noqa: F401 (re-exported)
from wtkb.retrieve.retriever import Hit, QueryVector, Retriever, Scores  # noqa: F401 (re-exported)
