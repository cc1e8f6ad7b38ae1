"""Write note types, sample notes and template media as an .apkg Anki imports as an update.

Writing goes through the ``anki`` package (a temporary collection and Anki's own
exporter), so the package is exactly what Anki 26.9 writes and expects. Three
choices make Anki's importer *update* an existing note type instead of adding a
copy, and keep template media alive:

* the note type, its fields and templates keep their ids;
* its modification time is set later than the one it was read with, because
  Anki only replaces a note type whose incoming copy is newer;
* template and stylesheet media without a leading ``_`` are renamed to
  ``_name`` and the references rewritten, because Anki's Check Media deletes
  unused files without one. Already prefixed names never change, so a second
  export of the same note type is identical in this respect.

Anki exports a note type only together with a note, so a bundle without samples
gets one placeholder note (each field holds its own name; tag ``atd-placeholder``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from anki.collection import Collection, ExportAnkiPackageOptions
from anki.models import NotetypeId

from ..core.model import Note, NoteType
from ..core.schema11 import to_schema11
from .anki_notetypes import complete_schema11
from .bundle import NoteTypeBundle
from .errors import PackageError
from .media_refs import css_references, field_references, rename_references, template_references
from .package_safety import replace_atomically, unsafe_media_name

Progress = Callable[[int, int], None]

PLACEHOLDER_TAG = "atd-placeholder"
_GUID_ALPHABET = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"
)


@dataclass(frozen=True)
class BlankCollection:
    """A new collection with its stock note types renamed, copied for each package written.

    Copying it and opening the copy costs about a third of creating a collection and moving
    its stock note types aside, which every package needs (the export process keeps one).
    """

    path: Path
    stock: tuple[NotetypeId, ...]

    @classmethod
    def make(cls, folder: Path) -> BlankCollection:
        """Create the blank collection in ``folder`` (which must outlive its use)."""
        path = Path(folder) / "blank.anki2"
        col = Collection(str(path))
        try:
            stock = tuple(_rename_stock_notetypes(col))
        finally:
            col.close()
        return cls(path, stock)

    def open_copy(self, folder: Path) -> tuple[Collection, list[NotetypeId]]:
        """A copy of the blank collection in ``folder``, open, and its stock note type ids."""
        path = Path(folder) / "collection.anki2"
        shutil.copyfile(self.path, path)
        return Collection(str(path)), list(self.stock)


def write_package(
    bundles: Sequence[NoteTypeBundle],
    path: Path,
    *,
    progress: Progress | None = None,
    blank: BlankCollection | None = None,
) -> None:
    """Write ``bundles`` to ``path`` as a current-format .apkg (nothing is left on failure).

    ``progress(done, total)`` counts notes added; the final call has ``done == total``.
    ``blank``: a blank collection to start from (faster than creating one).
    """
    path = Path(path)
    if not bundles:
        raise PackageError(f"{path}: nothing to write - no note types were given.")
    _check_bundles(bundles, path)
    prepared = [underscore_template_media(bundle) for bundle in bundles]
    total = sum(max(len(b.samples), 1) for b in prepared) + 1
    done = 0
    target_dir = path.parent if str(path.parent) else Path(".")
    if not target_dir.is_dir():
        raise PackageError(f"{path}: the folder {target_dir} does not exist.")
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=target_dir)
    os.close(handle)
    temp_out = Path(temp_name)
    try:
        with tempfile.TemporaryDirectory(prefix="atd-write-") as tmp:
            if blank is not None:
                col, stock = blank.open_copy(Path(tmp))
            else:
                col = Collection(str(Path(tmp) / "collection.anki2"))
                stock = []
            try:
                if blank is None:
                    stock = _rename_stock_notetypes(col)
                for bundle in prepared:
                    for _ in _add_bundle(col, bundle):
                        done += 1
                        if progress is not None:
                            progress(done, total)
                for notetype_id in stock:
                    col.models.remove(notetype_id)
                col.export_anki_package(
                    out_path=str(temp_out),
                    options=ExportAnkiPackageOptions(
                        with_scheduling=False,
                        with_deck_configs=False,
                        with_media=True,
                        legacy=False,
                    ),
                    limit=None,
                )
            finally:
                col.close()
        replace_atomically(temp_out, path)
    except BaseException:
        temp_out.unlink(missing_ok=True)
        raise
    if progress is not None:
        progress(total, total)


def _check_bundles(bundles: Sequence[NoteTypeBundle], path: Path) -> None:
    seen: dict[str, int] = {}
    for index, bundle in enumerate(bundles):
        name = bundle.notetype.name
        if name in seen:
            raise PackageError(
                f"{path}: note types {seen[name] + 1} and {index + 1} are both called "
                f"{name!r}; Anki needs unique names. Rename one."
            )
        seen[name] = index
        for media_name in bundle.media:
            if unsafe_media_name(media_name):
                raise PackageError(
                    f"{path}: note type {name!r} has media {media_name!r}, which is not a "
                    "plain file name. Rename the file."
                )


def underscore_template_media(bundle: NoteTypeBundle) -> NoteTypeBundle:
    """Rename template/CSS media lacking a leading ``_`` to ``_name`` and rewrite references."""
    notetype = bundle.notetype
    used = css_references(notetype.css)
    for template in notetype.templates:
        used |= template_references(template.front) | template_references(template.back)
    renames = {
        name: "_" + name
        for name in used
        if name in bundle.media
        and not name.startswith("_")
        and bundle.media.get("_" + name, bundle.media[name]) == bundle.media[name]
    }
    if not renames:
        return bundle
    templates = tuple(
        replace(
            t,
            front=rename_references(t.front, renames),
            back=rename_references(t.back, renames),
        )
        for t in notetype.templates
    )
    media = {renames.get(name, name): data for name, data in bundle.media.items()}
    # Samples may refer to the old name too; they keep their copy under it.
    sample_names = set().union(*(_sample_refs(note) for note in bundle.samples))
    for old in renames:
        if old in sample_names:
            media[old] = bundle.media[old]
    return NoteTypeBundle(
        notetype=replace(
            notetype, templates=templates, css=rename_references(notetype.css, renames, css=True)
        ),
        samples=bundle.samples,
        media=MappingProxyType(dict(sorted(media.items()))),
    )


def _sample_refs(note: Note) -> set[str]:
    return set().union(*(field_references(v) for v in note.fields.values()))


def _rename_stock_notetypes(col: Collection) -> list[NotetypeId]:
    """Move a fresh collection's Basic, Cloze, … out of the way; return their ids.

    A bundle with a stock name would otherwise be renamed "Basic-1a2b3". They are
    removed once the bundles are in: Anki refuses to remove a collection's last note type.
    """
    ids = []
    for entry in col.models.all_names_and_ids():
        stock = col.models.get(NotetypeId(entry.id))
        assert stock is not None
        stock["name"] = f"atd stock note type {entry.id}"
        col.models.update(stock, skip_checks=True)
        ids.append(NotetypeId(entry.id))
    return ids


def _schema11_for_anki(notetype: NoteType) -> dict[str, Any]:
    data = complete_schema11(to_schema11(notetype))
    previous = data.get("mod")
    previous_mtime = previous if isinstance(previous, int) else 0
    # Anki replaces an existing note type on import only when this one is newer.
    data["mod"] = max(int(time.time()), previous_mtime + 1)
    data["usn"] = -1
    if notetype.id is None:
        data["id"] = 0
    return data


def _add_bundle(col: Collection, bundle: NoteTypeBundle) -> Iterator[None]:
    """Add the note type, its media and its notes; yield once per note added."""
    data = _schema11_for_anki(bundle.notetype)
    col.models.update(data, preserve_usn=True, skip_checks=True)
    stored = col.models.get(data["id"])
    if stored is None:
        raise PackageError(f"Anki refused note type {bundle.notetype.name!r}.")
    media_dir = Path(col.media.dir())
    for name, content in bundle.media.items():
        (media_dir / name).write_bytes(content)
    notes = bundle.samples or (_placeholder(bundle.notetype),)
    for index, sample in enumerate(notes):
        note = col.new_note(stored)
        # By position: Anki may have normalised a field's name (NFC, stripped characters).
        for index, name in enumerate(bundle.notetype.field_names):
            note.fields[index] = sample.value(name)
        note.tags = list(sample.tags)
        note.guid = _sample_guid(int(stored["id"]), index)
        deck_id = col.decks.id(sample.deck or "Default", create=True)
        if deck_id is None:
            raise PackageError(f"Anki refused deck {sample.deck!r} of a sample note.")
        col.add_note(note, deck_id)
        yield


def _placeholder(notetype: NoteType) -> Note:
    return Note(
        fields=MappingProxyType({name: name for name in notetype.field_names}),
        tags=(PLACEHOLDER_TAG,),
    )


def _sample_guid(notetype_id: int, index: int) -> str:
    """A stable guid per (note type, sample position), so a re-export updates, not duplicates."""
    digest = int.from_bytes(hashlib.sha256(f"atd:{notetype_id}:{index}".encode()).digest()[:8])
    chars = []
    while digest:
        digest, rest = divmod(digest, len(_GUID_ALPHABET))
        chars.append(_GUID_ALPHABET[rest])
    return "".join(reversed(chars)) or _GUID_ALPHABET[0]
