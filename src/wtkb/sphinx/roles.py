"""``{para}`` and ``{duty}``: cross-reference roles resolved by the ``wtkb`` domain, and `xref` for directives."""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.roles import XRefRole


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


def xref(reftype: str, target: str, docname: str, text: str | None = None,
          classes: list[str] | None = None) -> addnodes.pending_xref:
    """A reference made by a directive (a duty chip, a footnote marker)."""
    ref = addnodes.pending_xref("", refdomain="wtkb", reftype=reftype, reftarget=target, refdoc=docname,
                                refexplicit=text is not None, refwarn=True)
    ref += nodes.inline("", text if text is not None else target, classes=classes or [])
    return ref

