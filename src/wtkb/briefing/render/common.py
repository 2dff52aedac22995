"""What every format shares: the outline (slide by slide), citation labels, voices, links, notes.

Links use the configured public base URL (:func:`public_base`: ``Settings.base_url`` when it is
a full URL). With none, a pack carries no address at all: it names the source and the handbook
page instead, so a file never points at somebody's localhost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from wtkb.briefing.model import Pack, Point, Scenario
from wtkb.corpus.voice import voice_label
from wtkb.models import Record, SourceDoc
from wtkb.reference.consultation import Question, pct
from wtkb.settings import Settings
from wtkb.text import HEADING_SEP, STOPWORDS
from wtkb.urls import document_page, page_url, record_url

MADE_BY = "Built by wtkb from the Working Together 2023 sources"
VIEWS = "Respondents' views, not guidance"
# a point resting only on these voices says so on the slide, unless its words already do
VOICE_TAGS = {"respondents": "respondents' views, not guidance", "quote": "a respondent's words, not guidance",
              "local": "local briefing: applies locally only", "commentary": "commentary on the draft guidance",
              "notice": "a local consultation notice"}
SAYS_VOICE = re.compile(r"respondent|devon|bond solon|local|draft|said|survey|critics|supporters|views?\b", re.I)
ROOM_QUESTIONS = ("Which of these points changes what you do in your role?",
                  "Where does this come up in your work now, and who else is involved?",
                  "What would you need to check locally before acting on this?",
                  "What might get in the way of this in practice?")


def public_base(settings: Settings) -> str | None:
    """The public address of the handbook for links in a file, or None when none is configured."""
    return settings.base_url if settings.base_url.startswith(("http://", "https://")) else None


# --------------------------------------------------------------------------- outline


@dataclass
class Slide:
    kind: str  # a key of the pptx renderer's slide methods: title, points, for_you, chart, quotes, scenario, ...
    title: str
    points: list[Point] = field(default_factory=list)
    figure: Question | None = None
    quotes: list[Record] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    sources: list[SourceDoc] = field(default_factory=list)
    scenario: Scenario | None = None
    cites: list[str] = field(default_factory=list)  # records whose text goes in the notes


def _cites(points: list[Point]) -> list[str]:
    return list(dict.fromkeys(c for p in points for c in p.cites))


def outline(pack: Pack) -> list[Slide]:
    """The deck, slide by slide (empty optional slides left out)."""
    slides = [Slide("title", pack.title)]
    if pack.what_changed:
        slides.append(Slide("points", "What changed", points=pack.what_changed, cites=_cites(pack.what_changed)))
    for s in pack.slides:
        slides.append(Slide("points", s.title, points=s.points, cites=_cites(s.points)))
    if pack.agency:
        slides.append(Slide("for_you", "What this means for you", points=pack.for_you, cites=_cites(pack.for_you)))
    n = len(pack.figures)
    for i, q in enumerate(pack.figures, 1):
        title = "Consultation figures" + (f" ({i} of {n})" if n > 1 else "")
        slides.append(Slide("chart", title, figure=q, cites=[r for r in q.record_ids if r in pack.records]))
    if pack.quotes:
        slides.append(Slide("quotes", "What people said", quotes=pack.quotes, cites=[r.id for r in pack.quotes]))
    if pack.scenario:
        slides.append(Slide("scenario", f"Case scenario: {pack.scenario.title}", scenario=pack.scenario,
                            questions=pack.scenario.questions, cites=list(pack.scenario.debrief)))
    if pack.discussion:
        slides.append(Slide("questions", "Questions for discussion", questions=pack.discussion))
    slides.append(Slide("sources", "Sources", sources=pack.sources))
    return slides


def slide_count(pack: Pack) -> int:
    return len(outline(pack))


# --------------------------------------------------------------------------- citation labels


def _shorten(heading: str, words: int = 5) -> str:
    w = heading.split()
    if len(w) <= words:
        return heading
    w = w[:words]
    while len(w) > 1 and (w[-1].lower() in STOPWORDS or w[-1] in ("–", "-")):
        w.pop()
    return " ".join(w) + " …"


def short_label(label: str) -> str:
    """'Consultation response 2023 › Support under section 17 of the Children Act 1989 › Government response ›
    para 1' -> 'Consultation response 2023 › Support under section 17 … › Government response › para 1'."""
    parts = label.split(HEADING_SEP)
    if len(parts) <= 2:
        return label
    middle = parts[1:-1]
    keep = [_shorten(middle[0])] + ([_shorten(middle[-1])] if len(middle) > 1 else [])
    if len(middle) > 2:
        keep.insert(1, "…")
    return HEADING_SEP.join([parts[0], *keep, parts[-1]])


def footer_label(label: str) -> str:
    """The shortest label a footer line carries: the document, the nearest heading (3 words), the paragraph."""
    parts = label.split(HEADING_SEP)
    if len(parts) <= 2:
        return label
    return HEADING_SEP.join([parts[0], _shorten(parts[-2], 3), parts[-1]])


UNIT = re.compile(rf"^(.*){re.escape(HEADING_SEP)}(para|footnote) (\d+)$")


