"""The Ask page's form (``wtkb-ask``) and the briefing-pack form of topic chapters (``wtkb-briefing-form``).

``wtkb.js`` builds the Ask form and posts both to the API when the site is
served by ``wtkb serve``.
"""

from __future__ import annotations

import html

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from wtkb.sphinx.nodes import wtkb_box

ASK_FALLBACK = ("Asking a question needs JavaScript and the wtkb server. Start it with `make run` "
                "(or `wtkb build` then `wtkb serve`) and open this page from http://127.0.0.1:8000/.")
BRIEFING_SECTION = "Build a briefing pack"
BRIEFING_FORMATS = (("pptx", "Slides (.pptx)"), ("html", "One-page handout (.html)"), ("md", "Markdown (.md)"))


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

