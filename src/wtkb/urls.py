"""Every handbook address in one place: pages, records, documents, duties, topics.

Paths are relative to the handbook root (``sources/cr2023/15-section-3``, no suffix); ``*_url``
functions put a base URL in front and the ``.html`` suffix on. Nothing else builds a handbook
address by hand.
"""

from __future__ import annotations

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
