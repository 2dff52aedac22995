"""Text helpers shared by every stage: tokens, stop words, sentences, slugs, heading paths, escaping.

One definition each. ``split_sentences`` returns *spans* of the original text so an answer can
copy a sentence exactly; Markdown-aware splitting for our own chapters lives in
``wtkb.briefing`` on top of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

HEADING_SEP = " › "


def heading_path(section: Iterable[str]) -> str:
    """A heading path as shown to readers: ``"Section 3 › Support under section 17"``."""
    return HEADING_SEP.join(h for h in section if h)


def alnum(text: str) -> str:
    """Only the letters and digits, lower-cased ("&" read as "and"): for matching text across formats."""
    return re.sub(r"[^a-z0-9]", "", text.lower().replace("&", "and"))


# A slug never ends on one of these ("support-under-section-17", not "support-under-the").
# Part of the paragraph-ID contract: changing it changes IDs (tests/corpus/ids.snapshot.txt).
SLUG_TAIL_WORDS = frozenset({"a", "an", "and", "the", "of", "to", "for", "in", "on", "with", "by", "or", "under",
                             "their", "this"})
SLUG_WORDS = 4


def slugify(text: str, max_words: int | None = SLUG_WORDS) -> str:
    """'Support under section 17 of the Children Act 1989' -> 'support-under-section-17'."""
    words = re.findall(r"[a-z0-9]+", text.lower().replace("’", "").replace("'", ""))
    if max_words:
        words = words[:max_words]
        while len(words) > 1 and words[-1] in SLUG_TAIL_WORDS:
            words.pop()
    return "-".join(words) or "section"


def normalise(text: str) -> str:
    """Lower-case, single-spaced text with curly quotes straightened, for comparing passages."""
    return " ".join(text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').lower().split())


_TOKEN = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being below between both but by
can could did do does doing down during each few for from further had has have having he her here hers herself him
himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other
our ours ourselves out over own same she should so some such than that the their theirs them themselves then there
these they this those through to too under until up very was we were what when where which while who whom why will
with would you your yours yourself yourselves
""".split())


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens without stop words, Porter-stemmed (the same for records and queries)."""
    words = [w for w in _TOKEN.findall(text.lower().replace("’", "'").replace("'s", "")) if w not in STOPWORDS]
    return _stemmer().stemWords(words)


_SENT_END = re.compile(r"(?<=[.!?])[’”'\")\]]*\s+(?=[A-Z0-9‘“'\"(\[])")
_NO_SPLIT = re.compile(r"(?:\b(?:e\.g|i\.e|etc|viz|cf|no|para|paras|s|ss|c|vs|mr|mrs|ms|dr|st)\.)$", re.I)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text``; ``text[start:end]`` is copied exactly."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END.finditer(text):
        if _NO_SPLIT.search(text[max(0, m.start() - 6):m.start()]):
            continue
        end = m.start() + len(m.group(0).rstrip())
        if text[start:end].strip():
            spans.append((start, end))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return [(s + len(text[s:e]) - len(text[s:e].lstrip()), e) for s, e in spans]




# ---- text a request may carry ---------------------------------------------------------------
# What the edge refuses (API and CLI): code points UTF-8 cannot encode, i.e. lone surrogates (a
# JSON "\ud800", or undecodable bytes on the command line). Everything else that is valid Unicode
# is taken (the tokenizer and the model cope with control characters). The same rule is published
# in the OpenAPI schema as ``TEXT_PATTERN`` (Python ``re`` syntax, ASCII-only source, which JSON
# Schema's ECMA dialect reads the same way).
_BAD_CLASS = r"\ud800-\udfff"
_BAD = re.compile(f"[{_BAD_CLASS}]")
TEXT_PATTERN = f"^[^{_BAD_CLASS}]*$"
# ... and a text that must have words: at least one character that is not white space
WORDS_PATTERN = rf"^[^{_BAD_CLASS}]*[^\s{_BAD_CLASS}][^{_BAD_CLASS}]*$"
TEXT_RULE = "valid Unicode text (no lone surrogates such as \\ud800: they cannot be encoded as UTF-8)"


def bad_character(text: str) -> str | None:
    """Why ``text`` cannot be taken (naming the first offending character and its position), or None."""
    m = _BAD.search(text)
    if m is None:
        return None
    return f"character {m.start() + 1} is U+{ord(m.group()):04X}, a lone surrogate (not valid Unicode)"


def unreadable(value: object) -> str:
    """A message for text that cannot be taken: which character and where, and what to send instead."""
    problem = bad_character(value) if isinstance(value, str) else None
    return f"{problem or 'it is not valid Unicode text'}; send {TEXT_RULE}"


# -- acronyms spelled out in a text: "Association of Directors of Children's Services (ADCS)",
#    "IPSEA (Independent Provider of Special Education Advice)", "multi academy trusts (MATs)"
_SMALL = frozenset({"of", "for", "and", "the", "in", "on", "to", "&", "a", "an", "at", "with", "by"})
_PHRASE_WORD = re.compile(r"[A-Za-z][\w'’-]*|&")
_CLAUSE_END = re.compile(r"[.;:,()]")


def _initials_match(words: list[str], letters: str) -> bool:
    """Whether ``words`` abbreviate to ``letters``: each word gives its first letter (a hyphenated word may give
    one per part), in order; a small word ("of", "and") may give its letter or none."""
    if not words:
        return not letters
    w, rest = words[0], words[1:]
    options = [w[0]] + ["".join(p[0] for p in w.split("-") if p)] if "-" in w else [w[0]]
    for opt in options:
        if letters.lower().startswith(opt.lower()) and _initials_match(rest, letters[len(opt):]):
            return True
    return w.lower() in _SMALL and _initials_match(rest, letters)


def spelled_out(acronym: str, text: str) -> tuple[int, int] | None:
    """Where ``text`` spells ``acronym`` out (its expansion and the acronym, as ``(start, end)``), or None.

    The acronym (any case as typed: "ipsea", "MATs", "adcs") is matched in brackets after its expansion, or
    before its expansion in brackets; the expansion's initials must spell it (a final "s" may be a plural)."""
    plural = [acronym[:-1]] if len(acronym) > 2 and acronym[-1] in "sS" else []
    for letters in (x.upper() for x in [acronym, *plural]):
        if 2 <= len(letters) <= 8 and letters.isalpha() and (span := _spelled(letters, text)):
            return span
    return None


def _spelled(letters: str, text: str) -> tuple[int, int] | None:
    acr = rf"{re.escape(letters)}s?"
    for m in re.finditer(rf"\(\s*{acr}\s*\)", text, re.I):  # "Association of … Services (ADCS)"
        lo = max(0, m.start() - 160)
        clause = max((p.end() for p in _CLAUSE_END.finditer(text, lo, m.start())), default=lo)  # its clause only
        words = list(_PHRASE_WORD.finditer(text, clause, m.start()))
        for k in range(1, len(words) + 1):  # the shortest run of words before the bracket that spells it
            if _initials_match([w.group(0) for w in words[-k:]], letters):
                return words[-k].start(), m.end()
    for m in re.finditer(rf"\b{acr}\b(?:\s+[A-Z]{{2}})?\s*\(([^()]{{3,160}})\)", text, re.I):  # "IPSEA (…)"
        if _initials_match(_PHRASE_WORD.findall(m.group(1)), letters):
            return m.start(), m.end()
    return None
