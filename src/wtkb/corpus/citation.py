"""A citation of a record fit for a case record: the original document, not this handbook.

``HM Government (Dec 2023) Changes to statutory guidance: … – Government consultation response,
'Support under section 17 of the Children Act 1989', pp. 42–44. https://www.gov.uk/…``

Publisher (without the parenthesised list of departments), date as published,
the document's own title, the section heading the record sits under (with its
parent when the heading alone is ambiguous, such as "Government response"),
the printed-page locator where the document has a contents list
(`wtkb.corpus.pages`), and the publication's public address from the manifest
(``url``) when it is known. Our own paragraph count ("para 3") is left out: it
is not the document's, and the handbook permalink that follows a copied
citation identifies the paragraph exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from wtkb.models import Record, SourceDoc
from wtkb.text import HEADING_SEP

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def published(date: str) -> str:
    """'2023-12' -> 'Dec 2023', '2023-07-26' -> '26 Jul 2023', anything else as given."""
    m = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", date.strip())
    if not m or not 1 <= int(m[2]) <= 12:
        return date.strip()
    month = f"{_MONTHS[int(m[2]) - 1]} {m[1]}"
    return f"{int(m[3])} {month}" if m[3] else month


def publisher_name(publisher: str) -> str:
    """'HM Government (Department for Education, …)' -> 'HM Government'."""
    return re.sub(r"\s*\(.*\)\s*$", "", publisher).strip() or publisher


def ambiguous_headings(records: Iterable[Record]) -> set[str]:
    """Headings that open more than one section of their document (e.g. "Government response")."""
    seen: dict[str, set[tuple[str, ...]]] = {}
    for r in records:
        for depth in range(1, len(r.section) + 1):
            seen.setdefault(r.section[depth - 1], set()).add(tuple(r.section[:depth - 1]))
    return {h for h, parents in seen.items() if len(parents) > 1}


def section_of(record: Record, ambiguous: set[str]) -> str:
    """The heading a record sits under, with parents prefixed while the heading alone is ambiguous."""
    path = [h for h in record.section if h]
    if not path:
        return ""
    shown = [path[-1]]
    while shown[0] in ambiguous and len(shown) < len(path):
        shown.insert(0, path[-len(shown) - 1])
    return HEADING_SEP.join(shown)


def source_citation(record: Record, doc: SourceDoc, section: str, locator: str | None = None) -> str:
    """The case-record citation of ``record`` (without the handbook permalink, which the page adds)."""
    head = f"{publisher_name(doc.publisher)} ({published(doc.date)}) {doc.title}"
    parts = [head]
    if section and section != doc.title:
        parts.append(f"‘{section}’")
    if locator:
        parts.append(locator)
    text = ", ".join(parts) + "."
    if doc.url:
        text += f" {doc.url}"
    return text


def citations(doc: SourceDoc, records: list[Record], locators: dict[str, str]) -> dict[str, str]:
    """Record ID -> case-record citation, for the records of one document."""
    mine = [r for r in records if r.document == doc.id]
    ambiguous = ambiguous_headings(mine)
    return {r.id: source_citation(r, doc, section_of(r, ambiguous), locators.get(r.id)) for r in mine}

