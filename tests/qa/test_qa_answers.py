"""Extractive answers: copied sentences tagged with IDs, conditions for yes/no, abstention, expansion."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from wtkb.qa import UNSUPPORTED
from wtkb.qa.refusal import HEDGE, Verdict
from wtkb.reference.glossary import load_glossary
from wtkb.retrieve import Expander
from wtkb.text import tokenize

from .conftest import DV_QUESTION

pytestmark = pytest.mark.slow

TAGGED = re.compile(r"(.+?) \[([^\[\]]+)\](?:\s|$)")


def sentences(answer: str) -> list[tuple[str, list[str]]]:
    return [(m.group(1).strip(), m.group(2).split(", ")) for m in TAGGED.finditer(answer)]


def test_dv_worker_answer_carries_both_conditions(qa):
    a = qa.ask(DV_QUESTION)
    assert a.supported
    text = a.answer
    # a broader range of practitioners may lead under section 17 …
    assert "a broader range of practitioners can be the lead practitioner" in text
    # … decided locally by a social-work-qualified practitioner or manager …
    assert "will be for the social work qualified practitioner or manager" in text
    # … but where there are child protection concerns, the lead practitioner is a social worker
    assert "where there are child protection concerns, the lead practitioner will be a social worker" in text
    ids = {c.id for c in a.citations}
    assert {"cr2023-support-under-section-17-government-response-p1",
            "cr2023-support-under-section-17-government-response-p3"} <= ids


@pytest.mark.parametrize("question", [
    DV_QUESTION,
    "Who decides which worker becomes the lead practitioner for a family on a CIN plan?",
    "what are the principles for working with parents and carers?",
    "what is a family group conference?",
    "are ICBs one of the 3 safeguarding partners?",
    "what is CIN?",
    "what does s47 mean?",
    "what should I do if I am worried about a child?",
])
def test_every_sentence_is_copied_from_a_cited_paragraph(qa, corpus, question):
    a = qa.ask(question)
    assert a.supported
    assert 1 <= len(a.sentences) <= 6
    # the answer text is exactly its sentences: lead + text + [ids], nothing untagged in between
    assert " ".join(p.lead + p.text + (f" [{', '.join(p.ids)}]" if p.ids else "") for p in a.sentences) == a.answer
    cited = {c.id: c for c in a.citations}
    for p in a.sentences:
        assert p.voice and p.voice_label
        for i in p.ids:
            assert i in cited, f"{i} is tagged but not in citations"
        if p.source == "paragraph":
            assert p.ids
            for i in p.ids:
                assert p.text in corpus.by_id[i].text, f"not copied exactly from {i}: {p.text!r}"
                assert p.voice == corpus.by_id[p.ids[0]].voice
        else:  # the handbook's own summary, labelled as such, linking its glossary term or duty page
            assert p.source in ("glossary", "duty") and p.voice == "handbook"
            assert p.text.startswith("The handbook's ") and "our summary" in p.text
            assert p.url and ("/generated/glossary.html#term-" in p.url or "/duties/" in p.url)
    for c in a.citations + a.see_also:
        rec = corpus.by_id[c.id]
        assert c.text == rec.text and c.label == rec.label and c.document == rec.document
        assert c.url == f"{qa.settings.base_url}{rec.page}.html#{rec.id}"
        assert c.section == " › ".join(rec.section)
        assert c.voice == rec.voice and c.voice_label
    # in the order the answer first cites them, so its markers read [1], [2] …
    first_cited = dict.fromkeys(i for p in a.sentences for i in (p.ids or p.sources))
    assert [c.id for c in a.citations] == list(first_cited)
    assert not ({c.id for c in a.citations} & {c.id for c in a.see_also})


@pytest.mark.parametrize("question", [
    "what's the right paracetamol dose for a 4 year old with a temperature?",
    "How does child protection work in Scotland under GIRFEC?",
    "how to bake bread",
    "how long do we have to complete a rapid review?",
    "how do I make a referral in Scotland?",
])
def test_out_of_scope_questions_are_refused_in_plain_words(qa, question):
    a = qa.ask(question)
    assert a.supported is False
    assert a.answer.startswith(UNSUPPORTED) and a.citations == [] and a.sentences == []
    assert "local safeguarding children partnership" in a.answer
    assert not re.search(r"see_also|citations|supported", a.answer)
    assert len(a.see_also) <= 5
    listed = "The paragraphs listed below" in a.answer
    assert listed == bool(a.see_also)


def test_refusal_lists_only_related_paragraphs(qa):
    bread = qa.ask("how to bake bread")
    assert bread.see_also == []
    scotland = qa.ask("how do I make a referral in Scotland?")
    assert "Scotland" in scotland.answer and "England" in scotland.answer


def test_top_k_bounds_what_is_returned(qa):
    for k in (1, 3, 10):
        a = qa.ask("what is a family group conference?", top_k=k)
        assert len(a.citations) + len(a.see_also) <= max(k, len(a.citations))
        assert len(a.see_also) <= k


@pytest.mark.parametrize("query, phrase", [
    ("can a DV worker be lead practitioner?", "domestic abuse"),
    ("CIN cases - do they still need a social worker?", "child in need"),
    ("CIN plan", "section 17"),
    ("is a CP plan still led by a social worker", "child protection"),
    ("LSP role?", "lead safeguarding partner"),
    ("what does a DSP do", "delegated safeguarding partner"),
    ("are FGCs funded", "family group conference"),
    ("who works in the MASH", "Front Door"),
    ("what does the DCS do", "Director of children's services"),
])
def test_glossary_expands_practitioner_shorthand(query, phrase):
    exp = Expander(load_glossary()).expand(query)
    assert phrase.lower() in [p.lower() for p in exp.phrases]
    assert phrase.lower() in exp.dense_text.lower()


def test_an_alias_with_a_word_the_corpus_never_uses_always_bridges_to_the_sources_wording(corpus):
    vocab = {t for r in corpus.records for t in tokenize(r.text)}
    exp = Expander(load_glossary(), vocab.__contains__).expand("is the independent scrutineer still needed?")
    assert "independent scrutiny" in exp.terms and "scrutiny arrangements" in exp.phrases
    # an alias in the sources' own words ("scrutiny arrangements") is matched only when asked to
    assert Expander(load_glossary(), vocab.__contains__).expand("scrutiny arrangements").terms == []


def test_shorthand_finds_what_the_sources_say(qa):
    top = qa.retriever.search("FGC - any safeguarding worries with DV?", 3)
    assert any("family group conference" in h.record.text.lower() for h in top)
    assert any("domestic abuse" in h.record.text.lower() for h in top)


def test_duplicates_collapse_to_one_hit(qa, corpus):
    dup = next(r for r in corpus.records if r.duplicate_of and len(r.text) > 80)
    hits = qa.retriever.search(dup.text, 10)
    ids = [h.record.id for h in hits]
    assert ids[0] == dup.duplicate_of
    assert not any(corpus.by_id[i].duplicate_of for i in ids)
    assert len({corpus.by_id[i].text for i in ids}) == len(ids)


@pytest.mark.parametrize("question, expected", [
    ("who is the independent scrutineer for the Devon safeguarding partnership?", True),
    ("who is the chief constable of devon and cornwall police", True),  # "devon" typed in lower case
    ("who's the DSP chair at the moment?", True),
    ("who is Devon's director of children's services", True),
    ("who chairs the Devon child death overview panel?", True),
    ("what's the name of the current LADO", True),
    ("who is the PCC", False),  # what the post is
    ("who chairs the partnership?", False),  # the government's decision on the role
    ("who is the lead practitioner for a child in need?", False),
    ("who is accountable for s17 support now that non-social workers can lead?", False),
])
def test_a_question_for_a_post_holder_is_told_apart_from_one_about_the_post(qa, question, expected):
    assert qa.refusal.asks_post_holder(question) is expected


def test_the_sources_name_roles_not_post_holders(qa):
    a = qa.ask("who is the independent scrutineer for the Devon safeguarding partnership?")
    assert a.supported is False and "do not name who holds a post" in a.answer
    assert qa.ask("who chairs the partnership?").supported is True


HEDGED = "which groups did people worry were being discriminated against? (equalities bit)"


def test_a_weak_match_is_answered_under_a_hedge_with_copied_cited_sentences(qa):
    a = qa.ask(HEDGED)
    assert a.supported is True and a.hedged is True
    assert a.answer.startswith(HEDGE + " ")
    assert "discrimination against certain groups" in a.answer  # the point, under the hedge
    by_id = {c.id: c.text for c in a.citations}
    assert a.sentences and all(p.text in by_id[p.ids[0]] for p in a.sentences)
    # below the hedge threshold it is refused; a briefing pack is never built on a hedge
    s = qa.retriever.score(HEDGED)
    hits = qa.retriever.rank(s, 5)
    strict = replace(qa.config, hedge_threshold=qa.config.threshold)
    assert qa.refusal.verdict(s, hits, False, strict) == Verdict(False)
    assert qa.supported(s, hits) is False


def test_a_confident_answer_and_a_refusal_are_never_hedged(qa):
    assert qa.ask("can a DV worker be lead practitioner?").hedged is False
    for q in ("how long do we have to complete a rapid review?", "how to bake bread"):
        a = qa.ask(q)
        assert a.supported is False and a.hedged is False and HEDGE not in a.answer


@pytest.mark.parametrize("question, expansion", [
    ("adcs stnds for?", "Association of Directors of Children's Services (ADCS)"),  # only in the list of respondents
    ("MATs = ? (in the education bit)", "multi academy trusts (MATs)"),
])
def test_an_acronym_the_sources_spell_out_is_answered_with_its_expansion_first(qa, question, expansion):
    a = qa.ask(question)
    assert a.supported is True and a.hedged is False
    lead = next(p for p in a.sentences if not p.text.endswith(":"))  # after a list's lead-in ("Organisations…:")
    assert lead is a.sentences[0] or a.sentences[0].text.endswith(":")
    assert expansion in lead.text
    assert expansion in next(c.text for c in a.citations if c.id in lead.ids)


def test_a_question_about_more_than_what_an_acronym_stands_for_is_not_answered_by_its_expansion(qa):
    for q in ("whats the timescale for CSC to complete an MBU suitability assessment",
              "what qualifications does a DSCO need to have?", "is ADCS funded?"):
        s = qa.retriever.score(q)
        assert qa.refusal.spelled_acronyms(q, qa.retriever.rank(s, 5)) == []
