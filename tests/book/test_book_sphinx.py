"""The wtkb Sphinx domain's store: purging a page and merging parallel readers' data."""

from __future__ import annotations

from types import SimpleNamespace

from docutils import nodes

from wtkb.sphinx.domain import WtkbDomain
from wtkb.sphinx.events import outdated


def domain() -> WtkbDomain:
    return WtkbDomain(SimpleNamespace(domaindata={}))


def record(doc: str, document: str = "cr2023", duties=(), dup=None) -> dict:
    return {"docname": doc, "label": f"label in {doc}", "kind": "paragraph", "document": document,
            "text": "text", "duties": list(duties), "dup": dup}


def fill(d: WtkbDomain) -> None:
    node = nodes.paragraph()
    d.note_source("cr2023", {"docname": "sources/cr2023/index", "order": 4, "title": "CR"})
    d.note_source("devon2023", {"docname": "sources/devon2023", "order": 0, "title": "Devon"})
    d.note_record("cr-a", record("sources/cr2023/15", duties=["s17"]), node)
    d.note_record("cr-b", record("sources/cr2023/15", duties=["s17", "dpa"]), node)
    d.note_record("dv-a", record("sources/devon2023", "devon2023", duties=["s17"]), node)
    d.note_record("cr-early", record("sources/cr2023/01", duties=["s17"]), node)
    d.note_duty("s17", {"docname": "duties/s17", "short": "CA 1989 s 17", "title": "t", "order": 1}, node)
    d.note_collector("duties/s17")
    d.note_ref("topics/a", "duty", "s17")


def test_backlinks_follow_source_order_then_page_then_position():
    d = domain()
    fill(d)
    assert d.backlinks("s17") == ["dv-a", "cr-early", "cr-a", "cr-b"]
    assert d.backlinks("dpa") == ["cr-b"]
    assert [d.data["records"][r]["idx"] for r in ("cr-a", "cr-b")] == [0, 1]


def test_purging_a_page_drops_everything_it_declared():
    d = domain()
    fill(d)
    d.clear_doc("sources/cr2023/15")
    assert set(d.data["records"]) == {"dv-a", "cr-early"}
    d.clear_doc("topics/a")
    assert d.data["refs"] == {}
    d.clear_doc("duties/s17")
    assert d.data["duties"] == {} and d.data["collectors"] == {}


def test_merging_takes_only_the_other_readers_pages():
    main, worker = domain(), domain()
    fill(worker)
    main.merge_domaindata({"sources/cr2023/15", "duties/s17"}, worker.data)
    assert set(main.data["records"]) == {"cr-a", "cr-b"}
    assert set(main.data["duties"]) == {"s17"}
    assert set(main.data["collectors"]) == {"duties/s17"}
    assert main.data["refs"] == {}


def test_any_change_rereads_the_pages_that_show_collected_data():
    d = domain()
    fill(d)
    env = SimpleNamespace(get_domain=lambda name: d, found_docs={"duties/s17", "topics/a", "x"})
    app = SimpleNamespace()
    assert outdated(app, env, set(), set(), set()) == []
    assert outdated(app, env, set(), {"x"}, set()) == ["duties/s17", "topics/a"]
    assert outdated(app, env, set(), set(), {"topics/a"}) == ["duties/s17"]
    assert app._wtkb_removed == {"topics/a"}
