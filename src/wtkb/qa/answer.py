"""Grounded answers: sentences copied from retrieved paragraphs, each tagged with its paragraph ID.

Default mode needs no language model: :class:`QA` asks :mod:`wtkb.qa.refusal` whether the
sources answer the question, :mod:`wtkb.qa.knowledge` for the handbook's own summary of a term
or duty, and :mod:`wtkb.qa.compose` for the sentences that say the point. Each sentence says
whose voice it is: a lead before a local, respondents', quoted or commentary sentence ("In Devon
(local briefing): …", "Respondents' views: …"), and ``voice``/``voice_label`` on every sentence and
citation. When the sources are silent the answer says so in plain words.

With ``WTKB_LLM_MODE`` set, :mod:`wtkb.qa.llm` writes the answer from the same paragraphs; the
same refusal rule runs first, every sentence must cite one of them, anything ungrounded is
dropped, and if nothing is left the extractive answer is used.
"""

from __future__ import annotations

import logging
from functools import cached_property
from typing import Any

from wtkb.corpus.voice import answer_lead, asks_about_myths, voice_label
from wtkb.models import Record
from wtkb.qa.compose import DEFAULT_ANSWER_CONFIG, AnswerConfig, Composer, Sentence, asks_list
from wtkb.qa.knowledge import Knowledge, Summary
from wtkb.qa.refusal import HEDGE, Refusal, Verdict
from wtkb.qa.schemas import Answer, AnswerSentence, Citation, TopicLink
from wtkb.retrieve import Hit, Retriever, Scores
from wtkb.settings import Settings
from wtkb.text import heading_path
from wtkb.urls import record_url

log = logging.getLogger("wtkb.qa")




