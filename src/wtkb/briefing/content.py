"""Briefing packs: the content of a training deck on one topic, built from the corpus and the handbook.

This module decides *what* a pack says; :mod:`wtkb.briefing_render` decides how it looks
(pptx, Markdown, a one-page HTML handout). Nothing here is written by code: every point
is either a sentence of a hand-written topic chapter (``book/topics/*.md``, our own plain
words, each carrying the ``{para}`` citations the chapter gives it) or, for a free-text
topic the chapters do not cover, a sentence copied exactly from a retrieved paragraph and
marked as a quotation.

A built-in topic (``wtkb briefing --list``) is derived by parsing its chapter:

- the "In short" admonition gives *what changed*;
- each ``##`` section (except "See also" and "Questions for discussion") gives one or more
  key-point slides: its sentences, bullets and table rows, each with its citations; a
  sentence without a ``{para}`` citation is never a point;
- consultation figures are the questions in ``consultation.yaml`` whose paragraphs the
  chapter cites; quotes are attributed respondents' views from the sections it cites;
- discussion questions are the chapter's "Questions for discussion" bullets.

A free-text topic is retrieved (the Q&A index decides whether the sources cover it, as
for ``/ask``); it raises :class:`BriefingError` when they do not, so nobody gets an empty deck.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from wtkb.errors import NotFound, WtkbError
from wtkb.models import Record, SourceDoc
from wtkb.reference.consultation import Question, load_consultation
from wtkb.settings import Settings

if TYPE_CHECKING:  # pragma: no cover
    from wtkb.corpus import Corpus
    from wtkb.qa import QA

MIN_KEY_SLIDES = 5
MAX_KEY_SLIDES = 10
MAX_POINTS = 5  # per key slide
SLIDE_CHARS = 800  # text budget of one key slide (a 4:3 slide at 14-20pt)
MAX_WHAT_CHANGED = 5
MAX_FIGURES = 4
MAX_QUOTES = 4
QUOTE_CHARS = 1200  # text budget of the "What people said" slide
MIN_QUESTIONS, MAX_QUESTIONS = 3, 5
# free-text topics
TOP_HITS = 8  # retrieved paragraphs a free-text pack is built from
HIT_SHARE = 0.75  # ... keeping those scoring at least this share of the best one

SKIP_SECTIONS = ("see also", "questions for discussion")
DISCUSSION = "questions for discussion"
IN_SHORT = "in short"


class BriefingError(WtkbError):
    """A briefing pack cannot be built (an uncovered topic, a malformed chapter, an unknown format)."""


class UncoveredTopic(NotFound, BriefingError):
    """The sources hold nothing on the topic: there is no pack to be had (the API answers 404, not 422)."""


@dataclass(frozen=True)
class Topic:
    """A built-in topic: one hand-written chapter of the handbook."""

    slug: str  # "01-lead-practitioner"
    title: str  # the chapter's H1
    path: Path
    page: str  # "topics/01-lead-practitioner": the handbook page (without .html)

    @property
    def number(self) -> int | None:
        m = re.match(r"(\d+)", self.slug)
        return int(m.group(1)) if m else None


@dataclass
class Point:
    """One point of a slide: plain words (markup stripped) and the record IDs it rests on.

    ``quoted`` points are a source's own sentence, in quotation marks (free-text topics only,
    where no chapter sentence cites the paragraph); all others are the handbook's own words.
    """

    text: str
    cites: list[str]
    quoted: bool = False


@dataclass
class KeySlide:
    title: str
    points: list[Point]
    chapter: str | None = None  # slug of the chapter the points come from (None: source quotes)


@dataclass
class Pack:
    """Everything a renderer needs; no layout decisions."""

    title: str
    topic: Topic | None  # None for a free-text topic
    query: str  # the topic as asked
    audience: str | None
    what_changed: list[Point]
    slides: list[KeySlide]
    figures: list[Question]
    quotes: list[Record]  # kind == "quote", each with an attribution; respondents' views, not guidance
    discussion: list[str]
    sources: list[SourceDoc]  # the documents actually cited, in manifest order
    records: dict[str, Record]  # every record the pack cites (points, figures, quotes), by id
    chapters: list[Topic] = field(default_factory=list)  # chapters whose words the pack uses
    corpus_hash: str = ""
    mode: Literal["topic", "retrieval"] = "topic"

    @property
    def points(self) -> list[Point]:
        return [*self.what_changed, *(p for s in self.slides for p in s.points)]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view (for an API)."""
        return {
            "title": self.title, "query": self.query, "audience": self.audience, "mode": self.mode,
            "topic": _topic_dict(self.topic) if self.topic else None,
            "what_changed": [asdict(p) for p in self.what_changed],
            "slides": [asdict(s) for s in self.slides],
            "figures": [q.model_dump() for q in self.figures],
            "quotes": [r.to_dict() for r in self.quotes],
            "discussion": list(self.discussion),
            "sources": [s.provenance() for s in self.sources],
            "records": {k: r.to_dict() for k, r in self.records.items()},
            "chapters": [_topic_dict(t) for t in self.chapters],
            "corpus_hash": self.corpus_hash,
        }


