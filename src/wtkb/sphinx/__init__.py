"""``wtkb.sphinx``: the handbook's Sphinx extension.

Registered from ``_config.yml`` (``sphinx: extra_extensions: [wtkb.sphinx]``);
``setup(app)`` below is its manifest, the way executablebooks' sphinx-proof
registers itself. Where things live:

``roles``
    ``{para}`record-id``` renders the record's citation label, linked to its
    anchor; ``{duty}`duty-id``` renders the duty's short name, linked to its
    page; ``{para}`own text <record-id>``` keeps your own link text. An unknown
    ID is a Sphinx warning, so ``-W`` fails the build.
``domain``
    the ``wtkb`` domain keeps records, duties, sources and references per
    document, right after incremental and parallel builds.
``directives``
    ``wtkb-record``, ``wtkb-source``, ``wtkb-duty`` and the placeholders
    ``duty-backlinks``, ``duty-register``, ``wtkb-source-list``, ``wtkb-topic-list``.
``placeholders``
    what the placeholders show, rendered once every page has been read.
``forms``
    ``wtkb-ask`` (the Ask page's form) and ``wtkb-briefing-form``; every topic
    chapter gets one in a closing "Build a briefing pack" section.
``search``
    what site search knows besides the words on a page: duty shorthand ("s17")
    and the glossary's aliases and expansions ("DV"), as index entries.
``nodes``
    the two docutils nodes and their writers.
``events``
    incremental re-reads (``env-get-outdated``), removed pages, the static
    files ``static/wtkb.css`` (phone and print styles) and ``static/wtkb.js``
    (copy citation, sortable tables, the ask box, the Ask page and briefing
    form), and the digest that ties doctrees to this package's code.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from wtkb.sphinx import directives, events, forms, nodes, placeholders, search
from wtkb.sphinx.domain import WtkbDomain
from wtkb.sphinx.roles import WtkbRefRole

STATIC = events.STATIC


def setup(app: Sphinx) -> dict[str, Any]:
    # the glossary whose shorthand site search learns (relative to conf.py's folder; empty: the package's)
    app.add_config_value("wtkb_glossary_file", "", "env", types=[str])
    app.add_domain(WtkbDomain)
    app.add_role("para", WtkbRefRole("para"))
    app.add_role("duty", WtkbRefRole("duty"))

    skip, box, same = (nodes.visit_skip, None), (nodes.visit_box_html, nodes.depart_box_html), nodes.CONTENT_ONLY
    app.add_node(nodes.wtkb_placeholder, html=skip, latex=skip, text=skip)
    app.add_node(nodes.wtkb_box, html=box, latex=same, text=same, man=same, texinfo=same)

    app.add_directive("wtkb-record", directives.WtkbRecord)
    app.add_directive("wtkb-source", directives.WtkbSource)
    app.add_directive("wtkb-duty", directives.WtkbDuty)
    app.add_directive("duty-backlinks", directives.DutyBacklinks)
    app.add_directive("duty-register", directives.DutyRegister)
    app.add_directive("wtkb-source-list", directives.SourceList)
    app.add_directive("wtkb-topic-list", directives.TopicList)
    app.add_directive("wtkb-ask", forms.WtkbAsk)
    app.add_directive("wtkb-briefing-form", forms.WtkbBriefingForm)

    app.connect("doctree-read", forms.add_briefing_section, priority=400)  # before the TOC collector (500)
    app.connect("doctree-read", search.count_mentions)
    app.connect("doctree-resolved", placeholders.resolve_placeholders)
    app.connect("doctree-resolved", search.add_glossary_keywords)
    app.connect("env-get-outdated", events.outdated)
    app.connect("build-finished", events.drop_removed_pages)
    app.connect("config-inited", events.add_static)
    app.add_css_file("wtkb.css")
    app.add_js_file("wtkb.js", loading_method="defer")
    return {"version": "1", "env_version": events.env_version(), "parallel_read_safe": True,
            "parallel_write_safe": True}
