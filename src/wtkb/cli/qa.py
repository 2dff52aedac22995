"""`wtkb ask` and `wtkb serve`: the Q&A faces of the command line."""

from __future__ import annotations

import json
import os
import sys

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from wtkb.cli.app import err, fail, out
from wtkb.errors import WtkbError
from wtkb.settings import get_settings
from wtkb.text import TEXT_RULE, bad_character


def _load():
    from wtkb.qa import load_qa

    settings = get_settings()
    with err.status("loading the index and the embedding model…", spinner="dots"):
        return load_qa(settings)


def _check(question: str, limit: int) -> str | None:
    """Why a question cannot be asked, or None."""
    bad = bad_character(question)
    if bad:
        return f"the question cannot be read: {bad}"
    if not question.strip():
        return "the question is empty"
    if len(question) > limit:
        return f"the question is {len(question)} characters long; the limit is {limit}"
    return None


def ask(
    question: str = typer.Argument(None, help="The question, in quotes. Omit it with --jsonl."),
    as_json: bool = typer.Option(False, "--json", help="Print the answer as one JSON object."),
    jsonl: bool = typer.Option(False, "--jsonl", help="Read one question per line on stdin; write one JSON "
                                                      "object per line (the model is loaded once)."),
    top_k: int = typer.Option(5, "--top-k", "-k", min=1, max=20, help="Paragraphs to return (1–20)."),
) -> None:
    """Answer a question from the sources, citing paragraph IDs (no LLM unless WTKB_LLM_MODE is set)."""
    settings = get_settings()
    if jsonl and question:
        fail(WtkbError("--jsonl reads questions from stdin, not the command line",
                        "drop the question argument, or drop --jsonl"))
    if not jsonl:
        if question is None:
            fail(WtkbError("no question given", 'ask one in quotes: wtkb ask "who decides the lead practitioner?"'))
        problem = _check(question, settings.max_question_chars)
        if problem:
            fail(WtkbError(problem, "ask a question of up to "
                                     f"{settings.max_question_chars} characters, in quotes, as {TEXT_RULE}"))
    try:
        qa = _load()
    except WtkbError as exc:
        fail(exc)
        return
    if jsonl:
        # undecodable bytes become lone surrogates, refused per line by _check (not a crash for the whole run)
        sys.stdin.reconfigure(errors="surrogateescape")
        for line in sys.stdin:
            q = line.rstrip("\r\n")
            problem = _check(q, settings.max_question_chars)
            if problem:  # keep one output line per input line
                obj = {"question": q.encode("utf-8", "replace").decode("utf-8"), "error": problem}
            else:
                obj = qa.ask(q.strip(), top_k).model_dump()
            sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
            sys.stdout.flush()
        return
    answer = qa.ask(question.strip(), top_k)
    if as_json:
        sys.stdout.write(answer.model_dump_json() + "\n")
        return
    _show(answer)


def _show(answer) -> None:
    title = ("not answered by the sources" if not answer.supported else
             "not a direct answer: the closest the sources come" if answer.hedged else "answer")
    style = "green" if answer.supported and not answer.hedged else "yellow"
    out.print(Panel(escape(answer.answer), title=title, border_style=style, title_align="left"))
    for name, items in (("cited", answer.citations), ("see also", answer.see_also)):
        if not items:
            continue
        table = Table(title=name, title_justify="left", show_lines=False, expand=True)
        table.add_column("#", justify="right", width=2)
        table.add_column("paragraph", overflow="fold", ratio=2)
        table.add_column("text", overflow="ellipsis", ratio=3)
        for i, c in enumerate(items, 1):
            voice = f"\n[italic]{escape(c.voice_label)}[/]" if c.voice_label else ""
            table.add_row(str(i), f"[bold]{escape(c.label)}[/]{voice}\n{escape(c.id)}\n[dim]{escape(c.url)}[/]",
                          escape(c.text if len(c.text) < 400 else c.text[:400] + "…"))
        out.print(table)
    for t in getattr(answer, "topics", []):
        out.print(f"[bold]More in the handbook:[/] {escape(t.title)} [dim]{escape(t.url)}[/]", highlight=False)


def serve(
    host: str = typer.Option(None, "--host", help="Interface to listen on (default WTKB_HOST, 127.0.0.1)."),
    port: int = typer.Option(None, "--port", help="Port (default WTKB_PORT, 8000)."),
    workers: int = typer.Option(1, "--workers", min=1, max=8, help="Worker processes (each loads the model)."),
) -> None:
    """Serve the API (POST /ask, GET /search, /paragraphs, /duties, /health, /docs) and the handbook at /."""
    from wtkb.index import IndexMeta

    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    # the app (and each worker) reads its settings from the environment: the address it listens on is
    # part of them (the absolute links in briefing packs, when WTKB_BASE_URL is a path)
    os.environ.update(WTKB_HOST=host, WTKB_PORT=str(port))
    get_settings.cache_clear()
    settings = get_settings()
    try:
        IndexMeta.read(settings.index)
    except WtkbError as exc:
        err.print(f"[bold yellow]warning:[/] {escape(exc.what)} — {escape(exc.fix)}. The API will answer 503 "
                  "until it is built; the handbook is still served.", highlight=False)
    if not (settings.html_dir / "index.html").is_file():
        err.print(f"[dim]no handbook at {settings.html_dir} yet (run `wtkb build`); serving the API only[/]",
                  highlight=False)
    err.print(f"serving on http://{host}:{port}/  (API docs at /docs; questions are "
              f"{'LOGGED (WTKB_LOG_QUESTIONS)' if settings.log_questions else 'not logged'})", highlight=False)
    from wtkb.api.server import run

    run(settings, host, port, workers)


def register(app: typer.Typer) -> None:
    app.command()(ask)
    app.command()(serve)
