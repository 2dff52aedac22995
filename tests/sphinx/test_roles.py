"""Roles, the domain's warnings and the collected backlinks, on tiny test roots (each well under a second)."""

from __future__ import annotations

import pytest
from docutils import nodes


@pytest.mark.sphinx("html", testroot="unknown-para", freshenv=True)
def test_an_unknown_para_or_duty_id_warns_with_the_id_and_the_page(app):
    app.build()
    warnings = app.warning.getvalue()
    assert "unknown paragraph ID 'no-such-record-p9'" in warnings
    assert "unknown duty ID 'no-such-duty'" in warnings
    para_line = next(ln for ln in warnings.splitlines() if "no-such-record-p9" in ln)
    assert "index.md" in para_line  # the page the reference is on
    assert "`wtkb paragraphs` lists the IDs" in para_line  # and what to do


@pytest.mark.sphinx("html", testroot="roles")
def test_para_role_renders_the_label_linked_to_the_anchor(app):
    app.build()
    assert app.warning.getvalue().strip() == ""
    refs = [r for r in app.env.get_and_resolve_doctree("index", app.builder).findall(nodes.reference)
            if "wtkb-para-ref" in r["classes"]]
    assert [r.astext() for r in refs] == ["Consultation response 2023 › Support under section 17 › para 1",
                                          "the support paragraph"]
    assert {r["refuri"] for r in refs} == {"source.html#cr-support-p1"}


@pytest.mark.sphinx("html", testroot="roles")
def test_duty_role_renders_the_short_name_linked_to_the_duty_page(app):
    app.build()
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    ref = next(r for r in app.env.get_and_resolve_doctree("index", app.builder).findall(nodes.reference)
               if "wtkb-duty-ref" in r["classes"])
    assert ref.astext() == "CA 1989 s 17"
    assert ref["refuri"] == "duty.html"
    assert 'title="CA 1989 s 17: Services for children in need"' in html


@pytest.mark.sphinx("html", testroot="roles")
def test_term_role_links_the_glossary_entry(app):
    app.build()
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert 'href="#term-DSL"' in html
    assert 'id="term-DSL"' in html


@pytest.mark.sphinx("html", testroot="roles")
def test_a_record_has_its_anchor_label_permalink_and_duty_chip(app):
    app.build()
    tree = app.env.get_and_resolve_doctree("source", app.builder)
    box = next(n for n in tree.findall(nodes.Element) if "cr-support-p1" in n.get("ids", []))
    assert "wtkb-record" in box["classes"]
    assert "Consultation response 2023 › Support under section 17 › para 1" in box.astext()
    chip = next(r for r in box.findall(nodes.reference) if "wtkb-duty-ref" in r["classes"])
    assert chip.astext() == "CA 1989 s 17"


@pytest.mark.sphinx("html", testroot="roles")
def test_duty_backlinks_list_the_tagged_record_once_with_its_excerpt(app):
    app.build()
    tree = app.env.get_and_resolve_doctree("duty", app.builder)
    text = tree.astext()
    assert "1 paragraph in all 1 sources concerns this provision." in text
    lists = [b for b in tree.findall(nodes.bullet_list) if "wtkb-backlinks" in b["classes"]]
    items = [li for b in lists for li in b.findall(nodes.list_item)]
    assert len(items) == 1
    assert "Local authorities provide support to children in need" in items[0].astext()
    assert "Handbook pages that refer to it" in text  # index.md names the duty
