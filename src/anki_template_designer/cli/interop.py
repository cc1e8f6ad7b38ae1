"""``atd import``, ``atd export`` and ``atd list``: note types between files and the workspace.

Exit codes: 0 done, 1 the work failed (the message says why; nothing partial is
left behind), 2 the command line was wrong.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..formats.bundle import NoteTypeBundle
from ..formats.folder import write_folder
from .anki import register as register_anki
from .feedback import fail, failures, progress, status
from .sources import (
    SOURCE_HELP,
    check_one_destination,
    load_source,
    read_source,
    write_folders,
)
from .workspace_options import (
    DatabaseUrlOption,
    WorkspaceOption,
    echo_outcomes,
    opened_workspace,
)


class ExportFormat(StrEnum):
    """What ``atd export`` writes."""

    apkg = "apkg"
    crowdanki = "crowdanki"
    folder = "folder"


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
        Path | None,
        typer.Option(
            "--to",
            help="Write one note type folder per note type into this folder instead of "
            "importing into the workspace.",
            show_default=False,
        ),
    ] = None,
    samples: Annotated[
        int, typer.Option("--samples", min=0, help="Sample notes to keep per note type.")
    ] = 20,
    workspace: WorkspaceOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Import every note type of FILE into the workspace (or as note type folders under --to).

    A note type already in the workspace under the same name gets a new revision.
    """
    check_one_destination(to, workspace, database_url)
    with failures():
        bundles = read_source(file, samples)
        if to is not None:
            for target in write_folders(bundles, to):
                typer.echo(str(target))
            return
    if not bundles:
        raise fail(f"{file}: holds no note types; nothing was imported")
    # The store (SQLAlchemy) loads only here: ``--to`` starts without it.
    from ..services.workspace_transfer import current_author, import_bundles

    with opened_workspace(workspace, database_url) as opened, failures():
        count = len(bundles)
        with status(f"Saving {count} note type{'s' * (count != 1)} into the workspace"):
            outcomes = import_bundles(opened, bundles, current_author())
        echo_outcomes(outcomes, opened)


def _write_export(bundle: NoteTypeBundle, output_format: ExportFormat, output: Path) -> None:
    if output_format is ExportFormat.apkg:
        from ..formats.apkg import write_package

        with progress(f"Writing {output.name}", in_bytes=False) as update:
            write_package([bundle], output, progress=update)
    elif output_format is ExportFormat.crowdanki:
        from ..formats.crowdanki import write_crowdanki

        with status(f"Writing {output}"):
            write_crowdanki([bundle], output)
    else:
        with status(f"Writing {output}"):
            write_folder(bundle, output)


def export_command(
    source: Annotated[str, typer.Argument(help=SOURCE_HELP, show_default=False)],
    output_format: Annotated[ExportFormat, typer.Option("--format", "-f", help="What to write.")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="File or folder to write.", show_default=False)
    ],
    workspace: WorkspaceOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Export a note type (a folder, or one in the workspace) as .apkg, CrowdAnki or a folder.

    SOURCE is a note type folder when that path exists.
    Otherwise it is the name or id of a note type in the workspace (with samples and media).
    """
    bundle = load_source(source, workspace, database_url)
    with failures():
        _write_export(bundle, output_format, output)
    typer.echo(str(output))


def list_command(
    search: Annotated[
        str, typer.Argument(help="Only names containing this text (any case).", show_default=False)
    ] = "",
    workspace: WorkspaceOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """List the workspace's note types: name, id and current revision, tab-separated."""
    with opened_workspace(workspace, database_url) as opened, failures():
        summaries = opened.list_notetypes(search)
        for summary in summaries:
            typer.echo(f"{summary.name}\t{summary.id}\t{summary.current_revision}")
        if not summaries:
            matching = f" matching {search!r}" if search else ""
            typer.echo(f"atd: no note types{matching} in the workspace {opened.url}", err=True)


def register(app: typer.Typer) -> None:
    """Add ``import``, ``export``, ``list`` and the ``anki`` group to the ``atd`` app."""
    app.command("import")(import_command)
    app.command("export")(export_command)
    app.command("list")(list_command)
    register_anki(app)
