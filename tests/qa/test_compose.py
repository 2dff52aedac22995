"""Fast tests of the answer rules' pure parts: question types, definitions, refusal wording, handbook addresses."""

from __future__ import annotations

import re

import pytest

from wtkb.qa.compose import QUESTION_TYPES, STANCE, asks_requirement, list_count, question_types
from wtkb.qa.counting import RESPONDENTS, counted_nouns, counts
from wtkb.qa.knowledge import DUTY_REF, defined_term, is_definition
from wtkb.qa.refusal import ASKS_DATE, NATIONS, Refusal
from wtkb.retrieve.expansion import Everyday, Expansion, Spelling
from wtkb.urls import term_url


@pytest.mark.parametrize("question, kind", [
    ("what percentage of responses came from organisations?", "number"),
    ("how many people responded?", "number"),
    ("why's the new information sharing advice late?", "why"),
    ("who developed the March 2023 practice principles?", "who"),
    ("who chairs the partnership?", "who"),
    ("how long do we have to complete a rapid review?", "time"),
    ("what changed about the independent chair?", "change"),
])
def test_question_types(question, kind):
    assert kind in question_types(question)


@pytest.mark.parametrize("question, expected", [
    ("how do i actually submit a care leaver death notification - is there a form?", True),
    ("whats the sharepoint link for the devon WT briefing slides", True),
    ("is there a template for the annual report", True),
    ("what forms of abuse does the guidance cover?", False),
    ("health worker - how do i find out how we link with prison and probation locally?", False),  # a verb
    ("what website/platform did people use to send in online responses", False),  # a name, not a form
])
def test_a_form_question_asks_for_a_form_template_or_link(question, expected):
    assert ("form" in question_types(question)) is expected


@pytest.mark.parametrize("question, expected", [
    ("when does recruitment close for the advisory board?", True),
    ("when is the law commission review due to report", True),
    ("when did devon bring in the levels of need tool", True),
    ("what date is the police event", True),
    ("when does a baby go into an MBU with mum", False),  # in what circumstances, not a date
    ("when should I refer?", False),
])
def test_a_date_question_asks_for_a_date(question, expected):
    assert bool(ASKS_DATE.search(question)) is expected


def test_untyped_questions_have_no_type():
    assert question_types("tell me about family group conferences") == []


@pytest.mark.parametrize("question, expected", [
    ("are schools now a statutory safeguarding partner?", True),
    ("do we have to publish our arrangements?", True),
    ("can a DV worker be lead practitioner?", True),
    ("what percentage supported the lead practitioner change?", False),  # asks for views, not a requirement
    ("what did respondents say about the partnership chair?", False),
    ("who chairs the partnership?", True),  # who holds a role is decided, not surveyed
    ("is consent needed to share information?", True),
    ("why did DfE keep the chair role?", True),  # the government's own reasons
    ("why did respondents oppose the chair role?", False),
    ("what did they change in the early help section after the consultation?", True),
    ("what did they say about early help?", False),  # what was said: views
])
def test_requirement_questions(question, expected):
    assert asks_requirement(question) is expected


@pytest.mark.parametrize("question, expected", [
    ("what is CIN?", True), ("what does LADO stand for", True), ("what does s47 mean?", True), ("DSL?", True),
    ("sudc and JAR - what do these stand for?", True), ("who chairs the partnership?", False),
])
def test_definition_questions(question, expected):
    assert is_definition(question) is expected


def test_duty_references():
    assert DUTY_REF.search("what does s47 mean?").group(1) == "47"
    assert DUTY_REF.search("section 11 of the Children Act 2004 duties").group(2) == "Children Act 2004"
    assert DUTY_REF.search("what does s.17 cover").group(1) == "17"


def test_time_sentences_need_a_time():
    _, has_time = QUESTION_TYPES["time"]
    assert has_time.search("Rapid reviews should be completed within 15 working days.")
    assert not has_time.search("The panel considers rapid reviews from partnerships.")


def test_nations():
    assert NATIONS.search("how do I make a referral in Scotland?")
    assert not NATIONS.search("how do I make a referral in Devon?")


@pytest.mark.parametrize("reason", ["", "The sources do not set out timescales for this."])
@pytest.mark.parametrize("related", [True, False])
def test_refusal_speaks_to_practitioners(reason, related):
    text = Refusal.text(reason, related)
    assert text.startswith("The sources in this handbook do not answer this question.")
    assert reason in text
    assert not re.search(r"see_also|supported|citations|\bjson\b|_", text)  # no developer field names
    assert "local safeguarding children partnership" in text


def test_term_url_matches_the_glossary_anchors():
    # as in a built handbook's generated/glossary.html (Sphinx 7.4 keeps the term's case)
    assert term_url("CIN") == "/generated/glossary.html#term-CIN"
    assert term_url("lead practitioner", "/wtkb/") == "/wtkb/generated/glossary.html#term-lead-practitioner"
    assert term_url("DPA 2018") == "/generated/glossary.html#term-DPA-2018"


