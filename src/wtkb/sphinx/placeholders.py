"""Collected data: the placeholders' content, rendered once every page has been read (``doctree-resolved``)."""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from wtkb.sphinx.directives import node_table, words
from wtkb.sphinx.domain import WtkbDomain
from wtkb.sphinx.nodes import wtkb_placeholder

logger = logging.getLogger(__name__)


def link(builder, fromdoc: str, todoc: str, target: str | None, text: str, title: str | None = None,
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
            para += link(builder, docname, rec["docname"], rid, rec["label"], classes=["wtkb-para-ref"])
            item += para
            excerpt = nodes.paragraph(classes=["wtkb-excerpt"])
            excerpt += nodes.Text(f"“{words(rec['text'])}”")
            item += excerpt
            if rid in repeats:
                again = nodes.paragraph(classes=["wtkb-dup"])
                again += nodes.Text("Repeated in ")
                for i, other in enumerate(repeats[rid]):
                    if i:
                        again += nodes.Text(", ")
                    again += link(builder, docname, recs[other]["docname"], other, recs[other]["label"],
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
            para += link(builder, docname, d, None, title)
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
        rows.append([link(app.builder, docname, d["docname"], None, d["short"], classes=["wtkb-duty-ref"]),
                     nodes.Text(d["title"]), nodes.Text(d["binds"]), nodes.Text(str(n))])
    table = node_table(rows, None, ["wtkb-sortable", "wtkb-register"])
    return [table]


def _sources(app: Sphinx, dom: WtkbDomain, docname: str, node: wtkb_placeholder) -> list[nodes.Node]:
    items = nodes.bullet_list(classes=["wtkb-source-list"])
    n_records: dict[str, int] = {}
    for r in dom.data["records"].values():
        n_records[r["document"]] = n_records.get(r["document"], 0) + 1
    for sid, s in sorted(dom.data["sources"].items(), key=lambda kv: kv[1]["order"]):
        item = nodes.list_item()
        head = nodes.paragraph()
        head += link(app.builder, docname, s["docname"], None, s["title"] or sid)
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

