"""Corpus, records and IDs from the sources: manifest (sources), parsing (ingest), records and IDs."""

from wtkb.corpus.records import (  # noqa: F401 (re-exported)
    Corpus,
    build_corpus,
    footnote_id,
    load_records,
    page_for,
    paragraph_id,
    records_for,
)
