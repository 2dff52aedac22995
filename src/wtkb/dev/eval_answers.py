"""What a practitioner reads: scores the real :meth:`wtkb.qa.QA.ask` answers (the same decision as ``/ask``).

Per question (see :class:`Outcome`):

* **gold in answer**: the answer text (citation tags removed) contains one of the question's gold
  strings: a ``gold_text``, or for ``gold_glossary`` / ``gold_duty`` the handbook's own summary
  (a glossary term's expansion or the opening of its definition; a duty's title or the opening of
  what it requires). A refusal scores 0;
* **gold in citations**: the text of one of the answer's citations contains a gold string;
* **top-5 / MRR**: rank of the first gold record in the retriever's top 10 (as in the retrieval table;
  over questions with gold records);
* **answerable refused** / **uncovered answered**: ``supported`` against ``answerable``; an uncovered
  question counts as answered only when the answer is not ``hedged`` (a hedged answer opens by saying the
  sources may not answer it, then gives the closest sentences); **hedged** / **unc.hedged** are the shares of
  answerable and of uncovered questions answered under that hedge;
* **respondent lead**: for a "what is required" question (expected voice ``decision``), the answer's
  first sentence cites a record whose voice is ``respondents`` or ``quote``;
  **respondent cue** judges the same from the lead sentence's own words ("respondents", a percentage,
  "comments"), so it does not depend on how voices are derived;
* **voice match**: the voice of the first sentence's citation equals the expected voice.

A citation's voice is its ``voice`` field when the answer carries one, else the corpus record's; a lead
sentence that cites no corpus record counts as ``handbook`` (the glossary / duties register speaking).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass

import numpy as np

from wtkb.dev.eval_questions import SPLITS, TYPES, Question, norm
from wtkb.models import Record

RESPONDENT_VOICES = ("respondents", "quote")
# a sentence that reports what respondents said: "69% agree…", "Many respondents…", "We received 62 comments"
RESPONDENT_CUE = re.compile(r"\brespondents?\b|\b\d+(?:\.\d+)?%|\bcomments\b", re.I)
HANDBOOK = "handbook"  # the handbook's own words (glossary / duties register), not a source's
TAG = re.compile(r"\s*\[([^\[\]]+)\]")  # "… sentence. [cr2023-…-p3, cr2023-…-p4]"
PREFIX = 60  # letters of a handbook summary that count as quoting it


@dataclass
class Outcome:
    q: str
    type: str
    split: str
    answerable: bool
    required: bool
    supported: bool
    hedged: bool  # answered under the hedge "the sources may not answer this exactly"
    retrievable: bool  # has gold records (else only the glossary / duties register answer it)
    rank: int | None  # first gold record in the top 10
    gold_in_answer: bool
    gold_in_citations: bool
    gold_in_lead: bool  # the point is in the lead sentence (with the list item a "…:" lead-in introduces)
    lead_id: str | None
    lead_voice: str | None
    expected_voice: str | None
    lead: str  # the first answer sentence (for the failure listing)

    @property
    def respondent_lead(self) -> bool:
        return self.required and self.supported and self.lead_voice in RESPONDENT_VOICES

    @property
    def respondent_cue(self) -> bool:
        """As :attr:`respondent_lead`, judged from the lead sentence's words, not the record's voice."""
        return self.required and self.supported and bool(RESPONDENT_CUE.search(self.lead))

    @property
    def voice_match(self) -> bool:
        return self.supported and self.lead_voice == self.expected_voice

    def failures(self) -> list[str]:
        if not self.answerable:
            return ["uncovered but answered"] if self.supported and not self.hedged else []
        if not self.supported:
            return ["refused"]
        out = [] if self.gold_in_answer else ["gold not in answer"]
        out += [] if self.gold_in_citations else ["gold not in citations"]
        if self.respondent_lead or self.respondent_cue:
            out.append("respondents' view leads a what-is-required answer")
        out += [] if self.voice_match else [f"lead voice {self.lead_voice}, expected {self.expected_voice}"]
        return out


def gold_strings(q: Question, glossary: dict, duties: dict) -> list[str]:
    """The normalised strings any one of which, present in a text, carries the question's point."""
    out = [norm(t) for t in q.gold_text]
    for term in q.gold_glossary:
        e = glossary.get(term)
        if e is not None:
            out += [norm(e.expansion)] if e.expansion else []
            out += [norm(e.definition)[:PREFIX]] if e.definition else []
    for d in (duties.get(i) for i in q.gold_duty):
        if d is not None:
            out += [norm(d.title), norm(d.requires)[:PREFIX]]
    return [s for s in out if s]


