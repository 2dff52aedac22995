"""Grounded answers: sentences copied from retrieved paragraphs, each tagged with its paragraph ID.

Default mode needs no language model: :class:`QA` picks 1–5 sentences from the top paragraphs
(by sentence similarity, word overlap and the paragraph's rank; for a yes/no question it adds the
sentences that carry conditions: "where…", "if…", "unless…"). When the evidence is too weak the
answer says so (``supported: false``) and offers the nearest paragraphs as ``see_also``.

With ``WTKB_LLM_MODE`` set, :mod:`wtkb.llm` writes the answer from the same paragraphs and every
sentence must cite one of them; anything ungrounded is dropped, and if nothing is left the
extractive answer is used.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from wtkb.models import Record
from wtkb.retrieve import YES_NO_Q, Hit, Retriever, Scores, is_yes_no
from wtkb.settings import Settings
from wtkb.text import heading_path, split_sentences, tokenize
from wtkb.urls import record_url

if TYPE_CHECKING:
    from wtkb.reference.duties import Duty

log = logging.getLogger("wtkb.qa")

UNSUPPORTED = ("The sources in this knowledge base do not answer this question. "
               "The nearest related paragraphs are listed under see_also.")


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
        "score": 0.7022}]})

    id: str = Field(description="Paragraph ID (stable; the anchor in the handbook).")
    document: str = Field(description="Source document id, e.g. cr2023.")
    label: str = Field(description="What a practitioner reads out: source › heading path › para N.")
    section: str = Field(description="Heading path of the paragraph, joined with ' › '.")
    text: str = Field(description="The paragraph's full text, exactly as in the corpus.")
    url: str = Field(description="Link to the paragraph's anchor in the handbook.")
    score: float = Field(description="Retrieval score (higher is better; comparable within one answer).")


DV_EXAMPLE = {
    "question": "can a DV worker be lead practitioner?",
    "answer": "Guidance is clear that where there are child protection concerns, the lead practitioner will be a "
              "social worker. [cr2023-support-under-section-17-government-response-p3] We will take forward the "
              "proposed changes to the guidance which clarify that a broader range of practitioners can be the lead "
              "practitioner for children and their families under section 17. "
              "[cr2023-support-under-section-17-government-response-p1] We will make clear that the lead "
              "practitioner should hold the right skills and relationship with the family and that the decision "
              "about how lead practitioners will be allocated will be for the social work qualified practitioner or "
              "manager and include agreement from the multi-agency team and the lead practitioner, where this is "
              "appropriate. [cr2023-support-under-section-17-government-response-p1]",
    "supported": True,
    "citations": [Citation.model_config["json_schema_extra"]["examples"][0]],
    "see_also": [],
}


class Answer(BaseModel):
    """The answer contract shared by `wtkb ask --json`, `--jsonl` and `POST /ask`."""

    model_config = ConfigDict(json_schema_extra={"examples": [DV_EXAMPLE]})

    question: str
    answer: str = Field(description="1–5 sentences, each copied from a cited paragraph and followed by [its ID]; "
                                    "or a statement that the sources do not answer the question.")
    supported: bool = Field(description="False when the evidence is too weak to answer (see see_also).")
    citations: list[Citation] = Field(description="The paragraphs the answer cites, best first.")
    see_also: list[Citation] = Field(description="Other related paragraphs, best first (the nearest ones when "
                                                 "the question is not supported).")


@dataclass(frozen=True)
class AnswerConfig:
    """Abstention and sentence choice (calibrated on the dev split; see ``python -m wtkb.dev.evaluate``)."""

    # support = w_dense * best paragraph cosine + w_sentence * best sentence cosine
    #           + w_vocab * (share of the question's words that the corpus or the glossary knows - 1)
    # answered when support >= threshold; chosen for the best balanced accuracy on dev
    w_dense: float = 0.5
    w_sentence: float = 1.0
    w_vocab: float = 0.5
    threshold: float = 0.806
    paragraphs: int = 4  # sentences are drawn from this many top paragraphs
    max_sentences: int = 3  # 5 for yes/no questions, which need their conditions
    margin: float = 0.15  # keep sentences scoring within this of the best one
    condition_margin: float = 0.3  # yes/no: conditional sentences within this of the best
    # sentence score = cosine + w_overlap * word overlap + w_rank * paragraph score / best paragraph score
    #                  - w_position * paragraph rank + w_response * (under a "Government response" heading)
    #                  + w_same_verb * (yes/no question and the sentence has its verb: "can", "must" …)
    w_overlap: float = 0.3
    w_expansion: float = 0.25  # an expansion word counts this much of a question word in the overlap
    w_rank: float = 0.3
    w_position: float = 0.03
    w_response: float = 0.05
    w_same_verb: float = 0.05
    w_question: float = 0.5  # a sentence that is itself a question is used only when nothing else fits
    w_quote: float = 0.25  # answer from the sources' own statements before respondents' quoted views


DEFAULT_ANSWER_CONFIG = AnswerConfig()
QUESTION_END = re.compile(r"\?[\W_]*$")
CONDITION = re.compile(r"\b(where|if|unless|only|provided|except|as long as|whether|must|should not|cannot)\b", re.I)


@dataclass
class Sentence:
    hit: Hit
    start: int
    end: int
    score: float

    @property
    def text(self) -> str:
        return self.hit.record.text[self.start:self.end]


class QA:
    """Answers questions from a loaded :class:`Retriever`; cheap to call, safe across threads."""

    def __init__(self, settings: Settings, retriever: Retriever | None = None,
                 config: AnswerConfig = DEFAULT_ANSWER_CONFIG):
        self.settings = settings
        self.retriever = retriever or Retriever(settings)
        self.config = config
        self.vocab = self.retriever.bm25.vocab_dict
        self._llm = None
        self._duties: list[tuple[Duty, list[str]]] | None = None
        if settings.llm_mode != "off":
            from wtkb.qa.llm import make_llm

            self._llm = make_llm(settings)

    # -- building blocks ----------------------------------------------------------------------

    def url(self, record: Record) -> str:
        return record_url(record, self.settings.base_url)

    def citation(self, record: Record, score: float) -> Citation:
        return Citation(id=record.id, document=record.document, label=record.label,
                        section=heading_path(record.section), text=record.text,
                        url=self.url(record), score=round(score, 4))

    def search(self, query: str, k: int = 10, qvec=None) -> list[Citation]:
        return [self.citation(h.record, h.score) for h in self.retriever.search(query, k, qvec=qvec)]

    def support(self, s: Scores, hits: list[Hit], config: AnswerConfig | None = None) -> float:
        """How well the sources cover the question (answered when ``>= threshold``)."""
        c = config or self.config
        if not hits:
            return float("-inf")
        toks = [t for t in tokenize(s.query) if len(t) > 2 or t in self.vocab]  # "vs", "4" say little
        known = s.expansion.known_tokens
        vocab = sum(1 for t in toks if t in self.vocab or t in known) / len(toks) if toks else 0.0
        best_sentence = float(s.sentence.max(initial=-1.0))
        return c.w_dense * float(s.dense.max()) + c.w_sentence * best_sentence + c.w_vocab * (vocab - 1)

    def top_hit_has_all_terms(self, s: Scores, hits: list[Hit]) -> bool:
        """Every word of the question is known and the top paragraph contains all of the corpus ones.

        A short, specific question ("what is OASys", "NICCO?") embeds weakly, so its support score
        is low even when the top paragraph is plainly about it; this parameter-free test answers it.
        """
        if not hits:
            return False
        toks = list(dict.fromkeys(t for t in tokenize(s.query) if len(t) > 2 or t in self.vocab))
        known = s.expansion.known_tokens
        if not toks or any(t not in self.vocab and t not in known for t in toks):
            return False
        in_corpus = [t for t in toks if t in self.vocab]
        if not in_corpus:
            return False
        row = self.retriever.row_of[hits[0].record.id]
        bm25 = self.retriever.bm25
        return all(float(bm25.get_scores_from_ids([self.vocab[t]])[row]) > 0 for t in in_corpus)

    def supported(self, s: Scores, hits: list[Hit], config: AnswerConfig | None = None) -> bool:
        """Answer when the support score reaches the threshold or the top hit has all the question's terms."""
        c = config or self.config
        return self.support(s, hits, c) >= c.threshold or self.top_hit_has_all_terms(s, hits)

    # -- answering ----------------------------------------------------------------------------

    @property
    def uses_llm(self) -> bool:
        return self._llm is not None

    def ask(self, question: str, top_k: int = 5, qvec=None) -> Answer:
        """Answer ``question``; ``qvec`` is the embedding of ``retriever.query_text(question)`` if known."""
        if self.settings.log_questions:
            log.info("question: %s", question)
        s = self.retriever.score(question, qvec=qvec)
        hits = self.retriever.rank(s, top_k)  # citations + see_also never exceed top_k
        if not self.supported(s, hits):
            return Answer(question=question, answer=UNSUPPORTED, supported=False, citations=[],
                          see_also=[self.citation(h.record, h.score) for h in hits[:top_k]])
        chosen: list[tuple[str, list[Hit]]] | None = None
        if self._llm is not None:
            from wtkb.qa.llm import grounded_answer

            chosen = grounded_answer(self._llm, question, hits[:top_k], self.settings)
        if not chosen:
            chosen = [(x.text, [x.hit]) for x in self.pick_sentences(s, hits[:top_k])]
        cited: dict[str, Hit] = {}
        for _, hs in chosen:
            for h in hs:
                cited.setdefault(h.record.id, h)
        ordered = sorted(cited.values(), key=lambda h: h.rank)
        answer = " ".join(f"{text} [{', '.join(h.record.id for h in hs)}]" for text, hs in chosen)
        rest = [h for h in hits[:top_k] if h.record.id not in cited]
        return Answer(question=question, answer=answer, supported=True,
                      citations=[self.citation(h.record, h.score) for h in ordered],
                      see_also=[self.citation(h.record, h.score) for h in rest])

    def pick_sentences(self, s: Scores, hits: list[Hit], config: AnswerConfig | None = None) -> list[Sentence]:
        """1–5 sentences from the top paragraphs, in paragraph rank and reading order."""
        c = config or self.config
        r = self.retriever
        q_tokens = set(tokenize(s.query))
        x_tokens = set(tokenize(" ".join(s.expansion.phrases))) - q_tokens
        cands: list[Sentence] = []
        top_score = hits[0].score if hits else 1.0
        yes_no = is_yes_no(s.query)
        aux = re.compile(rf"\b{re.escape(_aux(s.query))}\b", re.I) if yes_no else None
        for i, h in enumerate(hits[:c.paragraphs]):
            row = r.row_of[h.record.id]
            rng = r.sents_of.get(row)
            if rng:
                spans = [(r.sent_spans[j][1], r.sent_spans[j][2], float(s.sentence[j])) for j in rng]
            else:  # footnotes have no sentence vectors: use the paragraph's own score
                spans = [(a, b, float(s.dense[row])) for a, b in split_sentences(h.record.text)]
            response = bool(r.response[row])
            for a, b, sim in spans:
                text = h.record.text[a:b]
                toks = set(tokenize(text))
                lex = (len(toks & q_tokens) + c.w_expansion * len(toks & x_tokens)) / max(1, len(q_tokens))
                rel = h.score / top_score if top_score > 0 else 0.0
                score = sim + c.w_overlap * lex + c.w_rank * rel - c.w_position * i + c.w_response * response
                if aux is not None and aux.search(text):  # "can a … be …?" -> "… can be …"
                    score += c.w_same_verb
                if h.record.kind == "quote":  # a respondent's view is not what the source itself says
                    score -= c.w_quote
                if QUESTION_END.search(text):  # "We also asked, '…?'" restates a question, it answers nothing
                    score -= c.w_question
                cands.append(Sentence(h, a, b, score))
        if not cands:
            return []
        best = max(x.score for x in cands)
        ranked = sorted(cands, key=lambda x: -x.score)
        limit = 5 if yes_no else c.max_sentences
        picked: list[Sentence] = []
        seen: set[str] = set()

        def take(x: Sentence) -> None:
            key = re.sub(r"\W+", " ", x.text.lower()).strip()
            if key not in seen and len(picked) < limit:
                seen.add(key)
                picked.append(x)

        used: set[str] = set()
        for x in ranked:  # the best sentence of each paragraph first, so the answer draws on several
            if x.score >= best - c.margin and len(picked) < c.max_sentences and x.hit.record.id not in used:
                used.add(x.hit.record.id)
                take(x)
        if yes_no:  # the conditions that decide the answer ("where there are child protection concerns…")
            for x in ranked:
                if x.score >= best - c.condition_margin and CONDITION.search(x.text) and x.hit.rank <= 3:
                    take(x)
        picked.sort(key=lambda x: (x.hit.rank, x.start))
        return picked


    # -- what the API and other faces read (public; the retriever's internals stay its own) ----

    def record(self, record_id: str) -> Record | None:
        """The corpus record with this ID, or None."""
        return self.retriever.by_id.get(record_id)

    def duties(self) -> list[tuple[Duty, list[str]]]:
        """The duties register, each duty with the IDs of the records that concern it (computed once)."""
        if self._duties is None:
            from wtkb.reference.duties import duty_backlinks, load_duties

            links = duty_backlinks(self.retriever.records)
            self._duties = [(d, links.get(d.id, [])) for d in load_duties()]
        return self._duties

    def stats(self) -> dict[str, Any]:
        """What the loaded index holds: corpus hash, model, counts (for /health)."""
        r = self.retriever
        return {"corpus_hash": r.meta.corpus_hash, "model": r.meta.model, "records": len(r.records),
                "sentences": r.meta.sentences, "documents": len(r.corpus.sources),
                "duplicates": sum(1 for x in r.records if x.duplicate_of)}

    def query_text(self, question: str) -> str:
        """The text embedded for ``question`` (to hand to a batcher that calls :meth:`vectors_for`)."""
        return self.retriever.query_text(question)

    def vectors_for(self, texts: list[str]) -> list:
        """Embed and score ``texts`` on the calling thread (the API's batcher thread)."""
        return self.retriever.vectors_for(texts)


def _aux(question: str) -> str:
    m = YES_NO_Q.search(question)
    return m.group(1).lower() if m else ""


def load_qa(settings: Settings, warm: bool = True) -> QA:
    """Load the index (refusing a stale or missing one) and return a ready :class:`QA`.

    ``warm`` runs the model's (slow) first forward pass now, on this thread. Run every forward pass
    of a process on one thread: torch's thread pool belongs to the thread that first used it, and a
    second thread's passes then run about twice as slowly on 2 cores.
    """
    qa = QA(settings)
    if warm:
        qa.retriever.embed("warm up")
    return qa
