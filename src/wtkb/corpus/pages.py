"""Printed page numbers: where a record sits in the source document as published.

The consultation response (a PDF converted to Markdown) opens with its own
contents list, one heading per line with the printed page it starts on
("Support under section 17 of the Children Act 1989<TAB>42"). The ingest skips
that list (it is not content), so the page locator is derived here, from the
same source text, without touching records or their IDs:

1. `contents` reads the list: ``[(heading, page), ...]`` in document order;
2. `page_locators` walks the document's records in order and, each time a
   record enters a new heading, moves forward through the list to the next
   entry with the same heading (so the many "Government response" headings
   each find their own entry); a record under a heading the list does not
   give ("You said that:") keeps the page of the heading above it.

A locator covers the pages from its heading's start to the next heading's
start ("p. 42", "pp. 42–44"; "from p. 68" for the last entry): the contents
list does not say more precisely where a paragraph falls.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from wtkb.models import Record, SourceDoc
from wtkb.text import alnum

_CONTENTS_HEADING = re.compile(r"^#{1,3}\s*\**\s*(?:table of )?contents\s*\**\s*$", re.IGNORECASE)
_ENTRY = re.compile(r"^(?P<title>\S.*?)[\t ]*\t[\t ]*(?P<page>\d{1,4})\s*$")
_LOOKAHEAD = 6  # how many contents entries a heading may skip forward to find its own


def contents(text: str) -> list[tuple[str, int]]:
    """The document's own contents list as (heading, printed page), or [] if it has none."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if _CONTENTS_HEADING.match(line.strip())), None)
    if start is None:
        return []
    out: list[tuple[str, int]] = []
    for line in lines[start + 1:]:
        if line.startswith("#"):
            break  # the first heading after the list: the document itself
        m = _ENTRY.match(line.rstrip())
        if m:
            out.append((" ".join(m["title"].split()), int(m["page"])))
    return out


def _same(heading: str, entry: str) -> bool:
    a, b = alnum(heading), alnum(entry)
    return bool(a) and (a == b or (len(a) > 12 and len(b) > 12 and (a.startswith(b) or b.startswith(a))))


def locator(entries: list[tuple[str, int]], i: int) -> str:
    """The pages of the ``i``-th contents entry: up to where the next heading starts."""
    first = entries[i][1]
    later = [p for _, p in entries[i + 1:] if p >= first]
    if not later:
        return f"from p. {first}"
    last = later[0]
    return f"p. {first}" if last == first else f"pp. {first}–{last}"


def page_locators(entries: list[tuple[str, int]], records: Iterable[Record]) -> dict[str, str]:
    """Record ID -> its printed-page locator, for the records of one document (in document order)."""
    out: dict[str, str] = {}
    if not entries:
        return out
    ptr, current, last_path = 0, None, ()
    for r in records:
        path = tuple(r.section)
        if path != last_path:
            common = 0
            while common < min(len(path), len(last_path)) and path[common] == last_path[common]:
                common += 1
            for heading in path[common:]:
                j = next((j for j in range(ptr, min(ptr + _LOOKAHEAD, len(entries))) if _same(heading, entries[j][0])),
                         None)
                if j is not None:
                    current, ptr = j, j + 1
            last_path = path
        if current is not None:
            out[r.id] = locator(entries, current)
    return out


def document_locators(doc: SourceDoc, records: Iterable[Record]) -> dict[str, str]:
    """Printed-page locators of a document's records from its own contents list ({} when it has none)."""
    from wtkb.corpus.sources import read_source

    return page_locators(contents(read_source(doc)), [r for r in records if r.document == doc.id])
