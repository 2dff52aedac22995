"""The evaluation questions (``tests/eval/questions.yaml``): their schema, loading and validation.

Each question says what a correct answer must contain, not only where it is:

* ``gold``: record IDs of paragraphs that answer it (any one counts; never a ``duplicate_of`` record);
* ``gold_text``: exact substrings of those records' text that carry the point (any one present counts;
  compared whitespace-normalised and case-insensitively);
* ``gold_glossary`` / ``gold_duty``: glossary terms / duty IDs whose handbook summary also answers it
  (a question only these answer has no ``gold``; retrieval metrics leave it out);
* ``voice``: the expected voice of the answer's lead sentence: a key of :data:`wtkb.models.VOICES`, or
  ``handbook`` (the handbook's own glossary / duty summary); ``decision`` marks a "what is required" question;
* ``type``: one of :data:`TYPES`; ``split``: dev (tune on it) or test (held out);
* ``answerable: false`` with ``gold: []`` for questions the sources do not cover.

:func:`problems` lists everything wrong with a question set; ``tests/eval/test_questions.py`` runs it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from wtkb.errors import WtkbError
from wtkb.models import VOICES, Record

# what the question asks for; the answer composition and the report are per type
TYPES: dict[str, str] = {
    "yes_no": "yes/no and 'do we have to / can we' questions",
    "definition": "what is X, what does an acronym stand for, what does s47 mean",
    "number": "percentages, counts, dates and other figures",
    "who": "who decides, chairs, holds, is responsible",
    "why": "the reason for something",
    "what_changed": "what is new, removed or different",
    "procedure": "how to do something, what should happen next",
    "list": "the items of a list (what are the …)",
    "fact": "any other factual question about what a source says",
}
SPLITS = ("dev", "test")
# expected voices: the corpus voices, plus the handbook's own glossary / duty summary (our words)
EXPECTED_VOICES: tuple[str, ...] = (*VOICES, "handbook")
TEST_SHARE = 40  # percent of new questions that split_for puts in test
REQUIRED = ("q", "type", "answerable", "split")
KEYS = {*REQUIRED, "gold", "gold_text", "gold_glossary", "gold_duty", "voice", "note"}
MIN_QUESTIONS, MIN_UNCOVERED = 300, 40


@dataclass(frozen=True)
class Question:
    q: str
    gold: tuple[str, ...]
    type: str
    answerable: bool
    split: str
    gold_text: tuple[str, ...] = ()
    gold_glossary: tuple[str, ...] = ()
    gold_duty: tuple[str, ...] = ()
    voice: str | None = None
    note: str = ""

    @property
    def retrievable(self) -> bool:
        """Answerable from corpus paragraphs (not only from the glossary or duties register)."""
        return self.answerable and bool(self.gold)

    @property
    def required(self) -> bool:
        """A "what is required" question: the government's decision is the expected answer."""
        return self.answerable and self.voice == "decision"


def split_for(question: str) -> str:
    """The deterministic split of a new question: ``test`` for about TEST_SHARE % of question texts."""
    h = int(hashlib.sha256(norm(question).encode("utf-8")).hexdigest()[:8], 16)
    return "test" if h % 100 < TEST_SHARE else "dev"


def norm(text: str) -> str:
    """Whitespace-normalised, case-folded text: how gold text is compared."""
    return re.sub(r"\s+", " ", text).strip().casefold()


def questions_path(root: Path) -> Path:
    return root / "tests" / "eval" / "questions.yaml"


def read_raw(path: Path) -> list[dict]:
    if not path.is_file():
        raise WtkbError(f"no evaluation questions at {path}", "add tests/eval/questions.yaml (see its header)")
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(raw, list):
        raise WtkbError(f"{path} is not a list of questions", "write one '- q: …' entry per question", path)
    return raw


def _tuple(x) -> tuple[str, ...]:
    if x is None:
        return ()
    return (str(x),) if isinstance(x, str) else tuple(str(v) for v in x)


def load_questions(path: Path) -> list[Question]:
    out = []
    for i, x in enumerate(read_raw(path)):
        try:
            out.append(Question(
                q=str(x["q"]), gold=_tuple(x.get("gold")), type=str(x.get("type", "")),
                answerable=bool(x.get("answerable", True)), split=str(x.get("split", "dev")),
                gold_text=_tuple(x.get("gold_text")), gold_glossary=_tuple(x.get("gold_glossary")),
                gold_duty=_tuple(x.get("gold_duty")), voice=x.get("voice"), note=str(x.get("note") or "")))
        except (KeyError, TypeError, AttributeError) as exc:
            raise WtkbError(f"question {i + 1} is malformed ({exc})",
                            "give it q, gold, gold_text, voice, type, answerable, split (see the file's header)",
                            path) from exc
    return out


