"""Topic chapters: list them, find one by name, and read one into cited points.

A built-in topic is one hand-written chapter of the handbook (``book/topics/*.md``). Its
points are its own sentences, bullets and table rows, markup stripped, each with the
``{para}`` records it cites; a sentence without a citation is never a point.

- the "In short" admonition gives *what changed*;
- each ``##`` section (except "See also" and "Questions for discussion") gives key points;
- the "Questions for discussion" bullets give the discussion questions;
- ``{duty}`` roles give the duties the chapter rests on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from wtkb.briefing.model import DISCUSSION, IN_SHORT, SKIP_SECTIONS, Point, Topic
from wtkb.settings import Settings
from wtkb.text import tokenize

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


def _words(text: str) -> list[str]:
    """The words of a topic name that matter (``wtkb.text.tokenize``: stop words out, stems folded),
    the word "topic" aside ("the lead practitioner topic")."""
    return [w for w in tokenize(text) if w != "topic"]


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
    duties: list[str] = field(default_factory=list)  # register ids of the {duty} roles, in reading order

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


def load_duty_names() -> dict[str, str]:
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
            names.append(text or (duty_names if duty_names is not None else load_duty_names()).get(did, did))
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
    duty_names = duty_names if duty_names is not None else load_duty_names()
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
    duties = list(dict.fromkeys(_role_target(b)[1] for b in re.findall(r"\{duty\}`([^`]*)`", "\n".join(lines))))
    return Chapter(topic, in_short, sections, discussion, duties)


def _tidy_question(text: str) -> str:
    t = text.strip()
    return t[:1].upper() + t[1:]

