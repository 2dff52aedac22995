"""The `wtkb` Typer app, its consoles, and the one error presenter of the command line (``fail``)."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console

from wtkb.errors import WtkbError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="wtkb: the Working Together to Safeguard Children 2023 knowledge base.")
err = Console(stderr=True)
out = Console()


def fail(exc: WtkbError) -> NoReturn:
    """Print what is wrong, where, and what to do (plain text, never wrapped), then exit 2."""
    typer.echo(f"error: {exc.what}", err=True)
    if exc.path:
        typer.echo(f"  in {exc.path}{':' + str(exc.line) if exc.line else ''}", err=True)
    typer.echo(f"  what to do: {exc.fix}", err=True)
    raise typer.Exit(2)