def _topic_dict(t: Topic) -> dict[str, Any]:
    return {"slug": t.slug, "title": t.title, "page": t.page}


# --------------------------------------------------------------------------- topics


def topics_dir(settings: Settings) -> Path:
    return settings.root / "book" / "topics"


def list_topics(settings: Settings) -> list[Topic]:
    """The handbook's topic chapters (``book/topics/*.md``), sorted by file name."""
    out = []
    for path in sorted(topics_dir(settings).glob("*.md")):
        title = _h1(path)
        if title:
            out.append(Topic(slug=path.stem, title=title, path=path, page=f"topics/{path.stem}"))
    return out


def _h1(path: Path) -> str | None:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return plain(line[2:])[0]
    return None


_STOP = {"a", "an", "and", "the", "of", "to", "for", "in", "on", "with", "by", "or", "who", "can", "be", "what",
         "where", "from", "about", "is", "are", "how", "at", "into", "topic"}


def _words(text: str) -> list[str]:
    words = re.findall(r"[a-z0-9]+", text.lower().replace("’", "").replace("'", ""))
    return [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
            for w in words if w not in _STOP]


def find_topic(topics: list[Topic], text: str) -> Topic | None:
    """The built-in topic ``text`` names: by slug, by number ("1", "01"), or by the words of its title.

    Every word of ``text`` (stop words aside, plurals folded) must appear in the title or the
    slug; when several titles qualify, the one they cover best wins, then the lowest number.
    """
    t = " ".join(text.split()).strip().lower()
    if not t:
        return None
    for tp in topics:
        if t in (tp.slug, tp.slug.split("-", 1)[-1], tp.title.lower()):
            return tp
    if t.isdigit():
        return next((tp for tp in topics if tp.number == int(t)), None)
    want = set(_words(t))
    if not want:
        return None
    best: tuple[float, int] | None = None
    found = None
    for i, tp in enumerate(topics):
        have = set(_words(tp.title)) | set(_words(tp.slug))
        if want <= have:
            key = (-len(want) / (len(set(_words(tp.title))) or 1), i)
            if best is None or key < best:
                best, found = key, tp
    return found


# --------------------------------------------------------------------------- chapter parsing

PARA_ROLE = re.compile(r"\{para\}`([^`]*)`")
ROLE = re.compile(r"\{(para|duty|term)\}`([^`]*)`")
DUTY_RUN = re.compile(r"(?:\{duty\}`[^`]*`)(?:\s*\{duty\}`[^`]*`)*")
LEAD_IN = re.compile(r"^\*\*(.+?)[.:]\*\*\s+")
# a sentence ends at . ! or ? (perhaps closed by ** or a quote mark) before a capital, digit, quote or role
SENTENCE_END = re.compile(r"[.!?](?:\*\*|[\"”’)])*(?=\s+(?:\*\*)?[A-Z0-9\"“‘({\[])")
BULLET = re.compile(r"^(?:[-*+]|\d+[.)])\s+")


@dataclass
class ChapterSection:
    title: str
    points: list[Point]
    line: int


@dataclass
class Chapter:
    topic: Topic
    in_short: list[Point]
    sections: list[ChapterSection]  # key-point sections, in order
    discussion: list[str]

    @property
    def cited(self) -> list[str]:
        """Every record the chapter's points cite, in reading order."""
        seen: dict[str, None] = {}
        for p in [*self.in_short, *(p for s in self.sections for p in s.points)]:
            seen.update(dict.fromkeys(p.cites))
        return list(seen)


