"""The 7-minute briefing: the one-page format local safeguarding partnerships use to share learning.

Seven short boxes, taken from a :class:`~wtkb.briefing.model.Pack` (so the same chapter points,
the same citations): background, why it matters, information, what it means for practice,
questions to reflect on, what to do next, further reading. Every box is cited: its points carry
their own record IDs, and the boxes in our own words (questions, next steps) name the paragraphs
they rest on. Rendering is in ``wtkb.briefing.render.seven``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from wtkb.briefing.model import Pack, Point

BOX_CHARS = 360  # text budget of one box, so the seven fit one A4 page
# a sentence that says what somebody is to do (for "what to do next" and, failing an audience, "practice")
ACTION = re.compile(r"\b(?:should|expects?|expected|expectations?|needs? to|will need|is to be|are to be)\b", re.I)
TITLES = ("Background", "Why it matters", "Information", "What it means for practice", "Questions to reflect on",
          "What to do next", "Further reading")


@dataclass
class Box:
    title: str
    points: list[Point] = field(default_factory=list)  # cited points (our words or quoted source sentences)
    lines: list[str] = field(default_factory=list)  # our own words (questions, next steps, reading)
    cites: list[str] = field(default_factory=list)  # what the box's own words rest on


def _take(points: list[Point], used: set[str], n: int, budget: int = BOX_CHARS) -> list[Point]:
    out: list[Point] = []
    chars = 0
    for p in points:
        if p.text in used or len(out) >= n or chars + len(p.text) > budget:
            continue
        out.append(p)
        used.add(p.text)
        chars += len(p.text)
    return out


def _ids(points: list[Point]) -> list[str]:
    return list(dict.fromkeys(c for p in points for c in p.cites))


def seven_minute(pack: Pack) -> list[Box]:
    """The seven boxes, each with at least one citation."""
    used: set[str] = set()
    firsts = [s.points[0] for s in pack.slides if s.points and not s.title.endswith("(continued)")]
    background = _take(pack.what_changed, used, 2)
    lead = pack.slides[0].points if pack.slides else []
    why = _take([p for p in lead if p.text not in used], used, 2, BOX_CHARS - 80)
    info = _take(firsts[1:], used, 3)
    rest = [p for s in pack.slides for p in s.points]
    practice = _take(pack.for_you, used, 2) or _take([p for p in rest if ACTION.search(p.text)], used, 2)
    if not practice:
        practice = _take(rest, used, 1)
    debrief = pack.scenario.debrief if pack.scenario else _ids(pack.what_changed)
    questions = Box(TITLES[4], lines=list(pack.discussion[:3]), cites=debrief[:3])
    act = _take([p for p in rest if ACTION.search(p.text)], used, 1)
    where = f"the handbook chapter “{pack.topic.title}”" if pack.topic else "the cited paragraphs"
    steps = ["Talk the questions through at your next team meeting or supervision.",
             f"Read {where} and the paragraphs it cites before changing practice."]
    if pack.agency:
        steps.insert(0, "Check what your local safeguarding partnership's arrangements say for your agency.")
    reading = [f"{d.title} ({d.publisher}, {d.date})" for d in pack.sources]
    boxes = [Box(TITLES[0], background), Box(TITLES[1], why), Box(TITLES[2], info), Box(TITLES[3], practice),
             questions, Box(TITLES[5], act, steps[:2], _ids(act) or _ids(background)),
             Box(TITLES[6], lines=reading, cites=_ids(background + why + info)[:4])]
    return boxes
