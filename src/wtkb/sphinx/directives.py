"""The directives that generated pages are made of.

``wtkb-record`` (one citable record: anchor, label, permalink, copy-citation
button, duty chips), ``wtkb-source`` (a source's provenance), ``wtkb-duty``
(declares the page of a duty) and the placeholders ``duty-backlinks``,
``duty-register`` and ``wtkb-source-list``, filled in by
`wtkb.sphinx.placeholders` once every page has been read.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from wtkb.sphinx.nodes import wtkb_box, wtkb_placeholder
from wtkb.sphinx.roles import xref
from wtkb.sphinx.search import duty_keywords, index_node

EXCERPT_WORDS = 45
logger = logging.getLogger(__name__)


def words(text: str, n: int = EXCERPT_WORDS) -> str:
    words = text.split()
    return " ".join(words[:n]) + (" …" if len(words) > n else "")


def _split(value: str | None) -> list[str]:
    return [v for v in (value or "").replace(",", " ").split() if v]


def cite_button(rid: str, label: str, cite: str) -> str:
    """The "Copy citation" button: ``wtkb.js`` copies ``data-source`` (else the label) and the permalink."""
    source = f' data-source="{html.escape(cite)}"' if cite else ""
    return (f'<button type="button" class="wtkb-cite" data-cite="{html.escape(label)}"{source} data-target="{rid}" '
            f'title="Copy a citation of the original document, with a link to this paragraph">Copy citation</button>')


class WtkbRecord(SphinxDirective):
    """One citable record: ``{wtkb-record} <id>`` with its text as the content (shown verbatim).

    Options: ``kind``, ``label``, ``document`` (required); ``duties`` and
    ``footnotes`` (space-separated IDs), ``attribution`` and ``caption``,
    ``duplicate-of``, ``cite`` (the case-record citation of the original document, which
    "Copy citation" copies with the handbook permalink); ``voice`` and ``voice-label`` (whose
    words these are, shown first). A table's content is its rows as JSON.
    """

    required_arguments = 1
    has_content = True
    option_spec = {
        "kind": directives.unchanged_required,
        "label": directives.unchanged_required,
        "document": directives.unchanged_required,
        "duties": directives.unchanged,
        "footnotes": directives.unchanged,
        "attribution": directives.unchanged,
        "caption": directives.unchanged,
        "duplicate-of": directives.unchanged,
        "cite": directives.unchanged,
        "voice": directives.unchanged,
        "voice-label": directives.unchanged,
        "myth": directives.unchanged,  # "yes": a claim the source lists in order to reject it (styled as a warning)
    }

    def run(self) -> list[nodes.Node]:
        rid = self.arguments[0]
        kind = self.options.get("kind", "paragraph")
        label = self.options.get("label", rid)
        duties = _split(self.options.get("duties"))
        footnotes = _split(self.options.get("footnotes"))
        dup = self.options.get("duplicate-of") or None
        raw = "\n".join(self.content).strip()
        docname = self.env.docname

        box = wtkb_box(classes=["wtkb-record", f"wtkb-{kind.replace('_', '-')}"])
        self.set_source_info(box)
        document = self.state.document
        if rid in document.ids:
            logger.warning("ID '%s' is used twice on this page", rid, location=box, type="wtkb", subtype="duplicate")
        box["ids"] = [rid]
        document.ids[rid] = box

        meta = nodes.paragraph(classes=["wtkb-meta"])
        if self.options.get("voice-label"):  # who is speaking: styled per voice by wtkb.css (.wtkb-voice-*)
            myth = ["wtkb-voice-myth"] if self.options.get("myth") == "yes" else []
            meta += nodes.inline("", self.options["voice-label"],
                                 classes=["wtkb-voice", f"wtkb-voice-{self.options.get('voice') or 'other'}", *myth])
        link = nodes.reference("", "", refid=rid, classes=["wtkb-permalink"], reftitle="Permalink to this paragraph")
        link += nodes.inline("", label, classes=["wtkb-label"])
        meta += link
        meta += nodes.raw("", cite_button(rid, label, self.options.get("cite", "")), format="html")
        if duties:
            chips = nodes.inline("", "", classes=["wtkb-chips"])
            for did in duties:
                chip = nodes.inline("", "", classes=["wtkb-chip"])
                chip += xref("duty", did, docname)
                chips += chip
            meta += chips
        box += meta

        text = raw
        if kind == "table":
            try:
                rows = json.loads(raw)
            except json.JSONDecodeError:
                logger.warning("table %s: content is not JSON rows", rid, location=box)
                rows = [[raw]]
            text = " ".join(" ".join(r) for r in rows)
            box += table_node(rows, self.options.get("caption"))
        elif kind == "quote":
            quote = nodes.block_quote(classes=["wtkb-quote"])
            quote += self._para(text, footnotes, docname)
            if self.options.get("attribution"):
                quote += nodes.attribution("", self.options["attribution"])
            box += quote
        elif kind == "figure":
            para = nodes.paragraph(classes=["wtkb-text"])
            para += nodes.emphasis("", self.options.get("caption") or text)
            para += nodes.inline("", " (the source's image is not reproduced in its text)", classes=["wtkb-note"])
            box += para
        else:
            box += self._para(text, footnotes, docname)
        if dup:
            note = nodes.paragraph(classes=["wtkb-dup"])
            note += nodes.inline("", "Same words as ")
            note += xref("para", dup, docname)
            box += note

        self.env.get_domain("wtkb").note_record(rid, {
            "docname": docname, "label": label, "kind": kind, "document": self.options.get("document", ""),
            "text": words(text, 80), "duties": duties, "dup": dup}, box)
        return [box]

    @staticmethod
    def _para(text: str, footnotes: list[str], docname: str) -> nodes.paragraph:
        para = nodes.paragraph("", text, classes=["wtkb-text"])
        for fid in footnotes:
            sup = nodes.superscript(classes=["wtkb-fnmark"])
            sup += xref("fnref", fid, docname, text=fid.rsplit("-fn", 1)[-1])
            para += sup
        return para


def table_node(rows: list[list[str]], caption: str | None, classes: Iterable[str] = ()) -> nodes.table:
    """A docutils table from rows of strings (the first row is the header)."""
    return node_table([[nodes.Text(c) for c in row] for row in rows], caption, classes)


def node_table(rows: list[list[nodes.Node | list[nodes.Node]]], caption: str | None,
                classes: Iterable[str] = ()) -> nodes.table:
    width = max(len(r) for r in rows)
    table = nodes.table(classes=["wtkb-table", *classes])
    if caption:
        table += nodes.title("", caption)
    group = nodes.tgroup(cols=width)
    table += group
    for _ in range(width):
        group += nodes.colspec(colwidth=1)

    def row_node(cells):
        tr = nodes.row()
        for i in range(width):
            entry = nodes.entry()
            cell = cells[i] if i < len(cells) else nodes.Text("")
            para = nodes.paragraph()
            para.extend(cell if isinstance(cell, list) else [cell])
            entry += para
            tr += entry
        return tr

    head = nodes.thead()
    head += row_node(rows[0])
    group += head
    body = nodes.tbody()
    for r in rows[1:]:
        body += row_node(r)
    group += body
    return table


SOURCE_FIELDS = ("title", "short-title", "publisher", "author", "date", "date-note", "kind", "licence", "file",
                 "sha256", "description", "url")


class WtkbSource(SphinxDirective):
    """``{wtkb-source} <id>``: a source's provenance, shown as a box and listed on the home page."""

    required_arguments = 1
    option_spec = {k: directives.unchanged for k in SOURCE_FIELDS} | {"order": directives.nonnegative_int}

    def run(self) -> list[nodes.Node]:
        sid = self.arguments[0]
        info = {k: self.options.get(k) for k in SOURCE_FIELDS}
        info |= {"docname": self.env.docname, "order": self.options.get("order", 0)}
        self.env.get_domain("wtkb").note_source(sid, info)
        box = wtkb_box(classes=["wtkb-provenance"])
        box += nodes.rubric("", "About this source")
        fields = nodes.field_list()
        for name, key in (("Title", "title"), ("Cited as", "short-title"), ("Publisher", "publisher"),
                          ("Author", "author"), ("Date", "date"), ("Kind", "kind"), ("Licence", "licence"),
                          ("Original", "url"), ("File", "file")):
            value = info.get(key)
            if not value:
                continue
            if key == "date" and info.get("date-note"):
                value = f"{value} ({info['date-note']})"
            if key == "file" and info.get("sha256"):
                value = f"sources/{value} (SHA-256 {info['sha256'][:12]}…)"
            field = nodes.field()
            field += nodes.field_name("", name)
            body = nodes.field_body()
            para = nodes.paragraph()
            para += nodes.reference("", value, refuri=value) if key == "url" else nodes.Text(value)
            body += para
            field += body
            fields += field
        box += fields
        if info.get("description"):
            box += nodes.paragraph("", info["description"], classes=["wtkb-description"])
        return [box]


