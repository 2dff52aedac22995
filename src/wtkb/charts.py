"""Consultation results: the data file, one SVG bar chart per question, and the alt text.

The data are ``src/wtkb/data/consultation.yaml``: a list of quantitative
questions, each ``{id, question, section, responses, para (or paras), results:
[{label, percent}], breakdowns: [{group, label, percent}], note}``. ``para``
is the record the figures come from, so every chart cites its source
paragraph. A question whose figures were not published has no results (its
note says why) and gets no chart.
"""

from __future__ import annotations

import html
import io
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .datafiles import data_path, load_entries

# Okabe-Ito: distinguishable with the common colour-vision deficiencies
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")


class Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    label: str
    percent: float

    @field_validator("percent")
    @classmethod
    def _in_range(cls, v: float) -> float:
        if not 0 <= v <= 100:
            raise ValueError(f"percent {v} is not between 0 and 100")
        return v


class Breakdown(Result):
    group: str


class Question(BaseModel):
    """One quantitative consultation question and its published figures."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    question: str
    section: str = ""
    responses: int | None = None
    para: str | None = None
    paras: list[str] = Field(default_factory=list)
    results: list[Result] = Field(default_factory=list)
    breakdowns: list[Breakdown] = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="after")
    def _cites(self) -> Question:
        if not self.record_ids:
            raise ValueError("give the record the figures come from as para (or paras)")
        return self

    @property
    def record_ids(self) -> list[str]:
        return ([self.para] if self.para else []) + [p for p in self.paras if p != self.para]


def consultation_path() -> Path:
    return data_path("consultation.yaml")


def load_consultation(path: Path | None = None) -> list[Question]:
    """The questions, in file order; ``[]`` when the data file does not exist yet."""
    return load_entries(path or consultation_path(), Question, "consultation question", missing_ok=True,
                        list_key="questions", fix="give it id, question, para and results: [{label, percent}]")


def pct(value: float) -> str:
    return f"{value:g}%"


def alt_text(q: Question) -> str:
    """What a screen reader hears instead of the chart: the question and every number in it."""
    text = f"Bar chart of the answers to “{q.question.strip()}”. "
    text += f"{q.responses:,} responses" if q.responses is not None else "Number of responses not published"
    if q.results:
        text += ": " + "; ".join(f"{r.label} {pct(r.percent)}" for r in q.results)
    return text + "."


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
