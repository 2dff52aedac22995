"""The consultation's figures as SVG bar charts (the data and alt text: ``wtkb.reference.consultation``)."""

from __future__ import annotations

import html
import io
from functools import lru_cache

from wtkb.reference.consultation import Question, alt_text, pct

# Okabe-Ito: distinguishable with the common colour-vision deficiencies
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")


@lru_cache(maxsize=1)
def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({
        "svg.hashsalt": "wtkb",  # stable element ids: the same data give the same file
        "svg.fonttype": "path",  # drawn as measured: no browser font can overflow the layout
        "font.family": "DejaVu Sans",
        "font.size": 11,
    })
    return plt


def chart_svg(q: Question) -> bytes:
    """A horizontal bar chart of one question's results, as reproducible SVG bytes.

    Each answer's label sits above its bar, so long labels never squeeze the bars, and the
    chart stays legible when a phone scales it down to the screen width.
    """
    plt = _pyplot()
    n = len(q.results)
    fig, ax = plt.subplots(figsize=(4.4, 0.55 + 0.62 * n))
    try:
        for i, r in enumerate(q.results):
            y = n - 1 - i
            ax.barh(y, r.percent, color=PALETTE[i % len(PALETTE)], height=0.42)
            ax.text(0, y + 0.27, r.label, va="bottom", ha="left")
            ax.text(r.percent + 1.2, y, pct(r.percent), va="center", fontweight="bold")
        ax.set_xlim(0, 100)
        ax.set_ylim(-0.45, n - 0.05 + 0.35)
        ax.set_yticks([])
        ax.set_xticks([0, 25, 50, 75, 100], labels=["0%", "25%", "50%", "75%", "100%"])
        ax.tick_params(axis="x", colors="#555555")
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.spines["bottom"].set_color("#999999")
        ax.set_xlabel(f"Share of {q.responses:,} responses" if q.responses is not None else "Share of responses",
                      color="#333333")
        fig.tight_layout(pad=0.4)
        buf = io.BytesIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    finally:
        plt.close(fig)
    svg = buf.getvalue().decode("utf-8")
    # the text is drawn as paths: a <title> carries the words and numbers for whoever opens the file itself
    end = svg.index(">", svg.index("<svg")) + 1
    svg = svg[:end] + f"\n <title>{html.escape(alt_text(q))}</title>" + svg[end:]
    return svg.encode("utf-8")
