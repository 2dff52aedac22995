"""Query expansion: the words a practitioner types -> the sources' wording.

* :class:`Expander`: glossary shorthand ("DV", "CIN", "LADO", plurals such as "FGCs" and "LAs");
* :class:`Everyday`: everyday words ("info", "kids", "money") from ``reference/data/everyday.yaml``;
* :class:`Initials`: acronyms the glossary lacks, read off the corpus's own capitalised names;
* :class:`Spelling`: a misspelt word ("safegaurding") read as the corpus word one edit away.

Expansion phrases go into the embedded text and, at ``expansion_weight``, into BM25; the words they
account for count as known when the refusal rule measures how much of a question the sources know.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from wtkb.reference.glossary import GlossaryEntry
from wtkb.text import tokenize


@dataclass
class Expansion:
    """A query with the glossary's expansion phrases for the shorthand it uses."""

    query: str
    terms: list[str] = field(default_factory=list)  # glossary terms found
    phrases: list[str] = field(default_factory=list)  # phrases added
    known_tokens: set[str] = field(default_factory=set)  # query tokens the glossary accounts for
    acronyms: dict[str, str] = field(default_factory=dict)  # token -> the corpus phrase it abbreviates
    corrections: dict[str, str] = field(default_factory=dict)  # misspelt token -> the corpus token it is

    @property
    def dense_text(self) -> str:
        return f"{self.query} ({'; '.join(self.phrases)})" if self.phrases else self.query


class Expander:
    """Finds glossary terms, aliases and acronyms in a query and adds their ``query_expansion`` phrases.

    A full-phrase alias ("scrutiny arrangements") is matched only when asked (``plain_terms``): the
    query already has the sources' words. One with a word the corpus never uses (``knows``: "independent
    scrutineer") is matched always, as shorthand is: it is the only bridge to the sources' wording.
    """

    def __init__(self, entries: list[GlossaryEntry], knows: Callable[[str], bool] | None = None):
        self.entries = entries
        self._patterns: list[tuple[GlossaryEntry, re.Pattern[str], re.Pattern[str]]] = []

        def bridging(alias: str) -> bool:
            return knows is not None and any(not knows(t) for t in tokenize(alias))

        for e in entries:
            short = [e.term] + [a for a in e.aliases if _is_shorthand(a, e) or bridging(a)]
            full = [a for a in e.aliases if not _is_shorthand(a, e) and not bridging(a)]
            if e.expansion:
                full.append(_clean_expansion(e.expansion))
            self._patterns.append((e, _alternation(short, plural=True), _alternation(full)))

    def expand(self, query: str, plain_terms: bool = False) -> Expansion:
        out = Expansion(query)
        low = query.lower()
        seen: set[str] = set()
        for e, short, full in self._patterns:
            hit = short.search(query) or (plain_terms and full.search(query))
            if not hit:
                continue
            out.terms.append(e.term)
            out.known_tokens.update(tokenize(" ".join([e.term, *e.aliases, e.expansion or ""])))
            for p in e.query_expansion:
                key = p.lower()
                if key not in seen and key not in low:
                    seen.add(key)
                    out.phrases.append(p)
        return out


def _is_shorthand(alias: str, e: GlossaryEntry) -> bool:
    """An acronym, an abbreviation or a spelling variant of the term, as opposed to a full phrase."""
    a = alias.replace(".", "").replace(" ", "")
    return len(a) <= 6 or a.lower() == e.term.lower().replace(" ", "") or a.lower().rstrip("s") == e.term.lower()


def _clean_expansion(text: str) -> str:
    return re.sub(r"\s*\(.*?\)", "", text).strip()


def _alternation(words: list[str], plural: bool = False) -> re.Pattern[str]:
    """One pattern for ``words``; with ``plural`` an acronym also matches with an "s" ("FGCs", "LAs")."""
    words = sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True)
    if not words:
        return re.compile(r"(?!x)x")
    alts = "|".join(re.escape(w).replace(r"\ ", r"[\s\-]+").replace("'", "['’]?").replace("’", "['’]?")
                    for w in words)
    tail = "(?:s|'s|’s)?" if plural else ""
    return re.compile(rf"(?<![\w.])(?:{alts}){tail}(?![\w])", re.IGNORECASE)


