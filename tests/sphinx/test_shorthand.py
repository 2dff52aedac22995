"""Site search knows the shorthand, and a duty no paragraph discusses still says where it fits (tiny root)."""

from __future__ import annotations

import json

import pytest
from docutils import nodes

from wtkb.sphinx.search import duty_keywords


def search_index(app) -> dict:
    text = (app.outdir / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1:text.rindex(")")])


def pages_for(index: dict, entry: str) -> set[str]:
    """The pages an index entry (what a search must match in full) points at."""
    return {index["docnames"][file] for file, _anchor, _main in index["indexentries"].get(entry, [])}


def test_duty_shorthand_is_what_practitioners_type():
    words = duty_keywords("Children Act 1989", "section 17", "Children Act 1989 s 17")
    assert {"s17", "s 17", "s.17", "section 17", "Children Act 1989 s 17", "Children Act 1989 section 17"} <= set(words)
    ranged = duty_keywords("Children Act 2004", "sections 16A-16B", "Children Act 2004 ss 16A-16B")
    assert "s16a" in ranged and "section 16a" in ranged
    assert duty_keywords("Equality Act 2010", "whole Act", "Equality Act 2010") == ["Equality Act 2010",
                                                                                    "Equality Act 2010 whole Act"]


@pytest.mark.sphinx("html", testroot="shorthand", freshenv=True)
def test_search_index_sends_shorthand_to_the_right_pages(app):
    app.build()
    assert app.warning.getvalue().strip() == ""
    index = search_index(app)
    assert pages_for(index, "s17") == {"duties/s17"}
    assert pages_for(index, "section 17") == {"duties/s17"}
    assert pages_for(index, "section 175") == {"duties/s175"}
    # the chapter that talks about domestic abuse gets "DV" (via the query-expansion phrase), not the schools one
    assert pages_for(index, "dv") == {"topics/a-abuse"}
    assert pages_for(index, "domestic violence") == {"topics/a-abuse"}
    # "DSL": named directly three times in b-schools; a-abuse mentions "schools" once, far below half of it
    assert pages_for(index, "dsl") == {"topics/b-schools"}
    assert pages_for(index, "designated safeguarding lead") == {"topics/b-schools"}
    # glossary keywords are search-only: the handbook's Index page does not list them
    genindex = (app.outdir / "genindex.html").read_text(encoding="utf-8")
    assert "s17" in genindex and "domestic violence" not in genindex


@pytest.mark.sphinx("html", testroot="shorthand")
def test_a_duty_no_paragraph_discusses_says_where_it_fits(app):
    app.build()
    tree = app.env.get_and_resolve_doctree("duties/s175", app.builder)
    text = tree.astext()
    assert "None of the 1 sources quotes or discusses this provision" in text
    assert "what it requires and whom it binds" in text
    external = [r["refuri"] for r in tree.findall(nodes.reference) if r.get("refuri", "").startswith("https://")]
    assert external == ["https://www.legislation.gov.uk/ukpga/2002/32/section/175"]
    internal = {r.astext(): r["refuri"] for r in tree.findall(nodes.reference)
                if not r.get("refuri", "").startswith(("https://", "#"))}
    assert internal.get("Schools") == "../topics/b-schools.html"  # cites a paragraph on the same Act
    assert internal.get("Education Act 2002 s 157") == "s157.html"
    assert "Independent schools (1 paragraph)" in text
    rubrics = [r.astext() for r in tree.findall(nodes.rubric)]
    assert rubrics == ["Topic chapters on the same ground",
                       "Other provisions of the Education Act 2002 in the register"]


@pytest.mark.sphinx("html", testroot="shorthand")
def test_copy_citation_button_carries_the_original_documents_citation(app):
    app.build()
    html = (app.outdir / "source.html").read_text(encoding="utf-8")
    assert ('data-source="HM Government (Dec 2023) Changes to statutory guidance: consultation response, '
            '‘Schools’, pp. 31–33."') in html
    assert 'href="https://www.gov.uk/government/consultations/working-together-to-safeguard-children' in html


@pytest.mark.sphinx("html", testroot="shorthand")
def test_a_duty_with_nothing_related_still_says_where_to_look_next(app):
    app.build()
    tree = app.env.get_and_resolve_doctree("duties/svga", app.builder)
    assert [r.astext() for r in tree.findall(nodes.rubric)] == ["Where to look next"]
    links = {r.astext(): r["refuri"] for r in tree.findall(nodes.reference) if "refuri" in r}
    assert links == {"Duties register": "index.html", "Shorthand": "../index.html"}