def sentences(answer) -> list[tuple[str, list[str]]]:
    """The answer's sentences with the IDs each cites: a structured ``sentences`` field when the
    answer has one, else parsed from the ``text [id, id]`` tags of ``answer.answer``."""
    structured = getattr(answer, "sentences", None)
    if structured:
        out = []
        for s in structured:
            ids = getattr(s, "ids", None) or getattr(s, "citations", None) or [getattr(s, "id", "")]
            out.append((str(getattr(s, "text", "")), [i if isinstance(i, str) else getattr(i, "id", "") for i in ids]))
        return out
    out, pos = [], 0
    for m in TAG.finditer(answer.answer):
        out.append((answer.answer[pos:m.start()].strip(), [i.strip() for i in m.group(1).split(",")]))
        pos = m.end()
    tail = answer.answer[pos:].strip()
    return out + ([(tail, [])] if tail else [])


def plain_text(answer) -> str:
    """The answer as read, without its citation tags."""
    return norm(" ".join(t for t, _ in sentences(answer)))


def lead_sentences(texts: list[str]) -> list[str]:
    """The answer's lead: its first sentence, and the next ones while a sentence ends "…:" (a lead-in)."""
    out: list[str] = []
    for t in texts:
        out.append(t)
        if not t.rstrip().endswith(":"):
            break
    return out


def outcome(q: Question, answer, ranked_ids: list[str], by_id: dict[str, Record], gold: list[str]) -> Outcome:
    gset = set(q.gold)
    rank = next((i + 1 for i, r in enumerate(ranked_ids[:10]) if r in gset), None)
    supported = bool(answer.supported)
    text = plain_text(answer) if supported else ""
    cited = [norm(c.text) for c in answer.citations] if supported else []
    sents = sentences(answer) if supported else []
    lead_id = (sents[0][1] or [None])[0] if sents else None
    lead = norm(" ".join(lead_sentences([t for t, _ in sents])))
    return Outcome(q=q.q, type=q.type, split=q.split, answerable=q.answerable, required=q.required,
                   supported=supported, hedged=supported and bool(getattr(answer, "hedged", False)),
                   retrievable=q.retrievable, rank=rank,
                   gold_in_answer=any(g in text for g in gold), gold_in_lead=any(g in lead for g in gold),
                   gold_in_citations=any(g in c for g in gold for c in cited),
                   lead_id=lead_id, lead_voice=citation_voice(answer, lead_id, by_id),
                   expected_voice=q.voice, lead=sents[0][0] if sents else "")


def citation_voice(answer, cid: str | None, by_id: dict[str, Record]) -> str | None:
    """The voice of the lead sentence's citation: the citation's ``voice`` field, else its corpus record's;
    a sentence without a corpus citation (no tag, or a glossary / duty entry) is the handbook speaking."""
    if not answer.supported:
        return None
    for c in answer.citations:
        if cid is not None and c.id == cid and getattr(c, "voice", None):
            return str(c.voice)
    r = by_id.get(cid) if cid is not None else None
    return (r.voice or None) if r is not None else HANDBOOK


@dataclass
class AnswerRow:
    split: str
    type: str
    n: int  # answerable questions
    n_uncovered: int
    gold_in_answer: float | None
    gold_in_lead: float | None
    gold_in_citations: float | None
    top5: float | None
    mrr: float | None
    answerable_refused: float | None
    uncovered_answered: float | None
    hedged: float | None  # answerable questions answered under the hedge
    uncovered_hedged: float | None
    n_required: int
    respondent_lead: int  # count of required questions whose lead sentence is a respondent's view
    respondent_cue: int  # the same, judged from the lead sentence's words (independent of voice derivation)
    voice_match: float | None  # over answered answerable questions


def _mean(xs: list[bool | float]) -> float | None:
    return float(np.mean(xs)) if xs else None