def _role_target(body: str) -> tuple[str | None, str]:
    """``text <target>`` -> (text, target); ``target`` -> (None, target)."""
    m = re.match(r"^(.*?)\s*<([^<>]+)>$", body.strip())
    return (m.group(1), m.group(2)) if m else (None, body.strip())


def _duty_names() -> dict[str, str]:
    from wtkb.reference.duties import load_duties

    return {d.id: d.short_name for d in load_duties()}


def plain(markdown: str, duty_names: dict[str, str] | None = None) -> tuple[str, list[str]]:
    """MyST inline text -> (plain words, cited record IDs).

    ``{para}`id``` is removed and recorded as a citation (``{para}`words <id>``` keeps its
    words); ``{term}`x``` -> x; a run of ``{duty}`id``` -> "(its short name; …)"; links keep
    their text; bold, italics, code marks and backslash escapes are dropped.
    """
    cites: list[str] = []
    for m in PARA_ROLE.finditer(markdown):
        rid = _role_target(m.group(1))[1]
        if rid not in cites:
            cites.append(rid)

    def duties(m: re.Match[str]) -> str:
        names = []
        for body in re.findall(r"\{duty\}`([^`]*)`", m.group(0)):
            text, did = _role_target(body)
            names.append(text or (duty_names if duty_names is not None else _duty_names()).get(did, did))
        return f" ({'; '.join(names)})"

    def role(m: re.Match[str]) -> str:
        text, target = _role_target(m.group(2))
        if m.group(1) == "para":
            return f" {text}" if text else ""
        return text or target

    s = DUTY_RUN.sub(duties, markdown)
    s = ROLE.sub(role, s)
    s = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", s)  # links and images keep their text
    s = re.sub(r"\*\*(.+?)\*\*", r"\1", s)
    s = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", s)
    s = re.sub(r"`([^`]*)`", r"\1", s)
    s = re.sub(r"\\(.)", r"\1", s)
    s = " ".join(s.split())
    s = re.sub(r"\s+([,.;:!?)])", r"\1", s)
    s = re.sub(r"\(\s+", "(", s)
    return s.strip(), cites


def _tidy(text: str) -> str:
    """A sentence or list fragment as a slide bullet: no trailing ';', ':' or 'and', a capital first letter."""
    t = re.sub(r"(?:[;:,]|\s+(?:and|or))+\s*$", "", text.strip()).strip()
    t = re.sub(r"[;:,]$", "", t).strip()
    return t[:1].upper() + t[1:] if t else t


def markdown_sentences(markdown: str) -> list[str]:
    out, start = [], 0
    for m in SENTENCE_END.finditer(markdown):
        out.append(markdown[start:m.end()].strip())
        start = m.end()
    out.append(markdown[start:].strip())
    return [s for s in out if s]


def _points(block: str, kind: str, duty_names: dict[str, str]) -> list[Point]:
    """The points of one paragraph (each sentence), list item (the whole item) or table row."""
    label = None
    m = LEAD_IN.match(block)
    if m:
        label = plain(m.group(1), duty_names)[0]
        block = block[m.end():]
    parts = [block] if kind == "item" else markdown_sentences(block)
    out = []
    for i, part in enumerate(parts):
        text, cites = plain(part, duty_names)
        text = _tidy(text)
        if label and i == 0:
            text = f"{label}: {text}" if text else label
        if cites and re.search(r"[A-Za-z]{2}", text):
            out.append(Point(text, cites))
    return out


def _table_points(rows: list[str], duty_names: dict[str, str]) -> list[Point]:
    cells = [[c.strip() for c in r.strip().strip("|").split("|")] for r in rows]
    cells = [c for c in cells if not all(re.fullmatch(r":?-{3,}:?", x) for x in c if x)]
    if len(cells) < 2:
        return []
    head = [plain(h, duty_names)[0] for h in cells[0]]
    out = []
    for row in cells[1:]:
        parts, cites = [], []
        for h, cell in zip(head, row, strict=False):
            text, c = plain(cell, duty_names)
            cites += [x for x in c if x not in cites]
            if text:
                parts.append(f"{h}: {text}" if h else text)
        if cites and parts:
            out.append(Point(_tidy("; ".join(parts)), cites))
    return out


