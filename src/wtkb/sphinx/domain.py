"""The ``wtkb`` domain: the store of records, duties and sources by ID, each with the page that carries it.

Sphinx calls ``clear_doc`` when a document is purged and ``merge_domaindata``
when parallel readers report back, so the store is right after incremental and
parallel builds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from docutils import nodes
from sphinx.domains import Domain, ObjType
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from wtkb.sphinx.roles import WtkbRefRole

logger = logging.getLogger(__name__)


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
        "mentions": {},  # docname -> {glossary term: how often the page mentions it} (see wtkb.sphinx.search)
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

    def note_mentions(self, docname: str, counts: dict[str, int]) -> None:
        self.data["mentions"][docname] = counts

    def note_ref(self, docname: str, reftype: str, target: str) -> None:
        self.data["refs"].setdefault(docname, {}).setdefault(reftype, []).append(target)

    # -- incremental and parallel builds

    def clear_doc(self, docname: str) -> None:
        for key in ("records", "duties", "sources"):
            store = self.data[key]
            for k in [k for k, v in store.items() if v["docname"] == docname]:
                del store[k]
        for key in ("collectors", "refs", "mentions"):
            self.data[key].pop(docname, None)

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        docs = set(docnames)
        for key in ("records", "duties", "sources"):
            for k, v in otherdata[key].items():
                if v["docname"] in docs:
                    self.data[key][k] = v
        for key in ("collectors", "refs", "mentions"):
            for doc, v in otherdata.get(key, {}).items():
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
            yield did, d["short"], "duty", d["docname"], f"duty-{did}", 1  # anchor: the page's target

    # -- queries used by the placeholders

    def source_order(self) -> dict[str, int]:
        return {sid: s["order"] for sid, s in self.data["sources"].items()}

    def top_mentions(self, term: str, n: int, near: float = 0.0) -> list[str]:
        """The (at most ``n``) pages that mention a glossary term most, each scoring at least ``near`` times the
        top page's score (ties: by page name)."""
        counts = sorted((-m[term], doc) for doc, m in self.data["mentions"].items() if m.get(term))
        best = -counts[0][0] if counts else 0
        return [doc for score, doc in counts[:n] if -score >= near * best]

    def backlinks(self, did: str) -> list[str]:
        """Record IDs tagged with ``did``, in document order."""
        order = self.source_order()
        recs = self.data["records"]
        ids = [rid for rid, r in recs.items() if did in r["duties"]]
        return sorted(ids, key=lambda rid: (order.get(recs[rid]["document"], 999), recs[rid]["docname"],
                                            recs[rid]["idx"]))