def summarise(outs: list[Outcome], split: str, type_: str) -> AnswerRow:
    ans = [o for o in outs if o.answerable]
    un = [o for o in outs if not o.answerable]
    req = [o for o in ans if o.required]
    return AnswerRow(
        split=split, type=type_, n=len(ans), n_uncovered=len(un),
        gold_in_answer=_mean([o.gold_in_answer for o in ans]),
        gold_in_lead=_mean([o.gold_in_lead for o in ans]),
        gold_in_citations=_mean([o.gold_in_citations for o in ans]),
        top5=_mean([bool(o.rank and o.rank <= 5) for o in ans if o.retrievable]),
        mrr=_mean([1 / o.rank if o.rank else 0.0 for o in ans if o.retrievable]),
        answerable_refused=_mean([not o.supported for o in ans]),
        uncovered_answered=_mean([o.supported and not o.hedged for o in un]),
        hedged=_mean([o.hedged for o in ans]), uncovered_hedged=_mean([o.hedged for o in un]),
        n_required=len(req), respondent_lead=sum(o.respondent_lead for o in req),
        respondent_cue=sum(o.respondent_cue for o in req),
        voice_match=_mean([o.voice_match for o in ans if o.supported and o.expected_voice]))


def answer_rows(outs: Iterable[Outcome]) -> list[AnswerRow]:
    """Per split: all questions, then one row per type."""
    outs = list(outs)
    rows = []
    for s in SPLITS:
        so = [o for o in outs if o.split == s]
        if not so:
            continue
        rows.append(summarise(so, s, "all"))
        rows += [summarise(g, s, t) for t in TYPES if (g := [o for o in so if o.type == t])]
    return rows


ANSWER_COLUMNS = (  # header, what it is (printed under the table)
    ("n", "answerable questions"), ("unc", "uncovered questions"),
    ("ans", "gold text in the answer"), ("lead", "gold text in the lead sentence (the point comes first)"),
    ("cit", "gold text in a citation"),
    ("top5", "gold record in the top 5"), ("MRR", "mean reciprocal rank of the first gold record (top 10)"),
    ("refused", "answerable questions refused"), ("unc.ans", "uncovered questions answered (not hedged)"),
    ("hedged", "answerable questions answered under the hedge 'may not answer this exactly'"),
    ("unc.hedged", "uncovered questions answered under that hedge"),
    ("resp.lead", "what-is-required questions whose lead sentence cites a respondents/quote record / all such"),
    ("resp.cue", "the same judged from the lead sentence's words (respondents, a percentage, comments)"),
    ("voice", "lead sentence's voice is the expected one (answered questions)"))


def answer_table(rows: list[dict], title: str):
    from rich import box
    from rich.table import Table

    t = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, caption="  ".join(
        f"{h}: {what}" for h, what in ANSWER_COLUMNS), caption_justify="left")
    t.add_column("split", no_wrap=True)
    t.add_column("type", no_wrap=True)
    for h, _ in ANSWER_COLUMNS:
        t.add_column(h, justify="right", no_wrap=True)

    def f(x: float | None) -> str:
        return "" if x is None else f"{x:.2f}"

    for i, r in enumerate(rows):
        last = i + 1 == len(rows) or rows[i + 1]["type"] == "all"  # a rule after each split
        t.add_row(r["split"] if r["type"] == "all" else "", r["type"], str(r["n"]), str(r["n_uncovered"]),
                  f(r["gold_in_answer"]), f(r["gold_in_lead"]), f(r["gold_in_citations"]), f(r["top5"]), f(r["mrr"]),
                  f(r["answerable_refused"]), f(r["uncovered_answered"]), f(r["hedged"]), f(r["uncovered_hedged"]),
                  f"{r['respondent_lead']}/{r['n_required']}", f"{r['respondent_cue']}/{r['n_required']}",
                  f(r["voice_match"]),
                  end_section=last and i + 1 < len(rows))
    return t


def failures_table(per_question: list[dict], split: str):
    """Every question of ``split`` an answer fails on (from :func:`outcome_dicts`), with the lead sentence."""
    from rich.table import Table

    t = Table(title=f"answer failures on {split}", show_lines=False)
    for col in ("type", "question", "failed", "lead sentence (voice)"):
        t.add_column(col, overflow="fold")
    for o in per_question:
        if o["split"] == split and o["failures"]:
            lead = o["lead"][:110] + "…" if len(o["lead"]) > 110 else o["lead"]
            t.add_row(o["type"], o["q"], "; ".join(o["failures"]), lead + (f" ({o['lead_voice']})" if lead else ""))
    return t


def outcome_dicts(outs: list[Outcome]) -> list[dict]:
    return [{**asdict(o), "failures": o.failures()} for o in outs]
