"""The issue's headline questions, read as a practitioner reads them: the point, whose voice, or a plain refusal.

Assertions are on the sources' own wording (substrings of the paragraphs that answer) and on the voice,
never on a whole hard-coded answer.
"""

from __future__ import annotations

import pytest

from wtkb.qa import UNSUPPORTED
from wtkb.qa.refusal import DATE
from wtkb.retrieve import Hit

from .conftest import DV_QUESTION

pytestmark = pytest.mark.slow


def test_dv_worker_lead_practitioner_says_the_decision_and_its_condition(qa):
    a = qa.ask(DV_QUESTION)
    assert a.supported and a.sentences[0].voice == "decision"
    assert "a broader range of practitioners can be the lead practitioner" in a.answer
    assert "where there are child protection concerns, the lead practitioner will be a social worker" in a.answer
    assert any(t.url.endswith("/topics/01-lead-practitioner.html") for t in a.topics)


def test_schools_statutory_partner_leads_with_the_government_not_a_survey_figure(qa):
    a = qa.ask("are schools now a statutory safeguarding partner?")
    assert a.supported
    lead = a.sentences[0]
    assert lead.voice == "decision", a.answer
    assert "would require legislative changes" in a.answer
    assert not any(p.voice in ("respondents", "quote") for p in a.sentences[:1])


def test_what_is_cin_is_the_glossary_then_the_sources(qa, corpus):
    a = qa.ask("what is CIN?")
    assert a.supported
    first = a.sentences[0]
    assert first.source == "glossary" and "Child in need" in first.text
    assert first.url.endswith("/generated/glossary.html#term-CIN")
    assert any(p.source == "paragraph" for p in a.sentences)
    # the summary's sources are paragraphs that use the term as the sources word it (CIN, child in need, section 17)
    for i in first.sources:
        text = corpus.by_id[i].text
        assert "CIN" in text or "child in need" in text.lower() or "section 17" in text.lower()


def test_what_does_s47_mean_links_the_duty(qa):
    a = qa.ask("what does s47 mean?")
    assert a.supported
    assert any(p.source in ("glossary", "duty") for p in a.sentences)
    assert any(p.url and p.url.endswith("/duties/ca1989-s47.html") for p in a.sentences) or \
        any(p.url and "term-s47" in p.url for p in a.sentences)


def test_who_chairs_the_partnership_names_who_decides(qa):
    a = qa.ask("who chairs the partnership?")
    assert a.supported
    assert any("partnership-chair" in c.id for c in a.citations)
    # no named individual: the safeguarding partners decide who chairs; the government says so before any view
    point = next(i for i, x in enumerate(a.sentences) if "to allow safeguarding partners to decide who is best placed"
                 in x.text)
    assert all(x.voice == "decision" for x in a.sentences[:point + 1])


def test_percentage_for_lead_practitioner_gives_figures(qa):
    a = qa.ask("what percentage supported the lead practitioner change?")
    assert a.supported
    assert "%" in a.answer
    assert a.sentences[0].voice in ("respondents", "local")
    # the national figure for the section 17 change, not only a count of comments or Devon's 41%
    assert "36% of respondents said yes" in a.answer
    # "supported" asks for a stance: the answer leads with it, not with "18% referenced health and education"
    assert a.sentences[0].text.startswith("36% of respondents said yes")
    assert all("%" in p.text for p in a.sentences)  # a percentage question is answered with percentages


def test_local_evidence_says_it_is_local(qa):
    a = qa.ask("what should I do if I am worried about a child?")
    assert a.supported
    local = [i for i, p in enumerate(a.sentences) if p.voice == "local"]
    assert local
    for i in local:  # every local sentence is labelled; a run of them reads under one "In Devon" lead
        p = a.sentences[i]
        assert "locally only" in p.voice_label
        assert p.lead.startswith("In Devon") or (p.lead == "" and i and a.sentences[i - 1].voice == "local")
    assert a.sentences[local[0]].lead.startswith("In Devon")


@pytest.mark.parametrize("question", ["how long do we have to complete a rapid review?",
                                      "how do I make a referral in Scotland?"])
def test_uncovered_headline_questions_are_refused(qa, question):
    a = qa.ask(question)
    assert not a.supported and a.answer.startswith(UNSUPPORTED)


