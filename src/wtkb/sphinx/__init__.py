"""``wtkb.sphinx``: the handbook's Sphinx extension.

Registered from ``_config.yml`` (``sphinx: extra_extensions: [wtkb.sphinx]``),
with ``setup(app)`` as the entry point, the way executablebooks' sphinx-proof
registers itself. It adds:

roles
    ``{para}`record-id``` renders the record's citation label, linked to its
    anchor; ``{duty}`duty-id``` renders the duty's short name, linked to its
    page. ``{para}`own text <record-id>``` keeps your own link text. An
    unknown ID is a Sphinx warning, so ``-W`` fails the build.

directives
    ``wtkb-record`` (one citable record: anchor, label, permalink,
    copy-citation button, duty chips), ``wtkb-source`` (a source's
    provenance), ``wtkb-duty`` (declares the page of a duty),
    ``duty-backlinks`` (every record tagged with a duty, collected at build
    time), ``duty-register`` (all duties with their backlink counts) and
    ``wtkb-source-list`` (all sources with their provenance), ``wtkb-ask`` (the
    Ask page's form) and ``wtkb-briefing-form`` (download a briefing pack;
    every topic chapter gets one in a closing "Build a briefing pack" section).

store
    the ``wtkb`` domain keeps records, duties, sources and references per
    document. Sphinx calls its ``clear_doc`` when a document is purged
    (``env-purge-doc``) and its ``merge_domaindata`` when parallel readers
    report back (``env-merge-info``), so the store is right after incremental
    and parallel builds; ``env-get-outdated`` re-reads the pages that list
    collected data whenever any page changed.

static files
    ``wtkb.css`` (phone and print styles) and ``wtkb.js`` (copy citation,
    sortable tables, the ask box on every page, the Ask page and the briefing
    form, which call the API when the site is served by ``wtkb serve``) from
    ``wtkb/static``.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains import Domain, ObjType
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode

STATIC = Path(__file__).resolve().parent / "static"
EXCERPT_WORDS = 45
logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------- nodes


class wtkb_placeholder(nodes.General, nodes.Element):  # noqa: N801 (docutils node naming)
    """Stands where collected data goes; replaced once every page has been read."""


class wtkb_box(nodes.General, nodes.Element):  # noqa: N801
    """A block of the handbook's own (a record, a provenance box): a plain ``<div>`` with its classes and ids.

    Not a docutils ``container``, whose ``container`` class the theme's Bootstrap styles as a page container.
    """


def _visit_skip(self, node):  # pragma: no cover - placeholders are replaced before writing
    raise nodes.SkipNode


def _visit_box_html(self, node):
    self.body.append(self.starttag(node, "div", ""))


def _depart_box_html(self, node):
    self.body.append("</div>\n")


def _visit_pass(self, node):  # other builders: just the content
    pass


# --------------------------------------------------------------------------- roles


class WtkbRefRole(XRefRole):
    """``{para}`` and ``{duty}``: cross-references resolved by the ``wtkb`` domain."""

    innernodeclass = nodes.inline

    def __init__(self, reftype: str) -> None:
        super().__init__(warn_dangling=True)
        self.wtkb_type = reftype

    def run(self):
        # registered without a domain prefix, resolved by the wtkb domain
        self.refdomain, self.reftype = "wtkb", self.wtkb_type
        self.classes = ["xref", "wtkb", f"wtkb-{self.wtkb_type}"]
        return self.create_non_xref_node() if self.disabled else self.create_xref_node()

    def process_link(self, env, refnode, has_explicit_title, title, target):
        return title, target.strip()

    def result_nodes(self, document, env, node, is_ref):
        if is_ref:
            env.get_domain("wtkb").note_ref(env.docname, self.wtkb_type, node["reftarget"])
        return [node], []


def _xref(reftype: str, target: str, docname: str, text: str | None = None,
          classes: list[str] | None = None) -> addnodes.pending_xref:
    """A reference made by a directive (a duty chip, a footnote marker)."""
    ref = addnodes.pending_xref("", refdomain="wtkb", reftype=reftype, reftarget=target, refdoc=docname,
                                refexplicit=text is not None, refwarn=True)
    ref += nodes.inline("", text if text is not None else target, classes=classes or [])
    return ref


# --------------------------------------------------------------------------- domain


class WtkbDomain(Domain):
    """The store: records, duties and sources by ID, each with the page that carries it."""

    name = "wtkb"
    label = "wtkb handbook"
    object_types = {"para": ObjType("paragraph", "para"), "duty": ObjType("duty", "duty")}
    roles = {"para": WtkbRefRole("para"), "duty": WtkbRefRole("duty")}
    initial_data: dict[str, Any] = {
        "records": {},  # id -> {docname, label, kind, document, text, duties, dup, idx}
        "duties": {},  # id -> {docname, short, title, act, provision, binds}
        "sources": {},  # id -> {docname, order, title, ...provenance}
        "collectors": {},  # docname -> True: pages with placeholders
        "refs": {},  # docname -> {"para": [ids], "duty": [ids]}
    }
    dangling_warnings = {
        "para": "unknown paragraph ID '%(target)s' in a {para} reference (`wtkb paragraphs` lists the IDs)",
        "fnref": "unknown footnote ID '%(target)s'",
        "duty": "unknown duty ID '%(target)s' in a {duty} reference (see src/wtkb/reference/data/duties.yaml)",
    }

    # -- collecting

    def note_record(self, rid: str, info: dict[str, Any], node: nodes.Node) -> None:
        old = self.data["records"].get(rid)
        if old is not None:
            logger.warning("paragraph ID '%s' is declared twice (also in %s)", rid, old["docname"],
                           location=node, type="wtkb", subtype="duplicate")
        info["idx"] = sum(1 for r in self.data["records"].values() if r["docname"] == info["docname"])
        self.data["records"][rid] = info

    def note_duty(self, did: str, info: dict[str, Any], node: nodes.Node) -> None:
        old = self.data["duties"].get(did)
        if old is not None and old["docname"] != info["docname"]:
            logger.warning("duty '%s' has two pages (also %s)", did, old["docname"], location=node,
                           type="wtkb", subtype="duplicate")
        self.data["duties"][did] = info

    def note_source(self, sid: str, info: dict[str, Any]) -> None:
        self.data["sources"][sid] = info

    def note_collector(self, docname: str) -> None:
        self.data["collectors"][docname] = True

    def note_ref(self, docname: str, reftype: str, target: str) -> None:
        self.data["refs"].setdefault(docname, {}).setdefault(reftype, []).append(target)

    # -- incremental and parallel builds

    def clear_doc(self, docname: str) -> None:
        for key in ("records", "duties", "sources"):
            store = self.data[key]
            for k in [k for k, v in store.items() if v["docname"] == docname]:
                del store[k]
        self.data["collectors"].pop(docname, None)
        self.data["refs"].pop(docname, None)

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        docs = set(docnames)
        for key in ("records", "duties", "sources"):
            for k, v in otherdata[key].items():
                if v["docname"] in docs:
                    self.data[key][k] = v
        for key in ("collectors", "refs"):
            for doc, v in otherdata[key].items():
                if doc in docs:
                    self.data[key][doc] = v

    # -- resolving

    def resolve_xref(self, env, fromdocname, builder, typ, target, node, contnode):
        if typ in ("para", "fnref"):
            rec = self.data["records"].get(target)
            if rec is None:
                return None
            inner = contnode if node.get("refexplicit") else nodes.inline("", rec["label"], classes=contnode["classes"])
            ref = make_refnode(builder, fromdocname, rec["docname"], target, inner, title=rec["label"])
            ref["classes"].append("wtkb-para-ref" if typ == "para" else "wtkb-fnref")
            return ref
        if typ == "duty":
            duty = self.data["duties"].get(target)
            if duty is None:
                return None
            inner = contnode if node.get("refexplicit") else nodes.inline("", duty["short"],
                                                                        classes=contnode["classes"])
            ref = make_refnode(builder, fromdocname, duty["docname"], None, inner,
                               title=f"{duty['short']}: {duty['title']}")
            ref["classes"].append("wtkb-duty-ref")
            return ref
        return None

    def resolve_any_xref(self, env, fromdocname, builder, target, node, contnode):
        out = []
        for typ in ("para", "duty"):
            ref = self.resolve_xref(env, fromdocname, builder, typ, target, node, contnode)
            if ref is not None:
                out.append((f"wtkb:{typ}", ref))
        return out

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for did, d in self.data["duties"].items():
            yield did, d["short"], "duty", d["docname"], "", 1

    # -- queries used by the placeholders

    def source_order(self) -> dict[str, int]:
        return {sid: s["order"] for sid, s in self.data["sources"].items()}

    def backlinks(self, did: str) -> list[str]:
        """Record IDs tagged with ``did``, in document order."""
        order = self.source_order()
        recs = self.data["records"]
        ids = [rid for rid, r in recs.items() if did in r["duties"]]
        return sorted(ids, key=lambda rid: (order.get(recs[rid]["document"], 999), recs[rid]["docname"],
                                            recs[rid]["idx"]))


# --------------------------------------------------------------------------- directives


def _words(text: str, n: int = EXCERPT_WORDS) -> str:
    words = text.split()
    return " ".join(words[:n]) + (" …" if len(words) > n else "")


def _split(value: str | None) -> list[str]:
    return [v for v in (value or "").replace(",", " ").split() if v]


class WtkbRecord(SphinxDirective):
    """One citable record: ``{wtkb-record} <id>`` with its text as the content (shown verbatim).

    Options: ``kind``, ``label``, ``document`` (required); ``duties`` and
    ``footnotes`` (space-separated IDs), ``attribution`` and ``caption``,
    ``duplicate-of``. A table's content is its rows as JSON.
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
        link = nodes.reference("", "", refid=rid, classes=["wtkb-permalink"], reftitle="Permalink to this paragraph")
        link += nodes.inline("", label, classes=["wtkb-label"])
        meta += link
        meta += nodes.raw("", (
            f'<button type="button" class="wtkb-cite" data-cite="{html.escape(label)}" data-target="{rid}" '
            f'title="Copy the citation and link">Copy citation</button>'), format="html")
        if duties:
            chips = nodes.inline("", "", classes=["wtkb-chips"])
            for did in duties:
                chip = nodes.inline("", "", classes=["wtkb-chip"])
                chip += _xref("duty", did, docname)
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
            box += _table(rows, self.options.get("caption"))
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
            note += _xref("para", dup, docname)
            box += note

        self.env.get_domain("wtkb").note_record(rid, {
            "docname": docname, "label": label, "kind": kind, "document": self.options.get("document", ""),
            "text": _words(text, 80), "duties": duties, "dup": dup}, box)
        return [box]

    @staticmethod
    def _para(text: str, footnotes: list[str], docname: str) -> nodes.paragraph:
        para = nodes.paragraph("", text, classes=["wtkb-text"])
        for fid in footnotes:
            sup = nodes.superscript(classes=["wtkb-fnmark"])
            sup += _xref("fnref", fid, docname, text=fid.rsplit("-fn", 1)[-1])
            para += sup
        return para


