"""Briefing packs for trainers, as a pipeline of small stages:

- ``model``: the plain records (Topic, Point, KeySlide, Scenario, Pack) and the content knobs;
- ``chapters``: list and find the topic chapters, read one into cited points;
- ``slides``: cut sections into key slides by meaning (at most one continuation each);
- ``audience``: match an audience to an agency, the duties that bind it, what concerns it;
- ``evidence``: consultation figures, respondents' views, sources, assembling a Pack;
- ``retrieval``: free-text topics via the Q&A index (the one place that reads the retriever);
- ``build``: ``build_pack``, the entry point;
- ``seven``: the content of the 7-minute briefing;
- ``render/``: the FORMATS registry and one module per output format.
"""

from wtkb.briefing.audience import AGENCIES, Agency, audience_terms, for_audience, match_agency  # noqa: F401
from wtkb.briefing.build import build_pack, topic_pack  # noqa: F401
from wtkb.briefing.chapters import (  # noqa: F401
    BULLET,
    DUTY_RUN,
    LEAD_IN,
    PARA_ROLE,
    ROLE,
    SENTENCE_END,
    Chapter,
    ChapterSection,
    find_topic,
    list_topics,
    markdown_sentences,
    parse_chapter,
    plain,
    topics_dir,
)
from wtkb.briefing.evidence import figures_for, is_view, quotes_for  # noqa: F401
from wtkb.briefing.model import (  # noqa: F401
    DISCUSSION,
    HIT_SHARE,
    IN_SHORT,
    MAX_CONTINUED,
    MAX_FIGURES,
    MAX_KEY_SLIDES,
    MAX_POINTS,
    MAX_QUOTES,
    MAX_WHAT_CHANGED,
    MIN_KEY_SLIDES,
    QUOTE_CHARS,
    SKIP_SECTIONS,
    SLIDE_CHARS,
    TOP_HITS,
    BriefingError,
    KeySlide,
    Pack,
    Point,
    Scenario,
    Topic,
    UncoveredTopic,
)
from wtkb.briefing.slides import ANAPHOR, key_slides, units  # noqa: F401
