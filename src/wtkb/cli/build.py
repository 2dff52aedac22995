"""`wtkb build` and `wtkb paragraphs`: the build faces of the command line."""

from __future__ import annotations

import json
import sys
from enum import StrEnum

import typer
from rich.table import Table

from wtkb.cli.app import err, fail, out
from wtkb.errors import WtkbError
from wtkb.settings import get_settings


class Stage(StrEnum):
    corpus = "corpus"
    index = "index"
    book = "book"


def build(
    only: list[Stage] = typer.Option(None, "--only", help="Build only these stages (repeatable)."),
) -> None:
    """Build the corpus, the retrieval index and the handbook (each replaced atomically)."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from wtkb.build import run_build

    settings = get_settings()
    stages = tuple(s.value for s in only) if only else ("corpus", "index", "book")
    try:
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                      console=err, transient=False) as progress:
            task = None

            def on_stage(stage: str) -> None:
                nonlocal task
                if task is not None:
                    progress.update(task, completed=1, total=1)
                task = progress.add_task(stage if " " in stage else f"building {stage}", total=None)

            report = run_build(settings, stages, progress=on_stage)
            if task is not None:
                progress.update(task, completed=1, total=1)
    except WtkbError as exc:
        fail(exc)
        return
    table = Table(title=f"corpus {report.corpus.hash} ({len(report.corpus.records)} records)")
    kinds = ("paragraph", "list_item", "quote", "footnote", "table", "figure")
    short = {"paragraph": "para", "list_item": "list", "quote": "quote", "footnote": "fn", "table": "table",
             "figure": "fig"}
    table.add_column("document", no_wrap=True)
    for k in kinds:
        table.add_column(short[k], justify="right")
    table.add_column("dups", justify="right")
    table.add_column("joins", justify="right")
    table.caption = "para/list/quote/fn/table/fig: records by kind · dups: repeats marked duplicate_of · " \
                    "joins: paragraphs rejoined across a page break"
    counts = report.counts()
    for doc in report.corpus.sources:
        c = counts.get(doc.id, {})
        dups = sum(1 for r in report.corpus.records if r.document == doc.id and r.duplicate_of)
        table.add_row(doc.id, *(str(c.get(k, 0)) for k in kinds), str(dups), str(report.corpus.joins[doc.id]))
    out.print(table)
    out.print("  ".join(f"{k}: {v:.2f}s" for k, v in report.timings.items()))


def paragraphs(
    jsonl: bool = typer.Option(False, "--jsonl", help="One JSON object per line (the stable contract)."),
    document: str = typer.Option(None, "--document", "-d", help="Only this document id."),
) -> None:
    """List every citable record in document order."""
    from wtkb.corpus import build_corpus

    try:
        corpus = build_corpus(get_settings().sources_dir)
    except WtkbError as exc:
        fail(exc)
        return
    records = [r for r in corpus.records if not document or r.document == document]
    if document and not records:
        fail(WtkbError(f"no document with id '{document}'",
                       f"use one of: {', '.join(s.id for s in corpus.sources)}"))
    if jsonl:
        for r in records:
            sys.stdout.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
        return
    table = Table(show_lines=False)
    table.add_column("id", overflow="fold")
    table.add_column("kind")
    table.add_column("text", overflow="ellipsis", no_wrap=True, max_width=80)
    for r in records:
        table.add_row(r.id, r.kind, r.text)
    out.print(table)


def register(app: typer.Typer) -> None:
    app.command()(build)
    app.command()(paragraphs)