def _section_points(blocks: list[tuple[str, str]], duty_names: dict[str, str]) -> list[Point]:
    """The points of a run of blocks; a sentence ending in ':' that introduces a list of fragments
    ("…, while clarifying that:" + "- no statutory roles … are being removed;") becomes one point
    with its items, so no fragment stands on a slide without the words that give it its sense."""
    pts: list[Point] = []
    i = 0
    while i < len(blocks):
        kind, text = blocks[i]
        if kind == "table":
            pts += _table_points(text.split("\n"), duty_names)
            i += 1
            continue
        if kind == "para":
            j = i + 1
            while j < len(blocks) and blocks[j][0] == "item":
                j += 1
            merged = _merge_list(text, [t for _, t in blocks[i + 1:j]], duty_names) if j > i + 1 else None
            if merged is not None:
                head, point = merged
                pts += _points(head, "para", duty_names) if head else []
                pts.append(point)
                i = j
                continue
        pts += _points(text, kind, duty_names)
        i += 1
    return pts


def _merge_list(para: str, items: list[str], duty_names: dict[str, str]) -> tuple[str, Point] | None:
    sentences = markdown_sentences(para)
    intro, cites = plain(sentences[-1], duty_names)
    if not intro.endswith(":") or LEAD_IN.match(sentences[-1]):
        return None
    parts = []
    for n, item in enumerate(items):
        text, c = plain(item, duty_names)
        fragment = text[:1].islower() or re.search(r";(?:\s+(?:and|or))?$", text)
        if not c or LEAD_IN.match(item) or not (fragment or (n and n == len(items) - 1)):
            return None
        parts.append(re.sub(r"(?:[;,.]|\s+(?:and|or))+\s*$", "", text).strip())
        cites += [x for x in c if x not in cites]
    intro = intro[:1].upper() + intro[1:]
    return " ".join(sentences[:-1]), Point(f"{intro} {'; '.join(parts)}.", cites)


def _blocks(lines: list[str]) -> list[tuple[str, str]]:
    """Lines of one section -> (kind, text) blocks: 'para', 'item' (one list item) or 'table' (rows joined)."""
    blocks: list[tuple[str, str]] = []
    cur: list[str] = []
    kind = ""

    def flush() -> None:
        nonlocal cur, kind
        if cur:
            blocks.append((kind, "\n".join(cur) if kind == "table" else " ".join(x.strip() for x in cur)))
        cur, kind = [], ""

    for line in lines:
        s = line.strip()
        if not s:
            flush()
        elif s.startswith("|"):
            if kind != "table":
                flush()
                kind = "table"
            cur.append(s)
        elif BULLET.match(s) and not line.startswith(("  ", "\t")):
            flush()
            kind = "item"
            cur.append(BULLET.sub("", s))
        elif kind:
            cur.append(s)
        else:
            kind = "para"
            cur.append(s)
    flush()
    return blocks


def parse_chapter(topic: Topic, duty_names: dict[str, str] | None = None) -> Chapter:
    """Read a topic chapter into its "In short" points, key-point sections and discussion questions."""
    duty_names = duty_names if duty_names is not None else _duty_names()
    lines = topic.path.read_text(encoding="utf-8").splitlines()
    in_short: list[Point] = []
    sections: list[ChapterSection] = []
    discussion: list[str] = []
    cur_title: str | None = None
    cur_line = 0
    body: list[str] = []
    fence: list[str] | None = None
    fence_kind = ""

    def close() -> None:
        if cur_title is None:
            return
        name = cur_title.lower()
        if name == DISCUSSION:
            discussion.extend(_tidy_question(plain(t, duty_names)[0]) for k, t in _blocks(body) if k == "item")
        elif name not in SKIP_SECTIONS:
            sections.append(ChapterSection(cur_title, _section_points(_blocks(body), duty_names), cur_line))

    for n, line in enumerate(lines, 1):
        if fence is not None:
            if line.strip().startswith("```"):
                if fence_kind == IN_SHORT:
                    in_short += _section_points(_blocks(fence), duty_names)
                fence = None
            else:
                fence.append(line)
            continue
        if line.strip().startswith("```"):
            m = re.match(r"```\s*\{admonition\}\s*(.*)$", line.strip())
            fence_kind = m.group(1).strip().lower() if m else ""
            fence = []
            continue
        if line.startswith("## "):
            close()
            cur_title, cur_line, body = plain(line[3:], duty_names)[0], n, []
        elif line.startswith("# "):
            continue
        elif cur_title is not None:
            body.append(line)
    close()
    return Chapter(topic, in_short, sections, discussion)