def problems(raw: list[dict], records: Iterable[Record], glossary_terms: Iterable[str],
             duty_ids: Iterable[str]) -> list[str]:
    """Everything wrong with a raw question list, one line each (empty: valid)."""
    by_id = {r.id: r for r in records}
    terms, duties = set(glossary_terms), set(duty_ids)
    out: list[str] = []
    seen: set[str] = set()
    for i, x in enumerate(raw):
        where = f"question {i + 1} ({str(x.get('q', ''))[:40]!r})" if isinstance(x, dict) else f"question {i + 1}"
        if not isinstance(x, dict):
            out.append(f"{where}: not a mapping")
            continue
        out += [f"{where}: {p}" for p in _question_problems(x, by_id, terms, duties)]
        key = norm(str(x.get("q", "")))
        if key in seen:
            out.append(f"{where}: asked twice")
        seen.add(key)
    return out


def _question_problems(x: dict, by_id: dict[str, Record], terms: set[str], duties: set[str]) -> list[str]:
    out = [f"missing {k}" for k in REQUIRED if k not in x]
    out += [f"unknown key {k}" for k in x if k not in KEYS]
    if x.get("type") not in TYPES:
        out.append(f"type {x.get('type')!r} is not one of {', '.join(TYPES)}")
    if x.get("split") not in SPLITS:
        out.append(f"split {x.get('split')!r} is not dev or test")
    if not isinstance(x.get("answerable"), bool):
        out.append("answerable must be true or false")
    gold, texts = _tuple(x.get("gold")), _tuple(x.get("gold_text"))
    gloss, duty = _tuple(x.get("gold_glossary")), _tuple(x.get("gold_duty"))
    out += [f"gold_glossary {t!r} is not a glossary term" for t in gloss if t not in terms]
    out += [f"gold_duty {d!r} is not a duty id" for d in duty if d not in duties]
    if x.get("answerable") is False:
        if gold or texts or gloss or duty:
            out.append("an uncovered question has no gold, gold_text, gold_glossary or gold_duty")
        if x.get("voice") is not None:
            out.append("an uncovered question has no voice")
        return out
    if x.get("voice") not in EXPECTED_VOICES:
        out.append(f"voice {x.get('voice')!r} is not one of {', '.join(EXPECTED_VOICES)}")
    if x.get("voice") == "handbook" and not (gloss or duty):
        out.append("voice handbook needs the gold_glossary or gold_duty entry that answers it")
    if not gold and not (gloss or duty):
        out.append("an answerable question needs gold record IDs (or gold_glossary / gold_duty)")
    if bool(gold) != bool(texts):
        out.append("gold record IDs and gold_text go together: give both")
    for g in gold:
        if g not in by_id:
            out.append(f"gold {g} is not a record ID")
        elif by_id[g].duplicate_of:
            out.append(f"gold {g} duplicates {by_id[g].duplicate_of}: use that one")
    gold_norm = [norm(by_id[g].text) for g in gold if g in by_id]
    for t in texts:
        if len(norm(t)) < 3:
            out.append(f"gold_text {t!r} is too short to mean anything")
        elif not any(norm(t) in body for body in gold_norm):
            out.append(f"gold_text {t!r} is in none of its gold records")
    return out


def coverage_problems(qs: list[Question]) -> list[str]:
    """Set-level requirements: enough questions, enough uncovered ones, both splits for every type."""
    out = []
    if len(qs) < MIN_QUESTIONS:
        out.append(f"{len(qs)} questions; at least {MIN_QUESTIONS} are needed")
    un = sum(1 for q in qs if not q.answerable)
    if un < MIN_UNCOVERED:
        out.append(f"{un} uncovered questions; at least {MIN_UNCOVERED} are needed")
    for t in TYPES:
        for s in SPLITS:
            if not any(q.type == t and q.split == s and q.answerable for q in qs):
                out.append(f"type {t} has no answerable {s} question")
    for s in SPLITS:
        if not any(q.split == s and not q.answerable for q in qs):
            out.append(f"no uncovered {s} question")
    return out
