"""Consultation results: the data file and its model (one entry per question), and the alt text.

The data are ``src/wtkb/reference/data/consultation.yaml``: a list of quantitative
questions, each ``{id, question, section, responses, para (or paras), results:
[{label, percent}], breakdowns: [{group, label, percent}], note}``. ``para``
is the record the figures come from, so every chart cites its source
paragraph. A question whose figures were not published has no results (its
note says why) and gets no chart.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from wtkb.reference.files import data_path, load_entries


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