def cite_groups(ids: list[str], records: dict[str, Record], shorten=short_label) -> list[tuple[str, str]]:
    """(label, first record id) per group: consecutive paragraphs of one section share a label ('paras 3–10')."""
    groups: list[tuple[str, list[int], str, str]] = []  # (prefix, numbers, unit, first id)
    for rid in ids:
        label = shorten(records[rid].label)
        m = UNIT.match(label)
        if not m:
            groups.append((label, [], "", rid))
            continue
        prefix, unit, num = m.group(1), m.group(2), int(m.group(3))
        if groups and groups[-1][0] == prefix and groups[-1][2] == unit:
            groups[-1][1].append(num)
        else:
            groups.append((prefix, [num], unit, rid))
    out = []
    for prefix, nums, unit, first in groups:
        if not nums:
            out.append((prefix, first))
        elif len(nums) == 1:
            out.append((f"{prefix}{HEADING_SEP}{unit} {nums[0]}", first))
        else:
            out.append((f"{prefix}{HEADING_SEP}{unit}s {ranges(nums)}", first))
    return out


def cite_labels(ids: list[str], records: dict[str, Record], shorten=short_label) -> list[str]:
    """Short citation labels for ``ids``; consecutive paragraphs of one section share a label ('paras 3–10')."""
    return [label for label, _ in cite_groups(ids, records, shorten)]


def ranges(nums: list[int]) -> str:
    nums = sorted(set(nums))
    runs: list[list[int]] = []
    for n in nums:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)


def cite_text(point: Point, records: dict[str, Record]) -> str:
    return "[" + "; ".join(cite_labels(point.cites, records)) + "]"


# --------------------------------------------------------------------------- voices


def doc_of(pack: Pack, r: Record) -> SourceDoc | None:
    return next((d for d in pack.sources if d.id == r.document), None)


def voice_tag(point: Point, records: dict[str, Record]) -> str | None:
    """What a slide adds after a point that rests only on views, a local briefing or commentary
    (None when the point's own words already say whose it is, or it rests on the guidance)."""
    voices = {records[c].voice for c in point.cites if c in records}
    if not voices or not voices <= set(VOICE_TAGS) or (SAYS_VOICE.search(point.text) and not point.quoted):
        return None
    return "; ".join(VOICE_TAGS[v] for v in sorted(voices))


def record_voice(pack: Pack, r: Record) -> str:
    """The record's voice as the notes and handouts show it ("Local briefing (Devon …): applies locally only")."""
    return voice_label(r, doc_of(pack, r)) or "Source text"


# --------------------------------------------------------------------------- links


def where(pack: Pack, r: Record, base: str | None) -> str:
    """A record's public link, or, with no public address, its source and handbook page by name."""
    if base:
        return record_url(r, base)
    doc = doc_of(pack, r)
    name = doc.title if doc else r.document
    return f"{name}: handbook page “{r.page}”, paragraph {r.id}"


def page_link(page: str, base: str | None) -> str | None:
    return page_url(page, base) if base else None


def document_where(doc: SourceDoc, base: str | None) -> str:
    return page_url(document_page(doc), base) if base else f"handbook page “{document_page(doc)}”"


# --------------------------------------------------------------------------- words shared by the formats


def provenance(pack: Pack, names: bool = True) -> str:
    """Corpus date and sources: on the last slide and in the notes (never a hash on the title)."""
    years = sorted({s.date[:4] for s in pack.sources})
    span = "–".join(dict.fromkeys([years[0], years[-1]])) if years else "undated"
    which = ": " + "; ".join(s.short_title for s in pack.sources) if names else ""
    return (f"Current to the sources dated {span} (newest {pack.corpus_date or 'undated'}){which}. "
            f"Corpus version {pack.corpus_hash[:12]}.")


def subtitle_lines(pack: Pack) -> list[str]:
    lines = [f"For {pack.audience}"] if pack.audience else []
    lines.append("A briefing on Working Together to Safeguard Children 2023")
    years = sorted({s.date[:4] for s in pack.sources})
    if years:
        lines.append("Sources dated " + "–".join(dict.fromkeys([years[0], years[-1]])))
    return lines


def how_made(pack: Pack) -> str:
    if pack.mode == "topic" and pack.topic:
        return (f"This pack is derived from the handbook chapter “{pack.topic.title}”: its points are the "
                "chapter's own plain-words sentences, each with the paragraphs it cites. Quotations are the "
                "sources' own words, attributed.")
    return (f"This pack was retrieved for the free-text topic “{pack.query}”: its points are handbook sentences "
            "that cite the paragraphs found, or, in quotation marks, those paragraphs' own sentences. "
            "Check the cited paragraphs before relying on a point.")


def quote_attribution(r: Record) -> str:
    return r.attribution or "unattributed"


def figure_caption(q: Question, records: dict[str, Record]) -> str:
    n = f"{q.responses:,} responses" if q.responses is not None else "Number of responses not published"
    src = "; ".join(cite_labels([r for r in q.record_ids if r in records], records, footer_label))
    return f"{n}. Source: {src}."


def figure_summary(q: Question) -> str:
    top = max(q.results, key=lambda r: r.percent)
    n = f"Of {q.responses:,} responses, " if q.responses is not None else ""
    return f"{n}the largest share, {pct(top.percent)}, answered “{top.label}”."
