"""Parse a source's text into a document tree: sections of typed blocks.

Handles the conversion artefacts of the sources: web furniture, PDF page
breaks that split paragraphs (with footnote blocks in between), footnote
markers and bodies, bold/link markup, flattened tables, figure captions with
no figure, tables of contents and mixed heading levels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from wtkb.models import Block, Document, Section, SourceDoc

# Lines that are page furniture in any source (documents add their own in the manifest).
FURNITURE = (
    r"^Skip to (main )?content$",
    r"^Toggle Contrast$",
    r"^Top$",
    r"^(Back to top|Print this page|Share this( page)?)$",
    r"^Please leave a comment$",
    r"\bcall us on\b",
    r"^[+()\d\s]{9,}$",  # a phone number alone on a line
    r"^(Follow|Like) us on ",
    r"^\[?@\w+\]?(\(.*\))?$",
    r"^\[?(www\.)?(twitter|facebook|x|instagram|linkedin)\.com/",
)
TOC_LINE = re.compile(r"^[^\t]+\t\d{1,3}$")
BULLET = re.compile(r"^\s*(?:[-•*]|\d{1,2}\.)\s+(.*)$")
MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
FOOTNOTE = re.compile(r"^<sup>(\d+)</sup>\s*(.*)$")
SUP = re.compile(r"<sup>(\d+)</sup>")
OPEN_QUOTES = "“\"‘'"
CLOSE_QUOTES = "”\"’'"
ATTRIBUTION = re.compile(r"\s*\[([^\]]+)\]\.?\s*$")
SENTENCE_END = re.compile(r"[.!?:;][”\"’')\]]*$|\]$")


def clean_inline(text: str) -> tuple[str, list[str]]:
    """Strip markup from a line of source text; return the clean text and its footnote numbers."""
    refs = SUP.findall(text)
    t = SUP.sub("", text)
    t = re.sub(r"</?b>", "", t)
    t = re.sub(r"\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)", r"\1", t)  # [text](url) -> text
    t = re.sub(r"\\([()\[\]*_#])", r"\1", t)  # markdown escapes
    t = t.replace("**", "").replace("__", "")
    t = re.sub(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])", r"\1", t)  # *italic*
    t = re.sub(r"(^|\s)\*(?=\w)", r"\1", t)  # stray leading asterisk marker
    t = re.sub(r"\s+\($", "", t)  # dangling "(" left where a link was cut off
    t = re.sub(r"(?<!\.)\.\.(?!\.)", ".", t)  # doubled full stop
    t = re.sub(r"\b((?:[\w’',]+\s+){2,8}[\w’']+)\s+\1\b", r"\1", t)  # phrase repeated by a lost link
    t = re.sub(r"\s+", " ", t).strip()
    t = re.sub(r"\s+([,.;:])(?=\s|$)", r"\1", t)
    return t, refs


@dataclass
class _Item:
    """One raw unit of the line stream."""

    type: str  # heading | text | bullet | table | hr | footnote
    line: int
    lines: list[str] = field(default_factory=list)
    level: int = 0
    number: str | None = None


def _lex(doc: SourceDoc, text: str) -> list[_Item]:
    lines = text.replace("\r\n", "\n").replace("\u00a0", " ").split("\n")
    start, stop = 0, len(lines)
    if doc.drop_until:
        rx = re.compile(doc.drop_until)
        start = next((i for i, ln in enumerate(lines) if rx.search(ln)), 0)
    if doc.drop_from:
        rx = re.compile(doc.drop_from)
        stop = next((i for i, ln in enumerate(lines) if i >= start and rx.search(ln)), stop)
    furniture = [re.compile(p) for p in FURNITURE + doc.furniture]

    items: list[_Item] = []
    prev_blank = True
    for i in range(start, stop):
        raw = lines[i].rstrip()
        lineno = i + 1
        stripped = raw.strip()
        if not stripped:
            prev_blank = True
            continue
        plain = clean_inline(stripped)[0]
        if any(rx.search(plain) for rx in furniture) or TOC_LINE.match(stripped):
            prev_blank = True
            continue
        cur = items[-1] if items else None
        m = MD_HEADING.match(stripped) if doc.format == "markdown" else None
        if m:
            items.append(_Item("heading", lineno, [m.group(2)], level=len(m.group(1))))
        elif stripped == "---":
            items.append(_Item("hr", lineno))
        elif (fm := FOOTNOTE.match(stripped)) and doc.format == "markdown":
            items.append(_Item("footnote", lineno, [fm.group(2)], number=fm.group(1)))
        elif "\t" in stripped and doc.format == "markdown":
            if cur and cur.type == "table" and not prev_blank:
                cur.lines.append(stripped)
            else:
                items.append(_Item("table", lineno, [stripped]))
        elif bm := BULLET.match(raw):
            items.append(_Item("bullet", lineno, [bm.group(1)]))
        elif cur and not prev_blank and cur.type in ("text", "bullet", "footnote"):
            cur.lines.append(stripped)  # continuation of the same block
        else:
            items.append(_Item("text", lineno, [stripped]))
        prev_blank = False
    return items


def _is_web_heading(text: str) -> bool:
    """A bare line in a web page that reads as a heading rather than a sentence."""
    if not text or text[0] in OPEN_QUOTES or not (text[0].isupper() or text[0].isdigit()):
        return False
    if "|" in text or ": " in text or re.search(r"\b(here|click)$", text, re.I):
        return False
    if text.endswith("?"):
        return len(text) <= 120 and "," not in text[:-20]
    if re.search(r"[.,;:!”\"’)(]$", text):
        return False
    return len(text) <= 90


def _is_citation_line(text: str) -> bool:
    """A short title-like line naming a publication and year, e.g. 'Working Together 2023'."""
    return len(text) <= 80 and bool(re.search(r"\b(19|20)\d\d$", text)) and not re.search(r"[.;:]$", text)


def _ends_sentence(text: str) -> bool:
    return bool(SENTENCE_END.search(text))


def _starts_mid_sentence(text: str) -> bool:
    return bool(re.match(r"^(\(?[a-z0-9%£]|\([0-9])", text))


def _split_footnotes(items: list[_Item]) -> tuple[list[_Item], list[tuple[_Item | None, _Item]]]:
    """Pass 1: pull footnote bodies out of the text flow (they follow a '---' rule).

    List lines right after a footnote that ends with ':' belong to it. Each footnote is returned
    with the flow item it follows, so its record lands right after that block.
    """
    flow: list[_Item] = []
    footnotes: list[tuple[_Item | None, _Item]] = []
    in_notes = False
    for it in items:
        if it.type == "hr":
            in_notes = True
            continue
        if it.type == "footnote":
            footnotes.append((flow[-1] if flow else None, it))
            in_notes = True
            continue
        if (in_notes and it.type == "bullet" and footnotes and footnotes[-1][0] is (flow[-1] if flow else None)
                and clean_inline(footnotes[-1][1].lines[0])[0].endswith(":")):
            footnotes[-1][1].lines.append(" ".join(it.lines))
            continue
        in_notes = False
        flow.append(it)
    return flow, footnotes


def _rejoin_pages(flow: list[_Item]) -> tuple[list[_Item], int]:
    """Pass 2: rejoin paragraphs split by a page break.

    A text block that does not end a sentence, followed by a text block that starts mid-sentence,
    is one paragraph. Returns the flow and how many joins were made.
    """
    joined: list[_Item] = []
    joins = 0
    for it in flow:
        prev = joined[-1] if joined else None
        if (prev and it.type == "text" and prev.type in ("text", "bullet")
                and not _ends_sentence(clean_inline(" ".join(prev.lines))[0])
                and _starts_mid_sentence(clean_inline(" ".join(it.lines))[0])):
            prev.lines.extend(it.lines)
            joins += 1
            continue
        joined.append(it)
    return joined, joins


def _quote_body(clean: str) -> tuple[str, str | None]:
    """A quoted block's text without its quotation marks, and its trailing '[attribution]' if any."""
    attr = None
    body = clean
    if m := ATTRIBUTION.search(clean):
        attr = m.group(1).strip()
        body = clean[: m.start()].strip()
    body = body.rstrip(".,").strip()
    if body and body[0] in OPEN_QUOTES and body[-1] in CLOSE_QUOTES:
        body = body[1:-1].strip()
    elif body and body[0] in OPEN_QUOTES:
        body = body[1:].strip()
    return body, attr


