"""What a "how many X" question counts, and whether a sentence gives a figure for it.

Shared by :mod:`wtkb.qa.refusal` (a count the sources never give is refused) and
:mod:`wtkb.qa.compose` (a count question is answered by the sentence that counts what it asks about).
"""

from __future__ import annotations

import re

from wtkb.text import tokenize

# "how many social workers are there…": the thing counted is the phrase after "how many", up to its verb
COUNT_VERBS = (r"are|is|were|was|werent|weren't|do|does|did|have|has|had|in|on|of|for|per|each|there|will|would|can|"
               r"could|should|must|came|took|get|got|happen\w*|respond\w*|comment\w*|said|say|think|thought|agreed|"
               r"disagreed|answered|ticked|supported|wanted|felt")
HOW_MANY = re.compile(rf"\bhow many\s+((?:[\w'’/-]+\s+){{0,3}}?[\w'’/-]+?)"
                      rf"(?=\s+(?:{COUNT_VERBS})\b|\s*[?,.;:]|$)", re.I)
STARTS_WITH_VERB = re.compile(rf"^(?:{COUNT_VERBS})\b|\w+ly\b", re.I)
# a figure in the sources' words: "35 questions", "ten different services", "over 1,000 responses"
NUMBER_WORD = re.compile(r"^(?:\d[\d,.]*%?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                         r"\w+teen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|dozens?)$")
# a number that labels, not counts: "chapter 6 Child death reviews", "section 17", "level 3 support"
LABEL = re.compile(r"^(?:chapters?|sections?|s|paras?|paragraphs?|annex|page|part|step|level|tier|phase|stage|"
                   r"year|appendix|figure|table|question|q)$")
# asked about people or organisations, a consultation answers with counts of its responses
RESPONDENTS = frozenset(tokenize("people person organisations organisation respondents responses comments "
                                 "submissions individuals groups practitioners"))


def counted_nouns(question: str) -> set[str]:
    """What a "how many X" question counts: the stemmed head word of each X ("social workers" -> "worker"),
    with the response counts that answer it when X is people or organisations."""
    out: set[str] = set()
    for m in HOW_MANY.finditer(question):
        phrase = re.sub(r"\s+\w+ly$", "", m.group(1))
        if STARTS_WITH_VERB.match(phrase):  # "how many answered / actually responded": people
            out |= RESPONDENTS
            continue
        for part in re.split(r"[/]|\band\b|\bor\b", phrase):
            toks = tokenize(part)
            if toks and toks[-1].isalpha():
                out.add(toks[-1])
    return out | RESPONDENTS if out & RESPONDENTS else out


def counts(text: str, nouns: set[str]) -> bool:
    """Whether ``text`` gives a figure for one of ``nouns``: a number at most three words before it
    ("ten different services", "1269 formal responses"; not "22 contained a quantitative response", nor
    "chapter 6 Child death reviews")."""
    words = re.findall(r"[\w%][\w,.%'’-]*", text.lower())
    for i, w in enumerate(words):
        stem = tokenize(w)
        if stem and stem[0] in nouns and any(_is_count(words, j) for j in range(max(0, i - 3), i)):
            return True
    return False


def _is_count(words: list[str], j: int) -> bool:
    """``words[j]`` is a number that counts ("six", "1269"), not one that labels ("chapter 6")."""
    return bool(NUMBER_WORD.match(words[j].rstrip(".,"))) and not (j and LABEL.match(words[j - 1]))
