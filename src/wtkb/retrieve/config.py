"""Every tunable choice of retrieval, and the question shapes it reacts to.

The defaults are the values chosen on the evaluation set's dev split (see ``python -m wtkb.dev.evaluate``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class RetrievalConfig:
    """Fusion, expansion and boost settings. The defaults were chosen on the dev split only."""

    fusion: str = "hybrid"  # "hybrid" (weighted sum below), "rrf", "dense" or "bm25"
    # hybrid: weighted sum of these signals (cosines are in [-1, 1], BM25 is scaled to [0, 1))
    w_dense: float = 0.5  # paragraph embedded with title, heading path and who is quoted
    w_sentence: float = 0.2  # best-matching single sentence of the paragraph
    w_bm25: float = 0.2  # BM25 over text, heading path, quoted body and source names
    w_section_dense: float = 0.05  # best dense score in the same section (section-level boost)
    w_section_bm25: float = 0.1  # best BM25 score in the same section
    w_quantity: float = 0.15  # "how many / what %" question and the paragraph has figures
    w_response: float = 0.02  # paragraph under "Government response" / "Following your feedback"
    w_response_yes_no: float = 0.02  # ... more so for a yes/no question
    w_directory: float = -0.1  # short items of a long name list (e.g. Annex A, who responded)
    w_length: float = 0.05  # log length: a little preference for substantial paragraphs
    w_named_source: float = 0.1  # the question names a document's publisher ("Devon", "Bond Solon")
    w_views: float = 0.05  # the question asks what people said: records in respondents' or a quote's voice
    bm25_norm: float = 0.5  # BM25 is divided by (max + bm25_norm * query terms)
    rrf_k: int = 60  # for fusion="rrf"
    rrf_dense_share: float = 0.5  # for fusion="rrf"
    candidates: int = 50  # for fusion="rrf": ranks beyond this contribute nothing
    expansion_weight: float = 0.5  # weight of glossary expansion terms in BM25
    expand_dense: bool = True  # add glossary expansions to the text that is embedded
    expand_plain_terms: bool = False  # also expand a glossary term the user wrote out in full


DEFAULT_CONFIG = RetrievalConfig()


QUANTITY_Q = re.compile(r"\b(?:how many|how much|what percent(?:age)?|percentage|proportion|number of|what share|"
                        r"split|majority|minority)\b|%", re.I)
YES_NO_Q = re.compile(r"^\s*(?:[^?]*?\s[-–:]\s*)?(is|are|was|were|do|does|did|can|could|should|must|may|will|would|"
                      r"has|have|had|shall)\b", re.I)
FIGURES = re.compile(r"%|per ?cent|\b\d{2,}\b")
RESPONSE_HEADINGS = ("Government response", "Following your feedback")
# "what did respondents / people / parents say, think, like, worry about": asks for views, not decisions
ASKS_VIEWS = re.compile(r"\b(?:respondents?|people|practitioners|stakeholders|parents|professionals|staff|schools|"
                        r"health|police|they|anyone|anybody)\b.{0,40}?\b(?:say|said|think|thought|feel|felt|like|liked|"
                        r"want|wanted|worried|worry|concerns?|back|backed|raise|raised|comment(?:ed)?|view|views)\b|"
                        r"\bviews? (?:of|on|from)\b|\bwhat did \w+(?: \w+)? (?:say|think)\b", re.I)
# words of a publisher's name that do not single it out ("Devon Safeguarding Children Partnership" -> devon)
PUBLISHER_GENERIC = frozenset("""hm government department for of and the a an education health social care home office
local safeguarding children partnership partnerships not named in text council board""".split())


def is_yes_no(question: str) -> bool:
    return bool(YES_NO_Q.search(question))