def _table(rows: list[list[str]], caption: str | None, classes: Iterable[str] = ()) -> nodes.table:
    """A docutils table from rows of strings (the first row is the header)."""
    return _node_table([[nodes.Text(c) for c in row] for row in rows], caption, classes)


def _node_table(rows: list[list[nodes.Node | list[nodes.Node]]], caption: str | None,
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
                 "sha256", "description")


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
                          ("File", "file")):
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
            body += nodes.paragraph("", value)
            field += body
            fields += field
        box += fields
        if info.get("description"):
            box += nodes.paragraph("", info["description"], classes=["wtkb-description"])
        return [box]


class WtkbDuty(SphinxDirective):
    """``{wtkb-duty} <id>``: declares that this page is the duty's page (the target of ``{duty}``)."""

    required_arguments = 1
    option_spec = {k: directives.unchanged for k in ("short", "title", "act", "provision", "binds")} | {
        "order": directives.nonnegative_int}

    def run(self) -> list[nodes.Node]:
        did = self.arguments[0]
        target = nodes.target("", "", ids=[f"duty-{did}"])
        self.set_source_info(target)
        info = {k: self.options.get(k, "") for k in self.option_spec} | {"docname": self.env.docname}
        info["short"] = info["short"] or did
        info["order"] = info["order"] or 0
        self.env.get_domain("wtkb").note_duty(did, info, target)
        return [target]


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