class Everyday:
    """Everyday words ("info", "kids", "money") -> the sources' wording (``reference/data/everyday.yaml``)."""

    def __init__(self, table: dict[str, tuple[str, ...]]):
        self._table = [(_alternation([w], plural=True), w, phrases) for w, phrases in table.items()]

    def expand(self, exp: Expansion) -> Expansion:
        low = exp.query.lower()
        for pattern, word, phrases in self._table:
            if pattern.search(exp.query):
                exp.known_tokens.update(tokenize(word))
                exp.phrases += [p for p in phrases if p.lower() not in low and p not in exp.phrases]
        return exp


class Spelling:
    """A misspelt query word ("safegaurding") read as the corpus word one edit away ("safeguard").

    Symmetric deletion: two words are within one insertion, deletion, substitution or adjacent
    swap of each other when deleting at most one letter from each gives the same string; a word of
    seven or more letters may also be a corpus word with two letters left out ("practioner",
    stemmed "praction", is "practition"), never one that only adds an ending. Only
    words of five or more letters that the corpus and glossary do not know are corrected, and
    only to a corpus word of the same first letter that is not the word less its last letter: that
    is a different word of the same family ("contextual", stemmed "contextu", is not "context").
    """

    MIN = 6
    LONG = 8  # a corpus word this long may also be two letters longer than the typo ("practioner")

    def __init__(self, vocabulary: list[str]):
        self._by_key: dict[str, list[str]] = {}
        self._long: dict[str, list[str]] = {}  # long corpus words by their two-letter deletions
        for w in vocabulary:
            if len(w) >= self.MIN - 1 and w.isalpha():
                for k in _deletions(w):
                    self._by_key.setdefault(k, []).append(w)
            if len(w) >= self.LONG and w.isalpha():
                for k in {d for one in _deletions(w) for d in _deletions(one)} - {w}:
                    self._long.setdefault(k, []).append(w)

    def correct(self, token: str) -> str | None:
        found = {w for k in _deletions(token) for w in self._by_key.get(k, []) if w[0] == token[0] and w != token[:-1]}
        if not found and len(token) >= self.LONG - 1:  # two letters left out: "practioner" -> "practitioner"
            found = {w for w in self._long.get(token, []) if w[:2] == token[:2] and not w.startswith(token)}
        return min(found, key=lambda w: (abs(len(w) - len(token)), w)) if found else None

    def expand(self, exp: Expansion, knows) -> Expansion:
        for word in re.findall(rf"[A-Za-z]{{{self.MIN},}}", exp.query):
            tokens = tokenize(word)
            if not tokens or knows(tokens[0]) or tokens[0] in exp.known_tokens:
                continue
            fixed = self.correct(tokens[0])
            if fixed:
                exp.known_tokens.add(tokens[0])
                exp.phrases.append(fixed)
                exp.corrections[tokens[0]] = fixed
        return exp


def _deletions(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}


# a run of capitalised words, small joining words allowed inside: "Sudden Unexpected Death in Childhood"
_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:(?:in|of|and|for|the|to|on)\s+)?[A-Z][a-z]+){1,5}")
_WORD = re.compile(r"\b[A-Za-z]{2,6}\b")


class Initials:
    """Acronyms the glossary does not know, read off the corpus's own capitalised names.

    "sudc and JAR - what do these stand for?": neither acronym occurs in the sources, but "Joint
    Agency Response, Sudden Unexpected Death in Childhood" does; a query word the corpus does not
    use that spells the initials of such a name gets the name as an expansion phrase.
    """

    def __init__(self, texts: list[str]):
        self._names: dict[str, str] = {}
        for text in texts:
            for m in _NAME.finditer(text):
                key = "".join(w[0] for w in m.group(0).split() if w[0].isupper()).lower()
                self._names.setdefault(key, m.group(0))

    def expand(self, exp: Expansion, knows) -> Expansion:
        """Add the name of each query word that ``knows`` (the corpus) does not and that spells one's initials."""
        for word in _WORD.findall(exp.query):
            tokens = tokenize(word)
            if not tokens or knows(tokens[0]) or tokens[0] in exp.known_tokens:
                continue
            name = self._names.get(word.lower())
            if name and name.lower() not in exp.query.lower():
                exp.phrases.append(name)
                exp.known_tokens.add(tokens[0])
                exp.acronyms[tokens[0]] = name
        return exp
