"""Voice on the real corpus: who is speaking in each kind of paragraph, including ones that must NOT read as policy.

Fast (no model, no index): the corpus is built from the real sources.
"""

from __future__ import annotations

import pytest

from wtkb.corpus.voice import answer_lead, local_area, voice_label
from wtkb.models import VOICES


def _doc(corpus, rid):
    rec = corpus.by_id[rid]
    return rec, next(s for s in corpus.sources if s.id == rec.document)


def test_every_record_has_a_known_voice(corpus):
    assert all(r.voice in VOICES for r in corpus.records)
    voices = {r.voice for r in corpus.records}
    assert voices == set(VOICES), f"a voice the rules never give: {set(VOICES) - voices}"


@pytest.mark.parametrize("rid, voice", [
    # decisions: under "Government response" and "Following your feedback, we will"
    ("cr2023-support-under-section-17-government-response-p1", "decision"),
    ("cr2023-support-under-section-17-government-response-p3", "decision"),
    ("cr2023-partnership-chair-government-response-p2", "decision"),
    # the government answering general feedback in its own words ("We agree…", "We have provided…")
    ("cr2023-voice-of-the-child-p5", "decision"),
    ("cr2023-resourcing-and-funding-p2", "decision"),
    # the government's summary of what respondents said: percentages, "respondents felt", "You said that"
    ("cr2023-support-under-section-17-p3", "respondents"),
    ("cr2023-role-of-relevant-agencies-p2", "respondents"),
    ("cr2023-partnership-chair-p4", "respondents"),
    ("cr2023-voice-of-the-child-p1", "respondents"),
    # respondents' own words, with attribution; also a quote the source set as plain paragraphs
    ("cr2023-support-under-section-17-p7", "quote"),
    ("cr2023-role-of-relevant-agencies-p6", "quote"),
    ("cr2023-expectations-for-multi-agency-p6", "quote"),
    ("cr2023-expectations-for-multi-agency-p7", "quote"),
    # the questions put to children and young people
    ("cr2023-views-of-children-p2", "question"),
    # the government's own account and context: not a decision, not views
    ("cr2023-support-under-section-17-p2", "government"),
    ("cr2023-methodology-p8", "government"),
    ("cr2023-profile-of-respondents-p1", "government"),
    # the other documents speak as their kind
    ("devon2024-partnership-working-briefing-p1", "local"),
    ("devon2023-help-and-support-p2", "local"),
    ("bondsolon2023-what-are-the-key-changes-p7", "commentary"),
    ("lscp2023-consultation-events-p1", "notice"),
])
def test_voice_of_real_paragraphs(corpus, rid, voice):
    assert corpus.by_id[rid].voice == voice, corpus.by_id[rid].text[:200]


@pytest.mark.parametrize("rid", [
    "cr2023-role-of-relevant-agencies-p2",  # "the majority (69%) agree…": a survey figure, not policy
    "cr2023-support-under-section-17-p6",  # "Many respondents agreed with the proposals…"
    "cr2023-role-of-relevant-agencies-p11",  # Ofsted's quote: "education needs to be a statutory partner"
    "bondsolon2023-what-are-the-key-changes-p7",  # about the DRAFT: "Removal of the requirement…"
    "devon2023-multi-agency-safeguarding-arrangements-p2",  # Devon's local survey
    "lscp2023-working-together-to-safeguard-p1",  # a notice that the consultation was launched
])
def test_views_quotes_commentary_and_local_are_never_policy(corpus, rid):
    assert corpus.by_id[rid].voice not in ("decision", "government")


def test_list_items_take_their_lead_in_voice(corpus):
    # "You said that:" lists are respondents; "Following your feedback, we will:" lists are decisions
    items = [r for r in corpus.records if r.kind == "list_item" and r.section]
    said = [r for r in items if r.section[-1].startswith("You said that")]
    will = [r for r in items if r.section[-1].startswith("Following your feedback")]
    assert said and will
    assert {r.voice for r in said} == {"respondents"} and {r.voice for r in will} == {"decision"}


def test_labels_name_the_partnership_the_respondent_and_the_commentator(corpus):
    rec, doc = _doc(corpus, "devon2024-partnership-working-briefing-p1")
    assert voice_label(rec, doc) == ("Local briefing (Devon Safeguarding Children Partnership): "
                                     "applies locally only")
    assert local_area(doc) == "Devon"
    assert answer_lead(rec, doc) == "In Devon (local briefing): "
    rec, doc = _doc(corpus, "devon2023-help-and-support-p2")
    assert "Devon" in voice_label(rec, doc) and "locally only" in voice_label(rec, doc)
    rec, doc = _doc(corpus, "cr2023-support-under-section-17-p7")
    assert voice_label(rec, doc) == "A respondent's words: Police officer"
    rec, doc = _doc(corpus, "bondsolon2023-what-are-the-key-changes-p7")
    assert voice_label(rec, doc) == "Commentary on the draft guidance (Bond Solon)"
    rec, doc = _doc(corpus, "cr2023-support-under-section-17-government-response-p1")
    assert voice_label(rec, doc) == "Government decision" and answer_lead(rec, doc) == ""


def test_voice_is_in_the_corpus_contract(corpus):
    line = corpus.records[0].to_dict()
    assert line["voice"] in VOICES


MYTH_IDS = [f"devon2024-common-myths-about-challenges-p{i}" for i in range(1, 6)]


def test_myths_the_source_lists_are_flagged_and_nothing_else_is(corpus):
    # "Common myths about challenges of sharing information with partners": five claims Devon rejects
    assert sorted(r.id for r in corpus.records if r.myth) == MYTH_IDS
    assert corpus.by_id["devon2024-common-myths-about-challenges-p2"].text == \
        "Consent is needed to share personal information"
    # the advice beside them is not a myth, nor is a respondent saying early help "is often mistaken for…"
    assert not corpus.by_id["devon2024-information-sharing-and-consent-p4"].myth  # "GDPR is not a barrier"
    assert not any(r.myth for r in corpus.records if "mistaken" in r.text)
    assert corpus.records[0].to_dict()["myth"] is False  # a new key of the corpus contract


def test_a_myth_is_labelled_as_one_wherever_it_is_cited(corpus):
    rec, doc = _doc(corpus, "devon2024-common-myths-about-challenges-p2")
    assert rec.voice == "local"
    assert voice_label(rec, doc) == ("Local briefing (Devon Safeguarding Children Partnership): "
                                     "a myth it lists, not advice")
    assert answer_lead(rec, doc) == "In Devon (local briefing), listed as a common myth (not advice): "
