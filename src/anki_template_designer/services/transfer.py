"""Note types in and out as files: read an uploaded file, write an export, both in a folder.

Everything happens inside a caller-given scratch folder, so a failed import or
export leaves nothing behind once the caller removes it.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path

from ..formats.bundle import NoteTypeBundle
from ..formats.crowdanki import DECK_FILE, read_crowdanki, write_crowdanki
from ..formats.errors import FormatError
from ..formats.folder import read_folder, write_folder
from ..formats.folder_layout import MANIFEST
from ..formats.folder_names import file_stem, unique_stems
from ..formats.package_safety import unsafe_member_name

PACKAGE_SUFFIXES = (".apkg", ".colpkg", ".anki2", ".anki21")
IMPORT_SUFFIXES = (*PACKAGE_SUFFIXES, ".json", ".zip")
_MAX_ZIP_BYTES = 2 << 30  # unpacked, in total: the package reader's own cap


class UnsupportedFile(FormatError):
    """An uploaded file is of a kind this program cannot import."""


class ExportFormat(StrEnum):
    """What an export download holds."""

    apkg = "apkg"
    crowdanki = "crowdanki"
    folder = "folder"


def read_upload(path: Path, *, samples: int = 20) -> list[NoteTypeBundle]:
    """Note types from a package, a CrowdAnki ``deck.json``, or a zip of either export folder."""
    suffix = path.suffix.lower()
    if suffix in PACKAGE_SUFFIXES:
        from ..formats.apkg import read_package  # the anki package loads only when needed

        return read_package(path, samples=samples)
    if suffix == ".json":
        return read_crowdanki(path, samples=samples)
    if suffix == ".zip":
        return _read_zip(path, path.with_name(path.name + ".unpacked"), samples)
    raise UnsupportedFile(
        f"{path.name}: cannot import a {suffix or 'suffix-less'} file; use "
        f"{', '.join(IMPORT_SUFFIXES)} (a .zip of a CrowdAnki export or a note type folder)"
    )


def _read_zip(path: Path, target: Path, samples: int) -> list[NoteTypeBundle]:
    _unzip(path, target)
    roots = [target, *sorted(p for p in target.iterdir() if p.is_dir())]
    for root in roots:
        if (root / DECK_FILE).is_file():
            return read_crowdanki(root, samples=samples)
    folders = [p.parent for p in sorted(target.rglob(MANIFEST))]
    if folders:
        return [read_folder(folder) for folder in folders]
    raise UnsupportedFile(
        f"{path.name}: the zip holds neither a CrowdAnki export ({DECK_FILE}) nor a note type "
        f"folder ({MANIFEST})"
    )


def _unzip(path: Path, target: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            budget = _MAX_ZIP_BYTES
            for member in archive.infolist():
                if unsafe_member_name(member.filename):
                    raise UnsupportedFile(
                        f"{path.name}: entry {member.filename!r} would be written outside the "
                        "import folder; the file is unsafe and was not imported"
                    )
                if member.is_dir():
                    continue
                destination = target / member.filename
                destination.parent.mkdir(parents=True, exist_ok=True)
                # Count what is really unpacked: a zip's declared sizes may lie.
                with archive.open(member) as source, destination.open("wb") as sink:
                    while chunk := source.read(1 << 20):
                        budget -= len(chunk)
                        if budget < 0:
                            raise UnsupportedFile(
                                f"{path.name}: unpacks to more than 2 GiB; not imported"
                            )
                        sink.write(chunk)
    except (zipfile.BadZipFile, EOFError, zlib.error) as error:
        raise UnsupportedFile(f"{path.name}: not a readable zip file ({error})") from None


PackageWriter = Callable[[Sequence[NoteTypeBundle], Path], None]


def export_file(
    bundles: Sequence[NoteTypeBundle],
    export_format: ExportFormat,
    scratch: Path,
    stem: str,
    *,
    write_apkg: PackageWriter | None = None,
) -> Path:
    """Write ``bundles`` into ``scratch`` as one downloadable file; return its path.

    ``write_apkg`` writes a package (the server's export process); by default, this process.
    """
    if export_format is ExportFormat.apkg:
        if write_apkg is None:
            from ..formats.apkg import write_package

            write_apkg = write_package
        target = scratch / f"{stem}.apkg"
        write_apkg(bundles, target)
        return target
    content = scratch / stem
    if export_format is ExportFormat.crowdanki:
        write_crowdanki(bundles, content, deck_name=stem)
    else:
        content.mkdir()
        names = unique_stems((b.notetype.name for b in bundles), empty="notetype")
        for bundle, name in zip(bundles, names, strict=True):
            write_folder(bundle, content / name)
    target = scratch / f"{stem}-{export_format.value}.zip"
    _zip_folder(content, target)
    return target


def _zip_folder(folder: Path, target: Path) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}")


def download_stem(names: Sequence[str]) -> str:
    """A file name stem for an export of note types with these names."""
    return file_stem(names[0], empty="notetype") if len(names) == 1 else "notetypes"
