"""Site search that knows the field's shorthand: keywords for Sphinx's own search index.

Sphinx's static search ranks an exact *index entry* far above words in the
text (score 100 against 5 to 15), and the glossary already gives every term
such an entry on the glossary page, which is why "DV" or "DSL" used to find
only the glossary. Two kinds of keyword are added here, as index nodes
(``addnodes.index``) that the search indexer reads:

duty shorthand
    each duty page is found by what practitioners type for it: "s17", "s 17",
    "s.17", "section 17", "Children Act 1989 s 17" (see `duty_keywords`). The
    ``wtkb-duty`` directive adds them, so they are in the handbook's Index too.
glossary shorthand
    for every glossary entry, the topic chapters and duty pages that mention
    it most (its term, aliases and expansion count 3 a mention, the phrases
    the Q&A search adds for it 1; counted in each page's text at read time) get the entry's term,
    aliases and expansion as keywords: "DV" finds the chapter that discusses
    domestic abuse workers, not only the glossary. They are added when a page
    is written (``doctree-resolved``), once every page's counts are known, so
    they do not clutter the Index page.

The glossary is ``wtkb_glossary_file`` (a config value, relative to the
project's configuration directory; empty: the package's glossary.yaml), so a
test root can bring a three-term glossary.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

# Tuning knobs of the glossary keywords (checked with the "DV", "DSL", "s17", "lead practitioner" searches):
TOP_PAGES = 2  # a glossary keyword goes to the pages that mention the entry most, at most this many,
NEAR_TOP = 0.6  # ... each with at least this share of the top page's score,
MIN_SCORE = 4  # ... and at least this score (one or two passing mentions are not what a page is about).
DIRECT_WEIGHT = 3  # a mention of the term, an alias or the expansion; a query-expansion phrase counts 1
SHORTHAND_PAGES = ("topics/", "duties/")  # the pages that get glossary keywords (not duties/index)
_NUMBER = re.compile(r"\bsections?\s+(\d+[A-Z]{0,2})\b", re.IGNORECASE)


def duty_keywords(act: str, provision: str, short: str) -> list[str]:
    """What a practitioner types for a provision: 'section 17' -> s17, s 17, s.17, section 17 (+ Act)."""
    words = {short, f"{act} {provision.split('(')[0].strip()}"}
    for number in _NUMBER.findall(provision.split("(")[0]):
        n = number.lower()
        words |= {f"section {n}", f"s{n}", f"s {n}", f"s.{n}", f"{act} s{n}", f"{act} section {n}"}
    return sorted(w for w in (" ".join(w.split()) for w in words) if w and ";" not in w)


def index_node(keywords: list[str]) -> addnodes.index:
    """Main index entries pointing at the top of the page (no anchor)."""
    return addnodes.index(entries=[("single", k, "", "main", None) for k in keywords], inline=False)


# --------------------------------------------------------------------------- the glossary's shorthand


Entry = tuple[str, tuple[str, ...], tuple[tuple[re.Pattern[str], int], ...]]


@lru_cache(maxsize=8)
def _entries(path: str) -> tuple[Entry, ...]:
    """(term, keywords, (mention pattern, weight) pairs) per glossary entry."""
    from wtkb.reference.glossary import load_glossary

    out = []
    for e in load_glossary(Path(path) if path else None):
        expansion = re.sub(r"\s*\(.*?\)", "", e.expansion or "").strip()
        direct = {" ".join(k.split()) for k in (e.term, expansion, *e.aliases) if k}
        keywords = tuple(sorted(k for k in direct if ";" not in k))
        related = {" ".join(k.split()) for k in e.query_expansion if k} - direct
        patterns = tuple([(_mention(p), DIRECT_WEIGHT) for p in sorted(direct)] +
                         [(_mention(p), 1) for p in sorted(related)])
        out.append((e.term, keywords, patterns))
    return tuple(out)


def _mention(phrase: str) -> re.Pattern[str]:
    """Acronyms (all capitals, up to 5 letters) match case-sensitively; phrases in any case."""
    body = r"\b" + re.escape(phrase) + r"\b"
    acronym = phrase.isupper() and len(phrase) <= 5
    return re.compile(body) if acronym else re.compile(body, re.IGNORECASE)


def glossary_file(app: Sphinx) -> str:
    name = app.config.wtkb_glossary_file
    return str(Path(app.confdir) / name) if name else ""


def count_mentions(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: how often a topic chapter or duty page mentions each glossary entry."""
    docname = app.env.docname
    if not docname.startswith(SHORTHAND_PAGES) or docname == "duties/index":
        return
    text = doctree.astext()
    counts = {}
    for term, _keywords, patterns in _entries(glossary_file(app)):
        n = sum(weight * len(p.findall(text)) for p, weight in patterns)
        if n:
            counts[term] = n
    dom = app.env.get_domain("wtkb")
    dom.note_mentions(docname, counts)
    dom.note_collector(docname)  # its keywords depend on the other pages' counts: re-read when any page changes


def add_glossary_keywords(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: the keywords of the entries this page is among the top pages for."""
    dom = app.env.get_domain("wtkb")
    mine = dom.data["mentions"].get(docname)
    if not mine:
        return
    keywords: set[str] = set()
    for term, words, _patterns in _entries(glossary_file(app)):
        if mine.get(term, 0) >= MIN_SCORE and docname in dom.top_mentions(term, TOP_PAGES, NEAR_TOP):
            keywords.update(words)
    if keywords:
        doctree.insert(0, index_node(sorted(keywords)))
