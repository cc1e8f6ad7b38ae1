"""Where note types come from and go to on the command line: files, folders, the workspace."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ..formats.bundle import NoteTypeBundle
from ..formats.errors import FolderFormatError
from ..formats.folder import is_notetype_folder, read_folder, write_rendered
from ..formats.folder_layout import MANIFEST, render_files
from ..formats.folder_names import unique_stems
from .feedback import failures, progress, status
from .workspace_options import opened_workspace

if TYPE_CHECKING:
    from ..store.workspace import Workspace

SOURCE_HELP = (
    "A note type folder if the path exists, else the name or id of a note type in the workspace."
)


def read_source(path: Path, samples: int) -> list[NoteTypeBundle]:
    """Note types from a package, a collection, a CrowdAnki export or a note type folder."""
    # Each reader loads only for its kind of source (issue #3: import speed).
    if not path.exists():
        raise FolderFormatError(f"{path}: no such file or folder.")
    if path.is_dir():
        if (path / MANIFEST).is_file():
            return [read_folder(path)]
        from ..formats.crowdanki import DECK_FILE, read_crowdanki

        if (path / DECK_FILE).is_file():
            return read_crowdanki(path, samples=samples)
        raise FolderFormatError(
            f"{path}: this folder is neither a note type folder ({MANIFEST}) nor a "
            f"CrowdAnki export ({DECK_FILE})."
        )
    if path.suffix.lower() == ".json":
        from ..formats.crowdanki import read_crowdanki

        return read_crowdanki(path, samples=samples)
    # Only the reader: the package writer loads all of the anki package.
    from ..formats.apkg_read import read_package

    with progress(f"Reading {path.name}", in_bytes=True) as update:
        return read_package(path, samples=samples, progress=update)


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
    # Render every folder first: content a folder cannot hold (media names that differ only
    # in case, a reserved key) fails before anything is written.
    rendered = [render_files(bundle) for bundle in bundles]
    created: list[tuple[Path, bool]] = []  # (folder, whether it was there, empty)
    try:
        with progress("Writing folders", in_bytes=False) as update:
            for done, (files, target) in enumerate(zip(rendered, targets, strict=True), start=1):
                was_empty = target.is_dir() and not any(target.iterdir())
                new = was_empty or not target.exists()
                write_rendered(files, target)
                if new:
                    created.append((target, was_empty))
                update(done, len(targets))
    except BaseException:
        # Undo the folders this import filled; note type folders it replaced stay replaced.
        for target, was_empty in created:
            shutil.rmtree(target, ignore_errors=True)
            if was_empty:
                target.mkdir(exist_ok=True)
        raise
    return targets


def check_one_destination(
    to: Path | None, workspace: Path | None, database_url: str | None
) -> None:
    """Refuse ``--to`` together with a workspace option: the note types go to one place."""
    if to is not None and (workspace is not None or database_url is not None):
        raise typer.BadParameter(
            "--to writes note type folders; --workspace/--database-url name a workspace. "
            "Give one of them.",
            param_hint="--to",
        )


def workspace_source(workspace: Workspace, source: str) -> NoteTypeBundle:
    """The workspace note type named (or with the id) ``source``; NotFound says both lookups."""
    from ..services.workspace_transfer import find_notetype  # the store loads only when needed

    summary = find_notetype(workspace, source, also=" and no file or folder of that name")
    with status(f"Reading {summary.name} from the workspace"):
        return workspace.get_notetype(summary.id)


def load_source(source: str, workspace: Path | None, database_url: str | None) -> NoteTypeBundle:
    """The note type folder at ``source`` if that path exists, else the workspace's note type."""
    if Path(source).exists():
        with failures():
            return read_folder(Path(source))
    with opened_workspace(workspace, database_url) as opened, failures():
        return workspace_source(opened, source)
