"""Collected data: the placeholders' content, rendered once every page has been read (``doctree-resolved``)."""

from __future__ import annotations

import posixpath
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
    if not ids:
        return _where_it_fits(app, dom, docname, did)
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
    if ids:  # always: see _where_it_fits
        where = f"all {len(sources)}" if len(docs) == len(sources) else f"{len(docs)} of the {len(sources)}"
        summary += nodes.Text(
            f"{len(ids)} {'paragraph' if len(ids) == 1 else 'paragraphs'} in {where} sources "
            f"{'concerns' if len(ids) == 1 else 'concern'} this provision")
        n_rep = sum(map(len, repeats.values()))
        summary += nodes.Text(f" ({n_rep} of them {'repeats' if n_rep == 1 else 'repeat'} another word for word)."
                              if repeats else ".")
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
        out.append(_doc_list(app, docname, pages))
    return out


def related_topics(dom: WtkbDomain, did: str, n: int = 3) -> list[str]:
    """The topic chapters closest to a duty: those that name it, then those citing paragraphs on its Act.

    A chapter scores 10 per ``{duty}`` reference to the duty, 3 per cited paragraph tagged with it and 1 per
    cited paragraph tagged with another provision of the same Act. When no chapter scores, the chapters that
    share most glossary vocabulary with the duty's page (`wtkb.sphinx.search` counts it) are the related ones.
    """
    duties, recs = dom.data["duties"], dom.data["records"]
    act = duties[did].get("act")
    same_act = {k for k, v in duties.items() if act and v.get("act") == act}
    scores = []
    for doc, refs in dom.data["refs"].items():
        if not doc.startswith("topics/"):
            continue
        score = 10 * refs.get("duty", []).count(did)
        for rid in refs.get("para", []):
            tags = set(recs.get(rid, {}).get("duties", ()))
            score += 3 if did in tags else 1 if tags & same_act else 0
        if score:
            scores.append((-score, doc))
    if not scores:  # nothing cites it: the chapters sharing most of its page's glossary vocabulary
        own = dom.data["mentions"].get(duties[did]["docname"], {})
        for doc, mentions in dom.data["mentions"].items():
            if doc.startswith("topics/"):
                shared = sum(min(own[t], m) for t, m in mentions.items() if t in own)
                if shared:
                    scores.append((-shared, doc))
    return [doc for _, doc in sorted(scores)[:n]]


def _where_it_fits(app: Sphinx, dom: WtkbDomain, docname: str, did: str) -> list[nodes.Node]:
    """A provision no source paragraph discusses: who it binds, where to read it, and what it relates to."""
    duty, builder = dom.data["duties"][did], app.builder
    n = len(dom.data["sources"])
    intro = nodes.paragraph(classes=["wtkb-fits"])
    intro += nodes.Text(f"None of the {n} sources quotes or discusses this provision in its own words. It is in the "
                        "register because Working Together 2023 rests on it or refers to it: the summary above says, "
                        "in our words, what it requires and whom it binds.")
    out: list[nodes.Node] = [intro]
    if duty.get("url"):
        read = nodes.paragraph()
        read += nodes.Text("Read the provision itself, as amended, on ")
        read += nodes.reference("", "legislation.gov.uk", refuri=duty["url"], classes=["wtkb-legislation"])
        read += nodes.Text(".")
        out.append(read)
    topics = related_topics(dom, did)
    if topics:
        out.append(nodes.rubric("", "Topic chapters on the same ground"))
        out.append(_doc_list(app, docname, topics))
    act = duty.get("act")
    others = sorted((d["order"], k) for k, d in dom.data["duties"].items() if k != did and act and d.get("act") == act)
    if others:
        out.append(nodes.rubric("", f"Other provisions of the {act} in the register"))
        items = nodes.bullet_list()
        for _, k in others:
            d = dom.data["duties"][k]
            item, para = nodes.list_item(), nodes.paragraph()
            para += link(builder, docname, d["docname"], None, d["short"], classes=["wtkb-duty-ref"])
            count = len(dom.backlinks(k))
            para += nodes.Text(f": {d['title']} ({count} {'paragraph' if count == 1 else 'paragraphs'})")
            item += para
            items += item
        out.append(items)
    if not topics and not others:  # nothing in the handbook is on the same ground: say where to browse
        out.append(nodes.rubric("", "Where to look next"))
        register = posixpath.join(posixpath.dirname(docname), "index")  # the register, beside the duty pages
        home = app.config.root_doc  # its "Find your way" box lists every topic chapter
        out.append(_doc_list(app, docname, [d for d in (register, home) if d in app.env.found_docs]))
    return out


def _doc_list(app: Sphinx, docname: str, docs: list[str]) -> nodes.bullet_list:
    lst = nodes.bullet_list()
    for d in docs:
        title = app.env.titles[d].astext() if d in app.env.titles else d
        item, para = nodes.list_item(), nodes.paragraph()
        para += link(app.builder, docname, d, None, title)
        item += para
        lst += item
    return lst


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


def _topics(app: Sphinx, dom: WtkbDomain, docname: str, node: wtkb_placeholder) -> list[nodes.Node]:
    items = nodes.bullet_list(classes=["wtkb-topic-list"])
    for doc in sorted(d for d in app.env.found_docs if d.startswith("topics/")):
        title = app.env.titles[doc].astext() if doc in app.env.titles else doc
        item = nodes.list_item()
        para = nodes.paragraph()
        para += link(app.builder, docname, doc, None, title)
        item += para
        items += item
    return [items]


RENDERERS = {"backlinks": _backlinks, "register": _register, "sources": _sources, "topics": _topics}


def resolve_placeholders(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    dom = app.env.get_domain("wtkb")
    for node in list(doctree.findall(wtkb_placeholder)):
        node.replace_self(RENDERERS[node["what"]](app, dom, docname, node))

