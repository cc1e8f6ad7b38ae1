"""What ``atd lint`` lints: note type folders, schema-11 JSON files and workspace note types.

Each is read into :class:`LintTarget` objects that know how to name a diagnostic's place
(the real file for a folder, ``FILE:CARD TYPE:SIDE`` for JSON) and how to write a fixed
note type back to where it came from, touching only what changed.
"""

from __future__ import annotations

import json
import os
import tempfile
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.lint import Location, Part
from ..core.model import Note, NoteType
from ..formats.bundle import NoteTypeBundle
from ..formats.errors import FormatError
from ..formats.folder import read_folder
from ..formats.folder_layout import MANIFEST, STYLE, template_file_names, text_bytes
from ..services.workspace_transfer import current_author, find_notetype
from ..store.errors import StoreError
from ..store.workspace import Workspace
from .check import NoteTypeFileError, load_notetypes

# The attribute (and folder_layout side key) of each template part.
_SIDE_KEYS = {
    Part.FRONT: "front",
    Part.BACK: "back",
    Part.BROWSER_FRONT: "browser_front",
    Part.BROWSER_BACK: "browser_back",
}
# The schema-11 key of each part, to change a JSON file's texts in place.
_SCHEMA11_KEYS = {
    Part.FRONT: "qfmt",
    Part.BACK: "afmt",
    Part.BROWSER_FRONT: "bqfmt",
    Part.BROWSER_BACK: "bafmt",
}


class LintInputError(Exception):
    """A path or name given to ``atd lint`` cannot be read; the message says what to do."""


@dataclass(frozen=True, slots=True)
class LintTarget:
    """One note type to lint: where it came from, and how to report and save it."""

    source: str
    notetype: NoteType
    samples: tuple[Note, ...]
    place: Callable[[Location], str]
    """``PLACE`` in ``PLACE:LINE:COL``: the file (folder) or ``SOURCE:CARD TYPE:SIDE``."""
    save: Callable[[NoteType], list[str]]
    """Write the fixed note type back; returns what was written (files or a revision)."""


def _changed_parts(before: NoteType, after: NoteType) -> list[tuple[Part, int | None]]:
    changed: list[tuple[Part, int | None]] = []
    for index, (old, new) in enumerate(zip(before.templates, after.templates, strict=True)):
        for part, key in _SIDE_KEYS.items():
            if getattr(old, key) != getattr(new, key):
                changed.append((part, index))
    if before.css != after.css:
        changed.append((Part.CSS, None))
    return changed


def _write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` in one step, so an interrupted write never leaves half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _part_text(notetype: NoteType, part: Part, template: int | None) -> str:
    if part is Part.CSS or template is None:
        return notetype.css
    text: str = getattr(notetype.templates[template], _SIDE_KEYS[part])
    return text


def _css_file(directory: Path) -> str:
    # read_folder has validated the manifest; only the stylesheet's name is needed here.
    data = tomllib.loads((directory / MANIFEST).read_text("utf-8"))
    name = data.get("css_file", STYLE)
    return name if isinstance(name, str) else STYLE


def folder_target(directory: Path) -> LintTarget:
    """A note type folder; diagnostics point into its template and stylesheet files."""
    try:
        bundle = read_folder(directory)
    except FormatError as error:
        raise LintInputError(str(error)) from None
    names = template_file_names(bundle.notetype)
    css_path = directory / _css_file(directory)

    def path_of(part: Part, template: int | None) -> Path:
        if part is Part.CSS or template is None:
            return css_path
        return directory / names[template][_SIDE_KEYS[part]]

    def place(location: Location) -> str:
        return str(path_of(location.part, location.template))

    def save(fixed: NoteType) -> list[str]:
        written = []
        for part, template in _changed_parts(bundle.notetype, fixed):
            path = path_of(part, template)
            _write_atomically(path, text_bytes(_part_text(fixed, part, template), path.name))
            written.append(str(path))
        return written

    return LintTarget(str(directory), bundle.notetype, bundle.samples, place, save)


def _side_place(source: str, location: Location) -> str:
    if location.part is Part.CSS:
        return f"{source}:css"
    return f"{source}:{location.template_name}:{location.part.value.replace(' ', '-')}"


def json_targets(path: Path) -> list[LintTarget]:
    """Each note type of a schema-11 JSON file; a fix rewrites the whole file once per target."""
    try:
        notetypes = load_notetypes(path)
    except NoteTypeFileError as error:
        raise LintInputError(str(error)) from None
    # load_notetypes succeeded, so the file is a JSON object or a list of them.
    raw: Any = json.loads(path.read_text("utf-8"))
    items: list[dict[str, Any]] = raw if isinstance(raw, list) else [raw]
    source = str(path)

    def saver(index: int) -> Callable[[NoteType], list[str]]:
        def save(fixed: NoteType) -> list[str]:
            # Only the fixed texts change in the raw data: every other key stays as it was.
            item = items[index]
            for part, template in _changed_parts(notetypes[index], fixed):
                text = _part_text(fixed, part, template)
                if part is Part.CSS or template is None:
                    item["css"] = text
                else:
                    item["tmpls"][template][_SCHEMA11_KEYS[part]] = text
            data = json.dumps(raw, ensure_ascii=False, indent=2) + "\n"
            _write_atomically(path, data.encode("utf-8"))
            return [source]

        return save

    return [
        LintTarget(source, notetype, (), lambda loc: _side_place(source, loc), saver(index))
        for index, notetype in enumerate(notetypes)
    ]


def workspace_target(workspace: Workspace, name: str) -> LintTarget:
    """A note type of the workspace by name or id; a fix saves a new revision."""
    try:
        summary = find_notetype(workspace, name, also=" and no file or folder of that name either")
        bundle = workspace.get_notetype(summary.id)
    except StoreError as error:
        raise LintInputError(str(error)) from None

    def save(fixed: NoteType) -> list[str]:
        revision = workspace.save_notetype(
            NoteTypeBundle(fixed, bundle.samples, bundle.media),
            current_author(),
            notetype_id=summary.id,
            expected_revision=summary.current_revision,
            summary="atd lint --fix",
        )
        return [f"revision {revision.id} of {summary.name!r} in the workspace"]

    return LintTarget(
        summary.name,
        bundle.notetype,
        bundle.samples,
        lambda loc: _side_place(summary.name, loc),
        save,
    )


_PACKAGES = (".apkg", ".colpkg", ".anki2", ".anki21")


def path_targets(path: Path) -> list[LintTarget]:
    """The targets of an existing path: a note type folder or a schema-11 JSON file."""
    if path.is_dir():
        return [folder_target(path)]
    if path.suffix.lower() in _PACKAGES:
        raise LintInputError(
            f"{path}: atd lint reads note type folders and schema-11 .json files, not Anki "
            f"packages; unpack it first (atd import {path} --to DIR), then lint DIR/*"
        )
    return json_targets(path)


def split_sources(sources: Sequence[str]) -> tuple[list[Path], list[str]]:
    """Existing paths, and the rest (note type names or ids in the workspace)."""
    paths = [Path(s) for s in sources if Path(s).exists()]
    names = [s for s in sources if not Path(s).exists()]
    return paths, names
