"""``atd anki list|pull|push``: the running Anki, through the AnkiConnect add-on (2055492159)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..formats.ankiconnect import DEFAULT_URL
from .feedback import failures, status
from .sources import SOURCE_HELP, check_one_destination, load_source, write_folders
from .workspace_options import (
    DatabaseUrlOption,
    WorkspaceOption,
    echo_outcomes,
    opened_workspace,
)

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


def anki_list(url: UrlOption = DEFAULT_URL, key: KeyOption = None) -> None:
    """List the note types of the running Anki: name, a tab, id."""
    from ..services.anki_bridge import connect

    with failures():
        for name, id_ in connect(url, key).list_notetypes().items():
            typer.echo(f"{name}\t{id_}")


def anki_pull(
    names: Annotated[
        list[str],
        typer.Argument(help="Note type names in Anki (exact).", show_default=False),
    ],
    to: Annotated[
        Path | None,
        typer.Option(
            "--to",
            help="Write note type folders into this folder instead of the workspace.",
            show_default=False,
        ),
    ] = None,
    url: UrlOption = DEFAULT_URL,
    key: KeyOption = None,
    workspace: WorkspaceOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Copy note types from the running Anki into the workspace (or folders under --to).

    A note type already in the workspace gets a new revision.
    It keeps its sample notes and media (AnkiConnect brings neither).
    """
    from ..services.anki_bridge import PULL_SUMMARY, connect, pull_bundles

    check_one_destination(to, workspace, database_url)
    with failures():
        with status("Reading from Anki"):
            bundles = pull_bundles(connect(url, key), names)
        if to is not None:
            for target in write_folders(bundles, to):
                typer.echo(str(target))
            return
    from ..services.workspace_transfer import (
        current_author,
        import_bundles,
        keep_workspace_extras,
    )

    with opened_workspace(workspace, database_url) as opened, failures():
        with status("Saving into the workspace"):
            kept = keep_workspace_extras(opened, bundles)
            outcomes = import_bundles(opened, kept, current_author(), summary=PULL_SUMMARY)
        echo_outcomes(outcomes, opened)


def anki_push(
    source: Annotated[str, typer.Argument(help=SOURCE_HELP, show_default=False)],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only show the diff of what would change.")
    ] = False,
    url: UrlOption = DEFAULT_URL,
    key: KeyOption = None,
    workspace: WorkspaceOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Update (or create) the note type in the running Anki from a folder or the workspace.

    SOURCE is a note type folder when that path exists, else a workspace note type name or id.
    The note type of the same name in Anki is updated.
    """
    from ..services.anki_bridge import connect, describe_plan

    bundle = load_source(source, workspace, database_url)
    with failures(), status("Pushing to Anki"):
        plan = connect(url, key).push(bundle, dry_run=dry_run)
    if plan.diff:
        typer.echo(plan.diff, nl=False)
    for warning in plan.warnings:
        typer.echo(f"atd: warning: {warning}", err=True)
    typer.echo(describe_plan(plan, dry_run), err=True)


def register(app: typer.Typer) -> None:
    """Add the ``anki`` command group to the ``atd`` app."""
    anki = typer.Typer(
        help="Work with the running Anki through the AnkiConnect add-on (2055492159).",
        no_args_is_help=True,
    )
    anki.command("list")(anki_list)
    anki.command("pull")(anki_pull)
    anki.command("push")(anki_push)
    app.add_typer(anki, name="anki")
