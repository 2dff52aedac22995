"""Every handbook address in one place: pages, records, documents, duties, topics.

Paths are relative to the handbook root (``sources/cr2023/15-section-3``, no suffix); ``*_url``
functions put a base URL in front and the ``.html`` suffix on. Nothing else builds a handbook
address by hand.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wtkb.models import Record, SourceDoc


def page_url(page: str, base_url: str = "/") -> str:
    """Where a handbook page is on the built site: ``{base_url}{page}.html``."""
    return f"{base_url.rstrip('/')}/{page}.html"


def record_url(record: Record, base_url: str = "/") -> str:
    """Where a record's anchor is on the built site: ``{base_url}{page}.html#{id}`` (the one definition,
    used by the handbook, the API's citations and the briefing packs)."""
    return f"{page_url(record.page, base_url)}#{record.id}"


def document_page(doc: SourceDoc) -> str:
    """The handbook page that opens a source document (a split document has a landing page)."""
    return f"sources/{doc.id}/index" if doc.split_pages else f"sources/{doc.id}"


def duty_page(duty_id: str) -> str:
    """The duties register page of one provision."""
    return f"duties/{duty_id}"


GLOSSARY_PAGE = "generated/glossary"


def term_url(term: str, base_url: str = "/") -> str:
    """A glossary term's anchor, as Sphinx 7's glossary directive names it: ``term-`` + the term with its case
    kept and every run of other characters as one hyphen (``term-CIN``, ``term-lead-practitioner``)."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", term).strip("-")
    return f"{page_url(GLOSSARY_PAGE, base_url)}#term-{slug}"


def topic_page(path_stem: str) -> str:
    """The handbook page of a topic chapter ``book/topics/<stem>.md``."""
    return f"topics/{path_stem}"
