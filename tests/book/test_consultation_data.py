"""The consultation results register (src/wtkb/reference/data/consultation.yaml) against the corpus.

Every figure in the register must be traceable: the cited record(s) exist, are not
duplicates, and contain the number of responses and each percentage literally,
written as the source writes them (69 -> "69%", 54.5 -> "54.5%").
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).resolve().parents[2] / "src" / "wtkb" / "reference" / "data" / "consultation.yaml"
DATA_ERROR_ID = "q-safeguarding-partner-clarity"
FIELDS = {"id", "section", "question", "responses", "results", "breakdowns", "note"}


def load_entries() -> list[dict]:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


ENTRIES = load_entries()


def cited_ids(entry: dict) -> list[str]:
    assert ("para" in entry) != ("paras" in entry), f"{entry['id']}: give exactly one of para / paras"
    return list(entry["paras"]) if "paras" in entry else [entry["para"]]


def percent_text(value: float) -> str:
    """A percentage as the source writes it: 69 -> '69%', 54.5 -> '54.5%'."""
    number = float(value)
    return (str(int(number)) if number.is_integer() else str(number)) + "%"


def occurs(needle: str, text: str) -> bool:
    """``needle`` occurs in ``text`` and is not the tail of a longer number ('3%' is not found in '13%')."""
    return re.search(r"(?<![\d.])" + re.escape(needle) + r"(?!\d)", text) is not None


def cited_text(entry: dict, corpus) -> str:
    by_id = corpus.by_id
    return " ".join(by_id[i].text for i in cited_ids(entry))


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_entry_shape(entry):
    missing = FIELDS - set(entry)
    assert not missing, f"{entry['id']}: missing {sorted(missing)}"
    assert re.fullmatch(r"[a-z0-9-]+", entry["id"])
    for r in entry["results"]:
        assert set(r) == {"label", "percent"}, r
    for b in entry["breakdowns"]:
        assert set(b) == {"group", "label", "percent"}, b


def test_ids_are_unique():
    ids = [e["id"] for e in ENTRIES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_cited_records_exist_and_are_not_duplicates(entry, corpus):
    by_id = corpus.by_id
    for rid in cited_ids(entry):
        assert rid in by_id, f"{entry['id']}: unknown record {rid}"
        assert by_id[rid].duplicate_of is None, f"{entry['id']}: {rid} duplicates {by_id[rid].duplicate_of}"


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_every_number_appears_in_the_cited_text(entry, corpus):
    text = cited_text(entry, corpus)
    if entry["responses"] is not None:
        assert occurs(str(entry["responses"]), text), f"{entry['id']}: {entry['responses']} not in cited text"
    for row in entry["results"] + entry["breakdowns"]:
        pct = percent_text(row["percent"])
        assert occurs(pct, text), f"{entry['id']}: {pct} ({row['label']}) not in cited text"


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_question_is_quoted_from_the_cited_text(entry, corpus):
    assert entry["question"] in cited_text(entry, corpus)


def test_full_breakdowns_sum_to_about_100():
    for e in ENTRIES:
        if e["id"].startswith("q-") and e["results"]:
            total = sum(r["percent"] for r in e["results"])
            assert abs(total - 100) <= 1, f"{e['id']}: results sum to {total}"


def test_at_least_twenty_consultation_response_questions():
    cr = [e for e in ENTRIES if all(i.startswith("cr2023-") for i in cited_ids(e))]
    assert len(cr) >= 20
    assert sum(1 for e in cr if e["results"]) >= 20


def test_data_error_question_has_no_results(corpus):
    entry = next(e for e in ENTRIES if e["id"] == DATA_ERROR_ID)
    assert entry["results"] == []
    assert entry["responses"] is None
    assert "data error" in (entry["note"] or "")
    assert "data error" in cited_text(entry, corpus)


def test_devon_survey_figure_is_included(corpus):
    devon = [e for e in ENTRIES if all(i.startswith("devon2023-") for i in cited_ids(e))]
    assert any(r["percent"] == 41 for e in devon for r in e["results"])
