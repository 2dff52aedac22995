"""Key-point slides: a chapter's sections cut into slide-sized runs by meaning, not by overflow.

A section is one slide when it fits, else two, split where one thought ends (a sentence that
leans on the one before it, see :func:`units`, stays with it). A section never gets more than
:data:`~wtkb.briefing.model.MAX_CONTINUED` "(continued)" slide: what does not fit stays in the
handbook chapter, which the notes and the Sources slide point to.
"""

from __future__ import annotations

import re

from wtkb.briefing.model import MAX_CONTINUED, MAX_KEY_SLIDES, MAX_POINTS, MIN_KEY_SLIDES, SLIDE_CHARS, KeySlide, Point

# a sentence that leans on the one before it ("It also records…", "Others worried…")
ANAPHOR = re.compile(r"^(?:It|Its|This|These|That|Those|They|Their|Them|Such|Both|Others|He|She|The same)\b")
CONTINUED = " (continued)"
LONE_POINTS, LONE_SLACK = 4, 1.2  # up to 4 points may run 20% over the text budget rather than split 2 + 1


def units(points: list[Point]) -> list[list[Point]]:
    """Points grouped so that a sentence leaning on the one before it stays with it."""
    out: list[list[Point]] = []
    for p in points:
        if out and ANAPHOR.match(p.text):
            out[-1].append(p)
        else:
            out.append([p])
    return out


def _chars(points: list[Point]) -> int:
    return sum(len(p.text) for p in points)


def fits(points: list[Point], max_points: int = MAX_POINTS, max_chars: int = SLIDE_CHARS) -> bool:
    """One slide holds ``points`` (a single point always goes on a slide of its own)."""
    return len(points) <= 1 or (len(points) <= max_points and _chars(points) <= max_chars)


def _flat(pieces: list[list[Point]]) -> list[Point]:
    return [p for piece in pieces for p in piece]


def _pieces(points: list[Point]) -> list[list[Point]]:
    """Units that fit a slide; a unit too long for one slide falls apart into its sentences."""
    out: list[list[Point]] = []
    for u in units(points):
        out += [u] if fits(u) else [[p] for p in u]
    return out


def runs(points: list[Point]) -> list[list[Point]]:
    """A section's points as one run, or as two split at the most even unit boundary that fits;
    failing that, as many leading units as fill 1 + MAX_CONTINUED slides."""
    pieces = _pieces(points)
    if fits(points) or (len(points) <= LONE_POINTS and _chars(points) <= SLIDE_CHARS * LONE_SLACK):
        return [list(points)] if points else []  # (a few long points: one full slide, not a one-point continuation)
    best: tuple[tuple[bool, int], list[list[Point]]] | None = None
    for k in range(1, len(pieces)):
        a, b = _flat(pieces[:k]), _flat(pieces[k:])
        if fits(a) and fits(b):
            key = (min(len(a), len(b)) < 2, abs(_chars(a) - _chars(b)))  # no lone point on a slide, if avoidable
            if best is None or key < best[0]:
                best = (key, [a, b])
    if best is not None and MAX_CONTINUED >= 1:
        return best[1]
    out: list[list[Point]] = [[]]
    for piece in pieces:
        if fits(out[-1] + piece):
            out[-1] += piece
        elif len(out) < 1 + MAX_CONTINUED:
            out.append(list(piece))
        else:
            break
    return [r for r in out if r]


def _merge_singles(sections: list[tuple[str, list[Point], str | None]]) -> None:
    """A one-point section joins its neighbour, its title leading the point."""
    i = 0
    while len(sections) > 1 and i < len(sections):
        title, pts, _ = sections[i]
        if len(pts) == 1:
            p = Point(f"{title}: {pts[0].text}", pts[0].cites, pts[0].quoted)
            j = i - 1 if i > 0 else i + 1
            sections[j][1].insert(len(sections[j][1]) if j < i else 0, p)
            del sections[i]
            continue
        i += 1


def key_slides(sections: list[tuple[str, list[Point], str | None]], min_slides: int = MIN_KEY_SLIDES,
               max_slides: int = MAX_KEY_SLIDES, merge_singles: bool = True) -> list[KeySlide]:
    """Sections -> 1..max_slides key slides, at most one continuation per section.

    Every section (the first ``max_slides``) gets its first run; second runs are added in
    section order while there is room. With fewer than ``min_slides`` slides, the fullest
    section not yet continued is split in two at a unit boundary.
    """
    secs = [(t, list(p), c) for t, p, c in sections if p]
    if merge_singles:
        _merge_singles(secs)
    cut = [(title, runs(pts), ch) for title, pts, ch in secs][:max_slides]
    room = max_slides - len(cut)
    taken = []
    for _, rs, _ in cut:
        extra = min(len(rs) - 1, room)
        room -= extra
        taken.append(1 + extra)
    slides: list[KeySlide] = []
    for (title, rs, ch), k in zip(cut, taken, strict=True):
        slides += [KeySlide(title if j == 0 else title + CONTINUED, rs[j], ch) for j in range(k)]
    while len(slides) < min_slides:
        continued = {s.title.removesuffix(CONTINUED) for s in slides if s.title.endswith(CONTINUED)}
        cands = [i for i, s in enumerate(slides) if s.title not in continued and len(s.points) >= 4]
        if not cands:
            break
        i = max(cands, key=lambda x: (len(slides[x].points), -x))
        s = slides[i]
        pieces = _pieces(s.points)
        if len(pieces) < 2:
            pieces = [[p] for p in s.points]
        k = min(range(1, len(pieces)), key=lambda k: (abs(_chars(_flat(pieces[:k])) - _chars(_flat(pieces[k:]))), k))
        slides[i:i + 1] = [KeySlide(s.title, _flat(pieces[:k]), s.chapter),
                           KeySlide(s.title + CONTINUED, _flat(pieces[k:]), s.chapter)]
    return slides