# --------------------------------------------------------------------------- ask and briefing forms

ASK_FALLBACK = ("Asking a question needs JavaScript and the wtkb server. Start it with `make run` "
                "(or `wtkb build` then `wtkb serve`) and open this page from http://127.0.0.1:8000/.")
BRIEFING_SECTION = "Build a briefing pack"
def _briefing_formats() -> tuple[tuple[str, str], ...]:
    """(value, label) of the form's format menu, from the one registry ``wtkb.briefing.render.FORMATS``."""
    from wtkb.briefing.render import FORMATS

    return tuple((f.name, f.label) for f in FORMATS.values())


BRIEFING_FORMATS = _briefing_formats()


class WtkbAsk(SphinxDirective):
    """```{wtkb-ask}```: where the Ask page's form goes; ``wtkb.js`` builds it and calls ``POST /ask``."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        box = wtkb_box(classes=["wtkb-ask", "wtkb-ask-page"])
        self.set_source_info(box)
        box += nodes.paragraph("", ASK_FALLBACK, classes=["wtkb-ask-fallback"])
        return [box]


def briefing_form_html(topic: str) -> str:
    """The "build a briefing" form of a topic chapter; ``wtkb.js`` posts it to ``/briefings``."""
    t = html.escape(topic, quote=True)
    options = "".join(f'<option value="{v}">{html.escape(label)}</option>' for v, label in BRIEFING_FORMATS)
    return (
        f'<form class="wtkb-briefing-form" data-topic="{t}" novalidate>\n'
        f'<div class="wtkb-field"><label for="wtkb-brief-audience">Audience (optional)</label>'
        f'<input id="wtkb-brief-audience" name="audience" type="text" maxlength="100" autocomplete="off" '
        f'placeholder="e.g. education DSLs"></div>\n'
        f'<div class="wtkb-field"><label for="wtkb-brief-format">Format</label>'
        f'<select id="wtkb-brief-format" name="format">{options}</select></div>\n'
        f'<button type="submit" class="wtkb-button">Build the pack</button>\n'
        f'<p class="wtkb-status" role="status" aria-live="polite"></p>\n'
        f'</form>\n')


class WtkbBriefingForm(SphinxDirective):
    """```{wtkb-briefing-form} topic```: a form that downloads a briefing pack on ``topic``.

    Topic chapters (``topics/*``) get one automatically, in a section of their own at the end.
    """

    required_arguments = 1
    final_argument_whitespace = True

    def run(self) -> list[nodes.Node]:
        return briefing_form_nodes(self.arguments[0])


def briefing_form_nodes(topic: str) -> list[nodes.Node]:
    intro = nodes.paragraph("", "Slides, a one-page handout or editable Markdown built from this chapter for a "
                                "training session: each point carries the citation it rests on, and the speaker "
                                "notes hold the cited paragraphs. Building a pack needs the wtkb server (")
    intro += nodes.literal("", "make run")
    intro += nodes.Text(").")
    box = wtkb_box(classes=["wtkb-briefing"])
    box += nodes.raw("", briefing_form_html(topic), format="html")
    return [intro, box]


def add_briefing_section(app: Sphinx, doctree: nodes.document) -> None:
    """Append "Build a briefing pack" to every topic chapter (before the TOC is collected)."""
    docname = app.env.docname
    if not docname.startswith("topics/"):
        return
    top = next(iter(doctree.findall(nodes.section)), None)
    if top is None:
        return
    section = nodes.section(ids=["build-a-briefing-pack"], names=[nodes.fully_normalize_name(BRIEFING_SECTION)])
    section += nodes.title("", BRIEFING_SECTION)
    section.extend(briefing_form_nodes(docname.split("/", 1)[1]))
    top += section
    # and a pointer to it near the top, after the chapter's opening box, for a trainer in a hurry
    pointer = nodes.paragraph(classes=["wtkb-briefing-pointer", "d-print-none"])
    pointer += nodes.Text("Teaching this topic? ")
    pointer += nodes.reference("", "Build a briefing pack", refid="build-a-briefing-pack")
    pointer += nodes.Text(" from this chapter: slides, a one-page handout or Markdown, every point cited.")
    opening = next((i for i, child in enumerate(top.children) if not isinstance(child, (nodes.title, nodes.target))),
                   None)
    top.insert(opening + 1 if opening is not None else 1, pointer)


# --------------------------------------------------------------------------- placeholders


def _link(builder, fromdoc: str, todoc: str, target: str | None, text: str, title: str | None = None,
          classes: list[str] | None = None) -> nodes.reference:
    ref = make_refnode(builder, fromdoc, todoc, target, nodes.inline("", text), title=title)
    ref["classes"].extend(classes or [])
    return ref


def _backlinks(app: Sphinx, dom: WtkbDomain, docname: str, node: wtkb_placeholder) -> list[nodes.Node]:
    did = node["arg"]
    builder = app.builder
    if did not in dom.data["duties"]:
        logger.warning("unknown duty ID '%s' in duty-backlinks", did, location=node, type="ref", subtype="duty")
        return []
    recs = dom.data["records"]
    ids = dom.backlinks(did)
    tagged = set(ids)
    repeats: dict[str, list[str]] = {}
    shown: list[str] = []
    for rid in ids:
        dup = recs[rid]["dup"]
        if dup and dup in tagged:
            repeats.setdefault(dup, []).append(rid)
        else:
            shown.append(rid)
    sources = dom.data["sources"]
    docs = {recs[r]["document"] for r in ids}
    out: list[nodes.Node] = []
    summary = nodes.paragraph(classes=["wtkb-backlinks-summary"])
    if ids:
        where = f"all {len(sources)}" if len(docs) == len(sources) else f"{len(docs)} of the {len(sources)}"
        summary += nodes.Text(
            f"{len(ids)} {'paragraph' if len(ids) == 1 else 'paragraphs'} in {where} sources "
            f"{'concerns' if len(ids) == 1 else 'concern'} this provision")
        n_rep = sum(map(len, repeats.values()))
        summary += nodes.Text(f" ({n_rep} of them {'repeats' if n_rep == 1 else 'repeat'} another word for word)."
                              if repeats else ".")
    else:
        summary += nodes.Text(f"None of the {len(sources)} sources discusses this provision. It is in the register "
                              "because Working Together 2023 rests on it or refers to it.")
    out.append(summary)
    order = dom.source_order()
    for sid in sorted(docs, key=lambda s: order.get(s, 999)):
        src = sources.get(sid, {})
        out.append(nodes.rubric("", src.get("short-title") or src.get("title") or sid))
        items = nodes.bullet_list(classes=["wtkb-backlinks"])
        for rid in (r for r in shown if recs[r]["document"] == sid):
            rec = recs[rid]
            item = nodes.list_item()
            para = nodes.paragraph()
            para += _link(builder, docname, rec["docname"], rid, rec["label"], classes=["wtkb-para-ref"])
            item += para
            excerpt = nodes.paragraph(classes=["wtkb-excerpt"])
            excerpt += nodes.Text(f"“{_words(rec['text'])}”")
            item += excerpt
            if rid in repeats:
                again = nodes.paragraph(classes=["wtkb-dup"])
                again += nodes.Text("Repeated in ")
                for i, other in enumerate(repeats[rid]):
                    if i:
                        again += nodes.Text(", ")
                    again += _link(builder, docname, recs[other]["docname"], other, recs[other]["label"],
                                   classes=["wtkb-para-ref"])
                item += again
            items += item
        out.append(items)
    pages = sorted(d for d, refs in dom.data["refs"].items() if did in refs.get("duty", ()) and d != docname)
    if pages:
        out.append(nodes.rubric("", "Handbook pages that refer to it"))
        lst = nodes.bullet_list()
        for d in pages:
            title = app.env.titles[d].astext() if d in app.env.titles else d
            item = nodes.list_item()
            para = nodes.paragraph()
            para += _link(builder, docname, d, None, title)
            item += para
            lst += item
        out.append(lst)
    return out


def _register(app: Sphinx, dom: WtkbDomain, docname: str, node: wtkb_placeholder) -> list[nodes.Node]:
    duties = sorted(dom.data["duties"].items(), key=lambda kv: (kv[1]["order"], kv[0]))
    rows: list[list[Any]] = [[nodes.Text("Provision"), nodes.Text("What it is about"), nodes.Text("Who it binds"),
                              nodes.Text("Paragraphs")]]
    for did, d in duties:
        n = len(dom.backlinks(did))
        rows.append([_link(app.builder, docname, d["docname"], None, d["short"], classes=["wtkb-duty-ref"]),
                     nodes.Text(d["title"]), nodes.Text(d["binds"]), nodes.Text(str(n))])
    table = _node_table(rows, None, ["wtkb-sortable", "wtkb-register"])
    return [table]


def _sources(app: Sphinx, dom: WtkbDomain, docname: str, node: wtkb_placeholder) -> list[nodes.Node]:
    items = nodes.bullet_list(classes=["wtkb-source-list"])
    n_records: dict[str, int] = {}
    for r in dom.data["records"].values():
        n_records[r["document"]] = n_records.get(r["document"], 0) + 1
    for sid, s in sorted(dom.data["sources"].items(), key=lambda kv: kv[1]["order"]):
        item = nodes.list_item()
        head = nodes.paragraph()
        head += _link(app.builder, docname, s["docname"], None, s["title"] or sid)
        head += nodes.Text(f" — {s['publisher']}, {s['date']}. {(s['kind'] or '').capitalize()}; "
                           f"{n_records.get(sid, 0)} citable paragraphs, cited as “{s['short-title']}”.")
        item += head
        if s.get("description"):
            item += nodes.paragraph("", s["description"], classes=["wtkb-description"])
        item += nodes.paragraph("", s["licence"] or "", classes=["wtkb-licence"])
        items += item
    return [items]


RENDERERS = {"backlinks": _backlinks, "register": _register, "sources": _sources}


def resolve_placeholders(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    dom = app.env.get_domain("wtkb")
    for node in list(doctree.findall(wtkb_placeholder)):
        node.replace_self(RENDERERS[node["what"]](app, dom, docname, node))


def outdated(app: Sphinx, env, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """When any page changed, the pages that show collected data (and refer to records) are re-read too."""
    app._wtkb_removed = set(removed)  # their old HTML is deleted when the build succeeds
    if not (added or changed or removed):
        return []
    dom = env.get_domain("wtkb")
    again = set(dom.data["collectors"]) | set(dom.data["refs"])
    return sorted(d for d in again if d in env.found_docs and d not in removed)


def drop_removed_pages(app: Sphinx, exception: Exception | None) -> None:
    """An incremental build leaves the HTML of a deleted page behind: remove it."""
    if exception is not None or app.builder.format != "html":
        return
    for docname in getattr(app, "_wtkb_removed", ()):
        path = Path(app.outdir) / app.builder.get_target_uri(docname)
        if path.is_file():
            path.unlink()


def add_static(app: Sphinx, config) -> None:
    if str(STATIC) not in config.html_static_path:
        config.html_static_path.append(str(STATIC))


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_domain(WtkbDomain)
    app.add_role("para", WtkbRefRole("para"))
    app.add_role("duty", WtkbRefRole("duty"))
    app.add_node(wtkb_placeholder, html=(_visit_skip, None), latex=(_visit_skip, None), text=(_visit_skip, None))
    app.add_node(wtkb_box, html=(_visit_box_html, _depart_box_html), latex=(_visit_pass, _visit_pass),
                 text=(_visit_pass, _visit_pass), man=(_visit_pass, _visit_pass), texinfo=(_visit_pass, _visit_pass))
    app.add_directive("wtkb-record", WtkbRecord)
    app.add_directive("wtkb-source", WtkbSource)
    app.add_directive("wtkb-duty", WtkbDuty)
    app.add_directive("duty-backlinks", DutyBacklinks)
    app.add_directive("duty-register", DutyRegister)
    app.add_directive("wtkb-source-list", SourceList)
    app.add_directive("wtkb-ask", WtkbAsk)
    app.add_directive("wtkb-briefing-form", WtkbBriefingForm)
    app.connect("doctree-read", add_briefing_section, priority=400)  # before the TOC collector (500)
    app.connect("doctree-resolved", resolve_placeholders)
    app.connect("env-get-outdated", outdated)
    app.connect("build-finished", drop_removed_pages)
    app.connect("config-inited", add_static)
    app.add_css_file("wtkb.css")
    app.add_js_file("wtkb.js", loading_method="defer")
    # a changed extension changes the doctrees it makes: tie the environment to this file's content
    # (and to the static files, so that every page links the new wtkb.css / wtkb.js checksum)
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for f in sorted(STATIC.iterdir()):
        digest.update(f.read_bytes())
    env_version = int(digest.hexdigest()[:8], 16)
    return {"version": "1", "env_version": env_version, "parallel_read_safe": True, "parallel_write_safe": True}