class QA:
    """Answers questions from a loaded :class:`Retriever`; cheap to call, safe across threads.

    Public methods for the API: :meth:`ask`, :meth:`search`, :meth:`record`, :meth:`citation`,
    :meth:`url`, :meth:`stats`, :meth:`duties`, :meth:`query_text`, :meth:`vectors_for`.
    """

    def __init__(self, settings: Settings, retriever: Retriever | None = None,
                 config: AnswerConfig = DEFAULT_ANSWER_CONFIG):
        self.settings = settings
        self.retriever = retriever or Retriever(settings)
        self.config = config
        self.composer = Composer(self.retriever, config)
        self.refusal = Refusal(self.retriever, config)
        self._llm = None
        if settings.llm_mode != "off":
            from wtkb.qa.llm import make_llm

            self._llm = make_llm(settings)

    @cached_property
    def knowledge(self) -> Knowledge:
        return Knowledge(self.settings, self.retriever.records)

    # -- what the API reads --------------------------------------------------------------------

    def url(self, record: Record) -> str:
        return record_url(record, self.settings.base_url)

    def record(self, record_id: str) -> Record | None:
        """The paragraph with this ID, or None."""
        return self.retriever.record(record_id)

    def stats(self) -> dict[str, Any]:
        """corpus_hash, model, records, sentences, documents, duplicates of the loaded index."""
        return self.retriever.stats()

    def duties(self) -> list[tuple[Any, list[str]]]:
        """Every duty of the register with the IDs of the paragraphs that concern it (computed once)."""
        return self.knowledge.duties

    @property
    def _duties_cache(self) -> list[tuple[Any, list[str]]]:  # the API's old name; use duties()
        return self.duties()

    @_duties_cache.setter
    def _duties_cache(self, value) -> None:
        pass

    def query_text(self, question: str) -> str:
        """The text to embed for ``question`` (pass its vector to :meth:`ask` as ``qvec``)."""
        return self.retriever.query_text(question)

    def vectors_for(self, texts: list[str]):
        return self.retriever.vectors_for(texts)

    def citation(self, record: Record, score: float) -> Citation:
        doc = self.retriever.source(record.document)
        return Citation(id=record.id, document=record.document, label=record.label,
                        section=heading_path(record.section), text=record.text,
                        url=self.url(record), score=round(score, 4), voice=record.voice,
                        voice_label=voice_label(record, doc), myth=record.myth)

    def search(self, query: str, k: int = 10, qvec=None) -> list[Citation]:
        return [self.citation(h.record, h.score) for h in self.retriever.search(query, k, qvec=qvec)]

    # -- the rules (kept as QA methods for wtkb.dev.evaluate) ----------------------------------

    def support(self, s: Scores, hits: list[Hit], config: AnswerConfig | None = None) -> float:
        return self.refusal.support(s, hits, config)

    def top_hit_has_all_terms(self, s: Scores, hits: list[Hit]) -> bool:
        return self.refusal.top_hit_has_all_terms(s, hits)

    def supported(self, s: Scores, hits: list[Hit], config: AnswerConfig | None = None) -> bool:
        """Whether the sources (or the handbook's glossary / duties register) answer the question, not only under
        the hedge "may not answer this exactly" (a briefing pack is never built on a hedge)."""
        defined = bool(self.knowledge.summaries(s.query, s.expansion.corrections))
        v = self.refusal.verdict(s, hits, defined, config)
        return v.supported and not v.hedged

    def pick_sentences(self, s: Scores, hits: list[Hit], config: AnswerConfig | None = None) -> list[Sentence]:
        """The answer's copied sentences (without lead-ins or the handbook's summary)."""
        return self.composer.pick(s, hits, config)

    # -- answering ----------------------------------------------------------------------------

    @property
    def uses_llm(self) -> bool:
        return self._llm is not None

    def ask(self, question: str, top_k: int = 5, qvec=None) -> Answer:
        """Answer ``question``; ``qvec`` is the embedding of :meth:`query_text` if known."""
        if self.settings.log_questions:
            log.info("question: %s", question)
        s = self.retriever.score(question, qvec=qvec)
        hits = self.retriever.rank(s, top_k)  # citations + see_also never exceed top_k
        summaries = self.knowledge.summaries(question, s.expansion.corrections)
        verdict = self.refusal.verdict(s, hits, bool(summaries))
        if not verdict.supported:
            related = self.refusal.related(s, hits, strict=bool(verdict.reason))
            return Answer(question=question, answer=self.refusal.text(verdict.reason, bool(related)),
                          supported=False, citations=[], see_also=[self.citation(h.record, h.score) for h in related])
        parts = self._handbook_parts(summaries, hits)
        chosen: list[tuple[str, list[Hit]]] | None = None
        if self._llm is not None:
            from wtkb.qa.llm import grounded_answer

            context = [h for h in hits if not h.record.myth or asks_about_myths(question)]  # never advice
            voices = {h.record.id: voice_label(h.record, self.retriever.source(h.record.document)) for h in context}
            chosen = grounded_answer(self._llm, question, context, self.settings, voices)
        if chosen:
            parts += [self._part(text, hs, copied=False) for text, hs in chosen]
        else:
            picked = self._spelled_first(verdict, self.composer.pick(s, self.composer.pool(s, hits)))
            if summaries:  # after the handbook's summary, only sentences from paragraphs that use the term
                picked = [x for x in picked if any(self.knowledge.uses(sm, x.hit) for sm in summaries)
                          and not self.retriever.is_directory(x.hit.record)]  # not "MSE ICB" from a name list
            parts += self._copied_parts(picked, whole_lists=asks_list(question))
        return self._answer(question, self._within(parts, top_k), hits, top_k, verdict.hedged)

    def _spelled_first(self, verdict: Verdict, picked: list[Sentence]) -> list[Sentence]:
        """For a question about an acronym a top paragraph spells out ("adcs stnds for?"), the sentence that spells
        it out leads ("Association of Directors of Children's Services (ADCS)")."""
        first: list[Sentence] = []
        for _, h, start, end in verdict.spelled:
            sents = self.retriever.sentences(h.record) or [(0, len(h.record.text))]
            inside = [i for i, (a, b) in enumerate(sents) if b > start and a < end] or [0]
            first.append(Sentence(h, sents[inside[0]][0], sents[inside[-1]][1], float("inf"), inside[0]))
        keys = {x.key for x in first}
        return [*first, *(x for x in picked if x.key not in keys)]

    @staticmethod
    def _within(parts: list[tuple[AnswerSentence, list[Hit]]], limit: int) -> list[tuple[AnswerSentence, list[Hit]]]:
        """The parts in order, leaving out any that would make the answer cite more than ``limit`` paragraphs
        (a paragraph drawn from below the top ``limit``, or where the sources spell a term out); the first
        part always stays."""
        out: list[tuple[AnswerSentence, list[Hit]]] = []
        cited: set[str] = set()
        for part in parts:
            ids = {h.record.id for h in part[1]}
            if out and len(cited | ids) > limit:
                continue
            cited |= ids
            out.append(part)
        return out

    def _handbook_parts(self, summaries: list[Summary], hits: list[Hit]) -> list[tuple[AnswerSentence, list[Hit]]]:
        out = []
        for sm in summaries:
            using = [h for h in hits if self.knowledge.uses(sm, h)][:2]
            have = {h.record.id for h in using}
            for rid in sm.cites[:1] if sm.source == "glossary" else ():  # where the sources spell the term out
                rec = self.retriever.record(rid)
                if rec is not None and rid not in have:
                    using = [*using[:1], Hit(rec, hits[0].score if hits else 0.0, 0.0, 0.0, len(hits) + 1)]
            out.append((AnswerSentence(text=sm.text, ids=[], sources=[h.record.id for h in using], source=sm.source,
                                       voice="handbook", voice_label="The handbook's summary", url=sm.url), using))
        return out

    def _copied_parts(self, picked: list[Sentence],
                      whole_lists: bool = False) -> list[tuple[AnswerSentence, list[Hit]]]:
        """Answer sentences for the picked ones, each list item after its lead-in ("we will:"); for a question
        asking for a list, two picked items of one short list bring the rest of it, in reading order."""
        out: list[tuple[AnswerSentence, list[Hit]]] = []
        leads_done: set[str] = set()
        if whole_lists:
            picked = self._with_whole_lists(picked)
        for x in picked:
            rec = x.hit.record
            lead = self.retriever.lead_in(rec) if x.index == 0 else None
            if lead is not None and lead.id not in leads_done and (lead.text.rstrip().endswith(":")
                                                                   or x.text[:1].islower()):
                leads_done.add(lead.id)
                spans = self.retriever.sentences(lead)
                text = lead.text[spans[-1][0]:spans[-1][1]] if spans else ""
                if text and not any(p.text == text for p, _ in out):
                    out.append(self._part(text, [Hit(lead, x.hit.score, 0.0, 0.0, x.hit.rank)]))
            out.append(self._part(x.text, [x.hit]))
            spans = self.retriever.sentences(rec)
            if x.text.rstrip().endswith(":") and spans and spans[-1][0] == x.start:  # "…four principles:"
                for item in self.retriever.items_after(rec, self.config.list_items):
                    if not any(p.text == item.text for p, _ in out):
                        out.append(self._part(item.text, [Hit(item, x.hit.score, 0.0, 0.0, x.hit.rank)]))
        return out

    def _with_whole_lists(self, picked: list[Sentence]) -> list[Sentence]:
        out: list[Sentence] = []
        by_id = {x.hit.record.id: x for x in picked}
        for x in picked:
            items = self.retriever.list_of(x.hit.record)
            if len(items) > self.config.list_items or sum(i.id in by_id for i in items) < 2:  # not evidently the list
                out.append(x)
                continue
            for item in items:  # the whole list, in reading order, where its first picked item was
                out.append(by_id.get(item.id) or Sentence(Hit(item, x.hit.score, 0.0, 0.0, x.hit.rank), 0,
                                                          len(item.text), x.score))
        seen: set[str] = set()
        return [x for x in out if not (x.key in seen or seen.add(x.key))]

    def _part(self, text: str, hs: list[Hit], copied: bool = True) -> tuple[AnswerSentence, list[Hit]]:
        rec = hs[0].record
        doc = self.retriever.source(rec.document)
        return (AnswerSentence(text=text, lead=answer_lead(rec, doc), ids=[h.record.id for h in hs],
                               source="paragraph" if copied else "llm", voice=rec.voice,
                               voice_label=voice_label(rec, doc), myth=rec.myth), hs)

    def _answer(self, question: str, parts: list[tuple[AnswerSentence, list[Hit]]], hits: list[Hit],
                top_k: int, hedged: bool = False) -> Answer:
        cited: dict[str, Hit] = {}
        for _, hs in parts:
            for h in hs:
                cited.setdefault(h.record.id, h)
        ordered = list(cited.values())  # in the order the answer first cites them, so its markers read [1], [2] …
        _one_lead_per_run(parts)
        answer = " ".join(p.lead + p.text + (f" [{', '.join(p.ids)}]" if p.ids else "") for p, _ in parts)
        if hedged:  # the sources may not answer it: say so before the closest sentences
            answer = f"{HEDGE} {answer}"
        rest = [h for h in hits if h.record.id not in cited][:max(0, top_k - len(cited))]
        topics = self.knowledge.topics_for([h.record.id for h in ordered] + [h.record.id for h in rest])
        return Answer(question=question, answer=answer, supported=True, hedged=hedged,
                      citations=[self.citation(h.record, h.score) for h in ordered],
                      see_also=[self.citation(h.record, h.score) for h in rest],
                      sentences=[p for p, _ in parts], topics=[TopicLink(title=t, url=u) for t, u in topics])


def _one_lead_per_run(parts: list[tuple[AnswerSentence, list[Hit]]]) -> None:
    """A run of sentences in one voice reads under one lead ("In Devon (local briefing): … …"): a sentence
    whose lead repeats the previous one's drops it (its ``voice_label`` still says whose it is). A myth always
    keeps its own ("listed as a common myth (not advice)")."""
    for i in range(len(parts) - 1, 0, -1):
        p, hs = parts[i]
        if p.lead and p.lead == parts[i - 1][0].lead and not hs[0].record.myth:
            p.lead = ""


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
