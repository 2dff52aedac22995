"""The extension's two docutils nodes and how each builder writes them."""

from __future__ import annotations

from docutils import nodes


class wtkb_placeholder(nodes.General, nodes.Element):  # noqa: N801 (docutils node naming)
    """Stands where collected data goes; replaced once every page has been read."""


class wtkb_box(nodes.General, nodes.Element):  # noqa: N801
    """A block of the handbook's own (a record, a provenance box): a plain ``<div>`` with its classes and ids.

    Not a docutils ``container``, whose ``container`` class the theme's Bootstrap styles as a page container.
    """


def visit_skip(self, node):  # pragma: no cover - placeholders are replaced before writing
    raise nodes.SkipNode


def visit_box_html(self, node):
    self.body.append(self.starttag(node, "div", ""))


def depart_box_html(self, node):
    self.body.append("</div>\n")


def visit_pass(self, node):  # other builders: just the content
    pass



CONTENT_ONLY = (visit_pass, visit_pass)