def test_the_top_paragraph_always_speaks(qa):
    """The retriever's best paragraphs contribute their best sentence, even when another scores a sentence higher."""
    from wtkb.qa.compose import DEFAULT_ANSWER_CONFIG

    q = "did the DfE use AI to analyse the consultation answers?"
    s = qa.retriever.score(q)
    hits = qa.retriever.rank(s, 5)
    picked = qa.pick_sentences(s, qa.composer.pool(s, hits))
    assert {h.record.id for h in hits[:DEFAULT_ANSWER_CONFIG.anchor]} <= {x.hit.record.id for x in picked}
    assert "generative AI was used to create theme labels" in qa.ask(q).answer
    # a number question draws only on sentences with a figure, anchored or not
    assert "It consisted of a total of 35 questions" in qa.ask("how many questions were in the WT consultation").answer


@pytest.mark.parametrize("question", ["how many social workers are there in Devon?",
                                      "how many children are on a child protection plan in england?"])
def test_a_count_the_sources_never_give_is_refused(qa, question):
    a = qa.ask(question)
    assert not a.supported
    assert "The sources give no figure for this." in a.answer


@pytest.mark.parametrize("question, words", [
    ("Are FGCs going to cost LAs more / is there new money?", ["family group conference"]),
    ("what is a lead safegaurding partner", ["Lead Safeguarding Partner", "LSP"]),
])
def test_shorthand_plurals_everyday_words_and_typos_are_understood(qa, question, words):
    a = qa.ask(question)
    assert a.supported
    assert any(w.lower() in a.answer.lower() for w in words)


@pytest.mark.parametrize("question, reason", [
    ("what is the Plymouth safeguarding partnership's phone number", "never mention Plymouth"),
    ("whats MARAC", "never mention MARAC"),
    ("what has Wiltshire's partnership said about the new arrangements?", "never mention Wiltshire"),  # a possessive
    ("what is the LADO's phone number in Devon?", "no contact details"),
    ("what is contextual safeguarding?", "never use the term “contextual safeguarding”"),
    ("what is an EHCP", "never mention EHCP"),  # SEND is defined; an EHC plan is a different thing
    # named only among the organisations that responded: the sources report nothing it said
    ("what did the Cumbria partnership say in the consultation?", "name Cumbria only in a list"),
    ("what does Cafcass think about FGCs?", "name Cafcass only in a list"),
    ("how do i actually submit a care leaver death notification - is there a form?", "no form, template or link"),
    ("when will ofsted start inspecting against the new standards?", "no date for this"),
])
def test_names_and_contact_details_the_sources_lack_are_refused_with_the_reason(qa, question, reason):
    a = qa.ask(question)
    assert not a.supported and reason in a.answer


def test_a_glossary_term_typed_with_a_typo_is_defined(qa):
    a = qa.ask("wat is a lead practioner exactly")
    assert a.supported and a.sentences[0].source == "glossary" and "lead practitioner:" in a.sentences[0].text


def test_a_question_about_the_name_list_itself_is_answered_from_it(qa):
    a = qa.ask("did Cumbria respond to the consultation?")
    assert a.supported and any("Cumbria" in x.text for x in a.sentences)


def test_a_form_the_sources_give_is_answered_and_forms_of_abuse_are_not_a_form(qa):
    a = qa.ask("is there a form for early help?")
    assert a.supported and any("Early Help Triage Request Form" in x.text for x in a.sentences)
    assert qa.ask("what forms of abuse does the guidance cover?").supported


def test_a_contact_the_sources_give_is_answered(qa):
    a = qa.ask("what's the Devon front door phone number?")
    assert a.supported and "0345 155 1071" in a.answer
    assert a.sentences[0].lead.startswith("In Devon")


def test_a_capital_that_only_starts_the_question_is_not_a_name(qa):
    assert qa.refusal.unknown_names("Tell me about family group conferences") == []
    assert qa.refusal.unknown_names("does the guidance cover FGCs?") == []  # a glossary plural


