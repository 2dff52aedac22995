"""Every answer to every evaluation question is grounded: each copied sentence is in the text of a paragraph
it cites, each handbook sentence is the glossary's or the duties register's own summary, every citation
carries its voice, and a refusal cites nothing (the real QA over the real index; no LLM)."""

from __future__ import annotations

import pytest

from wtkb.dev.eval_questions import load_questions, questions_path
from wtkb.qa.knowledge import DUTY_LABEL, GLOSSARY_LABEL

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def answers(qa, root):
    return [(q.q, qa.ask(q.q)) for q in load_questions(questions_path(root))]


def test_every_copied_sentence_is_in_a_paragraph_it_cites(answers):
    bad = []
    for q, a in answers:
        if not a.supported:
            continue
        cited = {c.id: c.text for c in a.citations}
        for s in a.sentences:
            if s.voice == "handbook":
                continue
            if not s.ids or not any(s.text in cited.get(i, "") for i in s.ids):
                bad.append((q, s.text[:80], s.ids))
    assert not bad, bad[:5]


def test_handbook_sentences_are_labelled_summaries(answers):
    for _, a in answers:
        for s in (a.sentences or []):
            if s.voice == "handbook":
                assert s.text.startswith((GLOSSARY_LABEL, DUTY_LABEL)) and s.url


def test_every_citation_says_whose_voice_it_is(answers):
    for _, a in answers:
        for c in [*a.citations, *a.see_also]:
            assert c.voice and c.voice_label


def test_a_refusal_cites_nothing_and_speaks_plainly(answers):
    for _, a in answers:
        if not a.supported:
            assert not a.citations and not a.sentences
            assert "see_also" not in a.answer and "_" not in a.answer  # no developer field names
