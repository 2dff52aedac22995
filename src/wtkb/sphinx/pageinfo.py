"""``wtkb.sphinx.pageinfo``: the content-date line at the foot of every page (and of every printout).

A separate Sphinx extension (listed after ``wtkb.sphinx`` in ``_config.yml``). Each page ends with

    Content date: sources dated 29 June 2023 to 2024; reviewed March 2026; handbook built 3 December 2026.
    Feedback · Local procedures and contacts · Accessibility

and a printout also starts with "Printed from <the handbook's title>. Content date: …".

The source dates come from the ``wtkb-source`` directives (the manifest); the build date, the
operator's review date (``WTKB_CONTENT_DATE``) and feedback address (``WTKB_FEEDBACK_URL``) come
from ``wtkb build`` through the ``wtkb_page_info`` config value, whose rebuild kind is "html": a
new build date rewrites every page (without re-reading them), so no page shows a stale date.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

from sphinx.application import Sphinx

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
LINKS = (("generated/local", "Local procedures and contacts"), ("accessibility", "Accessibility"))
NO_FEEDBACK = "To report a mistake, tell whoever runs this handbook for your organisation."


def human_date(value: str) -> str:
    """'2023-06-29' -> '29 June 2023', '2023-12' -> 'December 2023', '2023' -> '2023'."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", (value or "").strip())
    if not m:
        return value
    year, month, day = m.groups()
    if not month:
        return year
    name = MONTHS[int(month) - 1]
    return f"{int(day)} {name} {year}" if day else f"{name} {year}"


def date_line(source_dates: list[str], built: str, reviewed: str | None) -> str:
    """The content-date sentence (plain text)."""
    # a year alone ("2023") sorts after that year's dated sources, so the range starts at a real date
    dates = sorted((d for d in source_dates if d), key=lambda d: d + "-13" if len(d) == 4 else d)
    parts = []
    if dates:
        first, last = human_date(dates[0]), human_date(dates[-1])
        parts.append(f"sources dated {first}" + (f" to {last}" if last != first else ""))
    if reviewed:
        parts.append(f"content reviewed {reviewed}")
    if built:
        parts.append(f"handbook built {human_date(built)}")
    return "Content date: " + "; ".join(parts) + "." if parts else ""


def content_date(app: Sphinx) -> str:
    info: dict[str, Any] = app.config.wtkb_page_info or {}
    sources = app.env.get_domain("wtkb").data["sources"].values() if "wtkb" in app.env.domains else []
    return date_line([s.get("date") or "" for s in sources], info.get("built", ""), info.get("reviewed"))


def print_stamp_html(app: Sphinx) -> str:
    """Printed only, at the top of the first page: which handbook, and how current."""
    return (f'<p class="wtkb-print-stamp">Printed from {html.escape(app.config.html_title or "the handbook")}. '
            f'{html.escape(content_date(app))}</p>\n')


def footer_html(app: Sphinx, pagename: str) -> str:
    info: dict[str, Any] = app.config.wtkb_page_info or {}
    line = content_date(app)
    links = []
    feedback = info.get("feedback")
    if feedback:
        links.append(f'<a href="{html.escape(feedback, quote=True)}">Feedback on this page</a>')
    found = app.env.found_docs
    for doc, text in LINKS:
        if doc in found and doc != pagename:
            links.append(f'<a href="{html.escape(app.builder.get_relative_uri(pagename, doc))}">{text}</a>')
    tail = "" if feedback else f'<span class="wtkb-nofeedback">{html.escape(NO_FEEDBACK)}</span>'
    return (f'<div class="wtkb-pageinfo" role="note" aria-label="About this page">'
            f'<p class="wtkb-content-date">{html.escape(line)}</p>'
            f'<p class="wtkb-pagelinks">{" · ".join(links)}{" " if links and tail else ""}{tail}</p></div>\n')


def add_footer(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if doctree is None or "body" not in context:  # search, genindex: no article
        return
    context["body"] = print_stamp_html(app) + context["body"] + footer_html(app, pagename)


def page_info(built: dt.date | None = None, reviewed: str | None = None, feedback: str | None = None) -> dict:
    """The ``wtkb_page_info`` config value ``wtkb build`` passes to Sphinx."""
    return {"built": (built or dt.date.today()).isoformat(), "reviewed": reviewed or None,
            "feedback": feedback or None}


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("wtkb_page_info", {}, "html", types=[dict])
    app.connect("html-page-context", add_footer)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