@pytest.mark.parametrize("question, counted", [
    ("how many social workers are there in Devon?", {"worker"}),
    ("how many questions were in the WT consultation", {"question"}),
    ("how many ofsted inspections of children's services happen each year", {"inspect"}),
    ("what did respondents say about the chair?", set()),
])
def test_counted_nouns(question, counted):
    assert counted_nouns(question) == counted


@pytest.mark.parametrize("question", ["how many answered the question on delegation?",
                                      "how many organisations/people commented on equalities?",
                                      "how many comments did the title change get"])
def test_counting_people_is_answered_by_response_counts(question):
    assert RESPONDENTS <= counted_nouns(question)


@pytest.mark.parametrize("text, nouns, expected", [
    ("It consisted of a total of 35 questions.", {"question"}, True),
    ("We heard from practitioners covering ten different services in Devon.", {"servic"}, True),
    ("The consultation asked questions about services.", {"question", "servic"}, False),
    ("Social workers still hold 2023 cases.", {"worker"}, False),  # the figure must come before the thing counted
    ("We made factual changes to chapter 6 Child death reviews.", {"death"}, False),  # a number that labels
    ("CDOPs reviewed six child deaths.", {"death"}, True),
])
def test_counts(text, nouns, expected):
    assert counts(text, nouns) is expected


def test_everyday_words_expand_to_the_sources_wording():
    exp = Everyday({"money": ("funding",), "kid": ("children",)}).expand(Expansion("is there new money for kids?"))
    assert exp.phrases == ["funding", "children"] and {"money", "kid"} <= exp.known_tokens


def test_spelling_reads_a_typo_as_the_corpus_word_one_edit_away():
    sp = Spelling(["safeguard", "partner", "practition"])
    assert sp.correct("safegaurd") == "safeguard"  # swapped letters
    assert sp.correct("partnr") == "partner"  # a missing letter
    assert sp.correct("bread") is None
    exp = sp.expand(Expansion("a lead safegaurding partner"), knows=lambda t: t in {"lead", "partner"})
    assert exp.phrases == ["safeguard"] and "safegaurd" in exp.known_tokens


def test_spelling_reads_a_long_word_with_two_letters_left_out():
    sp = Spelling(["practition", "safeguard", "respons"])
    assert sp.correct("praction") == "practition"  # "practioner"
    assert sp.correct("practitionerx") is None
    assert sp.correct("safegu") is None  # short words: one edit only


def test_spelling_does_not_read_a_word_of_the_same_family_as_a_typo():
    # "contextual" (stemmed "contextu") is not a typo of "context": "contextual safeguarding" is a term the
    # sources never use, and reading it as "context safeguarding" answered it with unrelated sentences
    sp = Spelling(["context", "safeguard"])
    assert sp.correct("contextu") is None
    assert sp.correct("contxt") == "context"


@pytest.mark.parametrize("question, term", [
    ("what is contextual safeguarding?", "contextual safeguarding"),
    ("whats a LADO", "LADO"),
    ("what does EHCP stand for?", "EHCP"),
    ("what does s47 mean?", "s47"),
    ("define significant harm", "significant harm"),
    ("meaning of CIN?", "CIN"),
    ("what is the role of the DSL in schools and how does it change?", ""),  # not a bare definition question
    ("can a DV worker be lead practitioner?", ""),
])
def test_the_term_a_bare_definition_question_asks_about(question, term):
    assert defined_term(question) == term


@pytest.mark.parametrize("text, expected", [
    ("36% of respondents said yes, the changes will improve outcomes, 38% said no", True),
    ("Over half of respondents (52%) agreed/strongly agreed to having a mutually agreed chair", True),
    ("41% were supportive, with the rest either opposing or responding 'Don't know'", True),
    ("Health and education were the two largest identified groups referenced in around a fifth of responses (18%)",
     False),
])
def test_a_stance_figure_says_who_was_for_or_against(text, expected):
    assert bool(STANCE.search(text)) is expected


@pytest.mark.parametrize("question, sentence, expected", [
    ("what are the three levels the multi-agency expectations are split into?",
     "The expectations are split in to three levels of responsibility:", True),
    ("what are the 4 outcomes in the national framework?", "Four chapters describe the outcomes", True),
    ("JTAI - what are the two kinds?", "There are two types of JTAs", True),
    ("who are the safeguarding partners?", "three safeguarding partners", False),  # no count asked for
    ("what are the four principles?", "There were 1017 responses", False),
])
def test_a_list_question_counts_its_items(question, sentence, expected):
    count = list_count(question)
    assert bool(count and count.search(sentence)) is expected


def test_a_yes_no_question_with_a_count_is_not_a_list_question():
    assert list_count("are ICBs one of the 3 safeguarding partners?") is None


@pytest.mark.parametrize("text, expected", [
    ("In an emergency call 999.", False),
    ("Devon's Front Door: 0345 155 1071", False),
    ("There were 960 responses", True),
    ("over 1,000 responses", True),
    ("54.5% agreed", True),
])
def test_a_telephone_number_is_not_a_figure(text, expected):
    assert bool(QUESTION_TYPES["number"][1].search(text)) is expected