def _tidy_question(text: str) -> str:
    t = text.strip()
    return t[:1].upper() + t[1:]


# --------------------------------------------------------------------------- audience


def audience_terms(audience: str | None) -> list[re.Pattern[str]]:
    """Patterns for the audience's words and the glossary's expansions of them ("DSLs" -> schools…)."""
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
    return out


# a sentence that leans on the one before it ("It also records…", "Others worried…")
ANAPHOR = re.compile(r"^(?:It|Its|This|These|That|Those|They|Their|Them|Such|Both|Others|He|She|The same)\b")


def units(points: list[Point]) -> list[list[Point]]:
    """Points grouped so that a sentence leaning on the one before it stays with it."""
    out: list[list[Point]] = []
    for p in points:
        if out and ANAPHOR.match(p.text):
            out[-1].append(p)
        else:
            out.append([p])
    return out


def for_audience(points: list[Point], terms: list[re.Pattern[str]]) -> list[Point]:
    """Points that mention the audience first, otherwise in the chapter's order (a stable sort that
    keeps a sentence with the one it leans on)."""
    if not terms:
        return list(points)
    ordered = sorted(units(points), key=lambda u: not any(t.search(p.text) for p in u for t in terms))
    return [p for u in ordered for p in u]


def _selected(points: list[Point], rank: dict[str, int]) -> list[tuple[int, Point]]:
    """The points citing a retrieved paragraph (with its best rank), each with the sentences it leans on."""
    out: list[tuple[int, Point]] = []
    for unit in units(points):
        ranks = [[rank[c] for c in p.cites if c in rank] for p in unit]
        last = max((i for i, r in enumerate(ranks) if r), default=-1)
        if last >= 0:
            best = min(min(r) for r in ranks if r)
            out += [(best, p) for p in unit[:last + 1]]
    return out


# --------------------------------------------------------------------------- slides


def _balanced(points: list[Point], max_points: int = MAX_POINTS, max_chars: int = SLIDE_CHARS) -> list[list[Point]]:
    """Split a section's points into the fewest near-equal runs that fit a slide."""
    n = len(points)
    for k in range(max(1, math.ceil(n / max_points)), n + 1):
        size, extra = divmod(n, k)
        chunks, i = [], 0
        for j in range(k):
            m = size + (1 if j < extra else 0)
            chunks.append(points[i:i + m])
            i += m
        if all(len(c) == 1 or sum(len(p.text) for p in c) <= max_chars for c in chunks):
            return chunks
    return [[p] for p in points]


def key_slides(sections: list[tuple[str, list[Point], str | None]], min_slides: int = MIN_KEY_SLIDES,
               max_slides: int = MAX_KEY_SLIDES, merge_singles: bool = True) -> list[KeySlide]:
    """Sections -> 1..max_slides key slides.

    Each section's points are split into slide-sized runs; every section gets its first run
    (the first ``max_slides`` sections), then further runs are added round-robin in section
    order while there is room, so a long section keeps more of its points. A section whose
    remaining points are not shown is cut at the end (its first points are its lead).
    """
    sections = [(t, list(p), c) for t, p, c in sections if p]
    if merge_singles:  # a one-point section joins its neighbour, its title leading the point
        i = 0
        while len(sections) > 1 and i < len(sections):
            title, pts, ch = sections[i]
            if len(pts) == 1:
                p = Point(f"{title}: {pts[0].text}", pts[0].cites, pts[0].quoted)
                j = i - 1 if i > 0 else i + 1
                sections[j][1].insert(len(sections[j][1]) if j < i else 0, p)
                del sections[i]
                continue
            i += 1
    runs = [(title, _balanced(pts), ch) for title, pts, ch in sections][:max_slides]
    taken = [1] * len(runs)
    total = len(runs)
    depth = 1
    while total < max_slides and any(len(r[1]) > depth for r in runs):
        for i, (_, chunks, _) in enumerate(runs):
            if len(chunks) > depth and total < max_slides:
                taken[i] += 1
                total += 1
        depth += 1
    slides = []
    for (title, chunks, ch), k in zip(runs, taken, strict=True):
        for j in range(k):
            slides.append(KeySlide(title if j == 0 else f"{title} (continued)", chunks[j], ch))
    if len(slides) < min_slides:  # few, long runs: split the fullest until there are enough slides
        while len(slides) < min_slides:
            i = max(range(len(slides)), key=lambda x: (len(slides[x].points), -x))
            s = slides[i]
            if len(s.points) < 4:
                break
            half = (len(s.points) + 1) // 2
            first = KeySlide(s.title, s.points[:half], s.chapter)
            second = KeySlide(_continued(s.title), s.points[half:], s.chapter)
            slides[i:i + 1] = [first, second]
    return slides


