"""Whose voice a record is: derived from the document's kind and the record's place in it.

A practitioner must never mistake what respondents said, a quote, a local briefing or a
commentary on the DRAFT guidance for a government decision. The rules, in the order they apply
(see VOICES in wtkb.models for the labels):

1. The document's kind decides for every document but the consultation response: a commentary
   (Bond Solon, written about the draft), a consultation notice, a local partnership's briefing
   or feedback (``local``: its label names the partnership and says it applies locally only).
2. In the consultation response (kind ``consultation response``):

   - a quoted block is a respondent's words (with its attribution);
   - under a "Government response" or "Following your feedback, we will" heading: a decision;
   - under a "You said that" heading: the government's summary of what respondents said;
   - a list item that asks a question ("…?"): a consultation question;
   - in the chapters about the consultation itself (foreword, method, who responded, Annex A):
     the government's own account, never a decision;
   - elsewhere (the topic sections, general feedback, equalities, next steps) the wording
     decides: a paragraph that opens by reporting respondents ("Respondents felt…", "There were
     968 responses", "We asked…", "41% agreed") is a summary of respondents' views; one that
     commits or answers ("we will", "we agree", "we are confident", "we have provided") is a
     decision; one that mentions respondents later is still their views; the rest is the
     government's own context;
   - a list item without wording of its own takes the voice of its lead-in paragraph.

Apart from the voice, a record is flagged ``myth`` when the source lists it in order to reject it: a
list item under a heading, or after a lead-in, that names myths or misconceptions ("Common myths
about challenges of sharing information with partners"). Its words are the opposite of the source's
advice ("Consent is needed to share personal information"), so its label says so, and an answer
quotes it only for a question about myths (:func:`asks_about_myths`) or, last and labelled, for a
yes/no question it matches (:mod:`wtkb.qa.compose`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from wtkb.models import VOICES, Record, SourceDoc
from wtkb.text import split_sentences

KIND_VOICE = {"local feedback": "local", "guidance briefing": "local", "commentary": "commentary",
              "notice": "notice"}
DECISION_HEADINGS = ("Government response", "Following your feedback")
RESPONDENT_HEADINGS = ("You said that",)
# chapters that describe the consultation exercise itself: the government's account, never a decision
ACCOUNT_CHAPTERS = ("Ministerial Foreword", "Executive summary", "Introduction", "Consultation exercise",
                    "Structural format", "Profile of respondents", "Methodology", "Stakeholder engagement",
                    "Engaging with inspectorates", "Main findings", "Annex A")
RESPONDENTS = re.compile(
    r"\b(?:respondents?|(?<!written )(?<!this )responses|comments|consultees|we (?:asked|received|heard)|"
    r"(?:when|if) asked|"
    r"you (?:said|told)|those (?:agreeing|disagreeing|who (?:agreed|disagreed))|"
    r"(?:most|many|some|others?) (?:felt|said|thought|agreed|disagreed|explained|wanted))\b|\d+ ?%|\bper ?cent\b",
    re.I)
# a respondent's quote the source set as plain paragraphs: opens with a curly quote or ends “…” [Who]
QUOTED = re.compile(r"^\s*“|”\s*\[[^\[\]]+\]\s*$")
COMMITMENT = re.compile(
    r"\bwe (?:will|shall|agree|accept|intend|are (?:also |now )?(?:committed|confident|considering|exploring|"
    r"working|setting up|delivering|developing|testing|introducing|publishing|updating|clear)|"
    r"have (?:also )?(?:committed|provided|strengthened|amended|added|made|updated|decided|settled|responded)|"
    r"do need|recognise|want to explore|plan to|aim to|continue to)\b", re.I)


def voice_of(record: Record, doc: SourceDoc, lead: Record | None = None) -> str:
    """The VOICES key for ``record`` of ``doc``; ``lead`` is the paragraph a list item continues."""
    if doc.kind in KIND_VOICE:
        return KIND_VOICE[doc.kind]
    if record.kind == "quote" or QUOTED.search(record.text):
        return "quote"
    heading = _heading_voice(record)
    if heading:
        return heading
    if record.kind == "list_item" and record.text.rstrip().endswith("?"):
        return "question"
    if record.section and record.section[0].startswith(ACCOUNT_CHAPTERS):
        return "government"
    own = _wording_voice(record.text)
    if own:
        return own
    if record.kind == "list_item" and lead is not None and lead.voice:
        return lead.voice
    return "government"


def _heading_voice(record: Record) -> str | None:
    if any(h.startswith(DECISION_HEADINGS) for h in record.section):
        return "decision"
    if any(h.startswith(RESPONDENT_HEADINGS) for h in record.section):
        return "respondents"
    return None


def _wording_voice(text: str) -> str | None:
    spans = split_sentences(text)
    first = text[spans[0][0]:spans[0][1]] if spans else text
    if RESPONDENTS.search(first):
        return "respondents"
    if COMMITMENT.search(text):
        return "decision"
    if RESPONDENTS.search(text):
        return "respondents"
    return None


MYTHS = re.compile(r"\b(?:myths?|misconceptions?)\b", re.I)
# a question about the myths themselves, or whether a claim is true, may quote a myth (labelled as one)
MYTH_Q = re.compile(r"\b(?:myths?|misconceptions?|true|truth|misunderst\w*)\b", re.I)


def is_myth(record: Record, lead: Record | None = None) -> bool:
    """A list item the source gives as a myth: its own heading or its lead-in paragraph names myths."""
    if record.kind != "list_item":
        return False
    own_heading = bool(record.section) and MYTHS.search(record.section[-1]) is not None
    return own_heading or (lead is not None and lead.section == record.section and MYTHS.search(lead.text) is not None)


def asks_about_myths(question: str) -> bool:
    """The question asks about myths or whether something is true: the only answers that quote a myth."""
    return MYTH_Q.search(question) is not None


def assign_voices(records: Iterable[Record], doc: SourceDoc) -> None:
    """Set ``voice`` (and ``myth``) on every record of ``doc``, in reading order (a list item needs its
    lead-in's)."""
    lead: Record | None = None
    for r in records:
        r.voice = voice_of(r, doc, lead if r.kind == "list_item" else None)
        r.myth = is_myth(r, lead)
        if r.kind not in ("list_item", "footnote", "quote"):
            lead = r


def local_area(doc: SourceDoc) -> str:
    """The place a local partnership covers: "Devon Safeguarding Children Partnership" -> "Devon"."""
    return re.sub(r"\s+(?:Safeguarding Children )?Partnership$", "", doc.publisher).strip() or doc.publisher


def voice_label(record: Record, doc: SourceDoc | None = None) -> str:
    """What a practitioner sees beside a citation ("Local briefing (Devon Safeguarding Children
    Partnership): applies locally only", "A respondent's words: Police officer")."""
    label = VOICES.get(record.voice, "")
    if record.myth:
        where = f" ({doc.publisher})" if doc is not None and record.voice == "local" else ""
        return f"{label}{where}: a myth it lists, not advice"
    if record.voice == "quote" and record.attribution:
        return f"{label}: {record.attribution}"
    if record.voice == "local" and doc is not None:
        if record.kind == "quote" and record.attribution:
            return f"{label} ({doc.publisher}) quoting {record.attribution}"
        if doc.kind == "local feedback":
            return f"Local consultation feedback ({doc.publisher}): applies locally only"
        return f"{label} ({doc.publisher}): applies locally only"
    if record.voice == "commentary" and doc is not None:
        return f"{label} ({doc.publisher})"
    return label


def answer_lead(record: Record, doc: SourceDoc | None) -> str:
    """The words put before a sentence of ``record`` in an answer so its voice cannot be missed
    ("In Devon (local briefing): …"); empty for the government's own statements."""
    if doc is None:
        return ""
    if record.myth:
        where = f"In {local_area(doc)} (local briefing)" if record.voice == "local" else "The source"
        return f"{where}, listed as a common myth (not advice): "
    if record.voice == "local":
        what = "local consultation feedback" if doc.kind == "local feedback" else "local briefing"
        return f"In {local_area(doc)} ({what}): "
    return LEADS.get(record.voice, "")


LEADS = {
    "respondents": "Respondents' views: ",
    "quote": "A respondent said: ",
    "commentary": "Commentary on the draft: ",
    "notice": "Consultation notice: ",
    "question": "The consultation asked: ",
}