@pytest.mark.parametrize("question, source", [
    ("what does bond solon say the key changes are", "bondsolon2023"),
    ("what does devon say about the levels of need", "devon2024"),
])
def test_a_question_naming_its_source_is_answered_from_that_source(qa, question, source):
    # "say" / "according to" only attribute the question: it is answered although it embeds weakly
    a = qa.ask(question)
    assert a.supported
    assert a.citations[0].document == source


def test_a_list_question_leads_with_the_sentence_that_announces_the_list(qa):
    a = qa.ask("what are the three levels the multi-agency expectations are split into?")
    assert a.supported
    assert a.sentences[0].text.startswith("The expectations are split in to three levels of responsibility")


@pytest.mark.parametrize("question, lead", [
    ("how many services did devon hear from in its survey", "ten different services"),
    ("how many people responded to the consultation?", "1269 formal responses"),
    ("how many questions were in the consultation?", "a total of 35 questions"),
    # a respondent group named: that group's figure, not all respondents'
    ("what % of health respondents said no to the s17 changes?", "responding no 61%"),
    ("education respondents - what % said no to the s17 changes improving outcomes", "33% (education)"),
])
def test_a_figure_question_leads_with_the_figure_it_asks_for(qa, question, lead):
    # not "call 999" (a telephone number is not a figure) nor "22 contained a quantitative response format"
    a = qa.ask(question)
    assert a.supported and lead in a.sentences[0].text


def test_who_developed_names_the_developer_and_no_rhetorical_question_is_anchored(qa):
    a = qa.ask("who developed the March 2023 practice principles?")
    assert a.supported and "developed by the Tackling Child Exploitation (TCE) Support Programme" in a.answer
    assert not any(p.text.rstrip().endswith("?") for p in a.sentences)


@pytest.mark.parametrize("question", ["can I share info without consent?", "is consent needed to share information?"])
def test_a_myth_the_source_rejects_is_never_given_as_advice(qa, question):
    # Devon lists "Consent is needed to share personal information" as a myth: quoting it as advice would
    # tell a practitioner the opposite of what the sources say. It may follow the answer, labelled as a myth.
    a = qa.ask(question)
    assert a.supported
    assert "not necessary to seek consent" in a.sentences[0].text and a.sentences[0].voice == "decision"
    myth = [s for s in a.sentences if s.text.startswith("Consent is needed")]
    assert all("listed as a common myth (not advice)" in s.lead and "not advice" in s.voice_label for s in myth)
    assert all(a.sentences.index(s) == len(a.sentences) - 1 for s in myth)


def test_a_myth_never_answers_a_what_or_how_question(qa):
    a = qa.ask("how do I share information with partners?")
    assert a.supported and not any(s.voice_label.endswith("a myth it lists, not advice") for s in a.sentences)


def test_a_question_about_myths_quotes_them_labelled_as_myths(qa):
    a = qa.ask("what are the common myths about information sharing?")
    assert a.supported and a.sentences
    myths = [s for s in a.sentences if "myth" in s.voice_label]
    assert myths and all(s.lead.startswith("In Devon (local briefing), listed as a common myth") for s in myths)
    # two items of one short list picked: the answer gives the whole list, in reading order
    assert [s.ids[0] for s in myths] == [f"devon2024-common-myths-about-challenges-p{i}" for i in range(1, 6)]
    assert all("not advice" in c.voice_label and c.myth for c in a.citations
               if c.id.startswith("devon2024-common-myths"))
    assert all(s.myth for s in myths) and not any(c.myth for c in a.citations if "common-myths" not in c.id)


def test_a_date_answers_only_in_a_sentence_about_what_the_question_asks(qa):
    board = Hit(qa.retriever.record("cr2023-views-of-children-p16"), 1.0, 1.0, 1.0, 1)  # "…begin meeting in 2024."
    assert qa.refusal.gives_near("when will the advisory board begin meeting?", [board], DATE)
    assert not qa.refusal.gives_near("when will ofsted inspect against the standards?", [board], DATE)


def test_an_amount_for_each_area_needs_a_figure_per_area(qa):
    for q in ("how much RIIA grant does each region get", "is the implementation funding per local authority?"):
        a = qa.ask(q)
        assert not a.supported and "no figure for each area or body" in a.answer
    who = qa.ask("who decides how much each agency contributes to partnership funding?")  # another question
    assert "each area or body" not in who.answer
