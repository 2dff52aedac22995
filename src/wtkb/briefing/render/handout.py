"""The one-page printable handout (A4): self-contained HTML, every text escaped."""

from __future__ import annotations

import html

from wtkb.briefing.model import Pack, Point
from wtkb.briefing.render.common import (
    VIEWS,
    cite_groups,
    document_where,
    page_link,
    provenance,
    quote_attribution,
    short_label,
    subtitle_lines,
    voice_tag,
)
from wtkb.models import Record
from wtkb.reference.consultation import pct
from wtkb.urls import record_url

HANDOUT_POINTS = 1  # points per key section on the one-page handout
HANDOUT_QUOTES = 2
HANDOUT_FIGURES = 2
HANDOUT_CSS = """
@page { size: A4; margin: 12mm; }
* { box-sizing: border-box; }
body { font: 8.4pt/1.28 "DejaVu Sans", Arial, Helvetica, sans-serif; color: #111; margin: 0 auto; max-width: 186mm; }
header { border-bottom: 2px solid #0072B2; margin-bottom: 4pt; padding-bottom: 3pt; }
h1 { font-size: 15pt; margin: 0 0 2pt; }
.meta { color: #444; font-size: 8pt; margin: 0; }
h2 { font-size: 10pt; margin: 6pt 0 2pt; color: #0b4f7a; break-after: avoid; }
p, ul, ol { margin: 0 0 3pt; }
ul, ol { padding-left: 13pt; }
li { margin-bottom: 2pt; }
.cols { column-count: 2; column-gap: 7mm; }
.cols section, li, tr { break-inside: avoid; }
.cite { color: #555; font-size: 7.2pt; white-space: normal; }
.voice { font-style: italic; color: #7a3b00; }
a { color: #0b4f7a; text-decoration: none; }
table { border-collapse: collapse; width: 100%; font-size: 7.6pt; }
th, td { text-align: left; vertical-align: top; padding: 1pt 3pt; border-bottom: 1px solid #ccc; }
.views { font-weight: bold; font-size: 7.8pt; color: #7a3b00; margin-bottom: 2pt; }
blockquote { margin: 0 0 3pt; padding-left: 6pt; border-left: 2px solid #E69F00; font-style: italic; }
blockquote footer { font-style: normal; color: #444; font-size: 7.6pt; }
footer.sources { border-top: 1px solid #999; margin-top: 5pt; padding-top: 2pt; font-size: 7.4pt; color: #333; }
@media screen { body { padding: 12mm; } }
@media print { a { color: inherit; } }
"""


def e(text: str) -> str:
    return html.escape(text, quote=True)


def html_cites(ids: list[str], records: dict[str, Record], base: str | None, shorten=short_label) -> str:
    """'[label; label]', each label a link to its first record when there is a public address."""
    parts = []
    for label, rid in cite_groups(ids, records, shorten):
        parts.append(f'<a href="{e(record_url(records[rid], base))}">{e(label)}</a>' if base else e(label))
    return f'<span class="cite">[{"; ".join(parts)}]</span>'


def point_html(p: Point, records: dict[str, Record], base: str | None, shorten=short_label) -> str:
    tag = voice_tag(p, records)
    voice = f' <span class="voice">({e(tag)})</span>' if tag else ""
    return f"{e(p.text)}{voice} {html_cites(p.cites, records, base, shorten)}"


def _link(text: str, url: str | None) -> str:
    return f'<a href="{e(url)}">{e(text)}</a>' if url else e(text)


def _figures(pack: Pack, base: str | None) -> list[str]:
    out = ["<section>", "<h2>Consultation figures</h2>", "<table>",
           "<thead><tr><th>Question</th><th>Responses</th><th>Results</th></tr></thead>", "<tbody>"]
    for q in pack.figures[:HANDOUT_FIGURES]:
        ids = [r for r in q.record_ids if r in pack.records]
        src = f" {html_cites(ids[:1], pack.records, base)}" if ids else ""
        res = "; ".join(f"{r.label} {pct(r.percent)}" for r in q.results)
        n = f"{q.responses:,}" if q.responses is not None else "n/a"
        out.append(f"<tr><td>“{e(q.question.strip())}”{src}</td><td>{e(n)}</td><td>{e(res)}</td></tr>")
    return out + ["</tbody>", "</table>", "</section>"]


def render_html(pack: Pack, base: str | None = None) -> str:
    """A one-page printable handout (A4)."""
    records = pack.records
    out = ["<!DOCTYPE html>", '<html lang="en-GB">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{e(pack.title)}: briefing handout</title>", f"<style>{HANDOUT_CSS}</style>", "</head>",
           "<body>", "<header>", f"<h1>{e(pack.title)}</h1>"]
    meta = [e(x) for x in subtitle_lines(pack)]
    if pack.topic:
        meta.append("Handbook: " + _link(pack.topic.title, page_link(pack.topic.page, base)))
    out += ['<p class="meta">' + " · ".join(meta) + "</p>", "</header>", '<div class="cols">']
    if pack.what_changed:
        out += ["<section>", "<h2>What changed</h2>", "<ul>"]
        out += [f"<li>{point_html(p, records, base)}</li>" for p in pack.what_changed[:3]]
        out += ["</ul>", "</section>"]
    out += ["<section>", "<h2>Key points</h2>", "<ul>"]
    for s in pack.slides:
        if s.title.endswith("(continued)"):
            continue
        for p in s.points[:HANDOUT_POINTS]:
            out.append(f"<li><strong>{e(s.title)}.</strong> {point_html(p, records, base)}</li>")
    out += ["</ul>", "</section>"]
    if pack.for_you:
        out += ["<section>", "<h2>What this means for you</h2>", "<ul>"]
        out += [f"<li>{point_html(p, records, base)}</li>" for p in pack.for_you[:1]]
        out += ["</ul>", "</section>"]
    if pack.figures:
        out += _figures(pack, base)
    if pack.quotes:
        out += ["<section>", "<h2>What people said</h2>", f'<p class="views">{e(VIEWS)}</p>']
        for r in pack.quotes[:HANDOUT_QUOTES - bool(pack.for_you)]:  # room for "what this means for you"
            out.append(f"<blockquote>“{e(r.text)}”<footer>— {e(quote_attribution(r))} "
                       f"{html_cites([r.id], records, base) if base else e('[' + short_label(r.label) + ']')}"
                       "</footer></blockquote>")
        out.append("</section>")
    if pack.discussion:
        out += ["<section>", "<h2>Questions for discussion</h2>", "<ol>"]
        out += [f"<li>{e(q)}</li>" for q in pack.discussion]
        out += ["</ol>", "</section>"]
    out.append("</div>")
    src = "; ".join(f"{_link(d.title, document_where(d, base) if base else None)} "
                    f"({e(d.publisher)}, {e(d.date)}; {e(d.licence)})" for d in pack.sources)
    out += [f'<footer class="sources"><strong>Sources.</strong> {src}. {e(provenance(pack, names=False))}</footer>',
            "</body>", "</html>", ""]
    return "\n".join(out)
