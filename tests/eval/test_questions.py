"""The evaluation questions are valid against the real corpus, glossary and duties register (fast, no model)."""

from __future__ import annotations

import pytest

from wtkb.corpus import Corpus
from wtkb.dev.eval_answers import gold_strings, plain_text, sentences
from wtkb.dev.eval_questions import (
    MIN_QUESTIONS,
    Question,
    coverage_problems,
    load_questions,
    norm,
    problems,
    questions_path,
    read_raw,
    split_for,
)
from wtkb.reference.duties import load_duties
from wtkb.reference.glossary import load_glossary


@pytest.fixture(scope="module")
def raw(root):
    return read_raw(questions_path(root))


def test_every_question_is_valid_against_the_corpus(raw, corpus: Corpus):
    found = problems(raw, corpus.records, [e.term for e in load_glossary()], [d.id for d in load_duties()])
    assert not found, "\n".join(found)


def test_the_set_is_big_enough_and_covers_every_type_in_both_splits(root):
    qs = load_questions(questions_path(root))
    assert len(qs) >= MIN_QUESTIONS
    found = coverage_problems(qs)
    assert not found, "\n".join(found)
    test_share = sum(q.split == "test" for q in qs) / len(qs)
    assert 0.35 <= test_share <= 0.55, test_share


def test_the_checker_catches_bad_gold(corpus: Corpus):
    rec = next(r for r in corpus.records if not r.duplicate_of and len(r.text) > 40)
    dup = next(r for r in corpus.records if r.duplicate_of)
    good = {"q": "x?", "gold": [rec.id], "gold_text": [rec.text[5:30].upper()], "voice": rec.voice or "government",
            "type": "fact", "answerable": True, "split": "dev"}
    assert problems([good], corpus.records, [], []) == []
    bad = [{**good, "q": "a", "gold_text": ["not in that paragraph at all"]},
           {**good, "q": "b", "gold": [dup.id], "gold_text": [dup.text[:20]]},
           {**good, "q": "c", "gold": ["no-such-record"]},
           {**good, "q": "d", "type": "chat", "voice": "rumour", "split": "train"},
           {**good, "q": "e", "answerable": False},
           {**good, "q": "f", "gold_glossary": ["NOPE"]}]
    found = problems(bad, corpus.records, [], [])
    for needle in ("is in none of its gold records", "duplicates", "is not a record ID", "type 'chat'",
                   "voice 'rumour'", "split 'train'", "an uncovered question has no gold", "not a glossary term"):
        assert any(needle in p for p in found), needle


def test_split_rule_is_deterministic_and_near_its_share():
    texts = [f"question number {i}?" for i in range(1000)]
    assert [split_for(t) for t in texts] == [split_for(t) for t in texts]
    assert split_for("Wots a DSL") == split_for("  wots a  dsl ")
    assert 0.35 <= sum(split_for(t) == "test" for t in texts) / 1000 <= 0.45


class _A:  # the fields of wtkb.qa.Answer the evaluator reads
    def __init__(self, answer: str, supported: bool = True):
        self.answer, self.supported, self.citations = answer, supported, []


def test_answer_sentences_are_parsed_with_their_citation_ids():
    a = _A("Where there are CP concerns it is a social worker. [cr-p3] We will take it forward. [cr-p1, cr-p4]")
    assert sentences(a) == [("Where there are CP concerns it is a social worker.", ["cr-p3"]),
                            ("We will take it forward.", ["cr-p1", "cr-p4"])]
    assert plain_text(a) == norm("Where there are CP concerns it is a social worker. We will take it forward.")


def test_glossary_and_duty_summaries_count_as_gold():
    g = {e.term: e for e in load_glossary()}
    d = {x.id: x for x in load_duties()}
    term = next(e for e in g.values() if e.expansion)
    duty = next(iter(d.values()))
    q = Question(q="?", gold=(), type="definition", answerable=True, split="dev", gold_text=("some text",),
                 gold_glossary=(term.term,), gold_duty=(duty.id,))
    got = gold_strings(q, g, d)
    assert norm("some text") in got and norm(term.expansion) in got and norm(duty.title) in got


def test_lead_voice_comes_from_the_citation_else_the_record_else_the_handbook(corpus: Corpus):
    from wtkb.dev.eval_answers import citation_voice

    rec = next(r for r in corpus.records if r.voice == "decision")
    by_id = {r.id: r for r in corpus.records}

    class _C:
        def __init__(self, cid: str, voice: str | None = None):
            self.id, self.voice, self.text = cid, voice, ""

    a = _A(f"A sentence. [{rec.id}]")
    a.citations = [_C(rec.id)]
    assert citation_voice(a, rec.id, by_id) == "decision"  # no voice on the citation: the record's
    a.citations = [_C(rec.id, "respondents")]
    assert citation_voice(a, rec.id, by_id) == "respondents"  # the citation's own voice wins
    assert citation_voice(a, None, by_id) == "handbook"  # an untagged sentence is the handbook's summary
    assert citation_voice(_A("refused", supported=False), None, by_id) is None


def test_the_respondent_cue_reads_the_lead_sentence():
    from wtkb.dev.eval_answers import RESPONDENT_CUE

    assert RESPONDENT_CUE.search("The majority (69%) agree/strongly agreeing that education …")
    assert RESPONDENT_CUE.search("Many respondents welcomed the focus.")
    assert not RESPONDENT_CUE.search("We will take forward the proposal to introduce the partnership chair role.")
