"""The answer contract shared by `wtkb ask --json`, `--jsonl` and `POST /ask`."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Citation(BaseModel):
    """A paragraph of the corpus, as cited: its text is the corpus text, unchanged."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "cr2023-support-under-section-17-government-response-p3",
        "document": "cr2023",
        "label": "Consultation response 2023 › Support under section 17 of the Children Act 1989 › "
                 "Government response › para 3",
        "section": "Section 3 – Help and support for children and their families › Support under section 17 of "
                   "the Children Act 1989 › Government response",
        "text": "In removing references to social workers, we did not want to imply that social workers would no "
                "longer be lead practitioners under section 17. … Guidance is clear that where there are child "
                "protection concerns, the lead practitioner will be a social worker.",
        "url": "/sources/cr2023/15-section-3-help-and-support.html"
               "#cr2023-support-under-section-17-government-response-p3",
        "score": 0.7022,
        "voice": "decision",
        "voice_label": "Government decision"}]})

    id: str = Field(description="Paragraph ID (stable; the anchor in the handbook).")
    document: str = Field(description="Source document id, e.g. cr2023.")
    label: str = Field(description="What a practitioner reads out: source › heading path › para N.")
    section: str = Field(description="Heading path of the paragraph, joined with ' › '.")
    text: str = Field(description="The paragraph's full text, exactly as in the corpus.")
    url: str = Field(description="Link to the paragraph's anchor in the handbook.")
    score: float = Field(description="Retrieval score (higher is better; comparable within one answer).")
    voice: str = Field("", description="Who is speaking: decision, government, respondents, quote, question, local, "
                                       "commentary or notice (the corpus record's `voice`).")
    voice_label: str = Field("", description="The voice as a practitioner reads it, e.g. 'Summary of respondents' "
                                             "views' or 'Local briefing (Devon Safeguarding Children Partnership): "
                                             "applies locally only'.")
    myth: bool = Field(False, description="The paragraph is a claim its source lists in order to reject it (the "
                                          "corpus record's `myth`): never advice.")


class AnswerSentence(BaseModel):
    """One sentence of an answer, as the answer text shows it, with whose voice it is."""

    text: str = Field(description="The sentence: copied exactly from its cited paragraph, or (source 'glossary' or "
                                  "'duty') the handbook's own summary.")
    lead: str = Field("", description="Words shown before the sentence that say whose voice it is "
                                      "(e.g. 'In Devon (local briefing): '); not part of the copied text.")
    ids: list[str] = Field(description="IDs of the paragraphs the sentence is copied from (empty for the handbook's "
                                       "summary, which is our words).")
    sources: list[str] = Field(default_factory=list, description="For a handbook summary: the cited source "
                                                                 "paragraphs that use the term.")
    source: str = Field("paragraph", description="'paragraph' (copied from the source), 'glossary' or 'duty' "
                                                 "(the handbook's summary).")
    voice: str = Field("", description="Voice key of the cited paragraph; 'handbook' for the handbook's summary.")
    voice_label: str = Field("", description="The voice as a practitioner reads it.")
    myth: bool = Field(False, description="Copied from a myth its source rejects (labelled as one).")
    url: str | None = Field(None, description="For a handbook summary: the glossary term or duty page.")


class TopicLink(BaseModel):
    """A handbook topic chapter that covers the question."""

    title: str
    url: str


DV_EXAMPLE = {
    "question": "can a DV worker be lead practitioner?",
    "answer": "Guidance is clear that where there are child protection concerns, the lead practitioner will be a "
              "social worker. [cr2023-support-under-section-17-government-response-p3] We will take forward the "
              "proposed changes to the guidance which clarify that a broader range of practitioners can be the lead "
              "practitioner for children and their families under section 17. "
              "[cr2023-support-under-section-17-government-response-p1]",
    "supported": True,
    "citations": [Citation.model_config["json_schema_extra"]["examples"][0]],
    "see_also": [],
    "sentences": [{"text": "Guidance is clear that where there are child protection concerns, the lead practitioner "
                           "will be a social worker.",
                   "lead": "", "ids": ["cr2023-support-under-section-17-government-response-p3"],
                   "source": "paragraph", "voice": "decision", "voice_label": "Government decision"}],
    "topics": [{"title": "Who can be the lead practitioner", "url": "/topics/01-lead-practitioner.html"}],
}


class Answer(BaseModel):
    """The answer contract shared by `wtkb ask --json`, `--jsonl` and `POST /ask`."""

    model_config = ConfigDict(json_schema_extra={"examples": [DV_EXAMPLE]})

    question: str
    answer: str = Field(description="1–6 sentences, each followed by [the IDs it rests on]: copied from a cited "
                                    "paragraph (after a lead such as 'In Devon (local briefing): ' saying whose voice "
                                    "it is), or labelled as the handbook's own summary; or, when the sources do not "
                                    "answer, a plain statement saying so and where to look instead.")
    supported: bool = Field(description="False when the sources do not answer the question.")
    hedged: bool = Field(False, description="True when the sources may not answer the question exactly: the answer "
                                            "opens by saying so, then gives the closest sentences they have (each "
                                            "cited). Never true when supported is false.")
    citations: list[Citation] = Field(description="The paragraphs the answer cites, best first.")
    see_also: list[Citation] = Field(description="Other related paragraphs, best first (when the question is not "
                                                 "answered: only paragraphs that really are related, or none).")
    sentences: list[AnswerSentence] = Field(default_factory=list,
                                            description="The answer's sentences with their voice, in order.")
    topics: list[TopicLink] = Field(default_factory=list,
                                    description="Handbook topic chapters that cover the question.")
