"""`wtkb briefing`: training packs in every format of ``wtkb.briefing.render.FORMATS``."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.console import Console

from wtkb.atomic import write_file
from wtkb.cli.app import fail
from wtkb.errors import WtkbError
from wtkb.settings import get_settings
from wtkb.text import TEXT_RULE, bad_character

err = Console(stderr=True)




def _format_for(fmt: str | None, output: Path) -> str:
    from wtkb.briefing.render import format_for_suffix, get_format

    if fmt:
        return get_format(fmt).name
    found = format_for_suffix(output.suffix)
    return found.name if found else "pptx"


def _check_output(path: Path, what: str) -> None:
    from wtkb.briefing import BriefingError

    if path.is_dir():
        raise BriefingError(f"the {what} {path} is a folder", "give a file name, e.g. -o pack.pptx")
    if not path.parent.is_dir():
        raise BriefingError(f"the folder {path.parent} for the {what} does not exist",
                            f"create it first (mkdir -p {path.parent}) or write somewhere else")


def briefing(
    topic: str = typer.Option(None, "--topic", "-t", help="A built-in topic (slug, number or title words, see "
                                                          "--list) or free text (retrieved from the sources)."),
    audience: str = typer.Option(None, "--audience", "-a", help='Who the pack is for, e.g. "education DSLs".'),
    fmt: str = typer.Option(None, "--format", "-f", help="One of the formats (pptx, html, seven, seven-pptx, md; "
                                                         "see wtkb.briefing.render.FORMATS); default: from the -o "
                                                         "suffix, else pptx."),
    output: Path = typer.Option(None, "--output", "-o", help="The file to write (replaced atomically)."),
    handout: Path = typer.Option(None, "--handout", help="Also write the one-page HTML handout here."),
    base_url: str = typer.Option(None, "--base-url", help="The handbook's public address, for the links in the "
                                                          "pack (default WTKB_BASE_URL when it is a full URL; with "
                                                          "none, the pack names each source and page instead)."),
    list_topics_: bool = typer.Option(False, "--list", help="List the built-in topics and exit."),
) -> None:
    """Build a briefing pack on a topic: slides (pptx or Markdown) or a one-page HTML handout, every point cited."""
    from wtkb.briefing import BriefingError, build_pack, find_topic, list_topics
    from wtkb.briefing.render import FORMATS, public_base, render, slide_count

    settings = get_settings()
    if list_topics_:
        for t in list_topics(settings):
            typer.echo(f"{t.slug:<32} {t.title}")
        return
    try:
        if not topic or not topic.strip():
            raise BriefingError("no topic given", 'name one: wtkb briefing --topic "lead practitioner" -o pack.pptx '
                                                  "(wtkb briefing --list shows the built-in topics)")
        for what, text in (("topic", topic), ("audience", audience or "")):
            if bad_character(text):
                raise BriefingError(f"the {what} cannot be used: {bad_character(text)}", f"retype it as {TEXT_RULE}")
        if output is None:
            raise BriefingError("no output file given", "add -o FILE, e.g. -o pack.pptx (or .md, .html); "
                                "--format seven writes the 7-minute briefing")
        kind = _format_for(fmt, output)
        _check_output(output, "output file")
        if handout is not None:
            _check_output(handout, "handout")
        base = base_url if base_url is not None else public_base(settings)
        start = time.perf_counter()
        qa = None
        if find_topic(list_topics(settings), topic) is None:  # free text: retrieval needs the index
            from wtkb.qa import load_qa

            with err.status("loading the index and the embedding model…", spinner="dots"):
                qa = load_qa(settings)
        pack = build_pack(settings, topic, audience, qa=qa)
        data = render(pack, kind, base)
        write_file(output, data)
        wrote = [(output, kind, data)]
        if handout is not None:
            page = render(pack, "html", base)
            write_file(handout, page)
            wrote.append((handout, "html", page))
    except WtkbError as exc:
        fail(exc)
        return
    took = time.perf_counter() - start
    how = "from the handbook chapter" if pack.topic else "retrieved from the sources"
    for path, k, body in wrote:
        size = f"{len(body) / 1024:.0f} KB"
        what = f"{slide_count(pack)} slides" if FORMATS[k].slides else FORMATS[k].label.split(" (")[0].lower()
        typer.echo(f"wrote {path} ({k}, {what}, {size})")
    typer.echo(f"“{pack.title}”: {len(pack.slides)} key slides, {len(pack.points)} points, "
               f"{len(pack.records)} cited records, {how}, in {took:.2f}s")


def register(app: typer.Typer) -> None:
    app.command()(briefing)