def _continued(title: str) -> str:
    return title if title.endswith("(continued)") else f"{title} (continued)"


# --------------------------------------------------------------------------- figures, quotes, sources


def is_view(r: Record) -> bool:
    """A quote that is somebody's view: attributed, and not the guidance quoting itself."""
    return r.kind == "quote" and bool(r.attribution) and not re.search(r"working together", r.attribution or "", re.I)


def figures_for(cited: list[str], questions: list[Question] | None = None) -> list[Question]:
    """Consultation questions (with published figures) whose paragraphs are cited, in citation order."""
    questions = load_consultation() if questions is None else questions
    order = {rid: i for i, rid in enumerate(cited)}
    hits = [(min(order[r] for r in q.record_ids if r in order), i, q) for i, q in enumerate(questions)
            if q.results and any(r in order for r in q.record_ids)]
    return [q for _, _, q in sorted(hits, key=lambda x: x[:2])][:MAX_FIGURES]


def quotes_for(cited: list[str], records: list[Record]) -> list[Record]:
    """Attributed views from the sections the pack cites most: directly cited quotes first, then
    sections cited at least twice (a passing citation does not bring in its section's voices)."""
    by_id = {r.id: r for r in records}
    weight: dict[tuple[str, tuple[str, ...]], int] = {}
    for rid in cited:
        r = by_id.get(rid)
        if r is not None:
            key = (r.document, tuple(r.section))
            weight[key] = weight.get(key, 0) + 1
    direct = set(cited)
    cands = []
    for i, r in enumerate(records):
        if not is_view(r) or r.duplicate_of:
            continue
        w = weight.get((r.document, tuple(r.section)), 0)
        if r.id in direct or w >= 2:
            cands.append((r.id not in direct, -w, i, r))
    out, chars = [], 0
    for *_, r in sorted(cands, key=lambda x: x[:3]):
        if len(out) < MAX_QUOTES and chars + len(r.text) <= QUOTE_CHARS:
            out.append(r)
            chars += len(r.text)
    return out


def _sources(corpus: Corpus, records: dict[str, Record]) -> list[SourceDoc]:
    docs = {r.document for r in records.values()}
    return [s for s in corpus.sources if s.id in docs]


def _check_cites(points: list[Point], by_id: dict[str, Record], where: Path) -> None:
    for p in points:
        bad = [c for c in p.cites if c not in by_id]
        if bad:
            raise BriefingError(f"the chapter cites record(s) that are not in the corpus: {', '.join(bad)}",
                                "fix the {para} IDs (see `wtkb paragraphs`); `wtkb build` reports them too", where)


# --------------------------------------------------------------------------- building


def build_pack(settings: Settings, topic: str, audience: str | None = None, qa: QA | None = None,
               corpus: Corpus | None = None) -> Pack:
    """The content of a briefing pack on ``topic``: a built-in topic (slug, number or title words) or free text.

    A built-in topic needs neither the index nor the model. A free-text topic is retrieved with
    ``qa`` (loaded when not given); :class:`BriefingError` when the sources do not cover it.
    ``corpus`` defaults to ``qa``'s, else it is built from the sources.
    """
    query = " ".join((topic or "").split())
    if not query:
        raise BriefingError("no topic given", "name a topic: wtkb briefing --topic \"lead practitioner\" "
                                              "(`wtkb briefing --list` shows the built-in ones)")
    if len(query) > settings.max_question_chars:
        raise BriefingError(f"the topic is {len(query)} characters long; the limit is {settings.max_question_chars}",
                            "name the topic in a few words")
    aud = " ".join((audience or "").split()) or None
    topics = list_topics(settings)
    found = find_topic(topics, query)
    if corpus is None:
        if qa is not None:
            corpus = qa.retriever.corpus
        else:
            from wtkb.corpus import build_corpus

            corpus = build_corpus(settings.sources_dir)
    if found is not None:
        return _topic_pack(found, query, aud, corpus)
    if qa is None:
        from wtkb.qa import load_qa

        qa = load_qa(settings)
    return _retrieval_pack(settings, topics, query, aud, corpus, qa)


