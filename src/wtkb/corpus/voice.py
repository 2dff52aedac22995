"""Whose voice a record is: derived from the document's kind and the record's place in it.

A first rule set (document kind, quotes, the consultation response's "Government response" /
"Following your feedback, we will" headings); see VOICES in wtkb.models for the labels.
"""

from __future__ import annotations

from wtkb.models import VOICES, Record, SourceDoc

KIND_VOICE = {"local feedback": "local", "guidance briefing": "local", "commentary": "commentary",
              "notice": "notice"}
DECISION_HEADINGS = ("Government response", "Following your feedback")


def voice_of(record: Record, doc: SourceDoc) -> str:
    """The VOICES key for ``record`` of ``doc``."""
    if record.kind == "quote":
        return "quote"
    if doc.kind in KIND_VOICE:
        return KIND_VOICE[doc.kind]
    if any(h.startswith(DECISION_HEADINGS) for h in record.section):
        return "decision"
    return "government"


def voice_label(record: Record, doc: SourceDoc | None = None) -> str:
    """What a practitioner sees beside a citation ("Local briefing: Devon Safeguarding Children Partnership")."""
    label = VOICES.get(record.voice, "")
    if record.voice == "local" and doc is not None:
        return f"{label} ({doc.publisher}): applies locally only"
    return label
