"""Read note types, sample notes and their media from .apkg/.colpkg packages and collection files.

Formats are read here directly (zipfile + sqlite3 + zstandard + the protobuf
classes shipped in the ``anki`` package) instead of through Anki's importer:
a designer needs the note types and a few notes, not the whole collection, so
it unpacks only the collection database and the media those note types and
samples use. That is what keeps a 50,000-note, 200 MB package fast and small.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from anki.import_export_pb2 import MediaEntries, PackageMetadata
from google.protobuf.message import DecodeError

from ..core.errors import NoteTypeFormatError
from ..core.model import Note, NoteType
from ..core.schema11 import from_schema11
from .bundle import NoteTypeBundle
from .collection_db import CollectionFile, open_collection
from .errors import PackageError
from .media_refs import css_references, field_references, template_references
from .package_safety import (
    DEFAULT_LIMITS,
    PackageLimits,
    PackageReader,
    open_package,
    unsafe_media_name,
)

Progress = Callable[[int, int], None]

_SQLITE_MAGIC = b"SQLite format 3\x00"
_LEGACY_1, _LEGACY_2, _LATEST = 1, 2, 3
_COLLECTION_MEMBER = {
    _LEGACY_1: "collection.anki2",
    _LEGACY_2: "collection.anki21",
    _LATEST: "collection.anki21b",
}


class _ProgressCounter:
    """Turns byte counts into ``progress(done, total)``; the total grows once media is known."""

    def __init__(self, progress: Progress | None) -> None:
        self._progress = progress
        self.done = 0
        self.total = 0

    def add_total(self, amount: int) -> None:
        self.total += amount

    def advance(self, amount: int) -> None:
        self.done += amount
        if self._progress is not None:
            self._progress(self.done, max(self.total, self.done))


def read_package(
    path: Path,
    *,
    samples: int = 20,
    progress: Progress | None = None,
    limits: PackageLimits = DEFAULT_LIMITS,
) -> list[NoteTypeBundle]:
    """Read every note type of an .apkg/.colpkg package or Anki collection file.

    Each bundle holds the note type, up to ``samples`` notes of it (oldest first) and
    the media files its templates, stylesheet and samples refer to. ``progress(done,
    total)`` reports packed bytes read. Raises :class:`PackageError` on anything
    unreadable, unsafe or of an unknown version.
    """
    path = Path(path)
    if samples < 0:
        raise ValueError("samples must be 0 or more")
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise PackageError(f"{path}: cannot be opened ({exc.strerror}).") from None
    counter = _ProgressCounter(progress)
    with tempfile.TemporaryDirectory(prefix="atd-read-") as tmp:
        if head == _SQLITE_MAGIC:
            return _read_collection_file(path, Path(tmp), samples, counter)
        with open_package(path, limits, counter.advance) as package:
            return _read_zip(package, Path(tmp), samples, counter)


def _package_version(package: PackageReader) -> int:
    if package.has("meta"):
        try:
            version = int(PackageMetadata.FromString(package.read("meta")).version)
        except DecodeError:
            raise PackageError(
                f"{package.path}: the 'meta' member is corrupt. Export the package again."
            ) from None
        if version not in _COLLECTION_MEMBER:
            raise PackageError(
                f"{package.path}: unknown package version {version} (this program reads "
                "versions 1-3). Export it from Anki again with 'Support older Anki versions' "
                "ticked, or update this program."
            )
        return version
    if package.has("collection.anki21"):
        return _LEGACY_2
    if package.has("collection.anki2"):
        return _LEGACY_1
    raise PackageError(
        f"{package.path}: no Anki collection inside (no 'collection.anki21b', "
        "'collection.anki21' or 'collection.anki2' member); the package is empty or not an "
        "Anki package. Export it from Anki again."
    )


def _media_index(package: PackageReader, version: int) -> dict[str, str]:
    """Map media file names to the zip members holding them."""
    if not package.has("media"):
        return {}
    raw = package.read("media", zstd=version == _LATEST)
    index: dict[str, str] = {}
    if version == _LATEST:
        try:
            entries = MediaEntries.FromString(raw).entries
        except DecodeError:
            raise PackageError(
                f"{package.path}: the media list is corrupt. Export the package again."
            ) from None
        for number, entry in enumerate(entries):
            index[_checked_media_name(entry.name, package.path)] = str(number)
        return index
    try:
        legacy = json.loads(raw or b"{}")
    except ValueError:
        raise PackageError(
            f"{package.path}: the media list is not valid JSON. Export the package again."
        ) from None
    if not isinstance(legacy, dict):
        raise PackageError(f"{package.path}: the media list is not a JSON object.")
    for member, name in legacy.items():
        if isinstance(name, str):
            index[_checked_media_name(name, package.path)] = str(member)
    return index


def _read_zip(
    package: PackageReader, tmp: Path, samples: int, counter: _ProgressCounter
) -> list[NoteTypeBundle]:
    version = _package_version(package)
    member = _COLLECTION_MEMBER[version]
    counter.add_total(package.packed_size(member))
    db_path = tmp / "collection.db"
    package.extract(member, db_path, zstd=version == _LATEST)
    index = _media_index(package, version)
    zstd = version == _LATEST
    where = f"{package.path} ({member})"
    with open_collection(db_path, where) as collection:
        found = _collect(collection, samples, where)
    wanted = {name for item in found for name in item.names if name in index}
    for name in wanted:
        if package.has(index[name]):
            counter.add_total(package.packed_size(index[name]))
    media: dict[str, bytes] = {}
    for name in sorted(wanted):
        if package.has(index[name]):
            media[name] = package.read(index[name], zstd=zstd)
    return _bundles(found, media)


def _read_collection_file(
    path: Path, tmp: Path, samples: int, counter: _ProgressCounter
) -> list[NoteTypeBundle]:
    # Anki may have the file open: work on a copy, with its write-ahead log, so
    # neither this read nor SQLite's recovery ever touches the original.
    copy = tmp / "collection.anki2"
    size = path.stat().st_size
    counter.add_total(size)
    shutil.copyfile(path, copy)
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        shutil.copyfile(wal, tmp / "collection.anki2-wal")
    counter.advance(size)
    with open_collection(copy, str(path)) as collection:
        found = _collect(collection, samples, str(path))
    media_dir = path.with_name(path.stem + ".media")
    media: dict[str, bytes] = {}
    for name in sorted({name for item in found for name in item.names}):
        if unsafe_media_name(name):
            continue  # a field may name anything; only plain file names can be media
        file = media_dir / name
        if file.is_file():
            media[name] = file.read_bytes()
    return _bundles(found, media)


@dataclass(frozen=True)
class _Found:
    """A note type read from a collection, its samples and the media names both refer to."""

    notetype: NoteType
    notes: tuple[Note, ...]
    names: frozenset[str]


def _collect(collection: CollectionFile, samples: int, where: str) -> list[_Found]:
    """Note type dicts with their sample notes and the media names both refer to."""
    notetypes = collection.notetypes()
    if not notetypes:
        raise PackageError(f"{where}: the collection has no note types; nothing to import.")
    found = []
    for data in notetypes:
        try:
            notetype = from_schema11(data)
        except NoteTypeFormatError as exc:
            raise PackageError(
                f"{where}: note type {data.get('name')!r} (id {data.get('id')}) is malformed: "
                f"{exc}. Run Tools > Check Database in Anki and export again."
            ) from None
        notes = collection.sample_notes(notetype, samples)
        names: set[str] = set(css_references(notetype.css))
        for template in notetype.templates:
            names |= template_references(template.front) | template_references(template.back)
        for note in notes:
            for value in note.fields.values():
                names |= field_references(value)
        found.append(_Found(notetype, tuple(notes), frozenset(names)))
    return found


def _bundles(found: list[_Found], media: Mapping[str, bytes]) -> list[NoteTypeBundle]:
    return [
        NoteTypeBundle(
            notetype=item.notetype,
            samples=item.notes,
            media=MappingProxyType({n: media[n] for n in sorted(item.names) if n in media}),
        )
        for item in found
    ]


def _checked_media_name(name: str, path: Path) -> str:
    # Anki rejects the whole package too: such a name only comes from a hostile tool.
    if unsafe_media_name(name):
        raise PackageError(
            f"{path}: media file name {name!r} is not a plain file name (it could write "
            "outside the media folder); the package may be malicious. Do not import it."
        )
    return name
