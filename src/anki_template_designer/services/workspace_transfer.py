"""Use cases over the workspace shared by ``atd`` and the server: open it, find, import.

WorkspaceUnavailable   (a StoreError)  the workspace folder or database could not be opened
AmbiguousName          (a NotFound)    a name matches several note types only ignoring case

Where the workspace is follows ``atd serve``'s rule (``server.settings.load_settings``):
``--database-url``, else ``--workspace``, else ``ATD_DATABASE_URL``, else ``ATD_WORKSPACE``,
else the user data folder.
"""

from __future__ import annotations

import difflib
import getpass
import os
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from ..formats.bundle import NoteTypeBundle
from ..store.errors import NotFound, StoreError
from ..store.records import NoteTypeSummary
from ..store.workspace import Workspace, default_folder

WORKSPACE_ENV = "ATD_WORKSPACE"
DATABASE_URL_ENV = "ATD_DATABASE_URL"
AUTHOR_ENV = "ATD_AUTHOR"


class WorkspaceUnavailable(StoreError):
    """Raised when the workspace's folder or database cannot be opened (or migrated)."""


class AmbiguousName(NotFound):
    """Raised when no note type has the exact name but several match it ignoring case."""


def workspace_location(
    workspace: Path | None = None,
    database_url: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> str | None:
    """What ``Workspace.open`` takes for these flags and ``ATD_*`` variables (None: default)."""
    env = os.environ if environ is None else environ
    if database_url:
        return database_url
    if workspace is not None:
        return str(workspace.expanduser())  # a folder on the command line beats the variable
    if env.get(DATABASE_URL_ENV):
        return env[DATABASE_URL_ENV]
    folder = env.get(WORKSPACE_ENV)
    return str(Path(folder).expanduser()) if folder else None


def describe_location(location: str | None) -> str:
    """A location as a person reads it: the folder, or the URL with its password hidden."""
    if location is None:
        return f"{default_folder()} (the default workspace)"
    if "://" in location:
        try:
            return make_url(location).render_as_string(hide_password=True)
        except (ArgumentError, ValueError):
            return "the database URL given"  # it may hold a password: never echo it raw
    return location


def current_author(environ: Mapping[str, str] | None = None) -> str:
    """Who revisions are saved as: ``ATD_AUTHOR``, else the login name (as ``atd serve``)."""
    env = os.environ if environ is None else environ
    if env.get(AUTHOR_ENV):
        return env[AUTHOR_ENV]
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "designer"


def open_workspace(location: str | None) -> Workspace:
    """Open (creating and migrating) the workspace; any failure is a WorkspaceUnavailable."""
    where = describe_location(location)
    fix = "pass another --workspace folder, or set ATD_DATABASE_URL to a reachable database"
    try:
        return Workspace.open(location)
    except WorkspaceUnavailable:
        raise
    except StoreError as error:
        raise WorkspaceUnavailable(f"cannot open the workspace {where}: {error}") from None
    except DBAPIError as error:
        # The driver's own first line says what is wrong; SQLAlchemy's wrapping adds noise.
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise WorkspaceUnavailable(f"cannot open the workspace {where}: {reason}; {fix}") from None
    except SQLAlchemyError as error:
        reason = str(error).splitlines()[0]
        raise WorkspaceUnavailable(f"cannot open the workspace {where}: {reason}; {fix}") from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise WorkspaceUnavailable(f"cannot open the workspace {where}: {reason}; {fix}") from None
    except ValueError as error:  # a URL SQLAlchemy parses but cannot use, e.g. a bad port
        raise WorkspaceUnavailable(
            f"cannot open the workspace {where}: not a usable database URL ({error}); {fix}"
        ) from None


def find_notetype(workspace: Workspace, name_or_id: str, *, also: str = "") -> NoteTypeSummary:
    """The note type with this id or exact name, else the only one with this name in any case.

    Raises AmbiguousName when several match ignoring case (the message lists their ids), and
    NotFound naming the closest names otherwise (``also`` extends its first clause).
    """
    every = workspace.list_notetypes()
    by_id = [s for s in every if s.id == name_or_id]
    by_name = [s for s in every if s.name == name_or_id]
    if by_id and by_name and by_id[0].id != by_name[0].id:
        raise AmbiguousName(
            f"{name_or_id!r} is the id of {by_id[0].name!r} and the name of another note type "
            f"(id {by_name[0].id}); rename that note type, or pass its id"
        )
    exact = by_id or by_name
    if exact:
        return exact[0]
    folded = [s for s in every if s.name.casefold() == name_or_id.casefold()]
    if len(folded) == 1:
        return folded[0]
    if folded:
        choices = "; ".join(f"{s.name!r} (id {s.id})" for s in folded)
        raise AmbiguousName(
            f"{name_or_id!r} matches several note types ignoring case: {choices}; "
            "pass the exact name or the id"
        )
    names = [s.name for s in every]
    close = difflib.get_close_matches(name_or_id, names, n=3, cutoff=0.6)
    if close:
        hint = "did you mean " + " or ".join(repr(n) for n in close) + "?"
    elif names:
        hint = "`atd list` shows the note types in the workspace"
    else:
        hint = "the workspace is empty (import a file first: atd import FILE)"
    raise NotFound(f"no note type {name_or_id!r} in the workspace{also}; {hint}")


class ImportStatus(StrEnum):
    """What an import did to one note type."""

    created = "created"
    updated = "updated"
    unchanged = "unchanged"


@dataclass(frozen=True)
class ImportOutcome:
    """One imported note type as the library now lists it, and what the import did to it."""

    summary: NoteTypeSummary
    status: ImportStatus


def import_bundles(
    workspace: Workspace,
    bundles: Sequence[NoteTypeBundle],
    author: str,
    *,
    summary: str = "import",
    writes: AbstractContextManager[Any] | None = None,
) -> list[ImportOutcome]:
    """Save ``bundles`` in one transaction (each updates the note type of its name).

    ``writes`` is held while writing (the server's one-writer lock). Whether a note type was
    created or updated is read just before: a concurrent save may make it out of date.
    """
    if not bundles:
        raise NotFound("nothing to import: the source holds no note types")
    before = {s.name: s.current_revision for s in workspace.list_notetypes()}
    with writes if writes is not None else nullcontext():
        revisions = workspace.import_bundles(bundles, author, summary=summary)
    outcomes = []
    for bundle, revision in zip(bundles, revisions, strict=True):
        previous = before.get(bundle.notetype.name)
        if previous is None:
            status = ImportStatus.created
        elif previous == revision.id:
            status = ImportStatus.unchanged
        else:
            status = ImportStatus.updated
        outcomes.append(ImportOutcome(workspace.notetype_summary(revision.notetype_id), status))
    return outcomes


def keep_workspace_extras(
    workspace: Workspace, bundles: Iterable[NoteTypeBundle]
) -> list[NoteTypeBundle]:
    """Bundles that bring no samples or media keep those the workspace has under the same name.

    A note type pulled from Anki carries neither; updating the workspace copy must not drop
    the sample notes and media a designer has been previewing with.
    """
    existing = {s.name for s in workspace.list_notetypes()}
    kept = []
    for bundle in bundles:
        name = bundle.notetype.name
        if name in existing and not bundle.samples and not bundle.media:
            stored = workspace.get_notetype(name)
            bundle = NoteTypeBundle(bundle.notetype, stored.samples, stored.media)
        kept.append(bundle)
    return kept
