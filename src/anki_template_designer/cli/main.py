"""The ``atd`` command line: render and check templates, move note types, serve the designer."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated

import typer

from .. import __version__
from .interop import register as register_interop
from .jsonl import Handler, answer_lines
from .lint import register as register_lint
from .serve import register as register_serve

app = typer.Typer(
    name="atd",
    help="Anki Template Designer: design, preview and check Anki note types exactly as Anki "
    "renders them; move them between files, the workspace and a running Anki.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)

InputOption = Annotated[
    Path | None,
    typer.Option(
        "--input",
        "-i",
        help="JSON Lines file of requests (default: standard input).",
        dir_okay=False,
        show_default=False,
    ),
]


class CheckFormat(StrEnum):
    """Output formats of ``atd check``."""

    text = "text"
    json = "json"


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"atd {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Render and check Anki card templates exactly as Anki 26.9 does."""


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"atd: {message}", err=True)
    return typer.Exit(code)


@contextmanager
def _open_input(path: Path | None) -> Iterator[IO[bytes]]:
    if path is None or str(path) == "-":
        yield sys.stdin.buffer
        return
    try:
        stream = path.open("rb")
    except FileNotFoundError:
        raise _fail(f"{path}: no such file") from None
    except OSError as error:
        raise _fail(f"{path}: cannot be read ({error.strerror})") from None
    with stream:
        yield stream


def _serve(path: Path | None, handler: Handler, pretty: bool) -> None:
    with _open_input(path) as stream:
        failures = answer_lines(stream, handler, sys.stdout.buffer, pretty=pretty)
    if failures:
        raise typer.Exit(1)


@app.command()
def render(
    input_file: InputOption = None,
    pretty: Annotated[bool, typer.Option("--pretty", help="Indent the JSON output.")] = False,
) -> None:
    """Render every card of each note request (JSON Lines in, one JSON line out per request).

    A request: {"notetype": <schema-11 note type>, "fields": {...}, "tags": [...],
    "deck": "Default", "flag": 0, "card_ids": {"0": 123}}. A bad line gets
    {"cards": [], "error": "line N: ..."}; the exit code is then 1.
    """
    from ..services.render import render_request

    _serve(input_file, render_request, pretty)


@app.command()
def cards(input_file: InputOption = None) -> None:
    """List the cards each note request generates (ordinal and card type), without rendering."""
    from ..services.render import cards_request

    _serve(input_file, cards_request, pretty=False)


@app.command()
def check(
    notetype_file: Annotated[
        Path,
        typer.Argument(
            metavar="NOTETYPE.json",
            help="A schema-11 note type as JSON, or a JSON list of them.",
            show_default=False,
        ),
    ],
    output_format: Annotated[
        CheckFormat, typer.Option("--format", "-f", help="Output format.")
    ] = CheckFormat.text,
) -> None:
    """Report template syntax errors and unknown fields as FILE:TEMPLATE:SIDE:LINE:COL: message.

    Exit code 0: no problems; 1: problems found; 2: the file is unreadable or invalid.
    """
    from .check import NoteTypeFileError, find_problems

    try:
        problems = find_problems(notetype_file)
    except NoteTypeFileError as error:
        raise _fail(str(error)) from None
    if output_format is CheckFormat.json:
        typer.echo(json.dumps([p.as_json() for p in problems], ensure_ascii=False, indent=2))
    else:
        from rich.console import Console
        from rich.text import Text

        # Rich decides on colour: only when standard output is a terminal.
        console = Console(highlight=False, soft_wrap=True)
        for problem in problems:
            console.print(
                Text(problem.location() + ": ", style="bold"),
                Text(problem.problem.message, style="red"),
                sep="",
            )
        count = len(problems)
        summary = f"{count} problem{'s' * (count != 1)}" if count else "no problems"
        typer.echo(f"{notetype_file}: {summary}", err=True)
    if problems:
        raise typer.Exit(1)


# Import, export and AnkiConnect commands live in their own module.
register_interop(app)
register_serve(app)
register_lint(app)

if __name__ == "__main__":
    app()