def _topic_pack(topic: Topic, query: str, audience: str | None, corpus: Corpus) -> Pack:
    chapter = parse_chapter(topic)
    by_id = corpus.by_id
    _check_cites(chapter.in_short + [p for s in chapter.sections for p in s.points], by_id, topic.path)
    terms = audience_terms(audience)
    slides = key_slides([(s.title, for_audience(s.points, terms), topic.slug) for s in chapter.sections])
    what = for_audience(chapter.in_short, terms)[:MAX_WHAT_CHANGED]
    if not slides or not any(s.points for s in slides):
        raise BriefingError(f"the chapter '{topic.title}' has no cited points to brief on",
                            "give its sections sentences with {para} citations", topic.path)
    discussion = chapter.discussion[:MAX_QUESTIONS]
    if len(discussion) < MIN_QUESTIONS:
        raise BriefingError(f"the chapter '{topic.title}' has {len(discussion)} discussion question(s); "
                            f"a pack needs {MIN_QUESTIONS}-{MAX_QUESTIONS}",
                            "add a '## Questions for discussion' section with 3-5 bullet questions "
                            "just before '## See also'", topic.path)
    # figures and quotes follow everything the chapter cites, not only what fits on the slides
    cited = chapter.cited
    return _assemble(topic.title, topic, query, audience, what, slides, figures_for(cited),
                     quotes_for(cited, corpus.records), discussion, corpus, [topic], "topic")


def _assemble(title: str, topic: Topic | None, query: str, audience: str | None, what: list[Point],
              slides: list[KeySlide], figures: list[Question], quotes: list[Record], discussion: list[str],
              corpus: Corpus, chapters: list[Topic], mode: Literal["topic", "retrieval"]) -> Pack:
    by_id = corpus.by_id
    ids: dict[str, None] = {}
    for p in [*what, *(p for s in slides for p in s.points)]:
        ids.update(dict.fromkeys(p.cites))
    for q in figures:
        ids.update(dict.fromkeys(r for r in q.record_ids if r in by_id))
    ids.update(dict.fromkeys(r.id for r in quotes))
    records = {i: by_id[i] for i in ids}
    return Pack(title=title, topic=topic, query=query, audience=audience, what_changed=what, slides=slides,
                figures=figures, quotes=quotes, discussion=discussion, sources=_sources(corpus, records),
                records=records, chapters=chapters, corpus_hash=corpus.hash, mode=mode)


def _uncovered(query: str, topics: list[Topic]) -> BriefingError:
    names = "; ".join(f"{t.slug.split('-', 1)[0]} {t.title}" for t in topics)
    return UncoveredTopic(f"the sources do not cover “{query}”, so there is nothing to brief on",
                         f"choose a built-in topic (`wtkb briefing --list`): {names}; "
                         "or describe the topic in other words")


