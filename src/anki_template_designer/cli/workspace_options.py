"""The ``--workspace`` / ``--database-url`` options and opening the workspace they name.

The rule is ``atd serve``'s (see ``services.workspace_transfer.workspace_location``), so a
note type imported on the command line is the one the designer shows.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .feedback import fail, status

if TYPE_CHECKING:
    from ..services.workspace_transfer import ImportOutcome
    from ..store.workspace import Workspace

WorkspaceOption = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        help="Workspace folder (env ATD_WORKSPACE); default: the user data folder, "
        "as for atd serve.",
        file_okay=False,
        show_default=False,
    ),
]
DatabaseUrlOption = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="A workspace database URL instead of a folder, e.g. postgresql+psycopg://… "
        "(env ATD_DATABASE_URL).",
        show_default=False,
    ),
]


@contextmanager
def opened_workspace(workspace: Path | None, database_url: str | None) -> Iterator[Workspace]:
    """The workspace the options (or ``ATD_*`` variables) name, open for the block; exit 1."""
    # The store (SQLAlchemy) loads here, not when the command line starts.
    from ..services.workspace_transfer import (
        WorkspaceUnavailable,
        open_workspace,
        workspace_location,
    )

    location = workspace_location(workspace, database_url)
    try:
        with status("Opening the workspace"):
            opened = open_workspace(location)
    except WorkspaceUnavailable as error:
        raise fail(str(error)) from None
    with opened:
        yield opened


def echo_outcomes(outcomes: Sequence[ImportOutcome], workspace: Workspace) -> None:
    """One line per note type on standard output, a total on standard error."""
    for outcome in outcomes:
        summary = outcome.summary
        typer.echo(
            f"{outcome.status.value}: {summary.name} "
            f"(id {summary.id}, revision {summary.current_revision})"
        )
    count = len(outcomes)
    typer.echo(f"{count} note type{'s' * (count != 1)} in the workspace {workspace.url}", err=True)
