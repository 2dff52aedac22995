"""Render a briefing :class:`~wtkb.briefing.model.Pack`: ONE registry of formats (:data:`FORMATS`) that
the API, the CLI and the handbook's briefing form all derive from, and one module per format.

Every format is byte-identical for the same pack and base URL. ``base`` is the public address of
the handbook (:func:`public_base`); with None, files name the source and page instead of linking.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from wtkb.briefing.model import BriefingError, Pack
from wtkb.briefing.render.common import (  # noqa: F401 (re-exported)
    VIEWS,
    Slide,
    cite_labels,
    cite_text,
    footer_label,
    outline,
    public_base,
    short_label,
    slide_count,
)

PPTX_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def _pptx(pack: Pack, base: str | None) -> bytes:
    from wtkb.briefing.render.deck import render_pptx

    return render_pptx(pack, base)


def _md(pack: Pack, base: str | None) -> bytes:
    from wtkb.briefing.render.markdown import render_md

    return render_md(pack, base).encode("utf-8")


def _html(pack: Pack, base: str | None) -> bytes:
    from wtkb.briefing.render.handout import render_html

    return render_html(pack, base).encode("utf-8")


def _seven_html(pack: Pack, base: str | None) -> bytes:
    from wtkb.briefing.render.seven import render_seven_html

    return render_seven_html(pack, base).encode("utf-8")


def _seven_pptx(pack: Pack, base: str | None) -> bytes:
    from wtkb.briefing.render.seven import render_seven_pptx

    return render_seven_pptx(pack, base)


@dataclass(frozen=True)
class Format:
    name: str  # what --format, the API's "format" and the handbook form's option pass
    media_type: str
    suffix: str
    label: str  # what a menu shows
    render: Callable[[Pack, str | None], bytes]
    slides: bool = False  # a deck (the API reports its slide count)


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("pptx", PPTX_TYPE, ".pptx", "Slides (.pptx)", _pptx, slides=True),
    Format("html", "text/html; charset=utf-8", ".html", "One-page handout (.html)", _html),
    Format("seven", "text/html; charset=utf-8", ".html", "7-minute briefing, A4 page (.html)", _seven_html),
    Format("seven-pptx", PPTX_TYPE, ".pptx", "7-minute briefing, one A4 slide (.pptx)", _seven_pptx),
    Format("md", "text/markdown; charset=utf-8", ".md", "Slides as Markdown (.md)", _md),
)}


def get_format(name: str) -> Format:
    """The format called ``name`` (any case, a leading dot allowed); BriefingError naming the choices."""
    key = (name or "").lower().lstrip(".")
    if key not in FORMATS:
        raise BriefingError(f"unknown format '{name}'", f"use one of: {', '.join(FORMATS)}")
    return FORMATS[key]


def format_for_suffix(suffix: str) -> Format | None:
    """The first format written with ``suffix`` (".pptx" -> the deck, ".html" -> the handout)."""
    return next((f for f in FORMATS.values() if f.suffix == suffix.lower()), None)


def render(pack: Pack, fmt: str, base_url: str | None = None) -> bytes:
    """The pack as ``fmt`` (a key of :data:`FORMATS`); ``base_url`` only when it is a public address."""
    base = base_url if base_url and base_url.startswith(("http://", "https://")) else None
    return get_format(fmt).render(pack, base)