def _retrieval_pack(settings: Settings, topics: list[Topic], query: str, audience: str | None, corpus: Corpus,
                    qa: QA) -> Pack:
    r = qa.retriever
    s = r.score(query)
    hits = r.rank(s, TOP_HITS * 2)
    if not hits or not qa.supported(s, hits):
        raise _uncovered(query, topics)
    best = hits[0].score
    hits = [h for h in hits if h.score >= HIT_SHARE * best and h.record.kind not in ("figure", "table")
            and not r.directory[r.row_of[h.record.id]]][:TOP_HITS]
    hit_ids = [h.record.id for h in hits]
    rank = {rid: i for i, rid in enumerate(hit_ids)}
    duty_names = _duty_names()
    chapters = {t.slug: parse_chapter(t, duty_names) for t in topics}
    terms = audience_terms(audience)

    # chapter sentences citing the retrieved paragraphs, grouped by chapter section
    groups: dict[tuple[str, str], list[tuple[int, Point]]] = {}
    what: list[tuple[int, Point]] = []
    used_by_chapter: dict[str, int] = {}
    covered: set[str] = set()
    seen_text: set[str] = set()
    for slug, ch in chapters.items():
        for r, p in _selected(ch.in_short, rank):
            if p.text not in seen_text:
                seen_text.add(p.text)
                what.append((r, p))
        for sec in ch.sections:
            for r, p in _selected(sec.points, rank):
                if p.text not in seen_text:
                    seen_text.add(p.text)
                    groups.setdefault((slug, sec.title), []).append((r, p))
                    used_by_chapter[slug] = used_by_chapter.get(slug, 0) + 1
                    covered.update(c for c in p.cites if c in rank)
    # the source's own best sentence for each retrieved paragraph no chapter sentence cites
    quoted: list[Point] = []
    views: list[Record] = []
    for h in hits:
        if h.record.kind == "quote":
            if is_view(h.record):
                views.append(h.record)
            continue
        if h.record.id not in covered:
            quoted.append(Point(f"“{_best_sentence(qa, s, h.record)}”", [h.record.id], quoted=True))
    title_count: dict[str, int] = {}
    for _, title in groups:
        title_count[title] = title_count.get(title, 0) + 1
    titles = {t.slug: t.title for t in topics}
    order = list(chapters)
    ordered = sorted(groups.items(), key=lambda kv: (min(i for i, _ in kv[1]), order.index(kv[0][0])))
    sections: list[tuple[str, list[Point], str | None]] = []
    singles: list[Point] = []
    for (slug, title), pts in ordered:
        points = for_audience([p for _, p in pts], terms)
        if len(points) == 1:  # a lone sentence goes on a shared slide, led by its section's title
            p = points[0]
            labelled = re.match(r"^[^:]{2,70}: ", p.text)
            singles.append(p if labelled else Point(f"{title}: {p.text}", p.cites, p.quoted))
            continue
        name = f"{title} ({titles[slug]})" if title_count[title] > 1 else title
        sections.append((name, points, slug))
    if singles:
        sections.append(("More from the handbook", singles, None))
    if quoted:
        sections.append(("In the sources' own words", quoted, None))
    slides = key_slides(sections, min_slides=1, merge_singles=False)
    if not slides:
        raise _uncovered(query, topics)
    what_points = [p for _, p in sorted(what, key=lambda x: x[0])][:MAX_WHAT_CHANGED]
    cited = list(dict.fromkeys([*hit_ids, *(c for sl in slides for p in sl.points for c in p.cites)]))
    quotes = [v for v in views][:MAX_QUOTES]
    for q in quotes_for(cited, corpus.records):
        if q not in quotes and len(quotes) < MAX_QUOTES:
            quotes.append(q)
    used = sorted(used_by_chapter, key=lambda k: (-used_by_chapter[k], k))
    discussion = _discussion(query, [chapters[k] for k in used])
    title = query[:1].upper() + query[1:]
    return _assemble(title, None, query, audience, what_points, slides, figures_for(cited), quotes, discussion,
                     corpus, [chapters[k].topic for k in used], "retrieval")


def _best_sentence(qa: QA, s, record: Record) -> str:
    """The sentence of ``record`` closest to the query, copied exactly (the whole text if it has no sentences)."""
    r = qa.retriever
    rng = r.sents_of.get(r.row_of[record.id])
    if not rng:
        return record.text.strip()
    j = max(rng, key=lambda k: (float(s.sentence[k]), -k))
    _, a, b = r.sent_spans[j]
    return record.text[a:b].strip()


def _discussion(query: str, chapters: list[Chapter]) -> list[str]:
    """Discussion questions of the chapters used, those sharing most words with the topic first."""
    want = set(_words(query))
    cands = []
    for ci, ch in enumerate(chapters):
        for qi, q in enumerate(ch.discussion):
            cands.append((-len(want & set(_words(q))), ci, qi, q))
    picked = [q for *_, q in sorted(cands)][:MAX_QUESTIONS]
    if len(picked) >= MIN_QUESTIONS:
        return picked
    topic = query[:1].lower() + query[1:]
    generic = [f"Where does {topic} come up in your own work, and who else is involved?",
               f"Which of the points in this pack would change how you or your team approach {topic}?",
               f"What would you check in the full guidance or the cited paragraphs before acting on {topic}?"]
    return (picked + [g for g in generic if g not in picked])[:MAX_QUESTIONS]
