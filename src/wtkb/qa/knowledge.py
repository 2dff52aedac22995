"""The handbook's own knowledge: glossary and duties-register summaries, and the topic chapters.

"What is CIN?", "what does LADO stand for?", "what does s47 mean?" are answered first from the
glossary (``reference/data/glossary.yaml``) or the duties register (``reference/data/duties.yaml``),
in our words and labelled as the handbook's summary, with the retrieved source paragraphs that use
the term as its citations and a link to the term or duty page. Answers also link the topic
chapters (``book/topics/*.md``) that cite the answer's paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from wtkb.reference.duties import Duty, duty_backlinks, load_duties
from wtkb.reference.glossary import GlossaryEntry, load_glossary
from wtkb.retrieve import Expander, Hit
from wtkb.settings import Settings
from wtkb.text import tokenize
from wtkb.urls import duty_page, page_url, term_url, topic_page

# "what is / what's / what are / what does X stand for / mean / define X / meaning of X / X?"
DEFINITION_Q = re.compile(
    r"\b(?:what(?:'s|’s| is| are| does| do)|whats|wh?[ao]ts?|define|definition|meaning|stand(?:s)? for|short for|"
    r"mean(?:s)?|acronym|abbreviation)\b", re.I)
# "s47", "s.17", "section 47", "section 11 of the Children Act 2004"
DUTY_REF = re.compile(r"\b(?:s\.?\s?|section\s+)(\d{1,3}[A-Z]?)\b(?:\s+of\s+the\s+([A-Z][\w ]+?\d{4}))?", re.I)
# words that make a question a definition question without naming what it is about
DEFINITION_WORDS = frozenset(tokenize("stand stands mean means meaning define definition acronym abbreviation short "
                                      "full form name term these exactly actually please wat wot"))
GLOSSARY_LABEL = "The handbook's glossary (our summary, not the sources' words)"
DUTY_LABEL = "The handbook's duties register (our summary of the law, not the sources' words)"
CITE = re.compile(r"\{para\}`(?:[^`<]*<)?([a-z0-9-]+)>?`")


@dataclass(frozen=True)
class Summary:
    """A handbook summary that can lead an answer."""

    text: str
    source: str  # "glossary" or "duty"
    url: str
    terms: tuple[str, ...]  # words whose presence marks a paragraph as using the term
    cites: tuple[str, ...] = ()  # for a duty: the paragraphs the register links to it


@dataclass(frozen=True)
class TopicChapter:
    title: str
    page: str
    cited: frozenset[str]


# the term a bare definition question asks about: "what is contextual safeguarding?", "what does EHCP stand for?"
DEFINED_TERM = re.compile(
    r"^\W*(?:(?:what(?:'s|’s| is| are)|whats|define|(?:the )?(?:meaning|definition) of)\s+(?:an?\s+|the\s+)?"
    r"(?P<a>[^?,;]+?)|what (?:does|do) (?:an?\s+|the\s+)?(?P<b>[^?,;]+?) (?:mean|stand for))\W*$", re.I)


def defined_term(question: str) -> str:
    """The term of a bare "what is X? / what does X mean?" question ("" for any other question)."""
    m = DEFINED_TERM.search(question.strip())
    term = (m.group("a") or m.group("b")) if m else ""
    return term if term and len(term.split()) <= 4 else ""


def is_definition(question: str) -> bool:
    """A "what is / what does … stand for / mean" question, or a bare term ("LADO?")."""
    words = re.findall(r"\w+", question)
    return bool(DEFINITION_Q.search(question)) or len(words) <= 2


class Knowledge:
    """Glossary, duties register and topic chapters, loaded once per :class:`wtkb.qa.QA`."""

    def __init__(self, settings: Settings, records):
        self.settings = settings
        self._records = records
        self.glossary: list[GlossaryEntry] = load_glossary()
        self._expander = Expander(self.glossary)
        self._by_term = {e.term: e for e in self.glossary}
        self._spelled: dict[str, tuple[str, ...]] = {}  # term -> the paragraphs that spell it out (spelled_out)

    @cached_property
    def duties(self) -> list[tuple[Duty, list[str]]]:
        """Every duty with the IDs of the paragraphs that concern it (computed once)."""
        links = duty_backlinks(self._records)
        return [(d, links.get(d.id, [])) for d in load_duties()]

    @cached_property
    def topics(self) -> list[TopicChapter]:
        folder: Path = self.settings.root / "book" / "topics"
        out = []
        for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
            text = path.read_text(encoding="utf-8")
            m = re.search(r"^# (.+)$", text, re.M)
            out.append(TopicChapter(m.group(1).strip() if m else path.stem, topic_page(path.stem),
                                    frozenset(CITE.findall(text))))
        return out

    # -- definitions ----------------------------------------------------------------------------

    def summaries(self, question: str, corrections: dict[str, str] | None = None) -> list[Summary]:
        """The glossary summaries a definition question asks for (at most two), else its duty's summary.

        ``corrections`` (misspelt token -> corpus token, from the retriever's spelling reader) lets a term
        typed with a typo be found: "wat is a lead practioner" asks for "lead practitioner"."""
        if not is_definition(question):
            return []
        out: list[Summary] = []
        exp = self._expander.expand(question, plain_terms=True)
        if not exp.terms and corrections:
            exp.terms = self._terms_in([corrections.get(t, t) for t in tokenize(question)])
            exp.known_tokens |= {t for t in tokenize(question) if t in corrections}
            exp.known_tokens |= {t for term in exp.terms for t in tokenize(term)}
        rest = set(tokenize(question)) - exp.known_tokens - DEFINITION_WORDS
        if exp.terms and len(rest) > 1:  # "what is the LADO's phone number?" asks about more than the term
            return []
        for term in exp.terms[:2]:
            out.append(self._glossary_summary(self._by_term[term]))
        duty = self.duty_for(question)
        if duty is not None and not out and len(rest) <= 2:
            out.append(self._duty_summary(*duty))
        return out[:2]

    def _terms_in(self, tokens: list[str]) -> list[str]:
        """The glossary terms of two or more words whose (stemmed) words run in ``tokens``."""
        text = " " + " ".join(tokens) + " "
        return list(dict.fromkeys(term for term, words in self._multiword if words in text))[:2]

    @cached_property
    def _multiword(self) -> list[tuple[str, str]]:
        """(term, " its stemmed words ") for every glossary name of two or more words, computed once."""
        return [(e.term, f" {' '.join(words)} ") for e in self.glossary for name in (e.term, *e.aliases)
                if len(words := tokenize(name)) > 1]

    def _glossary_summary(self, e: GlossaryEntry) -> Summary:
        name = f"{e.term} ({e.expansion})" if e.expansion else e.term
        text = f"{GLOSSARY_LABEL}: {name}: {' '.join(e.definition.split())}"
        # the term, its spellings and expansion, and its first two query phrases ("child in need",
        # "section 17" for CIN): how the sources word it
        terms = (e.term, *e.aliases, *((_plain(e.expansion),) if e.expansion else ()), *e.query_expansion[:2])
        return Summary(text, "glossary", term_url(e.term, self.settings.base_url), tuple(terms),
                       self.spelled_out(e))

    def spelled_out(self, e: GlossaryEntry, limit: int = 1) -> tuple[str, ...]:
        """The paragraphs where the sources spell the term out: the best source for the handbook's expansion
        of an acronym. Preferred in this order: the expansion with the acronym after it ("Joint Targeted Area
        Inspections (JTAIs)"), the expansion in brackets after another name ("Section 17 (Child In Need)"),
        the expansion anywhere ("designated safeguarding lead")."""
        if not e.expansion or len(e.term) > 8:
            return ()
        if e.term not in self._spelled:  # once per term: it scans the corpus
            full = re.escape(_plain(e.expansion)).replace(r"\ ", r"[\s-]+")
            patterns = (re.compile(rf"\b{full}(?:s|'s|’s)?\s*\(\s*[A-Za-z]+s?\s*\)", re.I),
                        re.compile(rf"\(\s*{full}s?\s*\)", re.I),
                        re.compile(rf"\b{full}(?:s|'s|’s)?\b", re.I))
            records = [r for r in self._records if not r.duplicate_of]
            found = (tuple(r.id for r in records if pat.search(r.text)) for pat in patterns)
            self._spelled[e.term] = next((ids for ids in found if ids), ())
        return self._spelled[e.term][:limit]

    def duty_for(self, question: str) -> tuple[Duty, list[str]] | None:
        m = DUTY_REF.search(question)
        if not m:
            return None
        number, act = m.group(1).lower(), (m.group(2) or "Children Act 1989").lower()
        for d, links in self.duties:
            prov = d.provision.lower()
            if re.match(rf"sections?\s+{re.escape(number)}\b", prov) and d.act.lower() == act:
                return d, links
        return None

    def _duty_summary(self, d: Duty, links: list[str]) -> Summary:
        text = f"{DUTY_LABEL}: {d.short_name} ({d.title}) binds {d.binds[:1].lower() + d.binds[1:]}. " \
               f"{' '.join(d.requires.split())}"
        terms = (d.short_name, f"section {d.provision.split()[-1]}" if d.provision.startswith("section") else d.act)
        return Summary(text, "duty", page_url(duty_page(d.id), self.settings.base_url), terms, tuple(links))

    @staticmethod
    def uses(summary: Summary, hit: Hit) -> bool:
        """Whether a retrieved paragraph uses the summarised term (so it can stand as the summary's source)."""
        if hit.record.id in summary.cites:
            return True
        text = hit.record.text
        for t in summary.terms:
            flags = 0 if (t.isupper() and len(t) <= 6) else re.I
            if re.search(rf"(?<![\w]){re.escape(t)}(?:s|'s|’s)?(?![\w])", text, flags):  # "Inspections", "ICBs"
                return True
        return False

    # -- topic chapters -------------------------------------------------------------------------

    def topics_for(self, ids: list[str], limit: int = 2) -> list[tuple[str, str]]:
        """``(title, url)`` of the topic chapters citing most of ``ids`` (best first; ties in chapter order)."""
        ranked = []
        for i, t in enumerate(self.topics):
            n = sum(1 for x in ids if x in t.cited)
            first = next((k for k, x in enumerate(ids) if x in t.cited), len(ids))
            if n:
                ranked.append((first, -n, i, t))
        ranked.sort(key=lambda x: x[:3])
        return [(t.title, page_url(t.page, self.settings.base_url)) for *_, t in ranked[:limit]]


def _plain(expansion: str) -> str:
    """"Section 47 of the Children Act 1989 (shorthand)" -> "Section 47 of the Children Act 1989"."""
    return re.sub(r"\s*\(.*?\)", "", expansion).strip()
