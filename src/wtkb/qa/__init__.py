"""Answers with citations: schemas, extractive answering, the optional LLM mode."""

from wtkb.qa.answer import (  # noqa: F401 (re-exported)
    CONDITION,
    DEFAULT_ANSWER_CONFIG,
    DV_EXAMPLE,
    QA,
    QUESTION_END,
    UNSUPPORTED,
    Answer,
    AnswerConfig,
    Citation,
    Sentence,
    load_qa,
    log,
)
