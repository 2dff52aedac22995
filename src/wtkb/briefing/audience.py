"""Audience tailoring: which agency a pack is for, what binds it, and which points concern it.

An audience (free text: "school DSLs", "police officers") is matched to one of
:data:`AGENCIES`. The agency decides three things:

- the duties that bind it: register entries (``wtkb.reference.duties``) whose "who it binds"
  names the agency;
- the order of the key points: sections and points that concern the agency (they name it, or
  cite a paragraph tagged with a duty that binds it) come first, so they survive the cut to
  ten slides and to one continuation per section;
- the "What this means for you" points: sentences, copied exactly, of the cited paragraphs (and
  their section neighbours) that name the agency, each with its source.

An audience that matches no agency still orders points by its own words and the glossary's
expansions of them, and gets no "What this means for you" slide.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from wtkb.briefing.model import MAX_FOR_YOU, Point
from wtkb.briefing.slides import units
from wtkb.models import Record
from wtkb.text import STOPWORDS, split_sentences

FOR_YOU_CHARS = 520  # text budget of the "What this means for you" slide
FOR_YOU_SENTENCE = 260  # a longer sentence is not quoted on that slide
# which voices lead on the "for you" slide: decisions and the guidance first, views last
VOICE_ORDER = {"decision": 0, "government": 1, "local": 2, "respondents": 3, "quote": 4, "commentary": 5}


@dataclass(frozen=True)
class Agency:
    key: str
    label: str  # as a slide says it: "education settings"
    audience: str  # the regex that recognises the agency in an audience's own words
    mentions: str  # the regex that finds the agency in a paragraph or point
    binds: str  # the regex that finds the agency in a duty's "who it binds"

    @property
    def mentions_re(self) -> re.Pattern[str]:
        return _compile(self.mentions)


AGENCIES: dict[str, Agency] = {a.key: a for a in (
    Agency("education", "schools, colleges and early years",
           r"school|college|education|teacher|dsl|designated safeguarding|early years|nursery|governor|academ",
           r"\b(?:schools?|colleges?|education|teachers?|designated safeguarding leads?|early years|nurser(?:y|ies)|"
           r"governing bod(?:y|ies)|academ(?:y|ies)|pupils?)\b",
           r"school|college|education|early years|teacher|proprietor"),
    Agency("health", "health services",
           r"health|nhs|\bgps?\b|nurse|midwi|hospital|\bicbs?\b|integrated care|doctor|paediatric|clinic",
           r"\b(?:health|NHS|GPs?|nurses?|midwi(?:fe|ves)|hospitals?|integrated care boards?|ICBs?|doctors?|"
           r"paediatric\w*|clinicians?)\b",
           r"health|nhs|integrated care board"),
    Agency("police", "the police",
           r"police|policing|constab|detective|\bpccs?\b",
           r"\b(?:police|policing|constab\w*|chief officers? of police|detectives?)\b",
           r"police"),
    Agency("childrens-social-care", "children's social care",
           r"social work|social care|children'?s services|\bcsc\b|local authorit",
           r"\b(?:social work(?:ers?)?|social care|children['’]s services|local authorit(?:y|ies))\b",
           r"local authorit|children's services|social services"),
    Agency("vcs", "the voluntary and community sector",
           r"voluntary|community sector|charit|faith|\bvcse?\b|volunteer|sport|club|youth group",
           r"\b(?:voluntary|community (?:and|or) voluntary|charit(?:y|ies)|faith|VCSE?|volunteers?|sports?|clubs?)\b",
           r"volunteer|voluntary|everyone|regulated activity|all agencies"),
    Agency("leaders", "partnership leaders",
           r"partnership|leader|strategic|safeguarding partner|board|executive|director|chief",
           r"\b(?:safeguarding partners?|partnerships?|lead safeguarding partners?|delegated safeguarding partners?|"
           r"leaders?|chief executives?|directors?|strategic)\b",
           r"safeguarding partner|child death review partner"),
)}


@lru_cache(maxsize=1)
def _overrides():
    from wtkb.reference.duties import load_overrides

    return load_overrides()


@lru_cache(maxsize=64)
def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


def match_agency(audience: str | None) -> Agency | None:
    """The agency an audience names ("school DSLs" -> education); the most matches win, then table order."""
    if not audience:
        return None
    text = audience.lower()
    scored = [(len(_compile(a.audience).findall(text)), -i, a) for i, a in enumerate(AGENCIES.values())]
    best = max(scored, key=lambda x: x[:2])
    return best[2] if best[0] else None


def binding_duties(agency: Agency, duty_ids: Iterable[str] | None = None) -> list[str]:
    """Register ids (of ``duty_ids``, default all) whose "who it binds" names the agency, in register order."""
    from wtkb.reference.duties import load_duties

    want = None if duty_ids is None else set(duty_ids)
    binds = _compile(agency.binds)
    return [d.id for d in load_duties() if (want is None or d.id in want) and binds.search(d.binds)]


def _words(text: str) -> list[str]:
    words = re.findall(r"[a-z0-9]+", text.lower().replace("’", "").replace("'", ""))
    return [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
            for w in words if w not in STOPWORDS]


def audience_terms(audience: str | None) -> list[re.Pattern[str]]:
    """Patterns for the audience's words, the glossary's expansions of them ("DSLs" -> schools…) and,
    when it names an agency, the words that find that agency in a paragraph."""
    if not audience:
        return []
    from wtkb.reference.glossary import load_glossary
    from wtkb.retrieve import Expander

    exp = Expander(load_glossary()).expand(audience, plain_terms=True)
    entries = {e.term: e for e in load_glossary()}
    phrases = set(_words(audience))
    for t in exp.terms:
        e = entries[t]
        phrases.update(x.lower() for x in [e.term, *e.aliases, *([e.expansion] if e.expansion else [])])
    phrases.update(p.lower() for p in exp.phrases)
    phrases = {p for p in phrases if len(p) > 2}
    out = []
    for p in sorted(phrases):
        words = r"[\s-]+".join(re.escape(w) for w in p.split())
        out.append(re.compile(rf"\b{words}(?:s|es)?\b", re.I))
    agency = match_agency(audience)
    if agency is not None:
        out.append(agency.mentions_re)
    return out


def concerns(terms: list[re.Pattern[str]], records: dict[str, Record] | None = None,
             duty_ids: Iterable[str] = ()) -> Callable[[Point], bool]:
    """Does a point concern the audience: it names it, or cites a paragraph tagged with a duty in ``duty_ids``."""
    duties = set(duty_ids)
    tagged: dict[str, bool] = {}
    register: tuple = ()

    def by_duty(rid: str) -> bool:
        nonlocal register
        if rid not in tagged:
            from wtkb.reference.duties import load_duties, tags_for

            register = register or (load_duties(), _overrides())
            r = (records or {}).get(rid)
            tagged[rid] = bool(r is not None and duties & set(tags_for(r, *register)))
        return tagged[rid]

    def test(p: Point) -> bool:
        return any(t.search(p.text) for t in terms) or bool(duties and any(by_duty(c) for c in p.cites))

    return test


def for_audience(points: list[Point], terms: list[re.Pattern[str]],
                 concern: Callable[[Point], bool] | None = None) -> list[Point]:
    """Points that concern the audience first, otherwise in the chapter's order (a stable sort that
    keeps a sentence with the one it leans on)."""
    if not terms and concern is None:
        return list(points)
    test = concern or concerns(terms)
    ordered = sorted(units(points), key=lambda u: not any(test(p) for p in u))
    return [p for u in ordered for p in u]


def for_you(agency: Agency, cited: list[str], records: list[Record]) -> list[Point]:
    """The "What this means for you" points: a sentence naming the agency, copied exactly, from each
    paragraph the pack cites (then from those paragraphs' section neighbours); decisions and the
    guidance first, views last; within the slide's text budget."""
    by_id = {r.id: r for r in records}
    sections = {(by_id[c].document, tuple(by_id[c].section)) for c in cited if c in by_id}
    direct = set(cited)
    cands = []
    for i, r in enumerate(records):
        if r.duplicate_of or r.kind not in ("paragraph", "quote", "list_item") or \
                (r.id not in direct and (r.document, tuple(r.section)) not in sections):
            continue
        sentence = _naming_sentence(r.text, agency.mentions_re)
        if sentence:
            cands.append((r.id not in direct, VOICE_ORDER.get(r.voice, 6), i, sentence, r))
    out: list[Point] = []
    chars = 0
    for *_, sentence, r in sorted(cands, key=lambda x: x[:3]):
        if len(out) < MAX_FOR_YOU and chars + len(sentence) <= FOR_YOU_CHARS:
            out.append(Point(f"“{sentence}”", [r.id], quoted=True))
            chars += len(sentence)
    return out


def _naming_sentence(text: str, pattern: re.Pattern[str]) -> str | None:
    for a, b in split_sentences(text):
        s = text[a:b].strip()
        if pattern.search(s) and 40 <= len(s) <= FOR_YOU_SENTENCE:
            return s
    return None
