"""Answers with citations: schemas, refusal, sentence composition, the handbook's own knowledge, the LLM mode."""

from wtkb.qa.answer import QA, load_qa, log  # noqa: F401 (re-exported)
from wtkb.qa.compose import (  # noqa: F401 (re-exported)
    CONDITION,
    DEFAULT_ANSWER_CONFIG,
    QUESTION_END,
    AnswerConfig,
    Sentence,
)
from wtkb.qa.refusal import UNSUPPORTED  # noqa: F401 (re-exported)
from wtkb.qa.schemas import DV_EXAMPLE, Answer, AnswerSentence, Citation, TopicLink  # noqa: F401 (re-exported)