class WtkbDuty(SphinxDirective):
    """``{wtkb-duty} <id>``: declares that this page is the duty's page (the target of ``{duty}``).

    Options: ``short``, ``title``, ``act``, ``provision``, ``binds``, ``url`` (the provision on
    legislation.gov.uk), ``order``. The page also becomes what a search for the provision's shorthand
    ("s17", "section 17") finds first.
    """

    required_arguments = 1
    option_spec = {k: directives.unchanged for k in ("short", "title", "act", "provision", "binds", "url")} | {
        "order": directives.nonnegative_int}

    def run(self) -> list[nodes.Node]:
        did = self.arguments[0]
        target = nodes.target("", "", ids=[f"duty-{did}"])
        self.set_source_info(target)
        info = {k: self.options.get(k, "") for k in self.option_spec} | {"docname": self.env.docname}
        info["short"] = info["short"] or did
        info["order"] = info["order"] or 0
        self.env.get_domain("wtkb").note_duty(did, info, target)
        keywords = index_node(duty_keywords(info["act"], info["provision"], info["short"]))
        self.set_source_info(keywords)
        return [keywords, target]


class _Placeholder(SphinxDirective):
    what = ""

    def run(self) -> list[nodes.Node]:
        node = wtkb_placeholder(what=self.what, arg=self.arguments[0] if self.arguments else "")
        self.set_source_info(node)
        self.env.get_domain("wtkb").note_collector(self.env.docname)
        return [node]


class DutyBacklinks(_Placeholder):
    """```{duty-backlinks} ca1989-s17```: every record tagged with the duty, grouped by source."""

    required_arguments = 1
    what = "backlinks"


class DutyRegister(_Placeholder):
    """```{duty-register}```: a sortable table of all duties with how many records concern each."""

    what = "register"


class SourceList(_Placeholder):
    """```{wtkb-source-list}```: every source with its provenance, in manifest order."""

    what = "sources"


class TopicList(_Placeholder):
    """```{wtkb-topic-list}```: a link to every topic chapter (``topics/*``), in file order, by its title."""

    what = "topics"

