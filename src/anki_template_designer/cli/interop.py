"""``atd import``, ``atd export`` and ``atd anki list|pull|push``: note types in and out of Anki.

Exit codes: 0 done, 1 the work failed (the message says why; nothing partial is
left behind), 2 the command line was wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)

from ..formats.ankiconnect import DEFAULT_URL, AnkiConnect
from ..formats.bundle import NoteTypeBundle
from ..formats.crowdanki import DECK_FILE, read_crowdanki, write_crowdanki
from ..formats.errors import FolderFormatError, FormatError
from ..formats.folder import is_notetype_folder, read_folder, write_folder
from ..formats.folder_layout import MANIFEST
from ..formats.folder_names import unique_stems

ProgressCallback = Callable[[int, int], None]


class ExportFormat(StrEnum):
    """What ``atd export`` writes."""

    apkg = "apkg"
    crowdanki = "crowdanki"
    folder = "folder"


UrlOption = Annotated[
    str,
    typer.Option("--url", envvar="ATD_ANKICONNECT_URL", help="AnkiConnect's address."),
]
KeyOption = Annotated[
    str | None,
    typer.Option(
        "--key",
        envvar="ATD_ANKICONNECT_KEY",
        help="AnkiConnect's API key, if one is set in its config.",
        show_default=False,
    ),
]


def _fail(message: str) -> typer.Exit:
    typer.echo(f"atd: {message}", err=True)
    return typer.Exit(1)


@contextmanager
def _failures() -> Iterator[None]:
    """Turn format errors into a one-line message and exit code 1."""
    try:
        yield
    except FormatError as error:
        raise _fail(str(error)) from None
    except OSError as error:
        raise _fail(f"{error.filename or ''}: {error.strerror or error}".lstrip(": ")) from None


@contextmanager
def _progress(description: str, *, in_bytes: bool) -> Iterator[ProgressCallback]:
    """A Rich progress bar on standard error (only on a terminal), as a callback."""
    console = Console(stderr=True)
    counter = DownloadColumn() if in_bytes else MofNCompleteColumn()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        counter,
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as progress:
        task = progress.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield update


def read_source(path: Path, samples: int) -> list[NoteTypeBundle]:
    """Note types from a package, a collection, a CrowdAnki export or a note type folder."""
    if not path.exists():
        raise FolderFormatError(f"{path}: no such file or folder.")
    if path.is_dir():
        if (path / MANIFEST).is_file():
            return [read_folder(path)]
        if (path / DECK_FILE).is_file():
            return read_crowdanki(path, samples=samples)
        raise FolderFormatError(
            f"{path}: this folder is neither a note type folder ({MANIFEST}) nor a "
            f"CrowdAnki export ({DECK_FILE})."
        )
    if path.suffix.lower() == ".json":
        return read_crowdanki(path, samples=samples)
    from ..formats.apkg import read_package  # the anki package loads only when needed

    with _progress(f"Reading {path.name}", in_bytes=True) as progress:
        return read_package(path, samples=samples, progress=progress)


def write_folders(bundles: Sequence[NoteTypeBundle], parent: Path) -> list[Path]:
    """Write each bundle to ``parent/<note type name>``; check every target before writing."""
    if parent.exists() and not parent.is_dir():
        raise FolderFormatError(f"{parent}: exists and is not a folder.")
    stems = unique_stems((b.notetype.name for b in bundles), empty="notetype")
    targets = [parent / stem for stem in stems]
    for target in targets:
        empty_dir = target.is_dir() and not any(target.iterdir())
        if target.exists() and not (empty_dir or is_notetype_folder(target)):
            raise FolderFormatError(
                f"{target}: exists and is not a note type folder; nothing was written. "
                "Move it away or import into another folder."
            )
    with _progress("Writing folders", in_bytes=False) as progress:
        for done, (bundle, target) in enumerate(zip(bundles, targets, strict=True), start=1):
            write_folder(bundle, target)
            progress(done, len(targets))
    return targets


def import_command(
    file: Annotated[
        Path,
        typer.Argument(
            help=".apkg, .colpkg, collection.anki2, CrowdAnki deck.json (or its folder), "
            "or a note type folder.",
            show_default=False,
        ),
    ],
    to: Annotated[
        Path,
        typer.Option("--to", help="Folder to write one note type folder into, per note type."),
    ],
    samples: Annotated[
        int, typer.Option("--samples", min=0, help="Sample notes to keep per note type.")
    ] = 20,
) -> None:
    """Import every note type of FILE as a note type folder under --to."""
    with _failures():
        bundles = read_source(file, samples)
        for target in write_folders(bundles, to):
            typer.echo(str(target))


def export_command(
    source: Annotated[Path, typer.Argument(help="A note type folder.", show_default=False)],
    output_format: Annotated[ExportFormat, typer.Option("--format", "-f", help="What to write.")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="File or folder to write.", show_default=False)
    ],
) -> None:
    """Export a note type folder as an .apkg, a CrowdAnki export or another folder."""
    with _failures():
        bundle = read_folder(source)
        if output_format is ExportFormat.apkg:
            from ..formats.apkg import write_package

            with _progress(f"Writing {output.name}", in_bytes=False) as progress:
                write_package([bundle], output, progress=progress)
        elif output_format is ExportFormat.crowdanki:
            write_crowdanki([bundle], output)
        else:
            write_folder(bundle, output)
        typer.echo(str(output))


def anki_list(url: UrlOption = DEFAULT_URL, key: KeyOption = None) -> None:
    """List the note types of the running Anki: name, a tab, id."""
    with _failures():
        for name, id_ in AnkiConnect(url, key).list_notetypes().items():
            typer.echo(f"{name}\t{id_}")


def anki_pull(
    name: Annotated[str, typer.Argument(help="Note type name in Anki.", show_default=False)],
    to: Annotated[Path, typer.Option("--to", help="Folder to write the note type folder into.")],
    url: UrlOption = DEFAULT_URL,
    key: KeyOption = None,
) -> None:
    """Copy a note type from the running Anki into a note type folder under --to."""
    with _failures():
        bundle = AnkiConnect(url, key).pull(name)
        for target in write_folders([bundle], to):
            typer.echo(str(target))


def anki_push(
    folder: Annotated[Path, typer.Argument(help="A note type folder.", show_default=False)],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only show the diff of what would change.")
    ] = False,
    url: UrlOption = DEFAULT_URL,
    key: KeyOption = None,
) -> None:
    """Update (or create) the note type in the running Anki from a note type folder."""
    with _failures():
        bundle = read_folder(folder)
        plan = AnkiConnect(url, key).push(bundle, dry_run=dry_run)
    if plan.diff:
        typer.echo(plan.diff, nl=False)
    for warning in plan.warnings:
        typer.echo(f"atd: warning: {warning}", err=True)
    if not plan.changed:
        summary = "already up to date"
    else:
        parts = ["create the note type"] if plan.create else []
        parts += [f"add field {n!r}" for n in plan.added_fields]
        parts += [f"add card type {n!r}" for n in plan.added_templates]
        parts += [f"update card type {n!r}" for n in plan.updated_templates]
        parts += ["update the styling"] if plan.css_changed else []
        summary = ("would " if dry_run else "did: ") + ", ".join(parts)
    typer.echo(f"{plan.notetype}: {summary}", err=True)


def register(app: typer.Typer) -> None:
    """Add ``import``, ``export`` and the ``anki`` group to the ``atd`` app."""
    app.command("import")(import_command)
    app.command("export")(export_command)
    anki = typer.Typer(
        help="Work with the running Anki through the AnkiConnect add-on (2055492159).",
        no_args_is_help=True,
    )
    anki.command("list")(anki_list)
    anki.command("pull")(anki_pull)
    anki.command("push")(anki_push)
    app.add_typer(anki, name="anki")