def _is_quote(clean: str) -> bool:
    return bool(clean) and clean[0] in OPEN_QUOTES and (
        clean[-1] in CLOSE_QUOTES or bool(ATTRIBUTION.search(clean)) or clean.endswith(("”.", "”,")))


class _Sections:
    """Pass 3: classify the flow's blocks and build the section tree (one method per block kind)."""

    def __init__(self, doc: SourceDoc, footnotes: list[tuple[_Item | None, _Item]]):
        self.doc = doc
        self.sections: list[Section] = [Section(heading=None, level=0, line=1, path=())]
        self.stack: list[tuple[int, str]] = []  # (level, heading)
        self.last_top = ""
        self.last_plain_level = 0
        self.pending_attr: str | None = None
        self.fn_after: dict[int, list[_Item]] = {}
        for anchor, fn in footnotes:
            self.fn_after.setdefault(id(anchor) if anchor is not None else 0, []).append(fn)

    @property
    def blocks(self) -> list[Block]:
        return self.sections[-1].blocks

    def emit_footnotes(self, anchor: _Item | None) -> None:
        for fn in self.fn_after.pop(id(anchor) if anchor is not None else 0, []):
            t, _ = clean_inline(" ".join(fn.lines))
            self.blocks.append(Block("footnote", t, fn.line, number=fn.number))

    def heading_level(self, heading: str, md_level: int) -> tuple[int, bool]:
        """The heading's real level from the manifest's outline rules, and whether it is a child rule."""
        for rule in self.doc.outline:
            if rule.within and not re.search(rule.within, self.last_top):
                continue
            if re.search(rule.match, heading):
                if rule.child:
                    return self.last_plain_level + 1, True
                return int(rule.level or 1), False
        return (md_level if self.doc.format == "markdown" else 1), False

    def open_section(self, heading: str, md_level: int, line: int) -> None:
        level, is_child = self.heading_level(heading, md_level)
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, heading))
        if level == 1:
            self.last_top = heading
        if not is_child:
            self.last_plain_level = level
        self.sections.append(Section(heading=heading, level=level, line=line,
                                     path=tuple(h for _, h in self.stack)))

    def table(self, it: _Item) -> None:
        rows = [[clean_inline(c)[0] for c in ln.split("\t")] for ln in it.lines]
        caption = None
        if self.blocks and self.blocks[-1].kind == "paragraph" and re.match(r"^Table \d+:", self.blocks[-1].text):
            caption = self.blocks.pop().text
        body = "; ".join(f"{r[0]}: {', '.join(c for c in r[1:] if c)}" for r in rows[1:])
        text = f"{caption + '. ' if caption else ''}{' / '.join(rows[0])}. {body}"
        self.blocks.append(Block("table", text, it.line, rows=rows, caption=caption))

    def quote(self, it: _Item, clean: str, refs: list[str], nxt: _Item | None, nxt_clean: str) -> bool:
        """Add a quote; True when the next item (its citation line) was used as the attribution."""
        body, attr = _quote_body(clean)
        if attr is None and self.pending_attr:
            attr, self.pending_attr = self.pending_attr, None
        takes_next = attr is None and nxt is not None and nxt.type == "text" and _is_citation_line(nxt_clean)
        if takes_next:
            attr = nxt_clean
        self.blocks.append(Block("quote", body, it.line, attribution=attr, footnote_refs=refs))
        return takes_next

    def text(self, it: _Item, clean: str, refs: list[str], raw: str, nxt: _Item | None, nxt_clean: str) -> None:
        """A plain text item: a figure caption, a web page's bare heading or quote citation, or a paragraph."""
        web_single = self.doc.format == "web" and len(it.lines) == 1
        if re.match(r"^Figure \d+:", clean):
            self.blocks.append(Block("figure", clean, it.line, caption=clean))
        elif web_single and _is_citation_line(clean) and nxt and nxt_clean[:1] in OPEN_QUOTES:
            self.pending_attr = clean  # e.g. 'Working Together 2023' introducing the quote below it
        elif web_single and _is_web_heading(clean) and nxt is not None and not raw.rstrip().endswith("("):
            self.open_section(clean, 1, it.line)
        elif clean:
            self.blocks.append(Block("paragraph", clean, it.line, footnote_refs=refs))

    def build(self, flow: list[_Item]) -> list[Section]:
        self.emit_footnotes(None)
        i = 0
        while i < len(flow):
            it = flow[i]
            raw = " ".join(it.lines)
            clean, refs = clean_inline(raw)
            nxt = flow[i + 1] if i + 1 < len(flow) else None
            nxt_clean = clean_inline(" ".join(nxt.lines))[0] if nxt else ""
            if it.type == "heading":
                self.open_section(clean, it.level, it.line)
            elif it.type == "table":
                self.table(it)
            elif it.type == "bullet":
                self.blocks.append(Block("list_item", clean, it.line, footnote_refs=refs))
            elif it.type == "text" and _is_quote(clean) and not re.match(r"^Figure \d+:", clean):
                if self.quote(it, clean, refs, nxt, nxt_clean):
                    self.emit_footnotes(it)
                    i += 1
                    it = flow[i]
            else:
                self.text(it, clean, refs, raw, nxt, nxt_clean)
            self.emit_footnotes(it)
            i += 1
        return [s for s in self.sections if s.blocks or s.heading]


def parse(doc: SourceDoc, text: str) -> Document:
    """Parse one source into a :class:`Document` (sections of blocks, footnotes as blocks).

    Lexing (furniture and TOC dropped), then three passes: footnotes out of the flow, page-break
    joins, then blocks classified into sections.
    """
    flow, footnotes = _split_footnotes(_lex(doc, text))
    flow, joins = _rejoin_pages(flow)
    return Document(source=doc, sections=_Sections(doc, footnotes).build(flow), joins=joins)
