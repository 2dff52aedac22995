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


# -- the public address of the site (one addressing model) ------------------------------------------


def normalise_base(base_url: str) -> str:
    """``base_url`` as the site's public base: ``/``, a path prefix (``/wtkb/``) or a full URL
    (``https://host/wtkb/``), always ending in ``/``. ValueError with the fix for anything else."""
    from urllib.parse import urlsplit

    text = (base_url or "/").strip()
    parts = urlsplit(text)
    if parts.scheme or parts.netloc:
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise ValueError(f"WTKB_BASE_URL={base_url!r} is not a usable address: give a path such as /wtkb/ "
                             "or a full URL such as https://safeguarding.example.org/wtkb/")
    elif not text.startswith("/") or parts.query or parts.fragment:
        raise ValueError(f"WTKB_BASE_URL={base_url!r} must start with / (e.g. /wtkb/) or be a full URL "
                         "(e.g. https://safeguarding.example.org/wtkb/)")
    return text if text.endswith("/") else text + "/"


def base_path(base_url: str) -> str:
    """The path prefix of a base URL: ``/wtkb/`` for both ``/wtkb/`` and ``https://host/wtkb/``."""
    from urllib.parse import urlsplit

    return urlsplit(normalise_base(base_url)).path or "/"


def absolute_base(base_url: str, host: str, port: int) -> str:
    """A full URL for links that leave the server (briefing packs): ``base_url`` when it is one, else
    the configured listening address plus its path. Never taken from a request's ``Host`` header."""
    base = normalise_base(base_url)
    if base.startswith(("http://", "https://")):
        return base
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}{base}"
